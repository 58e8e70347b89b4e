import APIServer
import APITesting
import Foundation
import Logging
import Schema
import Store
import StoreTesting
import Synchronization
import Testing
import Wire

@testable import APIServer

/// An update starts from the value the api instance last saw instead of reading the key again, and answers exactly
/// what it would have answered from a fresh read when that value is stale: two api instances over one store, each
/// changing what the other cached.
@Suite struct RecentValuesTests {
    /// Counts the store's reads and writes of one api instance.
    final class CountingStore: StoreAccess {
        let base: BackendStoreAccess
        let gets = Atomic<Int>(0)
        let writes = Atomic<Int>(0)
        init(_ base: BackendStoreAccess) { self.base = base }

        func get(_ key: String) async throws(StoreAccessError) -> StoreRequest.GetResult {
            gets.add(1, ordering: .relaxed)
            return try await base.get(key)
        }
        func range(_ request: StoreRequest.Range) async throws(StoreAccessError) -> RangeResult {
            try await base.range(request)
        }
        func write(_ request: WriteRequest) async throws(StoreAccessError) -> WriteResult {
            writes.add(1, ordering: .relaxed)
            return try await base.write(request)
        }
        func changes(_ request: StoreRequest.Changes) async throws(StoreAccessError) -> ChangesResult {
            try await base.changes(request)
        }
    }

    struct Instance {
        let harness: APIHarness
        let store: CountingStore
        var gets: Int { store.gets.load(ordering: .relaxed) }
        var writes: Int { store.writes.load(ordering: .relaxed) }
    }

    /// Two api instances over one store.
    static func pair() async throws -> (Instance, Instance) {
        let backend = MemoryBackend()
        func instance() -> Instance {
            let store = CountingStore(BackendStoreAccess(backend: backend))
            let handler = APIHandler(store: store, logger: Logger(label: "test"))
            return Instance(harness: APIHarness(backend: backend, handler: handler), store: store)
        }
        let a = instance()
        let b = instance()
        try await a.harness.handler.bootstrap()
        return (a, b)
    }

    static func unversioned(_ object: JSONValue) -> JSONValue {
        var object = object
        object[path: ["metadata", "resourceVersion"]] = nil
        return object
    }

    @Test func anUpdateAfterACreateReadsNothingFromTheStore() async throws {
        let (a, _) = try await Self.pair()
        let created = await a.harness.create(configMap("c", data: ["k": "1"]))
        #expect(created.code == 201)
        let gets = a.gets
        var next = created.body
        next["data"] = ["k": "2"]
        let updated = await a.harness.call("update", ["object": next])
        #expect(updated.code == 200 && updated["data", "k"] == "2")
        next = updated.body
        next["data"] = ["k": "3"]
        let again = await a.harness.call("update", ["object": next])
        #expect(again.code == 200 && again["data", "k"] == "3")
        #expect(a.gets == gets, "two updates from the values this instance wrote need no read")
        #expect(await a.harness.get("ConfigMap", "c", namespace: "default")["data", "k"] == "3")
    }

    @Test func aStaleValueIsReplacedByTheStoresAndTheUpdateLandsOnIt() async throws {
        let (a, b) = try await Self.pair()
        let created = await a.harness.create(configMap("c", labels: ["x": "1"], data: ["k": "1"]))
        // B changes the object; A's cached value is now stale.
        var fromB = created.body
        fromB["data"] = ["k": "b"]
        let changedByB = await b.harness.call("update", ["object": fromB])
        #expect(changedByB.code == 200)

        // An unconditional label change from A: its first write (at the stale revision) is refused, the second
        // lands on B's data.
        let writes = a.writes
        let patched = await a.harness.call(
            "patch",
            [
                "kind": "ConfigMap", "name": "c", "namespace": "default", "patchType": "merge",
                "patch": ["metadata": ["labels": ["x": "2"]]],
            ])
        #expect(patched.code == 200, "\(patched.body)")
        #expect(patched["data", "k"] == "b" && patched["metadata", "labels", "x"] == "2")
        #expect(a.writes == writes + 2)

        // A client that names B's newer resourceVersion is not told it conflicts with A's stale value.
        let (c, d) = try await Self.pair()
        let made = await c.harness.create(configMap("v", data: ["k": "1"]))
        var newer = made.body
        newer["data"] = ["k": "d"]
        let byD = await d.harness.call("update", ["object": newer])
        var versioned = byD.body
        versioned["data"] = ["k": "c"]
        let byC = await c.harness.call("update", ["object": versioned])
        #expect(byC.code == 200, "\(byC.body)")
        #expect(byC["data", "k"] == "c")
        // And one that names a version older than the store's still conflicts.
        var old = made.body
        old["data"] = ["k": "old"]
        #expect(await c.harness.call("update", ["object": old]).code == 409)
    }

    @Test func whatAStaleValueWouldAnswerWithoutWritingIsWorkedOutAgain() async throws {
        let (a, b) = try await Self.pair()
        let created = await a.harness.create(configMap("c", data: ["k": "1"]))
        var fromB = created.body
        fromB["data"] = ["k": "b"]
        #expect(await b.harness.call("update", ["object": fromB]).code == 200)

        // Equal to A's stale value but not to the store's: not "no change", a write that puts k back to 1.
        let same = await a.harness.call("update", ["object": Self.unversioned(created.body)])
        #expect(same.code == 200 && same["data", "k"] == "1")
        #expect(same.resourceVersion != created.resourceVersion)
        #expect(await b.harness.get("ConfigMap", "c", namespace: "default")["data", "k"] == "1")

        // Deleted through B: an update through A is 404, not an update of the value A remembers.
        #expect(await b.harness.delete("ConfigMap", "c", namespace: "default").code == 200)
        var late = created.body
        late["data"] = ["k": "late"]
        let missing = await a.harness.call("update", ["object": Self.unversioned(late)])
        #expect(missing.code == 404, "\(missing.body)")
        #expect(await b.harness.get("ConfigMap", "c", namespace: "default").code == 404)
    }

    @Test func theCacheIsBoundedInBytesAndKeepsTheLatestRevision() {
        let cache = RecentValues(budget: 4_000)
        func kv(_ key: String, _ rev: Int64, size: Int = 100) -> KeyValue {
            KeyValue(
                key: key, value: String(repeating: "x", count: size), createRevision: 1, modRevision: rev, version: rev)
        }
        cache.remember(kv("a", 5))
        cache.remember(kv("a", 3))
        #expect(cache.value(for: "a")?.modRevision == 5, "an older value does not replace a newer one")
        for i in 0..<200 { cache.remember(kv("k\(i)", 1)) }
        // Two generations of at most half the budget each: far fewer than 200 values of ~100 bytes remain.
        #expect(cache.count <= 2 * (4_000 / 2) / 100 + 2)
        #expect(cache.value(for: "k199") != nil, "the latest value is kept")
        #expect(cache.value(for: "k0") == nil, "the oldest values are dropped")
        cache.remember(kv("big", 1, size: RecentValues.largestValue + 1))
        #expect(cache.value(for: "big") == nil)
        cache.forget("k199")
        #expect(cache.value(for: "k199") == nil)
    }
}
