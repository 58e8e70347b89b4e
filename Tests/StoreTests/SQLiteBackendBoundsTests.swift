import BusTesting
import Foundation
import GRDB
import Schema
import Testing
import Wire

@testable import Store

/// What keeps the SQLite file bounded (issue 10, item 6) and list pages bounded by bytes (item 1).
@Suite(.timeLimit(.minutes(1)))
struct SQLiteBackendBoundsTests {
    static func fileBytes(_ path: String) -> Int64 {
        [path, path + "-wal"].reduce(0) { sum, file in
            sum + (((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    @Test func aTombstoneDoesNotRepeatTheLastValue() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBackend(path: directory.appendingPathComponent("store.db").path)
            let big = String(repeating: "x", count: 100_000)
            try await store.put("/registry/ConfigMap/ns/a", big)
            try await store.delete("/registry/ConfigMap/ns/a")
            #expect(try await store.scalar("SELECT SUM(length(value)) FROM log WHERE deleted = 1") < 100)
            // The DELETED change still carries the last value.
            let changes = try await store.changes(prefix: "/registry/", after: 1, limit: nil)
            #expect(changes.changes.count == 1)
            #expect(changes.changes.first?.type == .delete)
            #expect(changes.changes.first?.kv.value == big)
            #expect(changes.changes.first?.previous?.value == big)
            await store.close()
        }
    }

    @Test func theRequestTableKeepsNoValuesButAnswersRetries() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBackend(path: directory.appendingPathComponent("store.db").path)
            let big = String(repeating: "y", count: 100_000)
            let first = try await store.put("/registry/ConfigMap/ns/a", big, requestID: "r1")
            let update = try await store.put("/registry/ConfigMap/ns/a", big + "2", requestID: "r2")
            let delete = try await store.write(
                WriteRequest(key: "/registry/ConfigMap/ns/a", operation: .delete, precondition: .none, requestID: "r3")
            )
            #expect(try await store.scalar("SELECT COUNT(*) FROM requests") == 3)
            #expect(try await store.put("/registry/ConfigMap/ns/a", big, requestID: "r1") == first)
            #expect(try await store.put("/registry/ConfigMap/ns/a", big + "2", requestID: "r2") == update)
            let retried = try await store.write(
                WriteRequest(key: "/registry/ConfigMap/ns/a", operation: .delete, precondition: .none, requestID: "r3")
            )
            #expect(retried == delete)
            #expect(try await store.status().revision == 3)
            await store.close()
        }
    }

    @Test func aRequestRecordTakesUnderAHundredBytes() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBackend(path: directory.appendingPathComponent("store.db").path)
            for index in 0..<5_000 {
                // IDs as a BusClient makes them: 32 random characters.
                try await store.put("/registry/ConfigMap/ns/a", "v\(index)", requestID: UUID().uuidString)
            }
            let bytes = try await store.scalar(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('requests', 'requests_id')"
            )
            #expect(bytes > 0)
            #expect(bytes / 5_000 < 100, "\(bytes / 5_000) bytes per request record with its index")
            await store.close()
        }
    }

    @Test func aRequestTableOfTheOldFormatIsReplacedOnOpen() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let first = try SQLiteBackend(path: path)
            try await first.put("/registry/ConfigMap/ns/a", "v", requestID: "r1")
            await first.close()
            // The table as it was before it was keyed by hashes.
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        DROP TABLE requests;
                        CREATE TABLE requests (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at REAL NOT NULL,                         result BLOB NOT NULL);
                        CREATE INDEX requests_at ON requests(at);
                        INSERT INTO requests(id, at, result) VALUES ('r1', 0, x'7b7d');
                        """
                )
            }
            try queue.close()
            let store = try SQLiteBackend(path: path)
            #expect(
                try await store.scalar("SELECT COUNT(*) FROM pragma_table_info('requests') WHERE name = 'result'") == 0)
            #expect(try await store.get("/registry/ConfigMap/ns/a", revision: nil).0?.value == "v")
            let again = try await store.put("/registry/ConfigMap/ns/b", "w", requestID: "r2")
            #expect(try await store.put("/registry/ConfigMap/ns/b", "w", requestID: "r2") == again)
            await store.close()
        }
    }

    @Test func requestIDHashesAreStableAndIndependent() {
        let a = RequestIDHash("0123456789abcdef0123456789abcdef")
        #expect(a == RequestIDHash("0123456789abcdef0123456789abcdef"))
        #expect(a.hash != a.check)
        #expect(RequestIDHash("ab") != RequestIDHash("ba"))
        // FNV-1a 64 of "a" (a published test vector), so a file written by one build is read by the next.
        #expect(UInt64(bitPattern: RequestIDHash("a").hash) == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func compactionGivesTheFileBack() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let store = try SQLiteBackend(path: path)
            let value = String(repeating: "z", count: 20_000)
            for index in 0..<300 {
                try await store.put("/registry/ConfigMap/ns/\(index)", value)
            }
            for index in 0..<300 {
                try await store.delete("/registry/ConfigMap/ns/\(index)")
            }
            try await store.put("/registry/ConfigMap/ns/0", "v", requestID: "old")
            try await store.put("/registry/ConfigMap/ns/0", "w", requestID: "new")
            #expect(Self.fileBytes(path) > 5_000_000)
            try await store.compact(revision: try await store.status().revision)
            #expect(Self.fileBytes(path) < 500_000, "file and WAL: \(Self.fileBytes(path)) bytes")
            // A retry after compaction still answers its first result, without the value compacted away.
            let retried = try await store.put("/registry/ConfigMap/ns/0", "v", requestID: "old")
            #expect(retried.revision == 601 && retried.succeeded && retried.kv == nil)
            await store.close()
        }
    }

    @Test func autoCompactionByAge() async throws {
        var configuration = SQLiteBackendConfiguration()
        configuration.autoCompactMaxAge = .seconds(1)
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBackend(
                path: directory.appendingPathComponent("store.db").path, configuration: configuration)
            for index in 0..<10 { try await store.put("/registry/Pod/ns/\(index)", "v") }
            try await Task.sleep(for: .milliseconds(1100))
            try await store.put("/registry/Pod/ns/a", "v")
            try await Task.sleep(for: .milliseconds(1100))
            try await store.put("/registry/Pod/ns/b", "v")
            // Maintenance runs on the writer right after the commit is acknowledged.
            let compacted = try await eventually { try await store.status().compactRevision == 11 }
            let revision = try await store.status().compactRevision
            #expect(compacted, "compactRevision \(revision)")
            await store.close()
        }
    }

    @Test func autoCompactionBySize() async throws {
        var configuration = SQLiteBackendConfiguration()
        configuration.autoCompactAboveBytes = 1_000_000
        configuration.autoCompactInterval = 10
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let store = try SQLiteBackend(path: path, configuration: configuration)
            let value = String(repeating: "s", count: 20_000)
            for index in 0..<200 { try await store.put("/registry/Pod/ns/a", value + "\(index)") }
            #expect(try await eventually { try await store.status().compactRevision > 100 })
            #expect(Self.fileBytes(path) < 2_000_000, "file and WAL: \(Self.fileBytes(path)) bytes")
            await store.close()
        }
    }

    @Test func aRangePageIsBoundedByBytes() async throws {
        var configuration = SQLiteBackendConfiguration()
        configuration.maxPageBytes = 100_000
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBackend(
                path: directory.appendingPathComponent("store.db").path, configuration: configuration)
            let value = String(repeating: "p", count: 30_000)
            for index in 0..<10 { try await store.put("/registry/ConfigMap/ns/\(index)", value) }
            try await store.put("/registry/ConfigMap/ns/big", String(repeating: "B", count: 300_000))
            var keys: [String] = []
            var pages: [Int] = []
            var after: String?
            while true {
                let page = try await store.range(
                    prefix: "/registry/ConfigMap/", revision: 11, startAfter: after, limit: nil)
                keys += page.kvs.map(\.key)
                pages.append(page.kvs.count)
                guard page.more, let last = page.kvs.last else { break }
                after = last.key
            }
            #expect(keys.count == 11)
            #expect(Set(keys).count == 11)
            // Three objects of 30 KB fit in 100 KB; the 300 KB object makes a page of its own.
            #expect(pages == [3, 3, 3, 1, 1])
            // The count bound still holds alongside.
            let two = try await store.range(prefix: "/registry/ConfigMap/", revision: nil, startAfter: nil, limit: 2)
            #expect(two.kvs.count == 2 && two.more)
            let changes = try await store.changes(prefix: "/registry/", after: 0, limit: nil)
            #expect(changes.more && changes.changes.count == 3)
            await store.close()
        }
    }

    @Test func thePublishedRevisionSurvivesACrash() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let store = try SQLiteBackend(path: path)
            #expect(await store.publishedRevision() == 0)
            for index in 0..<3 { try await store.put("/registry/Pod/ns/\(index)", "v") }
            await store.recordPublished(2)
            try await store.put("/registry/Pod/ns/x", "v")
            let crashed = try crashCopy(path, into: directory)
            await store.close()
            let reopened = try SQLiteBackend(path: crashed)
            #expect(await reopened.publishedRevision() == 2)
            #expect(try await reopened.status().revision == 4)
            await reopened.close()
        }
    }

    /// A mark recorded within 200 ms of the last flush waits for the next group commit; closing writes it, so a
    /// graceful restart does not publish those changes again.
    @Test func closingPersistsThePublishedRevision() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let store = try SQLiteBackend(path: path)
            for index in 0..<3 { try await store.put("/registry/Pod/ns/\(index)", "v") }
            await store.recordPublished(1)  // flushed at once
            await store.recordPublished(3)  // within 200 ms: left for the next commit, and none comes
            await store.close()
            let reopened = try SQLiteBackend(path: path)
            #expect(await reopened.publishedRevision() == 3)
            await reopened.close()
        }
    }
}

/// Copies the database and its WAL while the store is open: what a `kill -9` leaves behind.
func crashCopy(_ path: String, into directory: URL) throws -> String {
    let copy = directory.appendingPathComponent("crashed-\(UUID().uuidString.prefix(8)).db").path
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
        try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
    }
    return copy
}
