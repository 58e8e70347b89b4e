import Schema

/// Tuning of `SQLiteBackend`; the defaults are durable and suit a control plane.
public struct SQLiteBackendConfiguration: Sendable {
    /// SQLite's `PRAGMA synchronous`; only `full` and `extra` make every acknowledged write survive power loss.
    public enum Synchronous: String, Sendable {
        case off = "OFF"
        case normal = "NORMAL"
        case full = "FULL"
        case extra = "EXTRA"
    }

    /// Durability of commits; `full` by default.
    public var synchronous: Synchronous
    /// Most writes committed in one transaction.
    public var maxBatch: Int
    /// Revisions of history kept by automatic compaction; nil turns this bound off.
    public var autoCompactRetain: Int64?
    /// History older than this is compacted automatically; nil turns this bound off.
    public var autoCompactMaxAge: Duration?
    /// When the file and its WAL exceed this many bytes, history older than the last `autoCompactInterval` revisions
    /// is compacted; nil turns this bound off.
    public var autoCompactAboveBytes: Int64?
    /// The WAL is checkpointed and truncated when it exceeds this many bytes, and after every compaction.
    public var walCheckpointBytes: Int64
    /// Most bytes of values in one range or changes page; a single larger object still makes a page of its own.
    public var maxPageBytes: Int
    /// Automatic compaction runs at most once per this many revisions.
    public var autoCompactInterval: Int64
    /// How long a connection waits for a lock held by another process.
    public var busyTimeout: Duration
    /// How long request IDs are remembered for idempotent retries.
    public var requestRetention: Duration
    /// Most request IDs remembered.
    public var maxRequests: Int
    /// Read connections, used concurrently with the writer.
    public var readers: Int

    /// Creates a configuration.
    public init(
        synchronous: Synchronous = .full,
        maxBatch: Int = 1000,
        autoCompactRetain: Int64? = nil,
        autoCompactMaxAge: Duration? = nil,
        autoCompactAboveBytes: Int64? = nil,
        walCheckpointBytes: Int64 = 64 << 20,
        maxPageBytes: Int = 4 << 20,
        autoCompactInterval: Int64 = 1000,
        busyTimeout: Duration = .seconds(5),
        requestRetention: Duration = .seconds(600),
        maxRequests: Int = 100_000,
        readers: Int = 4
    ) {
        self.synchronous = synchronous
        self.maxBatch = maxBatch
        self.autoCompactRetain = autoCompactRetain
        self.autoCompactMaxAge = autoCompactMaxAge
        self.autoCompactAboveBytes = autoCompactAboveBytes
        self.walCheckpointBytes = walCheckpointBytes
        self.maxPageBytes = maxPageBytes
        self.autoCompactInterval = autoCompactInterval
        self.busyTimeout = busyTimeout
        self.requestRetention = requestRetention
        self.maxRequests = maxRequests
        self.readers = readers
    }
}

extension Duration {
    /// The duration in seconds, as SQLite and Foundation want it.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
