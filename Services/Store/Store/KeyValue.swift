/// One version of a key: its value and its MVCC revisions, as etcd reports them.
public struct KeyValue: Sendable, Hashable, Codable {
    /// The key, e.g. `/registry/Pod/default/web`.
    public var key: String
    /// The value, a JSON document as UTF-8 text; opaque to the store.
    public var value: String
    /// Revision of the put that created this incarnation of the key.
    public var createRevision: Int64
    /// Revision of the latest change to the key.
    public var modRevision: Int64
    /// 1 on create, +1 per put; 0 in the kv reported for a delete.
    public var version: Int64

    /// Creates a key-value version.
    public init(key: String, value: String, createRevision: Int64, modRevision: Int64, version: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
    }
}
