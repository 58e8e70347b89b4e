/// Whether a change set or removed its key.
public enum ChangeType: String, Sendable, Codable {
    case put
    case delete
}

/// One entry of the store's history.
public struct Change: Sendable, Hashable, Codable {
    /// Put or delete.
    public var type: ChangeType
    /// The new kv; for a delete the last value, with `modRevision` = the delete's revision and version 0.
    public var kv: KeyValue
    /// The kv before the change, nil if the key did not exist.
    public var previous: KeyValue?
    /// Revision of the previous change in the key's bucket, 0 if none.
    public var bucketPrevRevision: Int64

    /// Creates a change.
    public init(type: ChangeType, kv: KeyValue, previous: KeyValue?, bucketPrevRevision: Int64) {
        self.type = type
        self.kv = kv
        self.previous = previous
        self.bucketPrevRevision = bucketPrevRevision
    }
}

/// A page of changes after a revision.
public struct ChangesResult: Sendable, Hashable, Codable {
    /// Changes in revision order.
    public var changes: [Change]
    /// The store revision the changes were read at.
    public var revision: Int64
    /// True when `limit` cut the page short; continue after the last change's revision.
    public var more: Bool

    /// Creates a page of changes.
    public init(changes: [Change], revision: Int64, more: Bool) {
        self.changes = changes
        self.revision = revision
        self.more = more
    }
}
