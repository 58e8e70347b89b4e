/// A summary of a store's state.
public struct StoreStatus: Sendable, Hashable, Codable {
    /// The current revision.
    public var revision: Int64
    /// Requests for revisions below this one fail with `compacted`.
    public var compactRevision: Int64
    /// Number of live keys.
    public var keys: Int
    /// Bytes on disk (database plus write-ahead log), 0 in memory.
    public var dbSizeBytes: Int64
    /// `sqlite` or `memory`.
    public var backend: String
    /// Latest change revision per bucket.
    public var buckets: [String: Int64]

    /// Creates a status.
    public init(
        revision: Int64, compactRevision: Int64, keys: Int, dbSizeBytes: Int64, backend: String,
        buckets: [String: Int64]
    ) {
        self.revision = revision
        self.compactRevision = compactRevision
        self.keys = keys
        self.dbSizeBytes = dbSizeBytes
        self.backend = backend
        self.buckets = buckets
    }
}
