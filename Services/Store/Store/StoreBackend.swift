import Schema

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
    /// Every change with revision > `revision` to keys starting with `prefix`, in revision order.
    func changes(prefix: String, after revision: Int64, limit: Int?) async throws(StoreError) -> ChangesResult
    /// Drops history older than `revision`; reads before it then fail with `compacted`.
    func compact(revision: Int64) async throws(StoreError)
    /// Revision, compaction, sizes and bucket revisions.
    func status() async throws(StoreError) -> StoreStatus
    /// Finishes pending writes and releases the store; later calls fail with `closed`.
    func close() async
}
