/// A condition a write needs to hold, checked atomically with the write.
public enum WritePrecondition: Sendable, Hashable, Codable {
    /// Always write.
    case none
    /// Write only if the key does not exist (create).
    case absent
    /// Write only if the key's modRevision is this one (compare-and-swap); 0 means "absent".
    case modRevision(Int64)
}

/// What a write does to its key.
public enum WriteOperation: Sendable, Hashable, Codable {
    /// Set the key to this value.
    case put(value: String)
    /// Remove the key.
    case delete
}

/// One write to one key.
public struct WriteRequest: Sendable, Hashable, Codable {
    /// The key written.
    public var key: String
    /// Put or delete.
    public var operation: WriteOperation
    /// The condition checked before writing.
    public var precondition: WritePrecondition
    /// A client-chosen unique id; a retried write with the same id returns the first result.
    public var requestID: String?

    /// Creates a write request.
    public init(
        key: String, operation: WriteOperation, precondition: WritePrecondition = .none, requestID: String? = nil
    ) {
        self.key = key
        self.operation = operation
        self.precondition = precondition
        self.requestID = requestID
    }
}

/// The outcome of a write.
public struct WriteResult: Sendable, Hashable, Codable {
    /// False when the precondition failed (nothing was written), or on a delete of an absent key.
    public var succeeded: Bool
    /// Revision of this write, or the current store revision on failure.
    public var revision: Int64
    /// On success the new kv (put) or the deleted kv with `modRevision` = the delete's revision and version 0
    /// (delete); on failure the current kv, nil if absent.
    public var kv: KeyValue?
    /// The kv before the write, if any (on failure, the same as `kv`).
    public var previous: KeyValue?
    /// Revision of the previous change in the key's bucket (0 if none); on failure, the bucket's latest revision.
    public var bucketPrevRevision: Int64

    /// Creates a write result.
    public init(succeeded: Bool, revision: Int64, kv: KeyValue?, previous: KeyValue?, bucketPrevRevision: Int64) {
        self.succeeded = succeeded
        self.revision = revision
        self.kv = kv
        self.previous = previous
        self.bucketPrevRevision = bucketPrevRevision
    }
}
