public import APIServer
import Schema
public import Store
public import Wire

/// `StoreAccess` straight over a `StoreBackend`, without the bus: objects handed out with their resourceVersion
/// spliced in, as the store service does.
public struct BackendStoreAccess: StoreAccess {
    public let backend: any StoreBackend
    /// Called after every successful write (the in-memory api pokes its change tailer here).
    let written: @Sendable () -> Void

    public init(backend: any StoreBackend, written: @escaping @Sendable () -> Void = {}) {
        self.backend = backend
        self.written = written
    }

    public func get(_ key: String) async throws(StoreAccessError) -> StoreRequest.GetResult {
        do {
            let (kv, revision) = try await backend.get(key, revision: nil)
            return StoreRequest.GetResult(kv: kv.map(ResourceVersionSplice.apply), revision: revision)
        } catch { throw map(error) }
    }

    public func range(_ request: StoreRequest.Range) async throws(StoreAccessError) -> RangeResult {
        do {
            var result = try await backend.range(
                prefix: request.prefix, revision: request.revision, startAfter: request.startAfter,
                limit: request.limit)
            result.kvs = result.kvs.map(ResourceVersionSplice.apply)
            return result
        } catch { throw map(error) }
    }

    public func write(_ request: WriteRequest) async throws(StoreAccessError) -> WriteResult {
        do {
            let result = try await backend.write(request)
            written()
            return StoreService.answer(result, to: request)
        } catch { throw map(error) }
    }

    public func changes(_ request: StoreRequest.Changes) async throws(StoreAccessError) -> ChangesResult {
        do {
            var result = try await backend.changes(prefix: request.prefix, after: request.after, limit: request.limit)
            result.changes = result.changes.map { change in
                var c = change
                c.kv = ResourceVersionSplice.apply(change.kv)
                return c
            }
            return result
        } catch { throw map(error) }
    }

    private func map(_ error: StoreError) -> StoreAccessError {
        if error.isCompacted { return .compacted(compactRevision: error.compactRevision) }
        return .failed(error.description)
    }
}
