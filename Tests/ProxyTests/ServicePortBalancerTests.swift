import Schema
import Testing

@testable import Proxy

/// Endpoint choice in the userspace proxy: round-robin, ClientIP affinity and the Local traffic policies.
@Suite struct ServicePortBalancerTests {
    static func endpoint(_ ip: String, node: String? = nil) -> ProxyModel.Endpoint {
        ProxyModel.Endpoint(ip: IPv4(ip)!, port: 8080, nodeName: node)
    }

    static let a1 = endpoint("127.244.1.2", node: "a")
    static let a2 = endpoint("127.244.1.3", node: "a")
    static let b1 = endpoint("127.244.2.2", node: "b")

    static func port(
        _ endpoints: [ProxyModel.Endpoint], affinity: Int? = nil, externalLocal: Bool = false,
        internalLocal: Bool = false
    ) -> ProxyModel.ServicePort {
        var port = UserspacePlanTests.port("web", nodePort: 30080, endpoints: endpoints)
        port.affinityTimeout = affinity
        port.externalLocal = externalLocal
        port.internalLocal = internalLocal
        return port
    }

    let client = IPv4("127.0.0.1")!
    let now = ContinuousClock.now

    @Test func roundRobinVisitsEveryEndpointInTurn() {
        var balancer = ServicePortBalancer(
            port: Self.port([Self.a1, Self.a2, Self.b1]), nodes: UserspacePlanTests.nodes)
        let picks = (0..<6).map { _ in balancer.pick(frontend: .clusterIP, client: client, now: now) }
        #expect(picks == [Self.a1, Self.a2, Self.b1, Self.a1, Self.a2, Self.b1])
    }

    @Test func noEndpointsGivesNil() {
        var balancer = ServicePortBalancer(port: Self.port([]), nodes: [])
        #expect(balancer.pick(frontend: .clusterIP, client: client, now: now) == nil)
    }

    @Test func anEndpointThatRefusedIsSkipped() {
        var balancer = ServicePortBalancer(port: Self.port([Self.a1, Self.a2]), nodes: [])
        #expect(balancer.pick(frontend: .clusterIP, client: client, now: now, excluding: [Self.a1]) == Self.a2)
        #expect(balancer.pick(frontend: .clusterIP, client: client, now: now, excluding: [Self.a1, Self.a2]) == nil)
    }

    @Test func clientIPAffinityKeepsAClientOnItsEndpointUntilTheTimeout() {
        var balancer = ServicePortBalancer(port: Self.port([Self.a1, Self.a2, Self.b1], affinity: 10), nodes: [])
        let other = IPv4("127.0.0.2")!
        let first = balancer.pick(frontend: .clusterIP, client: client, now: now)
        #expect(first == Self.a1)
        #expect(balancer.pick(frontend: .clusterIP, client: other, now: now) == Self.a2)
        for second in 1...5 {
            #expect(balancer.pick(frontend: .clusterIP, client: client, now: now + .seconds(second * 9)) == Self.a1)
        }
        // The timeout counts from the last use: 11 s after it, the client is balanced again.
        #expect(balancer.pick(frontend: .clusterIP, client: client, now: now + .seconds(45 + 11)) == Self.b1)
        #expect(balancer.stickyClients == 2)
        balancer.prune(now: now + .seconds(45 + 11 + 10))
        #expect(balancer.stickyClients == 1)
    }

    @Test func affinityToAnEndpointThatLeftIsReleased() {
        var balancer = ServicePortBalancer(port: Self.port([Self.a1, Self.a2], affinity: 100), nodes: [])
        #expect(balancer.pick(frontend: .clusterIP, client: client, now: now) == Self.a1)
        balancer.update(port: Self.port([Self.a2, Self.b1], affinity: 100), nodes: [])
        #expect(balancer.stickyClients == 0)
        let next = balancer.pick(frontend: .clusterIP, client: client, now: now)
        #expect(next == Self.a2 || next == Self.b1)
        #expect((0..<5).allSatisfy { _ in balancer.pick(frontend: .clusterIP, client: client, now: now) == next })
        balancer.update(port: Self.port([Self.a2, Self.b1]), nodes: [])
        #expect(balancer.stickyClients == 0)
    }

    @Test func withoutAffinityNoClientIsRemembered() {
        var balancer = ServicePortBalancer(port: Self.port([Self.a1, Self.a2]), nodes: [])
        _ = balancer.pick(frontend: .clusterIP, client: client, now: now)
        #expect(balancer.stickyClients == 0)
    }

    @Test func externalLocalSendsNodePortTrafficOnlyToThatNodesEndpoints() {
        var balancer = ServicePortBalancer(
            port: Self.port([Self.a1, Self.a2, Self.b1], externalLocal: true), nodes: UserspacePlanTests.nodes)
        #expect(
            (0..<4).map { _ in balancer.pick(frontend: .nodePort(node: "b"), client: client, now: now) }
                == Array(repeating: Self.b1, count: 4))
        #expect(
            Set((0..<4).map { _ in balancer.pick(frontend: .nodePort(node: "a"), client: client, now: now) }) == [
                Self.a1, Self.a2,
            ])
        #expect(balancer.pick(frontend: .nodePort(node: "c"), client: client, now: now) == nil)
        // External and balancer addresses belong to every node of the machine.
        #expect(Set((0..<3).map { _ in balancer.pick(frontend: .external, client: client, now: now) }).count == 3)
        // Cluster traffic is not external.
        #expect(Set((0..<3).map { _ in balancer.pick(frontend: .clusterIP, client: client, now: now) }).count == 3)
    }

    @Test func internalLocalSendsAPodsTrafficOnlyToItsNodesEndpoints() {
        var balancer = ServicePortBalancer(
            port: Self.port([Self.a1, Self.a2, Self.b1], internalLocal: true), nodes: UserspacePlanTests.nodes)
        let podOnB = IPv4("127.244.2.9")!
        #expect(
            (0..<3).map { _ in balancer.pick(frontend: .clusterIP, client: podOnB, now: now) } == [
                Self.b1, Self.b1, Self.b1,
            ])
        // A client outside every node's pod range (the host, 127.0.0.1) uses every endpoint.
        #expect(Set((0..<3).map { _ in balancer.pick(frontend: .clusterIP, client: client, now: now) }).count == 3)
        // A pod of a node without endpoints of the service gets none, as in Kubernetes.
        balancer.update(port: Self.port([Self.a1], internalLocal: true), nodes: UserspacePlanTests.nodes)
        #expect(balancer.pick(frontend: .clusterIP, client: podOnB, now: now) == nil)
        // Node ports are external traffic.
        #expect(balancer.pick(frontend: .nodePort(node: "b"), client: podOnB, now: now) == Self.a1)
    }

    @Test func theRouterKeepsBalancersOfPortsThatStay() {
        let router = ServiceRouter()
        let model = ProxyModel(ports: [Self.port([Self.a1, Self.a2], affinity: 100)], nodes: [])
        router.update(UserspacePlan.build(model), nodes: [])
        let listener = UserspacePlanTests.key("127.96.0.20:80/tcp")
        #expect(router.pick(listener, client: client) == .endpoint(Self.a1))
        var changed = model
        changed.ports[0].endpoints.append(Self.b1)
        router.update(UserspacePlan.build(changed), nodes: [])
        #expect(router.pick(listener, client: client) == .endpoint(Self.a1))
        #expect(router.pick(UserspacePlanTests.key("127.96.0.99:80/tcp"), client: client) == .noRoute)
        router.update(UserspacePlan.build(ProxyModel(ports: [Self.port([])], nodes: [])), nodes: [])
        #expect(router.pick(listener, client: client) == .noEndpoint)
    }
}
