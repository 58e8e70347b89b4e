import Schema
import Testing

@testable import Controllers

@Suite struct EndpointsDecisionsTests {
    func service(
        _ name: String = "web", ports: [ServicePort] = [ServicePort(name: "http", port: 80, targetPort: .int(8080))],
        publishNotReady: Bool = false, headless: Bool = false
    ) -> Service {
        var service = Service(metadata: ObjectMeta(name: name, namespace: "default", uid: "svc-uid"))
        service.spec.selector = ["app": "web"]
        service.spec.ports = ports
        service.spec.publishNotReadyAddresses = publishNotReady ? true : nil
        if headless { service.spec.clusterIP = "None" }
        return service
    }

    func pod(_ name: String, ip: String?, ready: Bool = true, port: (String, Int)? = nil, terminating: Bool = false)
        -> Pod
    {
        var pod = makePod(name, node: "n1", phase: "Running", ready: ready)
        pod.status.podIP = ip
        pod.spec.containers = [Container(name: "app", image: "nginx")]
        if let (portName, number) = port {
            pod.spec.containers[0].ports = [ContainerPort(name: portName, containerPort: number)]
        }
        if terminating { pod.metadata.deletionTimestamp = .now() }
        return pod
    }

    @Test func readyNotReadyTerminatingAndPublished() {
        let pods = [
            pod("a", ip: "10.244.1.2"), pod("b", ip: "10.244.1.3", ready: false),
            pod("c", ip: "10.244.1.4", terminating: true), pod("d", ip: nil),
        ]
        let backends = EndpointsDecisions.backends(of: service(), pods: pods)
        #expect(backends.map(\.ip) == ["10.244.1.2", "10.244.1.3", "10.244.1.4"])
        #expect(backends.map(\.ready) == [true, false, false])
        #expect(backends.map(\.terminating) == [false, false, true])
        let subsets = EndpointsDecisions.subsets(backends, publishNotReady: false)
        #expect(subsets.count == 1)
        #expect(subsets[0].addresses?.map(\.ip) == ["10.244.1.2"])
        #expect(subsets[0].notReadyAddresses?.map(\.ip) == ["10.244.1.3"])
        #expect(subsets[0].ports == [EndpointPort(name: "http", port: 8080, protocol: "TCP")])
        #expect(subsets[0].addresses?[0].targetRef?.name == "a")

        let published = EndpointsDecisions.backends(of: service(publishNotReady: true), pods: pods)
        #expect(published.map(\.ready) == [true, true, true])
        #expect(EndpointsDecisions.subsets(published, publishNotReady: true)[0].addresses?.count == 3)
    }

    @Test func namedTargetPortsResolvePerPodAndGroupSubsets() {
        let named = service(ports: [ServicePort(name: "http", port: 80, targetPort: .string("web"))])
        let pods = [
            pod("a", ip: "10.244.1.2", port: ("web", 8080)), pod("b", ip: "10.244.1.3", port: ("web", 9090)),
            pod("c", ip: "10.244.1.4"),
        ]
        let backends = EndpointsDecisions.backends(of: named, pods: pods)
        #expect(backends.map { $0.ports.first?.port } == [8080, 9090, nil])
        let subsets = EndpointsDecisions.subsets(backends, publishNotReady: false)
        #expect(subsets.map { $0.ports?.first?.port } == [8080, 9090])
    }

    @Test func statefulSetPodsGetTheirHostname() {
        var web0 = pod("web-0", ip: "10.244.1.2")
        web0.spec.hostname = "web-0"
        web0.spec.subdomain = "nginx"
        var other = pod("web-1", ip: "10.244.1.3")
        other.spec.hostname = "web-1"
        other.spec.subdomain = "elsewhere"
        let backends = EndpointsDecisions.backends(of: service("nginx", headless: true), pods: [web0, other])
        #expect(backends.map(\.hostname) == ["web-0", nil])
        #expect(EndpointsDecisions.endpoint(backends[0]).hostname == "web-0")
    }

    @Test func slicesHoldAtMostAHundredAndKeepTheirEndpoints() {
        let ports = [EndpointSlicePort(name: "http", protocol: "TCP", port: 8080)]
        func endpoint(_ i: Int, ready: Bool = true) -> (ports: [EndpointSlicePort], endpoint: Endpoint) {
            (
                ports,
                Endpoint(addresses: ["10.244.\(i / 250).\(i % 250 + 2)"], conditions: EndpointConditions(ready: ready))
            )
        }
        let template = EndpointSlice(
            metadata: ObjectMeta(
                generateName: "web-", namespace: "default", labels: ["kubernetes.io/service-name": "web"]))
        let first = EndpointsDecisions.planSlices(
            desired: (0..<250).map { endpoint($0) }, existing: [], template: template)
        #expect(first.create.map { $0.endpoints?.count } == [100, 100, 50])
        #expect(first.update.isEmpty && first.delete.isEmpty)

        // The slices exist now (named); one endpoint of the first slice turns unready, one of the last goes,
        // and a new one fills the room it left.
        var existing = first.create
        for index in existing.indices { existing[index].metadata.name = "web-\(index)" }
        var desired = (0..<250).map { endpoint($0, ready: $0 != 5) }
        desired.removeAll { $0.endpoint.addresses == ["10.244.0.202"] }  // endpoint 200, in the last slice
        desired.append(endpoint(300))
        let second = EndpointsDecisions.planSlices(desired: desired, existing: existing, template: template)
        #expect(second.create.isEmpty && second.delete.isEmpty)
        // Only the slices that held the changed endpoints change; the newcomer takes the room the leaver left.
        func holder(_ ip: String) -> String? {
            existing.first { $0.endpoints?.contains { $0.addresses == [ip] } == true }?.metadata.name
        }
        let touched = Set([holder("10.244.0.7"), holder("10.244.0.202")].compactMap { $0 })
        #expect(Set(second.update.compactMap(\.metadata.name)) == touched)
        let after = existing.map { slice in second.update.first { $0.metadata.name == slice.metadata.name } ?? slice }
        #expect(after.map { $0.endpoints?.count ?? 0 }.reduce(0, +) == 250)
        #expect(after.allSatisfy { ($0.endpoints?.count ?? 0) <= 100 })
        #expect(
            after.flatMap { $0.endpoints ?? [] }.first { $0.addresses == ["10.244.0.7"] }?.conditions?.ready == false)
        #expect(after.flatMap { $0.endpoints ?? [] }.contains { $0.addresses == ["10.244.1.52"] })

        // Nothing left: one empty slice stays.
        let empty = EndpointsDecisions.planSlices(desired: [], existing: existing, template: template)
        #expect(empty.delete.count == 2)
        #expect(empty.update.count == 1)
        #expect(empty.update.first?.endpoints == [])
    }

    @Test func handWrittenEndpointsAreMirrored() {
        let endpoints = Endpoints(
            metadata: ObjectMeta(name: "db", namespace: "default"),
            subsets: [
                EndpointSubset(
                    addresses: [EndpointAddress(ip: "192.0.2.42")],
                    notReadyAddresses: [EndpointAddress(ip: "192.0.2.43")],
                    ports: [EndpointPort(name: "pg", port: 5432)])
            ])
        let mirrored = EndpointsController.mirrored(endpoints)
        #expect(mirrored.map(\.endpoint.addresses) == [["192.0.2.42"], ["192.0.2.43"]])
        #expect(mirrored.map { $0.endpoint.conditions?.ready } == [true, false])
        #expect(mirrored[0].ports == [EndpointSlicePort(name: "pg", protocol: "TCP", port: 5432)])
    }
}
