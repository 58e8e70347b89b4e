import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The load-balancer controller against the in-memory api: addresses from the pool, other classes left alone,
/// addresses taken back, and a full pool reported.
@Suite(.timeLimit(.minutes(1)))
struct LoadBalancerReconcileTests {
    static func service(_ name: String, type: String = "LoadBalancer", className: String? = nil) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: \(name)}
        spec:
          type: \(type)
          \(className.map { "loadBalancerClass: \($0)" } ?? "")
          selector: {app: \(name)}
          ports: [{port: 80, targetPort: 8080}]
        """
    }

    static func address(_ harness: ControllerHarness, _ name: String) async throws -> String? {
        try await harness.api.get(Service.self, namespace: "default", name: name).status.loadBalancer?.ingress?.first?
            .ip
    }

    @Test func eachServiceGetsItsOwnAddressFromThePool() async throws {
        let harness = try await ControllerHarness([LoadBalancerController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.service("web"))
        try await harness.create(yaml: Self.service("api"))
        try await harness.create(yaml: Self.service("internal", type: "ClusterIP"))
        try await harness.create(yaml: Self.service("metal", className: "example.com/metallb"))
        try await harness.settle()

        let web = try #require(try await Self.address(harness, "web"))
        let api = try #require(try await Self.address(harness, "api"))
        #expect(web != api)
        for ip in [web, api] { #expect(LoadBalancerController.defaultPool.contains(try #require(IPv4(ip)))) }
        #expect(try await Self.address(harness, "internal") == nil)
        #expect(try await Self.address(harness, "metal") == nil)
        let events = try await harness.api.list(Event.self, namespace: "default").items
        #expect(events.filter { $0.reason == "IPAllocated" }.count == 2)

        // No longer a LoadBalancer: the address goes back to the pool.
        _ = try await harness.api.patch(
            kind: "Service", namespace: "default", name: "web", patch: ["spec": ["type": "ClusterIP"]])
        try await harness.settle()
        #expect(try await Self.address(harness, "web") == nil)
    }

    @Test func aFullPoolIsReportedAndServedOnceAnAddressIsFree() async throws {
        var configuration = ControllerConfiguration()
        configuration.options["lb-pool"] = "127.0.100.0/30"
        let harness = try await ControllerHarness([LoadBalancerController.self], configuration: configuration)
        defer { harness.close() }
        let names = ["a", "b", "c", "d", "e"]
        for name in names { try await harness.create(yaml: Self.service(name)) }
        try await harness.settle()
        var served: [String] = []
        for name in names where try await Self.address(harness, name) != nil { served.append(name) }
        let waiting = names.filter { !served.contains($0) }
        #expect(!waiting.isEmpty, "a /30 cannot serve five")
        let events = try await harness.api.list(Event.self, namespace: "default").items
        #expect(events.contains { $0.reason == "AllocationFailed" && $0.message?.contains("no available IPs") == true })

        _ = try await harness.api.delete(kind: "Service", namespace: "default", name: served[0])
        try await harness.settle()
        let retried = try #require(harness.context(LoadBalancerController.name))
        for key in waiting { await retried.enqueue("default/\(key)") }  // the resync a real runner does
        try await harness.settle()
        var nowServed = 0
        for name in waiting where try await Self.address(harness, name) != nil { nowServed += 1 }
        #expect(nowServed == 1)
    }
}
