import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import Store
import StoreTesting
import Testing
import Wire

/// Issue 10: replies stay below the bus's message limit, and unconditional writes survive contention.
@Suite(.timeLimit(.minutes(1)))
struct APIHandlerBoundsTests {
    /// The budget of these tests: the production one (8 MiB) scaled down 32 times with the objects, so the same
    /// paging runs on 2 MB of JSON instead of 20 MB (a debug build parses that slowly).
    static let budget = APIServerConfiguration().listByteBudget / 32

    /// An api whose list and changes replies carry at most `budget` bytes of objects.
    static func boundedAPI() async throws -> APIHarness {
        var configuration = APIServerConfiguration()
        configuration.listByteBudget = budget
        let backend = MemoryBackend()
        let api = APIHarness(
            backend: backend,
            handler: APIHandler(
                store: BackendStoreAccess(backend: backend), configuration: configuration,
                logger: Logger(label: "test")))
        try await api.handler.bootstrap()
        return api
    }

    @Test func theBudgetLeavesRoomInOneBusMessage() {
        #expect(APIServerConfiguration().listByteBudget + (1 << 20) < Int(WireProtocol.maxMessageBytes))
    }

    /// 20 ConfigMaps of 100,000 bytes, nearly eight times the budget, as 20 of 1 MB are to the bus's 16 MiB limit.
    static func createLarge(_ api: APIHarness, count: Int = 20) async {
        let value = String(repeating: "x", count: 99_990)
        for i in 0..<count {
            let created = await api.create(configMap(String(format: "big-%02d", i), data: ["v": .string(value)]))
            #expect(created.code == 201, "\(created.message)")
        }
    }

    @Test func aListWithoutLimitIsPagedByBytesAndContinueReturnsEveryObject() async throws {
        let api = try await Self.boundedAPI()
        await Self.createLarge(api)
        var names: [String] = []
        var token: String?
        var pages = 0
        var revisions: Set<String> = []
        repeat {
            var payload: JSONValue = ["kind": "ConfigMap", "namespace": "default"]
            if let token { payload["continue"] = .string(token) }
            let reply = await api.handler.handle(verb: "list", payload: payload.encoded(), requestID: "")
            #expect(reply.code == 200)
            #expect(reply.payload.count <= Self.budget + 4096)
            let body = try JSONValue.parse(reply.payload)
            names += (body["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
            revisions.insert(body[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")
            token = body[path: ["metadata", "continue"]]?.stringValue
            pages += 1
        } while token != nil && pages < 50
        #expect(pages >= 3)
        #expect(revisions.count == 1)  // every page reads the first page's revision
        #expect(names == (0..<20).map { String(format: "big-%02d", $0) })
    }

    @Test func aLimitAboveTheBudgetStillGetsASmallerPageWithContinue() async throws {
        let api = try await Self.boundedAPI()
        await Self.createLarge(api, count: 12)
        let first = await api.call("list", ["kind": "ConfigMap", "namespace": "default", "limit": 500])
        let items = first["items"]?.arrayValue ?? []
        #expect(first.code == 200)
        #expect(!items.isEmpty && items.count < 12)
        var token = first["metadata", "continue"]?.stringValue
        #expect(token != nil)
        var total = items.count
        var pages = 1
        while let next = token, pages < 50 {
            let page = await api.call(
                "list", ["kind": "ConfigMap", "namespace": "default", "limit": 500, "continue": .string(next)])
            #expect(page.code == 200)
            total += page["items"]?.arrayValue?.count ?? 0
            token = page["metadata", "continue"]?.stringValue
            pages += 1
        }
        #expect(total == 12)
    }

    @Test func changesOfLargeObjectsComeInBoundedReplies() async throws {
        let api = try await Self.boundedAPI()
        await Self.createLarge(api)
        var since = "0"
        var seen = 0
        var rounds = 0
        while rounds < 50 {
            let reply = await api.handler.handle(
                verb: "changes",
                payload: JSONValue.object([
                    "kind": "ConfigMap", "namespace": "default", "resourceVersion": .string(since), "limit": 1000,
                ]).encoded(), requestID: "")
            #expect(reply.code == 200)
            #expect(reply.payload.count <= Self.budget + 4096)
            let body = try JSONValue.parse(reply.payload)
            seen += body["events"]?.arrayValue?.count ?? 0
            since = body["resourceVersion"]?.stringValue ?? since
            rounds += 1
            if body["more"]?.boolValue != true { break }
        }
        #expect(rounds >= 3)
        #expect(seen == 20)
    }

    @Test func concurrentUnconditionalPatchesOnOneObjectAllApply() async throws {
        let backend = MemoryBackend()
        // A store whose writes take a moment, so reads go stale and compare-and-swaps lose as over the bus.
        let store = SlowWriteStoreAccess(inner: BackendStoreAccess(backend: backend))
        let api = APIHarness(backend: backend, handler: APIHandler(store: store, logger: Logger(label: "test")))
        try await api.handler.bootstrap()
        #expect(await api.create(configMap("hot")).code == 201)
        let writers = 16
        let each = 8
        let codes = await withTaskGroup(of: [Int].self) { group in
            for w in 0..<writers {
                group.addTask {
                    var codes: [Int] = []
                    for i in 0..<each {
                        let patch: JSONValue = ["data": .object(["k\(w)-\(i)": "v"])]
                        let type = i % 2 == 0 ? "merge" : "strategic"
                        let reply = await api.call(
                            "patch",
                            ["kind": "ConfigMap", "name": "hot", "patch": patch, "patchType": .string(type)])
                        codes.append(reply.code)
                    }
                    return codes
                }
            }
            return await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(codes.count == writers * each)
        #expect(codes.allSatisfy { $0 == 200 }, "failed: \(codes.filter { $0 != 200 })")
        let final = await api.get("ConfigMap", "hot")
        #expect(final["data"]?.objectValue?.count == writers * each)
    }

    @Test func unconditionalPatchesThroughTwoAPIInstancesAllApply() async throws {
        // Two instances over one store: each lets its writers take turns, so the two contend in the store.
        let backend = MemoryBackend()
        let store = SlowWriteStoreAccess(inner: BackendStoreAccess(backend: backend))
        let apis = [
            APIHarness(backend: backend, handler: APIHandler(store: store, logger: Logger(label: "test"))),
            APIHarness(backend: backend, handler: APIHandler(store: store, logger: Logger(label: "test"))),
        ]
        try await apis[0].handler.bootstrap()
        #expect(await apis[0].create(configMap("hot")).code == 201)
        let codes = await withTaskGroup(of: [Int].self) { group in
            for w in 0..<16 {
                group.addTask {
                    var codes: [Int] = []
                    for i in 0..<8 {
                        let patch: JSONValue = ["data": .object(["k\(w)-\(i)": "v"])]
                        codes.append(
                            await apis[w % 2].call("patch", ["kind": "ConfigMap", "name": "hot", "patch": patch]).code)
                    }
                    return codes
                }
            }
            return await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(codes.allSatisfy { $0 == 200 }, "failed: \(codes.filter { $0 != 200 })")
        #expect(await apis[1].get("ConfigMap", "hot")["data"]?.objectValue?.count == 128)
    }

    @Test func concurrentUpdatesWithoutResourceVersionAllApply() async throws {
        let backend = MemoryBackend()
        let store = SlowWriteStoreAccess(inner: BackendStoreAccess(backend: backend))
        let api = APIHarness(backend: backend, handler: APIHandler(store: store, logger: Logger(label: "test")))
        try await api.handler.bootstrap()
        #expect(await api.create(configMap("hot")).code == 201)
        let codes = await withTaskGroup(of: Int.self) { group in
            for w in 0..<16 {
                group.addTask {
                    await api.call("update", ["object": configMap("hot", data: ["writer": .string("\(w)")])]).code
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(codes.allSatisfy { $0 == 200 }, "\(codes.filter { $0 != 200 })")
    }

    @Test func aPatchNamingAStaleResourceVersionStillConflicts() async throws {
        let api = try await APIHarness()
        let created = await api.create(configMap("c"))
        _ = await api.call("patch", ["kind": "ConfigMap", "name": "c", "patch": ["data": ["a": "1"]]])
        let stale = await api.call(
            "patch",
            [
                "kind": "ConfigMap", "name": "c",
                "patch": ["metadata": ["resourceVersion": .string(created.resourceVersion)], "data": ["b": "2"]],
            ])
        #expect(stale.code == 409)
    }
}

/// A `StoreAccess` whose writes wait a little before they reach the store.
struct SlowWriteStoreAccess: StoreAccess {
    let inner: BackendStoreAccess

    func get(_ key: String) async throws(StoreAccessError) -> StoreRequest.GetResult { try await inner.get(key) }

    func range(_ request: StoreRequest.Range) async throws(StoreAccessError) -> RangeResult {
        try await inner.range(request)
    }

    func write(_ request: WriteRequest) async throws(StoreAccessError) -> WriteResult {
        try? await Task.sleep(for: .milliseconds(2))
        return try await inner.write(request)
    }

    func changes(_ request: StoreRequest.Changes) async throws(StoreAccessError) -> ChangesResult {
        try await inner.changes(request)
    }
}
