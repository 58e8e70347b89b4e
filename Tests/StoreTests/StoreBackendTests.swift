import Foundation
import Schema
import Testing
import Wire

@testable import Store

/// Semantic tests, run against every backend.
@Suite(.timeLimit(.minutes(1)))
struct StoreBackendTests {
    @Test(arguments: BackendKind.allCases)
    func createGetAndCompareAndSwap(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            let (missing, emptyRevision) = try await store.get("/registry/Pod/default/web", revision: nil)
            #expect(missing == nil)
            #expect(emptyRevision == 0)

            let created = try await store.put("/registry/Pod/default/web", "{\"v\":1}", .absent)
            #expect(created.succeeded)
            #expect(created.revision == 1)
            #expect(
                created.kv
                    == KeyValue(
                        key: "/registry/Pod/default/web", value: "{\"v\":1}", createRevision: 1, modRevision: 1,
                        version: 1))
            #expect(created.previous == nil)

            let updated = try await store.put("/registry/Pod/default/web", "{\"v\":2}", .modRevision(1))
            #expect(updated.succeeded)
            #expect(updated.revision == 2)
            #expect(updated.kv?.version == 2)
            #expect(updated.kv?.createRevision == 1)
            #expect(updated.previous?.value == "{\"v\":1}")

            let stale = try await store.put("/registry/Pod/default/web", "{\"v\":3}", .modRevision(1))
            #expect(!stale.succeeded)
            #expect(stale.revision == 2)
            #expect(stale.kv?.value == "{\"v\":2}")

            let (kv, revision) = try await store.get("/registry/Pod/default/web", revision: nil)
            #expect(kv?.value == "{\"v\":2}")
            #expect(kv?.modRevision == 2)
            #expect(revision == 2)
            #expect(try await store.status().revision == 2)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func createOnExistingKeyFails(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            try await store.put("/leases/a", "1", .absent)
            let again = try await store.put("/leases/a", "2", .absent)
            #expect(!again.succeeded)
            #expect(again.kv?.value == "1")
            #expect(again.revision == 1)
            let casAbsent = try await store.put("/leases/a", "3", .modRevision(0))
            #expect(!casAbsent.succeeded)
            let deleteMissing = try await store.delete("/leases/nothing")
            #expect(!deleteMissing.succeeded)
            #expect(try await store.status().revision == 1)
            await expectStoreError(\.isInvalidArgument) { try await store.put("", "x") }
        }
    }

    @Test(arguments: BackendKind.allCases)
    func deleteAndRecreateResetsVersion(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            try await store.put("/registry/Pod/ns/a", "1")
            try await store.put("/registry/Pod/ns/a", "2")
            let deleted = try await store.delete("/registry/Pod/ns/a", .modRevision(2))
            #expect(deleted.succeeded)
            #expect(deleted.revision == 3)
            #expect(
                deleted.kv
                    == KeyValue(key: "/registry/Pod/ns/a", value: "2", createRevision: 1, modRevision: 3, version: 0)
            )
            #expect(deleted.previous?.version == 2)
            #expect(try await store.value("/registry/Pod/ns/a") == nil)

            let recreated = try await store.put("/registry/Pod/ns/a", "3", .absent)
            #expect(recreated.succeeded)
            #expect(recreated.kv?.createRevision == 4)
            #expect(recreated.kv?.version == 1)
            #expect(recreated.previous == nil)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func rangeByPrefixWithPagination(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            for name in ["e", "a", "c", "b", "d"] {
                try await store.put("/registry/Pod/default/\(name)", name)
            }
            try await store.put("/registry/Pod/other/z", "z")
            try await store.put("/registry/PodTemplate/default/a", "t")
            try await store.put("/registry/Service/default/a", "s")

            let expected = ["a", "b", "c", "d", "e"].map { "/registry/Pod/default/\($0)" }
            #expect(try await store.keys("/registry/Pod/default/") == expected)
            #expect(try await store.keys("/registry/Pod/").count == 6)
            #expect(try await store.keys("").count == 8)

            let first = try await store.range(prefix: "/registry/Pod/", revision: nil, startAfter: nil, limit: 4)
            #expect(first.kvs.map(\.value) == ["a", "b", "c", "d"])
            #expect(first.more)
            #expect(first.revision == 8)
            #expect(first.bucketRevision == 6)
            let second = try await store.range(
                prefix: "/registry/Pod/", revision: first.revision, startAfter: first.kvs.last?.key, limit: 4
            )
            #expect(second.kvs.map(\.value) == ["e", "z"])
            #expect(!second.more)
            let exact = try await store.range(prefix: "/registry/Pod/", revision: nil, startAfter: nil, limit: 6)
            #expect(!exact.more)
            #expect(exact.kvs.count == 6)
            let spanning = try await store.range(prefix: "/registry/", revision: nil, startAfter: nil, limit: nil)
            #expect(spanning.bucketRevision == spanning.revision)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func rangeAtPastRevision(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            try await store.put("/registry/Pod/ns/a", "a1")  // 1
            try await store.put("/registry/Pod/ns/b", "b1")  // 2
            try await store.put("/registry/Pod/ns/a", "a2")  // 3
            try await store.delete("/registry/Pod/ns/b")  // 4
            try await store.put("/registry/Pod/ns/c", "c1")  // 5
            try await store.put("/leases/x", "x")  // 6

            let atTwo = try await store.range(prefix: "/registry/Pod/", revision: 2, startAfter: nil, limit: nil)
            #expect(atTwo.kvs.map(\.value) == ["a1", "b1"])
            #expect(atTwo.revision == 2)
            #expect(atTwo.bucketRevision == 2)
            let atFour = try await store.range(prefix: "/registry/Pod/", revision: 4, startAfter: nil, limit: nil)
            #expect(atFour.kvs.map(\.value) == ["a2"])
            #expect(atFour.kvs.first?.version == 2)
            #expect(atFour.bucketRevision == 4)
            let now = try await store.range(prefix: "/registry/Pod/", revision: nil, startAfter: nil, limit: nil)
            #expect(now.kvs.map(\.value) == ["a2", "c1"])
            #expect(now.bucketRevision == 5)
            #expect(now.revision == 6)

            #expect(try await store.get("/registry/Pod/ns/b", revision: 3).0?.value == "b1")
            #expect(try await store.get("/registry/Pod/ns/b", revision: 4).0 == nil)
            #expect(try await store.get("/registry/Pod/ns/a", revision: 1).0?.value == "a1")
            await expectStoreError(\.isFutureRevision) { _ = try await store.get("/registry/Pod/ns/a", revision: 7) }
        }
    }

    @Test(arguments: BackendKind.allCases)
    func changesAfterRevisionInOrderWithPrefix(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            try await store.put("/registry/Pod/ns/a", "a1")  // 1
            try await store.put("/registry/Service/ns/s", "s1")  // 2
            try await store.put("/registry/Pod/ns/a", "a2")  // 3
            try await store.delete("/registry/Pod/ns/a")  // 4
            try await store.put("/registry/Pod/ns/b", "b1")  // 5

            let all = try await store.changes(prefix: "", after: 0, limit: nil)
            #expect(all.changes.map(\.kv.modRevision) == [1, 2, 3, 4, 5])
            #expect(all.revision == 5)
            #expect(!all.more)

            let pods = try await store.changes(prefix: "/registry/Pod/", after: 1, limit: nil)
            #expect(pods.changes.map(\.kv.modRevision) == [3, 4, 5])
            #expect(pods.changes.map(\.type) == [.put, .delete, .put])
            #expect(pods.changes[0].previous?.value == "a1")
            #expect(
                pods.changes[1].kv
                    == KeyValue(key: "/registry/Pod/ns/a", value: "a2", createRevision: 1, modRevision: 4, version: 0)
            )
            #expect(pods.changes[1].previous?.version == 2)
            #expect(pods.changes[2].previous == nil)

            let page = try await store.changes(prefix: "/registry/", after: 0, limit: 2)
            #expect(page.changes.map(\.kv.modRevision) == [1, 2])
            #expect(page.more)
            let rest = try await store.changes(prefix: "/registry/", after: 2, limit: 10)
            #expect(rest.changes.map(\.kv.modRevision) == [3, 4, 5])
            #expect(!rest.more)
            #expect(try await store.changes(prefix: "/registry/Pod", after: 5, limit: nil).changes.isEmpty)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func compactionDropsHistoryButKeepsLiveState(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            try await store.put("/registry/Pod/ns/a", "a1")  // 1
            try await store.put("/registry/Pod/ns/b", "b1")  // 2
            try await store.put("/registry/Pod/ns/a", "a2")  // 3
            try await store.delete("/registry/Pod/ns/b")  // 4
            try await store.put("/leases/l", "l1")  // 5
            try await store.put("/registry/Pod/ns/c", "c1")  // 6

            try await store.compact(revision: 5)
            let status = try await store.status()
            #expect(status.compactRevision == 5)
            #expect(status.revision == 6)

            await expectStoreError({ $0.isCompacted && $0.compactRevision == 5 }) {
                _ = try await store.range(prefix: "/registry/", revision: 4, startAfter: nil, limit: nil)
            }
            await expectStoreError(\.isCompacted) { _ = try await store.changes(prefix: "", after: 4, limit: nil) }
            await expectStoreError(\.isCompacted) { _ = try await store.get("/registry/Pod/ns/a", revision: 1) }

            let atFive = try await store.range(prefix: "/registry/Pod/", revision: 5, startAfter: nil, limit: nil)
            #expect(atFive.kvs.map(\.value) == ["a2"])
            #expect(atFive.bucketRevision == 4)
            #expect(try await store.keys("/registry/Pod/") == ["/registry/Pod/ns/a", "/registry/Pod/ns/c"])
            let changes = try await store.changes(prefix: "", after: 5, limit: nil)
            #expect(changes.changes.map(\.kv.modRevision) == [6])
            #expect(changes.changes[0].bucketPrevRevision == 4)

            // Writes after compaction keep their previous values and bucket chains.
            let update = try await store.put("/registry/Pod/ns/a", "a3", .modRevision(3))
            #expect(update.succeeded)
            #expect(update.previous?.value == "a2")
            #expect(update.bucketPrevRevision == 6)
            let after = try await store.changes(prefix: "/registry/Pod/", after: 6, limit: nil)
            #expect(after.changes.first?.previous?.value == "a2")

            try await store.compact(revision: 5)  // no-op
            await expectStoreError(\.isFutureRevision) { try await store.compact(revision: 100) }
        }
    }

    @Test(arguments: BackendKind.allCases)
    func bucketChainsLinkInterleavedKinds(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            let p1 = try await store.put("/registry/Pod/ns/a", "1")  // 1
            let s1 = try await store.put("/registry/Service/ns/a", "1")  // 2
            let l1 = try await store.put("/leases/x", "1")  // 3
            let p2 = try await store.put("/registry/Pod/ns/b", "1")  // 4
            let s2 = try await store.delete("/registry/Service/ns/a")  // 5
            let failed = try await store.put("/registry/Pod/ns/a", "x", .absent)
            let p3 = try await store.put("/registry/Pod/ns/a", "2")  // 6

            #expect([p1, s1, l1, p2, s2, p3].map(\.bucketPrevRevision) == [0, 0, 0, 1, 2, 4])
            #expect(!failed.succeeded)
            #expect(failed.bucketPrevRevision == 4)
            let pods = try await store.changes(prefix: "/registry/Pod/", after: 0, limit: nil).changes
            #expect(pods.map(\.bucketPrevRevision) == [0, 1, 4])
            #expect(try await store.status().buckets == ["Pod": 6, "Service": 5, "leases": 3])
            #expect(
                try await store.range(prefix: "/registry/Service/", revision: nil, startAfter: nil, limit: nil)
                    .bucketRevision == 5)
            #expect(
                try await store.range(prefix: "/leases/", revision: 2, startAfter: nil, limit: nil)
                    .bucketRevision == 0)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func idempotentRetryReturnsFirstResult(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            let first = try await store.put("/registry/Pod/ns/a", "1", .absent, requestID: "req-1")
            let retry = try await store.put("/registry/Pod/ns/a", "1", .absent, requestID: "req-1")
            #expect(retry == first)
            #expect(retry.succeeded)
            #expect(try await store.status().revision == 1)

            let other = try await store.put("/registry/Pod/ns/a", "2", requestID: "req-2")
            #expect(other.revision == 2)
            let retryDelete = WriteRequest(key: "/registry/Pod/ns/a", operation: .delete, requestID: "req-3")
            let deleted = try await store.write(retryDelete)
            #expect(try await store.write(retryDelete) == deleted)
            #expect(try await store.status().revision == 3)
        }
    }

    @Test(arguments: BackendKind.allCases)
    func concurrentWritersGetDenseUniqueRevisions(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            let writers = 16
            let perWriter = 40
            let revisions = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var revisions: [Int64] = []
                        for index in 0..<perWriter {
                            let result = try await store.put("/registry/Pod/w\(writer)/\(index)", "{}", .absent)
                            #expect(result.succeeded)
                            revisions.append(result.revision)
                        }
                        return revisions
                    }
                }
                var all: [Int64] = []
                for try await part in group { all += part }
                return all
            }
            #expect(revisions.sorted() == Array(1...Int64(writers * perWriter)))
            let status = try await store.status()
            #expect(status.revision == Int64(writers * perWriter))
            #expect(status.keys == writers * perWriter)
            let chain = try await store.changes(prefix: "/registry/Pod/", after: 0, limit: nil).changes
            #expect(chain.map(\.bucketPrevRevision) == [0] + chain.dropLast().map(\.kv.modRevision))
        }
    }

    @Test(arguments: BackendKind.allCases)
    func closedStoreRefusesCalls(kind: BackendKind) async throws {
        try await withBackend(kind) { store in
            try await store.put("/a/b", "1")
            await store.close()
            await expectStoreError(\.isClosed) { try await store.put("/a/b", "2") }
            await expectStoreError(\.isClosed) { _ = try await store.get("/a/b", revision: nil) }
        }
    }
}
