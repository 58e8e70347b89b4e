import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import StoreTesting
import Synchronization
import Testing
import Wire

/// A retry of a write that reaches the api while the first execution is still at the store waits for that
/// execution's reply: one write, the same answer to both.
@Suite(.timeLimit(.minutes(1)))
struct InFlightWriteTests {
    /// The store, with writes held for a while and counted.
    struct SlowWrites: StoreAccess {
        let inner: BackendStoreAccess
        let writes: Counted

        final class Counted: Sendable {
            let count = Mutex(0)
        }

        func get(_ key: String) async throws(StoreAccessError) -> StoreRequest.GetResult { try await inner.get(key) }
        func range(_ request: StoreRequest.Range) async throws(StoreAccessError) -> RangeResult {
            try await inner.range(request)
        }
        func changes(_ request: StoreRequest.Changes) async throws(StoreAccessError) -> ChangesResult {
            try await inner.changes(request)
        }
        func write(_ request: WriteRequest) async throws(StoreAccessError) -> WriteResult {
            if request.key.contains("/ConfigMap/") {
                writes.count.withLock { $0 += 1 }
                try? await Task.sleep(for: .milliseconds(200))
            }
            return try await inner.write(request)
        }
    }

    @Test func aRetryInFlightWaitsForTheFirstExecution() async throws {
        let writes = SlowWrites.Counted()
        let handler = APIHandler(
            store: SlowWrites(inner: BackendStoreAccess(backend: MemoryBackend()), writes: writes),
            logger: Logger(label: "test"))
        try await handler.bootstrap()
        let payload = JSONValue.object(["object": configMap("retried", namespace: "default")]).encoded()
        async let first = handler.handle(verb: "create", payload: payload, requestID: "same-id")
        try await Task.sleep(for: .milliseconds(50))
        async let second = handler.handle(verb: "create", payload: payload, requestID: "same-id")
        let (a, b) = await (first, second)
        #expect(a.code == 201 && b.code == 201)
        #expect(a.payload == b.payload)
        #expect(writes.count.withLock { $0 } == 1)
        // Another id is another request.
        let other = await handler.handle(verb: "create", payload: payload, requestID: "other-id")
        #expect(other.code == 409)
    }
}
