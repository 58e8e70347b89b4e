import Foundation
import Schema
import StoreTesting
import Testing
import Wire

@testable import Store

/// Durability, recovery and maintenance of the SQLite backend.
///
/// A real `kill -9` of the store process belongs to the integration suite; here a crash is simulated by copying
/// the database and its write-ahead log while the store is open, which is what a killed process leaves behind.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteBackendTests {
    @Test func reopenSeesEverything() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let store = try SQLiteBackend(path: path)
            try await store.put("/registry/Pod/ns/a", "a1")
            try await store.put("/registry/Pod/ns/a", "a2")
            try await store.put("/leases/l", "l1", requestID: "lease-1")
            try await store.delete("/leases/l")
            try await store.put("/registry/Service/ns/s", "s1")
            try await store.compact(revision: 4)
            let before = try await store.status()
            await store.close()

            let reopened = try SQLiteBackend(path: path)
            let after = try await reopened.status()
            #expect(after.revision == 5)
            #expect(after.compactRevision == 4)
            #expect(after.buckets == before.buckets)
            #expect(after.buckets == ["Pod": 2, "leases": 4, "Service": 5])
            #expect(after.keys == 2)
            #expect(after.backend == "sqlite")
            #expect(try await reopened.value("/registry/Pod/ns/a") == "a2")
            let retried = try await reopened.put("/leases/l", "l1", requestID: "lease-1")
            #expect(retried.revision == 3)
            let next = try await reopened.put("/registry/Pod/ns/b", "b1")
            #expect(next.revision == 6)
            #expect(next.bucketPrevRevision == 2)
            await reopened.close()
        }
    }

    @Test func garbageFileIsRefusedNamingThePath() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("garbage.db").path
            let garbage = Data(String(repeating: "this is not a database\n", count: 100).utf8)
            try garbage.write(to: URL(fileURLWithPath: path))
            do {
                _ = try SQLiteBackend(path: path)
                Issue.record("opened a garbage file")
            } catch let error as StoreError {
                #expect(error.isCorrupted)
                #expect(error.description.contains(path))
            }
        }
    }

    @Test func damagedDatabaseIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let store = try SQLiteBackend(path: path)
            for index in 0..<300 {
                try await store.put("/registry/Pod/ns/\(index)", String(repeating: "v", count: 200))
            }
            await store.close()
            // Overwrite pages after the header with noise.
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 4096 + 100)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 16_384))
            try handle.close()
            do {
                let reopened = try SQLiteBackend(path: path)
                _ = try await reopened.range(prefix: "", revision: nil, startAfter: nil, limit: nil)
                await reopened.close()
                Issue.record("opened a damaged file")
            } catch let error as StoreError {
                #expect(error.isCorrupted || error.isIO)
                #expect(error.description.contains(path))
            }
        }
    }

    @Test func acknowledgedWritesSurviveACrash() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let crashed = directory.appendingPathComponent("crashed.db").path
            let store = try SQLiteBackend(path: path)
            for index in 1...50 {
                try await store.put("/registry/Pod/ns/\(index)", "\(index)", requestID: "r\(index)")
            }
            // The files a killed process leaves: the database and its uncheckpointed write-ahead log.
            try FileManager.default.copyItem(atPath: path, toPath: crashed)
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: crashed + "-wal")
            await store.close()

            let recovered = try SQLiteBackend(path: crashed)
            let status = try await recovered.status()
            #expect(status.revision == 50)
            #expect(status.keys == 50)
            #expect(try await recovered.value("/registry/Pod/ns/50") == "50")
            #expect(try await recovered.put("/registry/Pod/ns/50", "50", requestID: "r50").revision == 50)
            await recovered.close()
        }
    }

    @Test func automaticCompactionKeepsRecentHistory() async throws {
        let configuration = SQLiteBackendConfiguration(autoCompactRetain: 20, autoCompactInterval: 10)
        try await withBackend(.sqlite, configuration: configuration) { store in
            for index in 0..<100 {
                try await store.put("/registry/Pod/ns/\(index % 7)", "\(index)")
            }
            let status = try await store.status()
            #expect(status.compactRevision >= 70)
            #expect(status.compactRevision <= 80)
            #expect(status.keys == 7)
            await expectStoreError(\.isCompacted) { _ = try await store.changes(prefix: "", after: 10, limit: nil) }
            let recent = try await store.changes(prefix: "", after: 80, limit: nil)
            #expect(recent.changes.count == 20)
            #expect(try await store.keys("/registry/Pod/").count == 7)
        }
    }

    @Test func readsAtCompactRevisionMatchAcrossBackends() async throws {
        let memory = MemoryBackend()
        try await withBackend(.sqlite) { sqlite in
            for store in [memory, sqlite] as [any StoreBackend] {
                for index in 0..<60 {
                    let key = "/registry/\(index % 2 == 0 ? "Pod" : "Node")/k\(index % 5)"
                    if index % 9 == 8 {
                        try await store.delete(key)
                    } else {
                        try await store.put(key, "\(index)")
                    }
                }
                try await store.compact(revision: 30)
            }
            for revision: Int64 in [30, 41, 55] {
                for prefix in ["", "/registry/Pod/", "/registry/Node/"] {
                    let a = try await memory.range(prefix: prefix, revision: revision, startAfter: nil, limit: nil)
                    let b = try await sqlite.range(prefix: prefix, revision: revision, startAfter: nil, limit: nil)
                    #expect(a == b)
                    let c = try await memory.changes(prefix: prefix, after: revision, limit: nil)
                    let d = try await sqlite.changes(prefix: prefix, after: revision, limit: nil)
                    #expect(c == d)
                }
            }
        }
    }
}
