// Schema (one SQLite file in WAL mode, plus its -wal and -shm):
//
//   log(rev INTEGER PRIMARY KEY, key TEXT, bucket TEXT, create_rev INTEGER, version INTEGER, deleted INTEGER,
//       value TEXT, prev_rev INTEGER, bucket_prev INTEGER)
//       One row per successful write; rev is the rowid. A delete row (a tombstone) has version 0 and an empty value;
//       the last value is read from its prev_rev row, which compaction keeps while the tombstone is visible.
//       prev_rev is the key's previous live row (nil after a create); bucket_prev the previous change in the bucket.
//       Indexes (key, rev) for history per key and (bucket, rev) for bucket revisions.
//   current(key TEXT PRIMARY KEY, rev INTEGER) WITHOUT ROWID
//       The live row of every live key, for current reads and ranges.
//   meta(name TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID
//       schema_version, compact_rev, published_rev (the last revision the store published as an event).
//   requests(seq INTEGER PRIMARY KEY, id_hash INTEGER, id_check INTEGER, at INTEGER, succeeded INTEGER,
//            revision INTEGER, bucket_prev INTEGER, kv_rev INTEGER, prev_rev INTEGER), index on id_hash
//       What answers a retried write that carried a request ID: revisions only (the values are read back from the
//       log), under two independent 64-bit hashes of the ID instead of the ID (a row is about 70 bytes with its
//       index, a third of a row keyed by the text); trimmed oldest first by age (`at`, seconds) and count.
//
// The file uses auto_vacuum = INCREMENTAL: pages freed by compaction are returned to the file system after it.
//
// The store revision is MAX(log.rev) and bucket revisions are MAX(rev) per bucket: compaction always keeps the
// newest row and each bucket's newest row, so both survive it and are recomputed on open.
import Foundation
import GRDB
import Schema
import Synchronization
public import Wire

/// The durable store: SQLite in WAL mode, group commit on one writer, reads on a pool of connections.
public final class SQLiteBackend: StoreBackend {
    /// The database file.
    public let path: String
    private let configuration: SQLiteBackendConfiguration
    private let pool: DatabasePool
    private let queue: Mutex<WriteQueue>
    /// Touched only on the pool's serial writer queue.
    private let writer: WriterState
    /// What `status()` reports without a query; updated after each commit.
    private let published: Mutex<Published>
    /// The last published revision: as loaded at open, as wanted by the publisher, and as persisted.
    private let publishMark: Mutex<PublishMark>
    /// Told of each commit's changes, on the writer.
    private let commitObserver = Mutex<CommitObserverBox?>(nil)

    /// The observer in a struct: a function kept directly in a `Mutex` is reabstracted on every `inout` access and
    /// written back wrapped in two more thunks, until calling it overflows the stack (see `CacheLookup`).
    private struct CommitObserverBox {
        let observe: CommitObserver
    }

    private struct PublishMark {
        var loaded: Int64
        var wanted: Int64
        var persisted: Int64
        var lastFlush: Double = 0
    }

    /// What the requests table keeps for a write with a request ID: enough to rebuild its `WriteResult` from the log.
    struct RequestRecord {
        var succeeded: Bool
        var revision: Int64
        var bucketPrevRevision: Int64
        /// The row of the result's `kv` (the written row, or the current one of a rejected write).
        var kvRev: Int64?
        var previousRev: Int64?
    }

    private struct PendingWrite {
        var request: WriteRequest
        /// Called on the writer queue once the write's batch is committed (or failed).
        var completion: @Sendable (Result<WriteResult, StoreError>) -> Void
    }

    private struct WriteQueue {
        var pending: [PendingWrite] = []
        var draining = false
        var closed = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private struct Published {
        var revision: Int64
        var compactRevision: Int64
        var buckets: [String: Int64]
    }

    private final class WriterState: @unchecked Sendable {
        var revision: Int64
        var compactRevision: Int64
        var buckets: [String: Int64]
        var lastAutoCompact: Int64
        var requestsSinceTrim = 0
        /// (time, revision) samples for compaction by age, oldest first.
        var samples: [(time: Double, revision: Int64)] = []
        var lastMaintenance: Double = 0

        init(revision: Int64, compactRevision: Int64, buckets: [String: Int64]) {
            self.revision = revision
            self.compactRevision = compactRevision
            self.buckets = buckets
            self.lastAutoCompact = revision
        }
    }

    private static let schema = """
        CREATE TABLE IF NOT EXISTS log (
            rev INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            bucket TEXT NOT NULL,
            create_rev INTEGER NOT NULL,
            version INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            value TEXT NOT NULL,
            prev_rev INTEGER,
            bucket_prev INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS log_key_rev ON log(key, rev);
        CREATE INDEX IF NOT EXISTS log_bucket_rev ON log(bucket, rev);
        CREATE TABLE IF NOT EXISTS current (key TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta(name, value) VALUES ('schema_version', 1), ('compact_rev', 0);
        """

    /// The request table. One from before it was keyed by hashes (`id TEXT`, a JSON `result`) is dropped on open:
    /// it only answers retries in flight, and a store being upgraded has none.
    private static let requestsSchema = """
        CREATE TABLE IF NOT EXISTS requests (
            seq INTEGER PRIMARY KEY,
            id_hash INTEGER NOT NULL,
            id_check INTEGER NOT NULL,
            at INTEGER NOT NULL,
            succeeded INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            bucket_prev INTEGER NOT NULL,
            kv_rev INTEGER,
            prev_rev INTEGER
        );
        CREATE INDEX IF NOT EXISTS requests_id ON requests(id_hash);
        """

    private static let currentKVSQL = """
        SELECT l.rev, l.key, l.create_rev, l.version, l.value FROM current c JOIN log l ON l.rev = c.rev \
        WHERE c.key = ?
        """

    /// Opens or creates the store at `path`, recovering from the write-ahead log and checking integrity.
    ///
    /// Throws `corrupted`, naming the path, for a file that is not a SQLite database or fails `quick_check`.
    public init(path: String, configuration: SQLiteBackendConfiguration = .init()) throws(StoreError) {
        self.path = path
        self.configuration = configuration
        try Self.checkHeader(path)
        var config = Configuration()
        config.busyMode = .timeout(configuration.busyTimeout.seconds)
        config.maximumReaderCount = max(1, configuration.readers)
        let synchronous = configuration.synchronous.rawValue
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        let pool: DatabasePool
        let loaded: (revision: Int64, compactRevision: Int64, buckets: [String: Int64], published: Int64)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            loaded = try pool.writeWithoutTransaction { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw StoreError.corrupted(
                        "store file \(path) failed its integrity check: \(check.prefix(3).joined(separator: "; "))"
                    )
                }
                let fresh = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0
                if fresh { try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
                try db.execute(sql: Self.schema)
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pragma_table_info('requests') WHERE name = 'result'")
                    ?? 0 > 0
                {
                    try db.execute(sql: "DROP INDEX IF EXISTS requests_at; DROP TABLE requests")
                }
                try db.execute(sql: Self.requestsSchema)
                if try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2 {
                    // A file created before incremental vacuum: VACUUM once to switch it (rewrites the file).
                    try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                    try db.execute(sql: "VACUUM")
                }
                let version = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'schema_version'")
                guard version == 1 else {
                    throw StoreError.corrupted(
                        "store file \(path) has schema version \(version ?? 0); this store reads version 1"
                    )
                }
                let revision = try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(rev), 0) FROM log") ?? 0
                let compact = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'compact_rev'") ?? 0
                // A file from before published_rev was kept starts publishing at its current revision, as it did.
                try db.execute(
                    sql: "INSERT OR IGNORE INTO meta(name, value) VALUES ('published_rev', ?)", arguments: [revision]
                )
                let publishedRev = min(
                    revision,
                    try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'published_rev'") ?? revision
                )
                var buckets: [String: Int64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT bucket, MAX(rev) FROM log GROUP BY bucket") {
                    buckets[row[0]] = row[1]
                }
                return (revision, compact, buckets, publishedRev)
            }
        } catch {
            throw Self.storeError(error, path: path, opening: true)
        }
        self.pool = pool
        self.queue = Mutex(WriteQueue())
        self.writer = WriterState(
            revision: loaded.revision, compactRevision: loaded.compactRevision, buckets: loaded.buckets
        )
        self.published = Mutex(
            Published(revision: loaded.revision, compactRevision: loaded.compactRevision, buckets: loaded.buckets)
        )
        self.publishMark = Mutex(
            PublishMark(loaded: loaded.published, wanted: loaded.published, persisted: loaded.published)
        )
    }

    // MARK: Reads

    public func get(_ key: String, revision: Int64?) async throws(StoreError) -> (KeyValue?, Int64) {
        try await read { db in
            let at = try Self.readRevision(revision, db)
            if at.isCurrent {
                let row = try Row.fetchOne(db.cachedStatement(sql: Self.currentKVSQL), arguments: [key])
                return (row.map(Self.keyValue), at.revision)
            }
            let statement = try db.cachedStatement(
                sql: """
                    SELECT rev, key, create_rev, version, value, deleted FROM log WHERE key = ? AND rev <= ? \
                    ORDER BY rev DESC LIMIT 1
                    """
            )
            guard let row = try Row.fetchOne(statement, arguments: [key, at.revision]), row[5] as Int64 == 0 else {
                return (nil, at.revision)
            }
            return (Self.keyValue(row), at.revision)
        }
    }

    public func range(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws(StoreError)
        -> RangeResult
    {
        let maxPageBytes = max(1, configuration.maxPageBytes)
        return try await read { db in
            let at = try Self.readRevision(revision, db)
            var conditions = ["key >= ?"]
            var arguments: StatementArguments = [prefix]
            if let startAfter {
                conditions.append("key > ?")
                arguments += [startAfter]
            }
            if let upper = KeyOrder.upperBound(ofPrefix: prefix) {
                conditions.append("key < ?")
                arguments += [upper]
            }
            let pageSize = limit.flatMap { $0 > 0 ? $0 : nil }
            let sql: String
            if at.isCurrent {
                let filter = conditions.map { "c." + $0 }.joined(separator: " AND ")
                sql = """
                    SELECT l.rev, l.key, l.create_rev, l.version, l.value FROM current c JOIN log l ON l.rev = c.rev \
                    WHERE \(filter) ORDER BY c.key LIMIT ?
                    """
            } else {
                let filter = conditions.joined(separator: " AND ")
                sql = """
                    SELECT l.rev, l.key, l.create_rev, l.version, l.value \
                    FROM (SELECT MAX(rev) AS r FROM log WHERE \(filter) AND rev <= ? GROUP BY key) m \
                    JOIN log l ON l.rev = m.r WHERE l.deleted = 0 ORDER BY l.key LIMIT ?
                    """
                arguments += [at.revision]
            }
            arguments += [pageSize.map { $0 + 1 } ?? -1]
            var kvs: [KeyValue] = []
            var more = false
            var bytes = 0
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try rows.next() {
                let kv = Self.keyValue(row)
                let size = kv.value.utf8.count + kv.key.utf8.count
                if kvs.count == pageSize || (!kvs.isEmpty && bytes + size > maxPageBytes) {
                    more = true
                    break
                }
                bytes += size
                kvs.append(kv)
            }
            var bucketRevision = at.revision
            if let bucket = KeyBucket.ofPrefix(prefix) {
                let statement = try db.cachedStatement(
                    sql: "SELECT IFNULL(MAX(rev), 0) FROM log WHERE bucket = ? AND rev <= ?"
                )
                bucketRevision = try Int64.fetchOne(statement, arguments: [bucket, at.revision]) ?? 0
            }
            return RangeResult(kvs: kvs, revision: at.revision, more: more, bucketRevision: bucketRevision)
        }
    }

    public func changes(prefix: String, after revision: Int64, limit: Int?) async throws(StoreError)
        -> ChangesResult
    {
        let maxPageBytes = max(1, configuration.maxPageBytes)
        return try await read { db in
            let at = try Self.readRevision(nil, db)
            if revision < at.compactRevision {
                throw StoreError.compacted(requested: revision, compactRevision: at.compactRevision)
            }
            if revision > at.revision { throw StoreError.futureRevision(requested: revision, current: at.revision) }
            // Scan in revision order: by bucket when the prefix names one, else the whole log after `revision`
            // (the unary + keeps SQLite from scanning the key index instead).
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let bucket = KeyBucket.ofPrefix(prefix) {
                conditions.append("l.bucket = ?")
                arguments += [bucket]
            }
            conditions.append("l.rev > ?")
            arguments += [revision]
            if !prefix.isEmpty {
                conditions.append("+l.key >= ?")
                arguments += [prefix]
                if let upper = KeyOrder.upperBound(ofPrefix: prefix) {
                    conditions.append("+l.key < ?")
                    arguments += [upper]
                }
            }
            let pageSize = limit.flatMap { $0 > 0 ? $0 : nil }
            arguments += [pageSize.map { $0 + 1 } ?? -1]
            let sql = """
                SELECT l.rev, l.key, l.create_rev, l.version, \
                CASE WHEN l.deleted = 1 AND l.value = '' THEN IFNULL(p.value, '') ELSE l.value END, \
                l.deleted, l.bucket_prev, p.rev, p.create_rev, p.version, p.value \
                FROM log l LEFT JOIN log p ON p.rev = l.prev_rev \
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY l.rev LIMIT ?
                """
            var changes: [Change] = []
            var more = false
            var bytes = 0
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try rows.next() {
                let kv = Self.keyValue(row)
                let size = kv.value.utf8.count + ((row[10] as String?)?.utf8.count ?? 0)
                if changes.count == pageSize || (!changes.isEmpty && bytes + size > maxPageBytes) {
                    more = true
                    break
                }
                bytes += size
                var previous: KeyValue?
                if !row.hasNull(atIndex: 7) {
                    previous = KeyValue(
                        key: kv.key, value: row[10], createRevision: row[8], modRevision: row[7], version: row[9]
                    )
                }
                let deleted: Int64 = row[5]
                changes.append(
                    Change(
                        type: deleted != 0 ? .delete : .put, kv: kv, previous: previous, bucketPrevRevision: row[6]
                    )
                )
            }
            return ChangesResult(changes: changes, revision: at.revision, more: more)
        }
    }

    public func status() async throws(StoreError) -> StoreStatus {
        let snapshot = published.withLock { $0 }
        let keys = try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM current") ?? 0 }
        var size: Int64 = 0
        for file in [path, path + "-wal"] {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                let bytes = attributes[.size] as? NSNumber
            {
                size += bytes.int64Value
            }
        }
        return StoreStatus(
            revision: snapshot.revision, compactRevision: snapshot.compactRevision, keys: keys, dbSizeBytes: size,
            backend: "sqlite", buckets: snapshot.buckets
        )
    }

    private struct ReadRevision {
        var revision: Int64
        var compactRevision: Int64
        var isCurrent: Bool
    }

    /// The revision a read inside `db`'s snapshot works at, checked against the current and compact revisions.
    private static func readRevision(_ requested: Int64?, _ db: Database) throws -> ReadRevision {
        let statement = try db.cachedStatement(
            sql: """
                SELECT IFNULL((SELECT MAX(rev) FROM log), 0), \
                IFNULL((SELECT value FROM meta WHERE name = 'compact_rev'), 0)
                """
        )
        guard let row = try Row.fetchOne(statement) else { throw StoreError.io("cannot read the store revision") }
        let current: Int64 = row[0]
        let compact: Int64 = row[1]
        guard let requested else { return ReadRevision(revision: current, compactRevision: compact, isCurrent: true) }
        if requested > current { throw StoreError.futureRevision(requested: requested, current: current) }
        if requested < compact { throw StoreError.compacted(requested: requested, compactRevision: compact) }
        return ReadRevision(revision: requested, compactRevision: compact, isCurrent: requested == current)
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        if queue.withLock({ $0.closed }) { throw .closed }
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storeError(error, path: path, opening: false)
        }
    }

    /// Decodes columns rev, key, create_rev, version, value.
    private static func keyValue(_ row: Row) -> KeyValue {
        KeyValue(key: row[1], value: row[4], createRevision: row[2], modRevision: row[0], version: row[3])
    }

    // MARK: Writes

    public func write(_ request: WriteRequest) async throws(StoreError) -> WriteResult {
        let result = await withCheckedContinuation { continuation in
            write(request) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// The write without a task: `completion` runs on the writer queue right after the batch's commit, so a caller
    /// that answers from there (the store's worker) saves the hand-off to a task and back.
    public func write(
        _ request: WriteRequest, completion: @escaping @Sendable (Result<WriteResult, StoreError>) -> Void
    ) {
        if let error = WritePlan.validate(request) { return completion(.failure(error)) }
        let pending = PendingWrite(request: request, completion: completion)
        let start: Bool? = queue.withLock { queue in
            if queue.closed { return nil }
            queue.pending.append(pending)
            if queue.draining { return false }
            queue.draining = true
            return true
        }
        switch start {
        case nil: completion(.failure(.closed))
        case true?: pool.asyncWriteWithoutTransaction { db in self.drain(db) }
        case false?: break
        }
    }

    /// Group commit: on the writer queue, commit everything pending in one transaction, resume the callers, repeat.
    private func drain(_ db: Database) {
        let maxBatch = max(1, configuration.maxBatch)
        while true {
            let (batch, waiters) = queue.withLock { queue -> ([PendingWrite], [CheckedContinuation<Void, Never>]) in
                if queue.pending.isEmpty {
                    queue.draining = false
                    defer { queue.closeWaiters = [] }
                    return ([], queue.closeWaiters)
                }
                if queue.pending.count <= maxBatch {
                    defer { queue.pending = [] }
                    return (queue.pending, [])
                }
                let batch = Array(queue.pending.prefix(maxBatch))
                queue.pending.removeFirst(maxBatch)
                return (batch, [])
            }
            if batch.isEmpty {
                for waiter in waiters { waiter.resume() }
                return
            }
            let (results, committed) = commit(batch, db)
            for (pending, result) in zip(batch, results) {
                pending.completion(result)
            }
            if let committed, let observer = commitObserver.withLock({ $0 }) { observer.observe(committed) }
            autoCompact(db)
        }
    }

    /// Commits `batch` in one transaction: each write's result, and what the commit wrote (nil when nothing).
    private func commit(_ batch: [PendingWrite], _ db: Database)
        -> ([Result<WriteResult, StoreError>], CommittedChanges?)
    {
        var results: [Result<WriteResult, StoreError>] = []
        results.reserveCapacity(batch.count)
        var changes: [Change] = []
        let before = writer.revision
        var revision = before
        var touched: [String: Int64] = [:]
        let now = Date().timeIntervalSince1970
        let mark = publishMark.withLock { $0.wanted > $0.persisted ? $0.wanted : nil }
        do {
            try db.inTransaction(.immediate) {
                for pending in batch {
                    results.append(.success(try apply(pending.request, db, &revision, &touched, &changes, now)))
                }
                if let mark { try Self.persistPublished(mark, db) }
                if writer.requestsSinceTrim >= 1000 {
                    try trimRequests(db, now: now)
                }
                return .commit
            }
        } catch {
            let failure = Self.storeError(error, path: path, opening: false)
            writer.requestsSinceTrim = 0
            return (batch.map { _ in .failure(failure) }, nil)
        }
        if let mark { publishMark.withLock { $0.persisted = max($0.persisted, mark) } }
        writer.revision = revision
        writer.buckets.merge(touched) { _, new in new }
        if !touched.isEmpty {
            published.withLock { published in
                published.revision = revision
                published.buckets.merge(touched) { _, new in new }
            }
        }
        return (results, changes.isEmpty ? nil : CommittedChanges(after: before, revision: revision, changes: changes))
    }

    private func apply(
        _ request: WriteRequest, _ db: Database, _ revision: inout Int64, _ touched: inout [String: Int64],
        _ changes: inout [Change], _ now: Double
    ) throws -> WriteResult {
        let hashes = request.requestID.map(RequestIDHash.init)
        if let hashes {
            let lookup = try db.cachedStatement(
                sql: """
                    SELECT succeeded, revision, bucket_prev, kv_rev, prev_rev FROM requests                     WHERE id_hash = ? AND id_check = ? ORDER BY seq DESC LIMIT 1
                    """
            )
            if let row = try Row.fetchOne(lookup, arguments: [hashes.hash, hashes.check]) {
                let record = RequestRecord(
                    succeeded: row[0] as Int64 != 0, revision: row[1], bucketPrevRevision: row[2], kvRev: row[3],
                    previousRev: row[4]
                )
                return try rebuild(record, key: request.key, db)
            }
        }
        let current = try Row.fetchOne(db.cachedStatement(sql: Self.currentKVSQL), arguments: [request.key])
            .map(Self.keyValue)
        let bucket = KeyBucket.of(request.key)
        let bucketPrev = touched[bucket] ?? writer.buckets[bucket] ?? 0
        let result: WriteResult
        switch WritePlan.make(request, current: current, revision: revision + 1) {
        case .rejected:
            result = WriteResult(
                succeeded: false, revision: revision, kv: current, previous: current, bucketPrevRevision: bucketPrev
            )
        case .apply(let kv, let deleted):
            revision += 1
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO log(rev, key, bucket, create_rev, version, deleted, value, prev_rev, bucket_prev) \
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            try insert.execute(arguments: [
                revision, kv.key, bucket, kv.createRevision, kv.version, deleted ? 1 : 0, deleted ? "" : kv.value,
                current?.modRevision, bucketPrev,
            ])
            if deleted {
                try db.cachedStatement(sql: "DELETE FROM current WHERE key = ?").execute(arguments: [kv.key])
            } else {
                let upsert = try db.cachedStatement(
                    sql: "INSERT INTO current(key, rev) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET rev = excluded.rev"
                )
                try upsert.execute(arguments: [kv.key, revision])
            }
            touched[bucket] = revision
            changes.append(
                Change(type: deleted ? .delete : .put, kv: kv, previous: nil, bucketPrevRevision: bucketPrev))
            result = WriteResult(
                succeeded: true, revision: revision, kv: kv, previous: current, bucketPrevRevision: bucketPrev
            )
        }
        // An ID longer than `maxRequestIDBytes` is not remembered, so the table stays bounded in bytes by its count.
        if let id = request.requestID, let hashes, id.utf8.count <= Self.maxRequestIDBytes {
            let record = try db.cachedStatement(
                sql: """
                    INSERT INTO requests(id_hash, id_check, at, succeeded, revision, bucket_prev, kv_rev, prev_rev)                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            try record.execute(arguments: [
                hashes.hash, hashes.check, Int64(now), result.succeeded ? 1 : 0, result.revision,
                result.bucketPrevRevision, result.kv?.modRevision, result.previous?.modRevision,
            ])
            writer.requestsSinceTrim += 1
        }
        return result
    }

    /// The result a recorded write answered, read back from the log; a row compacted away since reads as nil.
    private func rebuild(_ record: RequestRecord, key: String, _ db: Database) throws -> WriteResult {
        func row(_ rev: Int64?) throws -> KeyValue? {
            guard let rev else { return nil }
            let statement = try db.cachedStatement(
                sql: """
                    SELECT l.rev, l.key, l.create_rev, l.version, \
                    CASE WHEN l.deleted = 1 AND l.value = '' THEN IFNULL(p.value, '') ELSE l.value END \
                    FROM log l LEFT JOIN log p ON p.rev = l.prev_rev WHERE l.rev = ? AND l.key = ?
                    """
            )
            return try Row.fetchOne(statement, arguments: [rev, key]).map(Self.keyValue)
        }
        return WriteResult(
            succeeded: record.succeeded, revision: record.revision, kv: try row(record.kvRev),
            previous: try row(record.previousRev), bucketPrevRevision: record.bucketPrevRevision
        )
    }

    /// Seals every stored value under the sealer's key prefixes again with its first key (values sealed with any of
    /// its keys, or not sealed yet), history and tombstones' rows included, in one transaction; then wipes what the
    /// old values leave behind (`secure_delete`, incremental vacuum, WAL truncation). Returns the rows sealed.
    /// The store must not be running on the file.
    public static func reseal(path: String, sealer: SecretSealer) throws(StoreError) -> Int {
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            let count = try queue.inDatabase { db -> Int in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                var count = 0
                try db.inTransaction {
                    for prefix in SecretSealer.sealedKeyPrefixes {
                        var arguments: StatementArguments = [prefix]
                        var bound = "key >= ?"
                        if let upper = KeyOrder.upperBound(ofPrefix: prefix) {
                            bound += " AND key < ?"
                            arguments += [upper]
                        }
                        let rows = try Row.fetchAll(
                            db, sql: "SELECT rev, key, value FROM log WHERE \(bound) AND value != ''",
                            arguments: arguments)
                        for row in rows {
                            let key: String = row[1]
                            let plain = try sealer.open(row[2], key: key)
                            try db.execute(
                                sql: "UPDATE log SET value = ? WHERE rev = ?",
                                arguments: [try sealer.seal(plain, key: key), row[0] as Int64])
                            count += 1
                        }
                    }
                    return .commit
                }
                try db.execute(sql: "PRAGMA incremental_vacuum")
                return count
            }
            try queue.writeWithoutTransaction { db in
                _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            return count
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path, opening: true)
        }
    }

    /// The longest request ID remembered for retries.
    static let maxRequestIDBytes = 128

    private func trimRequests(_ db: Database, now: Double) throws {
        // Rows go in oldest first (seq), so the old ones are at the start: look at no more than 5,000 of them.
        try db.execute(
            sql: "DELETE FROM requests WHERE seq IN (SELECT seq FROM requests ORDER BY seq LIMIT 5000) AND at < ?",
            arguments: [Int64(now - configuration.requestRetention.seconds)]
        )
        try db.execute(
            sql: "DELETE FROM requests WHERE seq <= (SELECT MAX(seq) FROM requests) - ?",
            arguments: [configuration.maxRequests]
        )
        writer.requestsSinceTrim = 0
    }

    // MARK: Compaction

    public func compact(revision: Int64) async throws(StoreError) {
        if queue.withLock({ $0.closed }) { throw .closed }
        do {
            try await pool.writeWithoutTransaction { db in
                try self.compact(db, to: revision)
                try self.reclaim(db)
            }
        } catch {
            throw Self.storeError(error, path: path, opening: false)
        }
    }

    /// Removes history before `target`, keeping each key's newest live row and each bucket's newest row.
    private func compact(_ db: Database, to target: Int64) throws {
        if target > writer.revision { throw StoreError.futureRevision(requested: target, current: writer.revision) }
        guard target > writer.compactRevision else { return }
        try db.inTransaction(.immediate) {
            try db.execute(
                sql: """
                    DELETE FROM log WHERE rev < ?1 \
                    AND rev NOT IN (SELECT MAX(rev) FROM log WHERE rev <= ?1 GROUP BY bucket) \
                    AND (deleted = 1 OR EXISTS (SELECT 1 FROM log n WHERE n.key = log.key AND n.rev > log.rev \
                    AND n.rev <= ?1))
                    """,
                arguments: [target]
            )
            try db.execute(sql: "UPDATE meta SET value = ? WHERE name = 'compact_rev'", arguments: [target])
            return .commit
        }
        writer.compactRevision = target
        published.withLock { $0.compactRevision = target }
    }

    /// Returns free pages to the file system and truncates the WAL; run after compaction.
    private func reclaim(_ db: Database) throws {
        try db.execute(sql: "PRAGMA incremental_vacuum")
        _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Compaction by revision count, age and file size, and WAL checkpoints; runs after each group commit at most
    /// once per `autoCompactInterval` revisions or once a second.
    private func autoCompact(_ db: Database) {
        let now = Date().timeIntervalSince1970
        let interval = max(1, configuration.autoCompactInterval)
        guard writer.revision - writer.lastAutoCompact >= interval || now - writer.lastMaintenance >= 1 else { return }
        writer.lastAutoCompact = writer.revision
        writer.lastMaintenance = now
        var target: Int64 = 0
        if let retain = configuration.autoCompactRetain, retain >= 0 {
            target = max(target, writer.revision - retain)
        }
        if let maxAge = configuration.autoCompactMaxAge {
            if writer.samples.last.map({ now - $0.time >= 1 }) ?? true {
                writer.samples.append((now, writer.revision))
            }
            // Everything up to a sample's revision was written before the sample was taken.
            let cutoff = now - maxAge.seconds
            if let index = writer.samples.lastIndex(where: { $0.time <= cutoff }) {
                target = max(target, writer.samples[index].revision)
                writer.samples.removeFirst(index)
            }
        }
        let dbBytes = Self.fileSize(path)
        let walBytes = Self.fileSize(path + "-wal")
        if let limit = configuration.autoCompactAboveBytes, dbBytes + walBytes > limit {
            // Keep the last interval's history, so that watchers close behind need not relist.
            target = max(target, writer.revision - interval)
        }
        // A failed automatic compaction is retried at the next interval; writes are unaffected.
        if target > writer.compactRevision, (try? compact(db, to: target)) != nil {
            try? reclaim(db)
        } else if walBytes > configuration.walCheckpointBytes {
            _ = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    // MARK: Published revision

    public func observeCommits(_ observer: @escaping CommitObserver) -> Bool {
        commitObserver.withLock { $0 = CommitObserverBox(observe: observer) }
        return true
    }

    public func publishedRevision() async -> Int64? {
        publishMark.withLock { $0.loaded }
    }

    /// Persists `revision` with the next group commit, or at once when none came for 200 ms.
    public func recordPublished(_ revision: Int64) async {
        let now = Date().timeIntervalSince1970
        let due = publishMark.withLock { mark -> Int64? in
            mark.wanted = max(mark.wanted, revision)
            guard mark.wanted > mark.persisted, now - mark.lastFlush >= 0.2 else { return nil }
            mark.lastFlush = now
            return mark.wanted
        }
        guard let due, !queue.withLock({ $0.closed }) else { return }
        do {
            try await pool.write { db in try Self.persistPublished(due, db) }
            publishMark.withLock { $0.persisted = max($0.persisted, due) }
        } catch {
            // Retried at the next call; a restart republishes at most what was published since.
        }
    }

    private static func persistPublished(_ revision: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE meta SET value = MAX(value, ?) WHERE name = 'published_rev'")
            .execute(arguments: [revision])
    }

    /// The integer `sql` answers, read on a reader connection; for tests that look at the file's tables.
    func scalar(_ sql: String) async throws(StoreError) -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: sql) ?? 0 }
    }

    // MARK: Lifecycle

    public func close() async {
        let (first, mustWait) = queue.withLock { queue in
            let first = !queue.closed
            queue.closed = true
            return (first, queue.draining)
        }
        if mustWait {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = queue.withLock { queue in
                    guard queue.draining else { return true }
                    queue.closeWaiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        if first {
            // What was published since the last flush (recordPublished writes at most every 200 ms, else with the
            // next group commit, and none comes now): persisted, so a restart does not publish it again.
            if let due = publishMark.withLock({ $0.wanted > $0.persisted ? $0.wanted : nil }),
                (try? await pool.write({ db in try Self.persistPublished(due, db) })) != nil
            {
                publishMark.withLock { $0.persisted = max($0.persisted, due) }
            }
            try? pool.close()
        }
    }

    // MARK: Errors

    private static func checkHeader(_ path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if !header.isEmpty && header != Data("SQLite format 3\0".utf8) {
            throw .corrupted(
                "store file \(path) is not a SQLite database; move it away or point the store at another path"
            )
        }
    }

    private static func storeError(_ error: any Error, path: String, opening: Bool) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return .corrupted("store file \(path) is corrupted; restore it from a backup", cause: error)
            default:
                return .io(opening ? "cannot open store file \(path)" : "store file \(path): I/O failed", cause: error)
            }
        }
        return .io(opening ? "cannot open store file \(path)" : "store file \(path): I/O failed", cause: error)
    }
}

/// Two independent 64-bit FNV-1a hashes of a request ID (forward and backward): what the request table keys by.
/// A retry is taken for the first write only when both match (one chance in 2^128 of a false match).
struct RequestIDHash: Equatable {
    let hash: Int64
    let check: Int64

    init(_ id: String) {
        var forward: UInt64 = 0xcbf2_9ce4_8422_2325
        var backward: UInt64 = 0x8422_2325_cbf2_9ce4
        let bytes = Array(id.utf8)
        for (b, r) in zip(bytes, bytes.reversed()) {
            forward = (forward ^ UInt64(b)) &* 0x0000_0100_0000_01b3
            backward = (backward ^ UInt64(r)) &* 0x0000_0100_0000_01b3
        }
        hash = Int64(bitPattern: forward)
        check = Int64(bitPattern: backward)
    }
}
