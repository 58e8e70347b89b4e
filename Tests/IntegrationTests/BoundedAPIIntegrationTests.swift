import Bus
import Client
import Foundation
import Schema
import Testing

/// Issue 10 against real processes: big lists come in pages by bytes, a too-large apply fails at once.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BoundedAPIIntegrationTests {
    @Test func twentyConfigMapsOfAMegabyteListWithoutLimitAndByInformer() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let api = KubusClient(bus: bus, timeout: .seconds(30))
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "big"]])
            let value = String(repeating: "x", count: 999_900)
            for i in 0..<20 {
                _ = try await api.create([
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": ["name": .string(String(format: "big-%02d", i)), "namespace": "big"],
                    "data": ["v": .string(value)],
                ])
            }
            // A list without limit, as any client may send it: answered at once, in pages, never dropped.
            var names: [String] = []
            var token: String?
            var pages = 0
            let started = ContinuousClock.now
            repeat {
                var payload: JSONValue = ["kind": "ConfigMap", "namespace": "big"]
                if let token { payload["continue"] = .string(token) }
                let reply = try await bus.request(
                    service: "api", type: "list", payload: payload.encoded(), timeout: .seconds(20))
                #expect(reply.code == 200, "\(String(decoding: reply.payload.prefix(300), as: UTF8.self))")
                #expect(reply.payload.count < Int(WireProtocol.maxMessageBytes) / 2)
                let body = try JSONValue.parse(reply.payload)
                names += (body["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
                token = body[path: ["metadata", "continue"]]?.stringValue
                pages += 1
            } while token != nil && pages < 50
            #expect(ContinuousClock.now - started < .seconds(8))
            #expect(pages >= 3)
            #expect(names == (0..<20).map { String(format: "big-%02d", $0) })

            // The informer's list and the client's list of everything follow continue.
            let informed = try await api.informerList(kind: "ConfigMap", namespace: "big")
            #expect(informed.items.count == 20)
            #expect(try await api.list(kind: "ConfigMap", namespace: "big").items.count == 20)

            let get = try cluster.ctl(["get", "cm", "-n", "big", "--no-headers"])
            #expect(get.status == 0, "\(get.err)")
            #expect(get.out.split(separator: "\n").count == 20)
        }
    }

    @Test func applyOfATenMegabyteConfigMapFailsAtOnceWithThe422() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let file = "\(cluster.dir)/big.yaml"
            try
                ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  v: "
                + String(repeating: "x", count: 10_000_000) + "\n").write(
                    toFile: file, atomically: true, encoding: .utf8)
            let started = ContinuousClock.now
            let apply = try cluster.ctl(["apply", "-f", file])
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(apply.status != 0)
            #expect(apply.err.contains("ConfigMap \"big\" is invalid"), "\(apply.err.prefix(500))")
            #expect(apply.err.contains("metadata.annotations: Too long: must have at most 262144 bytes"))
            #expect(apply.err.contains("must have at most 1048576 bytes"))
        }
    }
}
