import Schema

/// Messages of the `store` service (requests from the api, replies from the store), and the value types of
/// the store's MVCC model. The JSON shapes are documented in docs/protocol.md.

/// One key at one revision. `value` is a JSON document as text; the store never parses it.
public struct KeyValue: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64

    public init(key: String, value: String, createRevision: Int64, modRevision: Int64, version: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
    }
}

/// What must hold for a write to happen.
public enum WritePrecondition: Sendable, Hashable {
    /// Always write.
    case none
    /// The key must not exist (create).
    case absent
    /// The key's current modRevision must be this one (compare-and-swap).
    case modRevision(Int64)
}

/// Put a value or delete the key.
public enum WriteOperation: Sendable, Hashable {
    case put(value: String)
    case delete
}

/// One write. JSON: `{"key":..,"op":"put"|"delete","value":..,"expect":"none"|"absent"|"modRevision","modRevision":N,"requestID":..,
/// "prevKV":bool}`.
public struct WriteRequest: Sendable, Hashable, Codable {
    public var key: String
    public var operation: WriteOperation
    public var precondition: WritePrecondition
    /// A write retried with the same id returns the first write's result instead of writing again.
    public var requestID: String?
    /// Whether the reply carries the key's value from before the write (`WriteResult.previous`), as etcd's `prev_kv`.
    /// Off by default: the api never reads it, and for an update it is a whole object written and parsed again.
    public var prevKV: Bool

    public init(
        key: String, operation: WriteOperation, precondition: WritePrecondition = .none, requestID: String? = nil,
        prevKV: Bool = false
    ) {
        self.key = key
        self.operation = operation
        self.precondition = precondition
        self.requestID = requestID
        self.prevKV = prevKV
    }

    private enum CodingKeys: String, CodingKey { case key, op, value, expect, modRevision, requestID, prevKV }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        switch try c.decode(String.self, forKey: .op) {
        case "put": operation = .put(value: try c.decode(String.self, forKey: .value))
        case "delete": operation = .delete
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: c, debugDescription: "op must be \"put\" or \"delete\", not \"\(other)\"")
        }
        switch try c.decodeIfPresent(String.self, forKey: .expect) ?? "none" {
        case "none": precondition = .none
        case "absent": precondition = .absent
        case "modRevision": precondition = .modRevision(try c.decode(Int64.self, forKey: .modRevision))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .expect, in: c,
                debugDescription: "expect must be \"none\", \"absent\" or \"modRevision\", not \"\(other)\"")
        }
        requestID = try c.decodeIfPresent(String.self, forKey: .requestID)
        prevKV = try c.decodeIfPresent(Bool.self, forKey: .prevKV) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        switch operation {
        case .put(let value):
            try c.encode("put", forKey: .op)
            try c.encode(value, forKey: .value)
        case .delete:
            try c.encode("delete", forKey: .op)
        }
        switch precondition {
        case .none: try c.encode("none", forKey: .expect)
        case .absent: try c.encode("absent", forKey: .expect)
        case .modRevision(let r):
            try c.encode("modRevision", forKey: .expect)
            try c.encode(r, forKey: .modRevision)
        }
        try c.encodeIfPresent(requestID, forKey: .requestID)
        if prevKV { try c.encode(true, forKey: .prevKV) }
    }
}

/// The outcome of a write.
public struct WriteResult: Sendable, Hashable, Codable {
    /// False when the precondition failed; nothing was written.
    public var succeeded: Bool
    /// The write's revision, or the store's current revision when it failed.
    public var revision: Int64
    /// On success the new kv (put) or the deleted kv with modRevision = the delete's revision; on failure the current kv.
    public var kv: KeyValue?
    /// The kv before the write.
    public var previous: KeyValue?
    /// The revision of the previous change in the key's bucket (0: none).
    public var bucketPrevRevision: Int64

    public init(succeeded: Bool, revision: Int64, kv: KeyValue?, previous: KeyValue?, bucketPrevRevision: Int64) {
        self.succeeded = succeeded
        self.revision = revision
        self.kv = kv
        self.previous = previous
        self.bucketPrevRevision = bucketPrevRevision
    }
}

public enum ChangeType: String, Sendable, Codable {
    case put, delete
}

/// One committed change, as returned by `changes`.
public struct Change: Sendable, Hashable, Codable {
    public var type: ChangeType
    /// For a delete: the last value, with modRevision = the delete's revision and version 0.
    public var kv: KeyValue
    public var previous: KeyValue?
    public var bucketPrevRevision: Int64

    public init(type: ChangeType, kv: KeyValue, previous: KeyValue?, bucketPrevRevision: Int64) {
        self.type = type
        self.kv = kv
        self.previous = previous
        self.bucketPrevRevision = bucketPrevRevision
    }
}

public struct RangeResult: Sendable, Hashable, Codable {
    public var kvs: [KeyValue]
    /// The revision the range was read at.
    public var revision: Int64
    /// More keys follow (continue after the last key).
    public var more: Bool
    /// The latest change revision of the prefix's bucket as of `revision`.
    public var bucketRevision: Int64

    public init(kvs: [KeyValue], revision: Int64, more: Bool, bucketRevision: Int64) {
        self.kvs = kvs
        self.revision = revision
        self.more = more
        self.bucketRevision = bucketRevision
    }
}

public struct ChangesResult: Sendable, Hashable, Codable {
    public var changes: [Change]
    public var revision: Int64
    public var more: Bool

    public init(changes: [Change], revision: Int64, more: Bool) {
        self.changes = changes
        self.revision = revision
        self.more = more
    }
}

public struct StoreStatus: Sendable, Hashable, Codable {
    public var revision: Int64
    public var compactRevision: Int64
    public var keys: Int
    public var dbSizeBytes: Int64
    public var backend: String
    public var buckets: [String: Int64]

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

/// Request payloads of the store service; the envelope `type` names the operation.
public enum StoreRequest {
    /// `get`: one key, at a revision or current.
    public struct Get: Sendable, Codable, Hashable {
        public var key: String
        public var revision: Int64?
        public init(key: String, revision: Int64? = nil) {
            self.key = key
            self.revision = revision
        }
    }

    /// Reply to `get`.
    public struct GetResult: Sendable, Codable, Hashable {
        public var kv: KeyValue?
        public var revision: Int64
        public init(kv: KeyValue?, revision: Int64) {
            self.kv = kv
            self.revision = revision
        }
    }

    /// `range`: keys with a prefix, in key order.
    public struct Range: Sendable, Codable, Hashable {
        public var prefix: String
        public var revision: Int64?
        public var startAfter: String?
        public var limit: Int?
        public init(prefix: String, revision: Int64? = nil, startAfter: String? = nil, limit: Int? = nil) {
            self.prefix = prefix
            self.revision = revision
            self.startAfter = startAfter
            self.limit = limit
        }
    }

    /// `changes`: every change after a revision, for keys with a prefix.
    public struct Changes: Sendable, Codable, Hashable {
        public var prefix: String
        public var after: Int64
        public var limit: Int?
        public init(prefix: String, after: Int64, limit: Int? = nil) {
            self.prefix = prefix
            self.after = after
            self.limit = limit
        }
    }

    /// `writes`: several writes in one request, applied in order, each on its own (one failing does not undo the
    /// others), answered once every one is committed. A write without a `requestID` gets the request's bus id and its
    /// index (`ID/0`, `ID/1`, ...), so a retried batch is deduplicated write by write.
    public struct Writes: Sendable, Hashable {
        /// Most writes in one batch.
        public static let maxCount = 1024
        public var writes: [WriteRequest]
        public init(writes: [WriteRequest]) { self.writes = writes }
    }

    /// Reply to `writes`: one outcome per write, in the request's order.
    public struct WritesResult: Sendable, Hashable {
        public var results: [WriteOutcome]
        public init(results: [WriteOutcome]) { self.results = results }
    }

    /// One write of a batch: its result (`{"code": 200, "result": ...}`) or the error a single `write` would have
    /// been answered with (`{"code": 500, "reason": "InternalError", "message": ...}`).
    public enum WriteOutcome: Sendable, Hashable {
        case done(WriteResult)
        case failed(code: Int, reason: String, message: String)
    }

    /// `compact`: drop history before a revision.
    public struct Compact: Sendable, Codable, Hashable {
        public var revision: Int64
        public init(revision: Int64) { self.revision = revision }
    }
}

/// Where objects live in the store: `/registry/<Kind>/<namespace>/<name>`, with an empty namespace for
/// cluster-scoped kinds. The store derives watch-event topics from these keys.
public enum RegistryKey {
    public static let root = "/registry/"

    public static func key(kind: String, namespace: String?, name: String) -> String {
        "\(root)\(kind)/\(namespace ?? "")/\(name)"
    }

    /// The prefix of every object of a kind, optionally in one namespace.
    public static func prefix(kind: String, namespace: String? = nil) -> String {
        if let namespace { return "\(root)\(kind)/\(namespace)/" }
        return "\(root)\(kind)/"
    }

    /// The event topic of a key: `/registry/Pod/default/web` → `event/Pod/default/web`.
    public static func topic(forKey key: String) -> String? {
        guard key.hasPrefix(root) else { return nil }
        return "event/" + key.dropFirst(root.count)
    }

    /// Splits a registry key into kind, namespace (nil when empty) and name.
    public static func parse(_ key: String) -> (kind: String, namespace: String?, name: String)? {
        guard key.hasPrefix(root) else { return nil }
        let parts = key.dropFirst(root.count).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return (String(parts[0]), parts[1].isEmpty ? nil : String(parts[1]), String(parts[2]))
    }
}
