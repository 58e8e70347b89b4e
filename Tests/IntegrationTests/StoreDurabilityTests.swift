import Bus
import Foundation
import Schema
import Testing
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// The store as a real process: acknowledged writes survive `kill -9`, and clients carry on by themselves
/// across restarts of the store and of the bus.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StoreDurabilityTests {
    /// Writes `count` keys one after another from `writers` concurrent writers; returns the acknowledged keys.
    static func writeStream(
        _ client: BusClient, prefix: String, count: Int, writers: Int, during: @escaping @Sendable (Int) async -> Void
    ) async -> [String] {
        await withTaskGroup(of: [String].self) { group in
            for w in 0..<writers {
                group.addTask {
                    var acked: [String] = []
                    for i in stride(from: w, to: count, by: writers) {
                        await during(i)
                        let key = "/registry/ConfigMap/default/\(prefix)-\(i)"
                        let body =
                            #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(prefix)-\#(i)","namespace":"default"},"data":{"i":"\#(i)"}}"#
                        let req = WriteRequest(key: key, operation: .put(value: body), precondition: .absent)
                        guard let payload = try? JSONEncoder().encode(req) else { continue }
                        // A write the client gave up on is simply not counted as acknowledged.
                        if let reply = try? await client.request(
                            service: "store", type: "write", payload: Array(payload), id: "\(prefix)-\(i)",
                            timeout: .seconds(30)),
                            reply.isSuccess,
                            let result = try? JSONDecoder().decode(WriteResult.self, from: Data(reply.payload)),
                            result.succeeded
                        {
                            acked.append(key)
                        }
                    }
                    return acked
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
    }

    static func allKeys(_ client: BusClient, prefix: String) async throws -> Set<String> {
        // A store page holds at most 500 keys; go on while `more`.
        var keys = Set<String>()
        var after: String?
        var revision: Int64?
        while true {
            let payload = try JSONEncoder().encode(
                StoreRequest.Range(prefix: prefix, revision: revision, startAfter: after))
            let reply = try await client.request(
                service: "store", type: "range", payload: Array(payload), timeout: .seconds(20))
            #expect(reply.isSuccess)
            let result = try JSONDecoder().decode(RangeResult.self, from: Data(reply.payload))
            keys.formUnion(result.kvs.map(\.key))
            revision = result.revision
            guard result.more, let last = result.kvs.last else { return keys }
            after = last.key
        }
    }

    @Test func acknowledgedWritesSurviveKillMinus9OfTheStore() async throws {
        try await withCluster { cluster in
            try cluster.start("bus")
            try cluster.start("store")
            try await cluster.waitForService("store")
            let client = try BusClient(endpoints: cluster.endpoints, attemptTimeout: .seconds(1))
            defer { client.close() }
            let killed = AtomicFlag()
            let acked = await Self.writeStream(client, prefix: "k9", count: 600, writers: 8) { i in
                // Mid-stream, kill -9 the store and start it again.
                if i == 200, killed.setOnce() {
                    cluster.stop("store", signal: SIGKILL)
                    _ = try? cluster.start("store")
                }
            }
            #expect(killed.isSet)
            // What the broker holds, for the failure message: requests queued or in flight, per service.
            var broker = ""
            if acked.count != 600 {
                for type in ["services", "stats"] {
                    let reply = try? await client.request(service: "bus", type: type, payload: [])
                    broker +=
                        "bus \(type): \(reply.map { String(decoding: $0.payload, as: UTF8.self) } ?? "no reply")\n"
                }
            }
            let stored = try await Self.allKeys(client, prefix: "/registry/ConfigMap/default/k9-")
            let lost = Set(acked).subtracting(stored)
            #expect(lost.isEmpty, "acknowledged but lost: \(lost.sorted().prefix(10))")
            // With retries by request id, every write ends up acknowledged exactly once.
            #expect(
                acked.count == 600,
                "not acknowledged: \(Set(stored).subtracting(acked).sorted().prefix(10))\n\(broker)\(cluster.logTails())"
            )
            #expect(stored.count == 600)
        }
    }

    @Test func writersCarryOnAcrossABusRestart() async throws {
        try await withCluster { cluster in
            try cluster.start("bus")
            try cluster.start("store")
            try await cluster.waitForService("store")
            let client = try BusClient(endpoints: cluster.endpoints, attemptTimeout: .seconds(1))
            defer { client.close() }
            let restarted = AtomicFlag()
            let acked = await Self.writeStream(client, prefix: "br", count: 300, writers: 4) { i in
                if i == 100, restarted.setOnce() {
                    cluster.stop("bus", signal: SIGKILL)
                    _ = try? cluster.start("bus")
                }
            }
            #expect(restarted.isSet)
            #expect(acked.count == 300)
            let stored = try await Self.allKeys(client, prefix: "/registry/ConfigMap/default/br-")
            #expect(stored == Set(acked))
        }
    }
}

/// A flag set once across tasks.
final class AtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    /// Sets the flag; true for the one caller that set it.
    func setOnce() -> Bool {
        lock.withLock {
            defer { value = true }
            return !value
        }
    }

    var isSet: Bool { lock.withLock { value } }
}
