import Schema
import Testing

@testable import Proxy

/// The userspace proxy's listeners: which sockets a model wants, and which to open and close.
@Suite struct UserspacePlanTests {
    static func port(
        _ name: String, proto: String = "tcp", clusterIP: String? = "127.96.0.20", port: Int = 80, nodePort: Int? = nil,
        external: [String] = [], balancers: [String] = [], endpoints: [ProxyModel.Endpoint] = []
    ) -> ProxyModel.ServicePort {
        ProxyModel.ServicePort(
            namespace: "default", name: name, portName: "http", proto: proto, clusterIP: clusterIP.flatMap(IPv4.init),
            port: port, nodePort: nodePort, externalIPs: external.compactMap(IPv4.init),
            loadBalancerIPs: balancers.compactMap(IPv4.init), endpoints: endpoints, affinityTimeout: nil,
            externalLocal: false, internalLocal: false)
    }

    static let nodes = [
        ProxyModel.Node(name: "a", address: IPv4("127.244.1.1"), podCIDR: CIDR("127.244.1.0/24")),
        ProxyModel.Node(name: "b", address: IPv4("127.244.2.1"), podCIDR: CIDR("127.244.2.0/24")),
        ProxyModel.Node(name: "c", address: nil, podCIDR: nil),
    ]

    static func key(_ text: String) -> ListenerKey {
        let (address, transport) = (text.split(separator: "/")[0], text.split(separator: "/")[1])
        let parts = address.split(separator: ":")
        return ListenerKey(ListenerKey.Transport(rawValue: String(transport))!, IPv4(parts[0])!, Int(parts[1])!)
    }

    @Test func everyFrontendOfEveryPortIsAListener() {
        let model = ProxyModel(
            ports: [
                Self.port("web", nodePort: 30080, external: ["127.0.50.1"], balancers: ["127.0.100.1"]),
                Self.port("dns", proto: "udp", clusterIP: "127.96.0.10", port: 53),
            ], nodes: Self.nodes)
        let plan = UserspacePlan.build(model)
        #expect(
            Set(plan.frontends.keys.map(\.description)) == [
                "127.96.0.20:80/tcp", "127.0.50.1:80/tcp", "127.0.100.1:80/tcp", "127.244.1.1:30080/tcp",
                "127.244.2.1:30080/tcp", "127.96.0.10:53/udp",
            ])
        #expect(
            plan.frontends[Self.key("127.244.2.1:30080/tcp")]
                == Frontend(servicePort: "default/web:http/tcp", kind: .nodePort(node: "b")))
        #expect(plan.frontends[Self.key("127.0.100.1:80/tcp")]?.kind == .external)
        #expect(plan.frontends[Self.key("127.96.0.20:80/tcp")]?.kind == .clusterIP)
        #expect(plan.servicePorts.keys.sorted() == ["default/dns:http/udp", "default/web:http/tcp"])
        #expect(plan.conflicts.isEmpty && plan.unsupported.isEmpty)
    }

    @Test func conflictsAndSCTPAreReported() {
        let model = ProxyModel(
            ports: [
                Self.port("a", clusterIP: "127.96.0.1", external: ["127.0.50.1"]),
                Self.port("b", clusterIP: "127.96.0.2", external: ["127.0.50.1"]),
                Self.port("c", proto: "sctp", clusterIP: "127.96.0.3"),
            ], nodes: [])
        let plan = UserspacePlan.build(model)
        #expect(plan.frontends[Self.key("127.0.50.1:80/tcp")]?.servicePort == "default/a:http/tcp")
        #expect(
            plan.conflicts == [
                "127.0.50.1:80/tcp is wanted by default/a:http/tcp and default/b:http/tcp; default/a:http/tcp keeps it"
            ])
        #expect(plan.unsupported == ["default/c:http/sctp: sctp is not served in userspace mode"])
        #expect(plan.frontends.count == 3)
    }

    @Test func reconcileOpensWhatIsMissingAndClosesWhatIsNotWanted() {
        let a = Self.key("127.96.0.1:80/tcp")
        let b = Self.key("127.96.0.2:80/tcp")
        let c = Self.key("127.96.0.3:53/udp")
        let plan = ListenerReconcile.plan(
            wanted: [a, c], open: [a, b], failed: [Self.key("127.0.0.9:1/tcp"): 5], now: 1)
        #expect(plan == ListenerReconcile.Plan(open: [c], close: [b]))
        #expect(ListenerReconcile.plan(wanted: [a], open: [a], failed: [ListenerKey: Int](), now: 0).isEmpty)
    }

    @Test func aFailedListenerIsRetriedOnlyWhenItsTimeHasCome() {
        let a = Self.key("127.96.0.1:443/tcp")
        #expect(ListenerReconcile.plan(wanted: [a], open: [], failed: [a: 10], now: 9).isEmpty)
        #expect(ListenerReconcile.plan(wanted: [a], open: [], failed: [a: 10], now: 10).open == [a])
    }

    @Test func orderIsStable() {
        let keys = ["127.96.0.2:80/tcp", "127.96.0.1:81/tcp", "127.96.0.1:80/udp", "127.96.0.1:80/tcp"].map(Self.key)
        let plan = ListenerReconcile.plan(wanted: Set(keys), open: [], failed: [ListenerKey: Int](), now: 0)
        #expect(
            plan.open.map(\.description) == [
                "127.96.0.1:80/tcp", "127.96.0.1:80/udp", "127.96.0.1:81/tcp", "127.96.0.2:80/tcp",
            ])
    }
}

/// `kubus-proxy --mode`: auto picks nftables only as root with nft; forced modes are checked.
@Suite struct ProxyModeTests {
    @Test func autoPicksNFTablesOnlyAsRootWithNFT() throws {
        #expect(try ProxyMode.resolve(.auto, isRoot: true, nftPath: "/usr/sbin/nft").mode == .nftables)
        #expect(try ProxyMode.resolve(.auto, isRoot: false, nftPath: "/usr/sbin/nft").mode == .userspace)
        #expect(try ProxyMode.resolve(.auto, isRoot: true, nftPath: nil).mode == .userspace)
        #expect(try ProxyMode.resolve(.userspace, isRoot: true, nftPath: "/usr/sbin/nft").mode == .userspace)
    }

    @Test func forcedNFTablesSaysWhatIsMissing() {
        #expect(throws: ProxyError.self) { try ProxyMode.resolve(.nftables, isRoot: false, nftPath: "/usr/sbin/nft") }
        do {
            _ = try ProxyMode.resolve(.nftables, isRoot: true, nftPath: nil)
            Issue.record("nftables without nft was accepted")
        } catch {
            #expect(error.message.contains("--mode userspace"))
        }
    }
}
