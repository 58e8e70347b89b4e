import Foundation
import GRDB
import Schema
import Testing
import Wire

@testable import Store

/// Opening a file written by a store from before the file was bounded (issue 10, item 6).
@Suite(.timeLimit(.minutes(1)))
struct SQLiteBackendMigrationTests {
    /// The schema and rows of a store before incremental vacuum and published_rev: three puts, the last a delete.
    static func writeOldFile(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(
                sql: """
                    CREATE TABLE log (rev INTEGER PRIMARY KEY, key TEXT NOT NULL, bucket TEXT NOT NULL,
                        create_rev INTEGER NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL,
                        value TEXT NOT NULL, prev_rev INTEGER, bucket_prev INTEGER NOT NULL);
                    CREATE INDEX log_key_rev ON log(key, rev);
                    CREATE INDEX log_bucket_rev ON log(bucket, rev);
                    CREATE TABLE current (key TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE requests (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at REAL NOT NULL,
                        result BLOB NOT NULL);
                    CREATE INDEX requests_at ON requests(at);
                    INSERT INTO meta(name, value) VALUES ('schema_version', 1), ('compact_rev', 0);
                    INSERT INTO log VALUES (1, '/registry/Pod/ns/a', 'Pod', 1, 1, 0, 'a1', NULL, 0);
                    INSERT INTO log VALUES (2, '/registry/Pod/ns/b', 'Pod', 2, 1, 0, 'b1', NULL, 1);
                    INSERT INTO log VALUES (3, '/registry/Pod/ns/b', 'Pod', 2, 0, 1, 'b1', 2, 2);
                    INSERT INTO current VALUES ('/registry/Pod/ns/a', 1);
                    """
            )
        }
        try queue.close()
    }

    @Test func anOldFileSwitchesToIncrementalVacuumAndKeepsPublishingFromItsRevision() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            try Self.writeOldFile(path)
            let store = try SQLiteBackend(path: path)
            #expect(try await store.scalar("PRAGMA auto_vacuum") == 2)
            // Nothing it had is published again.
            #expect(await store.publishedRevision() == 3)
            #expect(try await store.value("/registry/Pod/ns/a") == "a1")
            // An old tombstone, which kept the value, still reads as the last value.
            let changes = try await store.changes(prefix: "/registry/", after: 2, limit: nil)
            #expect(changes.changes.map(\.kv.value) == ["b1"])
            #expect(try await store.put("/registry/Pod/ns/c", "c1").revision == 4)
            await store.close()
            let reopened = try SQLiteBackend(path: path)
            #expect(try await reopened.scalar("PRAGMA auto_vacuum") == 2)
            #expect(try await reopened.status().revision == 4)
            await reopened.close()
        }
    }
}
