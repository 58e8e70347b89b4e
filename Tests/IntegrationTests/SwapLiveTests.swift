import Bus
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Any of bus, store or api can be stopped and started again while a client writes through the api:
/// no acknowledged write is lost, and the client carries on by itself.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SwapLiveTests {
    static func create(_ client: BusClient, name: String, id: String) async -> Bool {
        let payload =
            #"{"object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"default"},"data":{"n":"\#(name)"}}}"#
        let reply: BusReply
        do {
            reply = try await client.request(
                service: "api", type: "create", payload: Array(payload.utf8), id: id, timeout: .seconds(40))
        } catch {
            Issue.record("create \(name): \(error)")
            return false
        }
        if reply.code != 201 {
            Issue.record("create \(name): \(reply.code) \(String(decoding: reply.payload, as: UTF8.self))")
        }
        return reply.code == 201
    }

    static func names(_ client: BusClient, prefix: String) async throws -> Set<String> {
        let reply = try await client.request(
            service: "api", type: "list", payload: Array(#"{"kind":"ConfigMap","namespace":"default"}"#.utf8),
            timeout: .seconds(20))
        #expect(reply.code == 200, "list: \(String(decoding: reply.payload, as: UTF8.self))")
        let body = try JSONSerialization.jsonObject(with: Data(reply.payload)) as? [String: Any]
        let items = body?["items"] as? [[String: Any]] ?? []
        return Set(
            items.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }.filter { $0.hasPrefix(prefix) })
    }

    /// Writes `count` ConfigMaps from `writers` writers; at `at`, runs `disrupt` once. Returns acknowledged names.
    static func writeThrough(
        _ cluster: TestCluster, prefix: String, count: Int, writers: Int, at: Int,
        disrupt: @escaping @Sendable () async -> Void
    ) async throws -> (acked: Set<String>, stored: Set<String>) {
        let client = try BusClient(endpoints: cluster.endpoints, attemptTimeout: .seconds(1))
        defer { client.close() }
        let fired = AtomicFlag()
        let acked = await withTaskGroup(of: [String].self) { group in
            for w in 0..<writers {
                group.addTask {
                    var mine: [String] = []
                    for i in stride(from: w, to: count, by: writers) {
                        if i >= at, fired.setOnce() { await disrupt() }
                        let name = "\(prefix)-\(i)"
                        if await create(client, name: name, id: "\(prefix)-req-\(i)") { mine.append(name) }
                    }
                    return mine
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(fired.isSet)
        return (Set(acked), try await names(client, prefix: prefix + "-"))
    }

    @Test(arguments: ["api", "store", "bus"])
    func restartingAServiceLosesNoAcknowledgedWrite(service: String) async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let (acked, stored) = try await Self.writeThrough(
                cluster, prefix: "swap-\(service)", count: 240, writers: 4, at: 80
            ) {
                cluster.stop(service, signal: service == "store" ? SIGKILL : SIGTERM)
                try? await Task.sleep(for: .milliseconds(300))
                _ = try? cluster.start(service)
            }
            #expect(acked.subtracting(stored).isEmpty, "lost: \(acked.subtracting(stored).sorted().prefix(5))")
            // Retries carry the same request id, so each create is acknowledged once, even across the restart.
            #expect(acked.count == 240)
            #expect(stored.count == 240)
        }
    }

    @Test func twoAPIInstancesServeSideBySideAndOneCanLeave() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane(apis: 2)
            let (acked, stored) = try await Self.writeThrough(cluster, prefix: "two", count: 200, writers: 8, at: 100) {
                cluster.stop("api-0", signal: SIGKILL)
            }
            #expect(acked.count == 200)
            #expect(stored == acked)
            #expect(cluster.log("api-1").contains("api serving") || cluster.log("api-1").isEmpty == false)
        }
    }

    @Test func garbageToTheAPIGetsBadRequestAndServingGoesOn() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let client = try BusClient(endpoints: cluster.endpoints)
            defer { client.close() }
            for (type, body) in [
                ("create", "not json at all"), ("create", #"{"object": 5}"#), ("get", #"{"kind": 12}"#),
                ("frobnicate", "{}"), ("create", String(repeating: "[", count: 100_000)),
            ] {
                let reply = try await client.request(service: "api", type: type, payload: Array(body.utf8))
                #expect((400..<500).contains(reply.code), "\(type) \(body.prefix(30)): \(reply.code)")
                let text = String(decoding: reply.payload, as: UTF8.self)
                #expect(text.contains(#""kind":"Status""#), "\(text.prefix(200))")
            }
            #expect(await Self.create(client, name: "after-garbage", id: BusClock.randomID()))
        }
    }
}
