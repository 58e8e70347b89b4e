import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Ingress
import Schema
import Synchronization
import Testing

/// What the ingress controller hands to nginx, kept for the test to read.
final class RecordingDataPlane: IngressDataPlane {
    private let applied = Mutex<[String]>([])

    func apply(_ text: String, certificates: [String: String]) async throws -> Bool {
        applied.withLock { all in
            defer { all.append(text) }
            return all.last != text
        }
    }

    var last: String { applied.withLock { $0.last ?? "" } }
}

/// The ingress controller with the endpoints controller against the in-memory api: kubernetes/website's simple
/// fanout Ingress, applied unchanged, is served by the default class with the pods' addresses, gets its status
/// address, and follows its backends as they change.
@Suite(.timeLimit(.minutes(1)))
struct IngressReconcileTests {
    /// kubernetes/website's service/networking/simple-fanout-example.yaml.
    static let fanout = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: simple-fanout-example
        spec:
          rules:
          - host: foo.bar.com
            http:
              paths:
              - path: /foo
                pathType: Prefix
                backend:
                  service:
                    name: service1
                    port:
                      number: 4200
              - path: /bar
                pathType: Prefix
                backend:
                  service:
                    name: service2
                    port:
                      number: 8080
        """

    static func backend(_ service: String, port: Int, pods: Int) -> String {
        var yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: \(service)}
            spec:
              selector: {app: \(service)}
              ports: [{port: \(port), targetPort: 80}]
            """
        for index in 0..<pods {
            yaml += """

                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: \(service)-\(index), labels: {app: \(service)}}
                spec:
                  containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
                """
        }
        return yaml
    }

    static func podIPs(_ harness: ControllerHarness, app: String) async throws -> [String] {
        try await harness.api.list(Pod.self, namespace: "default", labelSelector: "app=\(app)").items.compactMap(
            \.status.podIP)
    }

    @Test func theFanoutExampleIsServedWithItsPodsAndReported() async throws {
        let dataPlane = RecordingDataPlane()
        let harness = try await ControllerHarness(
            names: [EndpointsController.name, IngressController.name],
            make: [
                { EndpointsController(context: $0) },
                { IngressController(context: $0, configuration: IngressConfiguration(), dataPlane: dataPlane) },
            ])
        defer { harness.close() }
        try await harness.settle()
        let ownClass = try await harness.api.get(IngressClass.self, namespace: nil, name: "kubus")
        #expect(ownClass.metadata.annotations?["ingressclass.kubernetes.io/is-default-class"] == "true")

        try await harness.create(yaml: Self.backend("service1", port: 4200, pods: 2))
        try await harness.create(yaml: Self.backend("service2", port: 8080, pods: 1))
        try await harness.runPods()
        try await harness.create(yaml: Self.fanout)
        try await harness.settle()

        let config = dataPlane.last
        #expect(config.contains("foo.bar.com"))
        #expect(config.contains("/foo") && config.contains("/bar"))
        let first = try await Self.podIPs(harness, app: "service1")
        let second = try await Self.podIPs(harness, app: "service2")
        #expect(first.count == 2 && second.count == 1)
        for ip in first + second { #expect(config.contains("\(ip):80"), "\(ip):80 in the configuration") }

        let ingress = try await harness.api.get(Ingress.self, namespace: "default", name: "simple-fanout-example")
        #expect(ingress.status.loadBalancer?.ingress?.map(\.ip) == ["127.0.0.80"])
        let events = try await harness.api.list(Event.self, namespace: "default").items
        #expect(events.contains { $0.reason == "Sync" && $0.involvedObject.name == "simple-fanout-example" })

        // A backend pod goes away: its address leaves the configuration, the other's stays.
        let gone = try #require(
            try await harness.api.get(Pod.self, namespace: "default", name: "service1-0").status.podIP)
        _ = try await harness.api.delete(kind: "Pod", namespace: "default", name: "service1-0")
        try await harness.runPods()
        try await harness.settle()
        #expect(!dataPlane.last.contains("\(gone):80"))
        let left = try await Self.podIPs(harness, app: "service1")
        #expect(left.count == 1)
        #expect(left.allSatisfy { dataPlane.last.contains("\($0):80") })
    }
}
