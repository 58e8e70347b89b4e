import Foundation
import GRDB
import Testing
import Wire

@testable import Store

@Suite struct WALCheckpointerTests {
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// A writer that never checkpoints keeps everything in the WAL; the checkpointer's own connection and thread copy
    /// it into the database file while the writer's connection stays open.
    @Test func copiesTheWALIntoTheFileOnItsOwnConnection() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("c.db").path
            var config = Configuration()
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            let writer = try DatabasePool(path: path, configuration: config)
            let value = String(repeating: "x", count: 16 << 10)
            try await writer.write { db in
                try db.execute(sql: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
                for i in 0..<320 { try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [i, value]) }
            }
            #expect(Self.size(path + "-wal") > 4 << 20)
            #expect(Self.size(path) < 1 << 20)  // the writer copied nothing

            let checkpointer = try WALCheckpointer(path: path, synchronous: "FULL", interval: .milliseconds(20))
            var copied = false
            for _ in 0..<250 where !copied {
                try await Task.sleep(for: .milliseconds(20))
                copied = Self.size(path) > 4 << 20
            }
            checkpointer.stop()
            #expect(copied, "the database file is \(Self.size(path)) bytes")
            #expect(try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 320)
            try writer.close()
        }
    }

    /// The store's backend: many writes, then every value reads back after reopening (the checkpointer stopped with
    /// the backend, and nothing was lost between the WAL and the file).
    @Test func backendWritesSurviveReopeningWithTheCheckpointer() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            var configuration = SQLiteBackendConfiguration()
            configuration.walCheckpointInterval = .milliseconds(10)
            let value = String(repeating: "y", count: 8 << 10)
            let backend = try SQLiteBackend(path: path, configuration: configuration)
            for i in 0..<600 {
                _ = try await backend.write(
                    WriteRequest(key: "/registry/ConfigMap/ns/c\(i)", operation: .put(value: value)))
            }
            await backend.close()
            let reopened = try SQLiteBackend(path: path, configuration: configuration)
            let (kv, revision) = try await reopened.get("/registry/ConfigMap/ns/c599", revision: nil)
            #expect(kv?.value == value)
            #expect(revision == 600)
            await reopened.close()
        }
    }
}
