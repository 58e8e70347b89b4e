import Bus
import BusTesting
import Foundation
import Logging
import Synchronization
import Testing
import Wire

@testable import APIServer
@testable import Store

/// The api's store client over a real broker, against the store's own request handling on a SQLite file.
@Suite(.timeLimit(.minutes(1)))
struct BusStoreAccessTests {
    /// Store requests received, by operation.
    final class Counts: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func add(_ type: String) { counts.withLock { $0[type, default: 0] += 1 } }
        subscript(_ type: String) -> Int { counts.withLock { $0[type] ?? 0 } }
    }

    /// A `store` worker answering with `StoreService.handle` (what `kubus-store` runs), counting requests, and — when
    /// `refusingBatches` — answering `writes` 400 as a store built before it does.
    func withStore(refusingBatches: Bool, _ body: (BusStoreAccess, Counts) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubus-api-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = try SQLiteBackend(path: directory.appendingPathComponent("store.db").path)
        var logger = Logger(label: "test.store")
        logger.logLevel = .critical
        let tailer = ChangeTailer(backend: backend, logger: logger)
        let counts = Counts()
        try await withBroker { endpoints, _ in
            let worker = try Worker(endpoints: endpoints, service: "store")
            let serving = Task { [logger] in
                await worker.run { request in
                    counts.add(request.type)
                    if refusingBatches && request.type == "writes" {
                        return BusReply.failure(code: 400, reason: "BadRequest", message: "unknown operation")
                    }
                    return await StoreService.handle(request, backend: backend, tailer: tailer, logger: logger)
                }
            }
            let client = try BusClient(endpoints: endpoints)
            defer {
                client.close()
                worker.close()
                serving.cancel()
            }
            try await body(BusStoreAccess(client: client), counts)
        }
        await backend.close()
    }

    /// 100 creates made at once: each gets its own outcome and revision, and they cross the bus in fewer requests
    /// than writes (the first alone, the rest in batches while one is on its way).
    func createAtOnce(_ store: BusStoreAccess, count: Int, round: Int = 1) async throws -> [WriteResult] {
        try await withThrowingTaskGroup(of: WriteResult.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await store.write(
                        WriteRequest(
                            key: "/registry/ConfigMap/ns/c\(index)", operation: .put(value: #"{"n":\#(index)}"#),
                            precondition: .absent, requestID: "create-\(round)-\(index)"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func writesMadeWhileOneIsOnItsWayGoTogether() async throws {
        try await withStore(refusingBatches: false) { store, counts in
            let results = try await createAtOnce(store, count: 100)
            #expect(results.allSatisfy { $0.succeeded })
            #expect(Set(results.map(\.revision)) == Set(1...100))
            #expect(counts["writes"] >= 1)
            #expect(counts["write"] + counts["writes"] < 100, "\(counts["write"]) write and \(counts["writes"]) writes")
            // The same creates again (new requests) are refused write by write (the keys exist), not failed.
            let again = try await createAtOnce(store, count: 100, round: 2)
            #expect(again.allSatisfy { !$0.succeeded && $0.kv != nil })
        }
    }

    @Test func aStoreThatRefusesBatchesGetsTheWritesOneByOne() async throws {
        try await withStore(refusingBatches: true) { store, counts in
            let results = try await createAtOnce(store, count: 100)
            #expect(results.allSatisfy { $0.succeeded })
            #expect(Set(results.map(\.revision)) == Set(1...100))
            #expect(counts["writes"] >= 1)
            #expect(counts["write"] == 100)
        }
    }
}
