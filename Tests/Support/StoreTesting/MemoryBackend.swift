import Schema
public import Store
public import Wire

/// An in-memory store with the same semantics as `SQLiteBackend`, for tests of the store and of what uses it.
public actor MemoryBackend: StoreBackend {
    private struct Entry {
        var kv: KeyValue
        var deleted: Bool
        var bucket: String
        var previous: KeyValue?
        var bucketPrevRevision: Int64
    }

    /// History in revision order; compaction removes entries, so look up by binary search.
    private var log: [Entry] = []
    private var current: [String: KeyValue] = [:]
    private var revision: Int64 = 0
    private var compactRevision: Int64 = 0
    private var buckets: [String: Int64] = [:]
    private var requests: [String: WriteResult] = [:]
    private var closed = false

    /// Creates an empty store.
    public init() {}

    public func get(_ key: String, revision: Int64?) async throws(StoreError) -> (KeyValue?, Int64) {
        let at = try readRevision(revision)
        if at == self.revision { return (current[key], at) }
        guard let entry = log.last(where: { $0.kv.key == key && $0.kv.modRevision <= at }), !entry.deleted else {
            return (nil, at)
        }
        return (entry.kv, at)
    }

    public func range(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws(StoreError)
        -> RangeResult
    {
        let at = try readRevision(revision)
        var live: [String: KeyValue] = [:]
        if at == self.revision {
            live = current.filter { KeyOrder.hasPrefix($0.key, prefix) }
        } else {
            for entry in log where entry.kv.modRevision <= at && KeyOrder.hasPrefix(entry.kv.key, prefix) {
                live[entry.kv.key] = entry.deleted ? nil : entry.kv
            }
        }
        var kvs = live.values.sorted { KeyOrder.less($0.key, $1.key) }
        if let startAfter { kvs.removeAll { !KeyOrder.less(startAfter, $0.key) } }
        var more = false
        if let limit, limit > 0, kvs.count > limit {
            kvs.removeLast(kvs.count - limit)
            more = true
        }
        let bucketRevision: Int64
        if let bucket = KeyBucket.ofPrefix(prefix) {
            bucketRevision = log.last { $0.bucket == bucket && $0.kv.modRevision <= at }?.kv.modRevision ?? 0
        } else {
            bucketRevision = at
        }
        return RangeResult(kvs: kvs, revision: at, more: more, bucketRevision: bucketRevision)
    }

    public func write(_ request: WriteRequest) async throws(StoreError) -> WriteResult {
        if closed { throw .closed }
        if let error = WritePlan.validate(request) { throw error }
        if let id = request.requestID, let recorded = requests[id] { return recorded }
        let existing = current[request.key]
        let bucket = KeyBucket.of(request.key)
        let result: WriteResult
        switch WritePlan.make(request, current: existing, revision: revision + 1) {
        case .rejected:
            result = WriteResult(
                succeeded: false, revision: revision, kv: existing, previous: existing,
                bucketPrevRevision: buckets[bucket] ?? 0
            )
        case .apply(let kv, let deleted):
            revision += 1
            let bucketPrev = buckets[bucket] ?? 0
            buckets[bucket] = revision
            current[request.key] = deleted ? nil : kv
            log.append(
                Entry(kv: kv, deleted: deleted, bucket: bucket, previous: existing, bucketPrevRevision: bucketPrev)
            )
            result = WriteResult(
                succeeded: true, revision: revision, kv: kv, previous: existing, bucketPrevRevision: bucketPrev
            )
        }
        if let id = request.requestID { requests[id] = result }
        return result
    }

    public func changes(prefix: String, after revision: Int64, limit: Int?) async throws(StoreError)
        -> ChangesResult
    {
        if closed { throw .closed }
        if revision < compactRevision {
            throw .compacted(requested: revision, compactRevision: compactRevision)
        }
        if revision > self.revision { throw .futureRevision(requested: revision, current: self.revision) }
        let start = firstIndex(after: revision)
        var changes: [Change] = []
        var more = false
        for entry in log[start...] where KeyOrder.hasPrefix(entry.kv.key, prefix) {
            if let limit, limit > 0, changes.count == limit {
                more = true
                break
            }
            changes.append(
                Change(
                    type: entry.deleted ? .delete : .put, kv: entry.kv, previous: entry.previous,
                    bucketPrevRevision: entry.bucketPrevRevision
                )
            )
        }
        return ChangesResult(changes: changes, revision: self.revision, more: more)
    }

    public func compact(revision: Int64) async throws(StoreError) {
        if closed { throw .closed }
        if revision > self.revision { throw .futureRevision(requested: revision, current: self.revision) }
        guard revision > compactRevision else { return }
        // Keep each key's newest entry at or before `revision` if live, and each bucket's newest one.
        var newestOfKey: [String: Int64] = [:]
        var newestOfBucket: [String: Int64] = [:]
        for entry in log where entry.kv.modRevision <= revision {
            newestOfKey[entry.kv.key] = entry.deleted ? nil : entry.kv.modRevision
            newestOfBucket[entry.bucket] = entry.kv.modRevision
        }
        let keep = Set(newestOfKey.values).union(newestOfBucket.values)
        log.removeAll { $0.kv.modRevision < revision && !keep.contains($0.kv.modRevision) }
        compactRevision = revision
    }

    public func status() async throws(StoreError) -> StoreStatus {
        if closed { throw .closed }
        return StoreStatus(
            revision: revision, compactRevision: compactRevision, keys: current.count, dbSizeBytes: 0,
            backend: "memory", buckets: buckets
        )
    }

    public func close() async {
        closed = true
    }

    private func readRevision(_ requested: Int64?) throws(StoreError) -> Int64 {
        if closed { throw .closed }
        guard let requested else { return revision }
        if requested > revision { throw .futureRevision(requested: requested, current: revision) }
        if requested < compactRevision { throw .compacted(requested: requested, compactRevision: compactRevision) }
        return requested
    }

    /// Index of the first log entry with a revision above `revision`.
    private func firstIndex(after revision: Int64) -> Int {
        var low = 0
        var high = log.count
        while low < high {
            let mid = (low + high) / 2
            if log[mid].kv.modRevision <= revision { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
