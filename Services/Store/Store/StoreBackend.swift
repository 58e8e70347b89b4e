import Schema
public import Wire

/// A multi-version key-value store with etcd's MVCC semantics.
///
/// One global revision counts successful writes densely from 0; every key remembers its create and modification
/// revisions and version; history is kept until compacted.
public protocol StoreBackend: Sendable {
    /// The key's value at `revision` (nil = current), and the revision read at.
    func get(_ key: String, revision: Int64?) async throws(StoreError) -> (KeyValue?, Int64)
    /// Keys starting with `prefix` that are live at `revision` (nil = current), in order, after `startAfter`.
    func range(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws(StoreError)
        -> RangeResult
    /// Applies one write atomically; concurrent writes are committed together.
    func write(_ request: WriteRequest) async throws(StoreError) -> WriteResult
    /// The same write, its result handed to `completion` (on whatever thread the backend finishes it) instead of a
    /// suspended task.
    func write(_ request: WriteRequest, completion: @escaping @Sendable (Result<WriteResult, StoreError>) -> Void)
    /// Every change with revision > `revision` to keys starting with `prefix`, in revision order.
    func changes(prefix: String, after revision: Int64, limit: Int?) async throws(StoreError) -> ChangesResult
    /// Drops history older than `revision`; reads before it then fail with `compacted`.
    func compact(revision: Int64) async throws(StoreError)
    /// Revision, compaction, sizes and bucket revisions.
    func status() async throws(StoreError) -> StoreStatus
    /// The last revision published as an event, as persisted; nil when the backend does not keep it.
    func publishedRevision() async -> Int64?
    /// Notes that every change up to `revision` was published.
    func recordPublished(_ revision: Int64) async
    /// Finishes pending writes and releases the store; later calls fail with `closed`.
    func close() async
    /// Has `observer` called after every commit, on the committing thread and in commit order, with what the commit
    /// wrote; returns false when the backend does not (its changes are then only read with `changes`).
    /// One observer per backend; a second call replaces the first.
    func observeCommits(_ observer: @escaping CommitObserver) -> Bool
}

/// Told of each commit: called on the backend's writer, so it must not wait.
public typealias CommitObserver = @Sendable (CommittedChanges) -> Void

/// What one commit wrote: every successful write, in revision order.
public struct CommittedChanges: Sendable {
    /// The store's revision before the commit; the changes have revisions `after + 1 ... revision`.
    public var after: Int64
    /// The store's revision after the commit.
    public var revision: Int64
    /// The changes in revision order (`kv` as stored, without resourceVersion spliced, and no `previous`: watch events
    /// carry the new object only); nil when the backend could not hand them over (they are then read back from the
    /// log).
    public var changes: [Change]?

    public init(after: Int64, revision: Int64, changes: [Change]?) {
        self.after = after
        self.revision = revision
        self.changes = changes
    }
}

extension StoreBackend {
    /// The last revision whose change the store published as an event, as persisted; nil when the backend does not
    /// keep it (publishing then starts at the current revision).
    public func publishedRevision() async -> Int64? { nil }
    /// Notes that every change up to `revision` was published; a backend may persist it lazily.
    public func recordPublished(_ revision: Int64) async {}
    /// The write in a task of its own, for backends that only have the async form.
    public func write(
        _ request: WriteRequest, completion: @escaping @Sendable (Result<WriteResult, StoreError>) -> Void
    ) {
        Task {
            do throws(StoreError) {
                completion(.success(try await write(request)))
            } catch {
                completion(.failure(error))
            }
        }
    }
    /// Commits are not observed: the change tailer reads them from the log.
    public func observeCommits(_ observer: @escaping CommitObserver) -> Bool { false }
}
