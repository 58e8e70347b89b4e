import Foundation
import Schema
import Testing

@testable import Proxy

@Suite struct ProxyRulesTests {
    func service(
        _ name: String, clusterIP: String? = "10.96.0.20", type: String = "ClusterIP",
        ports: [ServicePort] = [
            ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .int(8080), nodePort: 30080)
        ], affinity: Bool = false, externalLocal: Bool = false, internalLocal: Bool = false, balancer: String? = nil
    ) -> Schema.Service {
        var service = Schema.Service(metadata: ObjectMeta(name: name, namespace: "default"))
        service.spec.type = type
        service.spec.clusterIP = clusterIP
        service.spec.ports = ports
        if affinity {
            service.spec.sessionAffinity = "ClientIP"
            service.spec.sessionAffinityConfig = SessionAffinityConfig(clientIP: ClientIPConfig(timeoutSeconds: 600))
        }
        if externalLocal { service.spec.externalTrafficPolicy = "Local" }
        if internalLocal { service.spec.internalTrafficPolicy = "Local" }
        if let balancer {
            service.status.loadBalancer = LoadBalancerStatus(ingress: [LoadBalancerIngress(ip: balancer)])
        }
        return service
    }

    func slice(_ service: String, _ endpoints: [(String, String, Bool)], port: Int = 8080) -> EndpointSlice {
        EndpointSlice(
            metadata: ObjectMeta(
                name: service + "-x", namespace: "default", labels: [EndpointSlice.serviceNameLabel: service]),
            addressType: "IPv4",
            endpoints: endpoints.map { ip, node, ready in
                Endpoint(
                    addresses: [ip], conditions: EndpointConditions(ready: ready, serving: ready, terminating: false),
                    nodeName: node)
            },
            ports: [EndpointSlicePort(name: "http", protocol: "TCP", port: port)])
    }

    func node(_ name: String, _ ip: String, _ cidr: String) -> Node {
        var node = Node(metadata: ObjectMeta(name: name))
        node.spec.podCIDR = cidr
        node.status.addresses = [NodeAddress(type: "InternalIP", address: ip)]
        return node
    }

    var nodes: [Node] { [node("a", "10.244.1.1", "10.244.1.0/24"), node("b", "10.244.2.1", "10.244.2.0/24")] }

    @Test func theModelKeepsReadyEndpointsAndEveryFrontend() {
        let model = ProxyModel.build(
            services: [
                service("web", type: "LoadBalancer", balancer: "127.0.100.1"), service("db", clusterIP: "None"),
            ],
            slices: [slice("web", [("10.244.1.5", "a", true), ("10.244.2.6", "b", false), ("10.244.1.7", "a", true)])],
            nodes: nodes)
        #expect(model.ports.count == 1)  // the headless one has no virtual address
        let port = model.ports[0]
        #expect(port.endpoints.map(\.ip.description) == ["10.244.1.5", "10.244.1.7"])
        #expect(port.endpoints.allSatisfy { $0.port == 8080 })
        #expect(port.nodePort == 30080)
        #expect(port.loadBalancerIPs.map(\.description) == ["127.0.100.1"])
        #expect(model.nodes.map(\.address?.description) == ["10.244.1.1", "10.244.2.1"])
    }

    @Test func theScriptHasKubeProxysShape() throws {
        let model = ProxyModel.build(
            services: [service("web", type: "NodePort", affinity: true), service("empty", clusterIP: "10.96.0.21")],
            slices: [slice("web", [("10.244.1.5", "a", true), ("10.244.2.6", "b", true)])], nodes: nodes)
        let (script, names) = NFTablesRules.script(
            model, clusterCIDR: CIDR("10.244.0.0/16")!, existing: ["svc-gone", "aff-gone"])
        #expect(
            script.contains(
                "add element ip kubus-proxy service-ips { 10.96.0.20 . tcp . 80 comment \"default/web:http\" : goto svc-"
            ))
        #expect(script.contains("add element ip kubus-proxy service-nodeports { 10.244.1.1 . tcp . 30080"))
        #expect(script.contains("add element ip kubus-proxy service-nodeports { 10.244.2.1 . tcp . 30080"))
        #expect(script.contains("numgen random mod 2 vmap"))
        #expect(script.contains("dnat to 10.244.1.5:8080"))
        #expect(script.contains("flags dynamic,timeout; timeout 600s;"))
        #expect(script.contains("add element ip kubus-proxy no-endpoint-services { 10.96.0.21 . tcp . 80"))
        #expect(script.contains("delete chain ip kubus-proxy svc-gone"))
        #expect(script.contains("delete set ip kubus-proxy aff-gone"))
        #expect(names.contains { $0.hasPrefix("aff-") })
        // nft itself accepts it (a check only, nothing applied), where nft and the rights to ask it are present.
        if getuid() == 0, let nft = HostProgram.locate("nft") {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: nft)
            check.arguments = ["-c", "-f", "-"]
            let input = Pipe()
            let output = Pipe()
            check.standardInput = input
            check.standardOutput = output
            check.standardError = output
            try check.run()
            input.fileHandleForWriting.write(
                Data(
                    script.replacingOccurrences(of: "delete chain ip kubus-proxy svc-gone\n", with: "")
                        .replacingOccurrences(of: "delete set ip kubus-proxy aff-gone\n", with: "").utf8))
            try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "nft -c: \(text)")
        }
    }

    @Test func localPoliciesKeepTrafficOnItsNode() {
        let model = ProxyModel.build(
            services: [service("web", type: "NodePort", externalLocal: true, internalLocal: true)],
            slices: [slice("web", [("10.244.1.5", "a", true), ("10.244.2.6", "b", true)])], nodes: nodes)
        let (script, _) = NFTablesRules.script(model, clusterCIDR: CIDR("10.244.0.0/16")!)
        // Pods of node a go to a's endpoint only.
        #expect(script.contains("ip saddr 10.244.1.0/24 goto local-"))
        #expect(script.contains("ip saddr 10.244.2.0/24 goto local-"))
        // Node ports of each node have a chain of their own, without masquerading pods or outsiders.
        #expect(script.components(separatedBy: "add chain ip kubus-proxy nodeport-").count == 3)
    }

    @Test func namesAreReadBackFromAListing() {
        let listing = """
            table ip kubus-proxy {
            \tmap service-ips {
            \t\ttype ipv4_addr . inet_proto . inet_service : verdict
            \t}
            \tset aff-0123 {
            \t}
            \tchain svc-abc {
            \t}
            }
            """
        #expect(NFTablesRules.names(inListing: listing) == ["service-ips", "aff-0123", "svc-abc"])
    }
}
