import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The endpoints controller against the in-memory api: Endpoints and EndpointSlices from a Service's selector,
/// ready and not-ready pods, named target ports, deletion, and selector-less Services mirrored.
@Suite(.timeLimit(.minutes(1)))
struct EndpointsReconcileTests {
    static let service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: my-nginx
          labels: {run: my-nginx}
        spec:
          selector: {run: my-nginx}
          ports:
          - name: web
            port: 80
            targetPort: http
        """

    static func pod(_ name: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
          labels: {run: my-nginx}
        spec:
          containers:
          - name: nginx
            image: nginx:1.27
            ports:
            - {name: http, containerPort: 8080}
        """
    }

    static func slices(_ harness: ControllerHarness) async throws -> [EndpointSlice] {
        try await harness.api.list(EndpointSlice.self, namespace: "default").items.filter {
            $0.metadata.labels?[EndpointSlice.serviceNameLabel] == "my-nginx"
        }
    }

    @Test func readyAndNotReadyPodsWithTheirNamedPort() async throws {
        let harness = try await ControllerHarness([EndpointsController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.service)
        try await harness.create(yaml: Self.pod("ready-1"))
        try await harness.runPods(ready: true)
        try await harness.create(yaml: Self.pod("starting-1"))
        try await harness.runPods(ready: false)
        try await harness.settle()

        let podIP = { (name: String) in
            try await harness.api.get(Pod.self, namespace: "default", name: name).status.podIP ?? ""
        }
        let readyIP = try await podIP("ready-1")
        let startingIP = try await podIP("starting-1")
        let endpoints = try await harness.api.get(Endpoints.self, namespace: "default", name: "my-nginx")
        let subset = try #require(endpoints.subsets?.first)
        #expect(subset.addresses?.map(\.ip) == [readyIP])
        #expect(subset.notReadyAddresses?.map(\.ip) == [startingIP])
        #expect(subset.ports?.first?.port == 8080)
        #expect(subset.ports?.first?.name == "web")

        let slice = try #require(try await Self.slices(harness).first)
        #expect(slice.addressType == "IPv4")
        #expect(slice.metadata.labels?["endpointslice.kubernetes.io/managed-by"] == EndpointsDecisions.sliceManager)
        #expect(slice.ports?.first?.port == 8080)
        let byIP = Dictionary(uniqueKeysWithValues: (slice.endpoints ?? []).map { ($0.addresses.first ?? "", $0) })
        #expect(byIP[readyIP]?.conditions?.ready == true)
        #expect(byIP[startingIP]?.conditions?.ready == false)
        #expect(byIP[readyIP]?.targetRef?.name == "ready-1")
        #expect(byIP[readyIP]?.nodeName == "node-1")
    }

    @Test func aDeletedPodLeavesAndADeletedServiceTakesItsEndpoints() async throws {
        let harness = try await ControllerHarness([EndpointsController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.service)
        try await harness.create(yaml: Self.pod("a"))
        try await harness.create(yaml: Self.pod("b"))
        try await harness.runPods()
        try await harness.settle()
        #expect(try await Self.slices(harness).first?.endpoints?.count == 2)

        _ = try await harness.api.delete(kind: "Pod", namespace: "default", name: "a")
        try await harness.runPods()  // the kubelet removes it
        try await harness.settle()
        let endpoints = try await harness.api.get(Endpoints.self, namespace: "default", name: "my-nginx")
        #expect(endpoints.subsets?.first?.addresses?.map { $0.targetRef?.name } == ["b"])
        #expect(try await Self.slices(harness).first?.endpoints?.compactMap(\.targetRef?.name) == ["b"])

        _ = try await harness.api.delete(kind: "Service", namespace: "default", name: "my-nginx")
        try await harness.settle()
        await #expect(throws: APIError.self) {
            try await harness.api.get(Endpoints.self, namespace: "default", name: "my-nginx")
        }
        #expect(try await Self.slices(harness).isEmpty)
    }

    @Test func aServiceWithoutSelectorKeepsHandWrittenEndpointsAndMirrorsThem() async throws {
        let harness = try await ControllerHarness([EndpointsController.self])
        defer { harness.close() }
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: my-nginx}
                spec:
                  ports: [{protocol: TCP, port: 80, targetPort: 9376}]
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: my-nginx}
                subsets:
                - addresses: [{ip: 192.0.2.42}]
                  ports: [{port: 9376}]
                """)
        try await harness.settle()
        let endpoints = try await harness.api.get(Endpoints.self, namespace: "default", name: "my-nginx")
        #expect(endpoints.subsets?.first?.addresses?.map(\.ip) == ["192.0.2.42"])
        let slice = try #require(try await Self.slices(harness).first)
        #expect(slice.endpoints?.first?.addresses == ["192.0.2.42"])
        #expect(slice.ports?.first?.port == 9376)
        #expect(slice.metadata.labels?["endpointslice.kubernetes.io/managed-by"] == EndpointsDecisions.mirrorManager)
    }
}
