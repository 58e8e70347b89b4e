/// A page of keys under a prefix, at one revision.
public struct RangeResult: Sendable, Hashable, Codable {
    /// Live keys in byte order of their UTF-8 text.
    public var kvs: [KeyValue]
    /// The revision read at.
    public var revision: Int64
    /// True when `limit` cut the page short; continue with `startAfter` = the last key, at the same revision.
    public var more: Bool
    /// Latest change revision of the prefix's bucket as of `revision`; `revision` itself when the prefix spans
    /// several buckets.
    public var bucketRevision: Int64

    /// Creates a range page.
    public init(kvs: [KeyValue], revision: Int64, more: Bool, bucketRevision: Int64) {
        self.kvs = kvs
        self.revision = revision
        self.more = more
        self.bucketRevision = bucketRevision
    }
}
