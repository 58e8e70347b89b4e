import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import Store
import StoreTesting
import Testing
import Wire

/// Cluster IPs and node ports as kube-apiserver allocates them.
@Suite(.timeLimit(.minutes(1)))
struct ServiceAllocationTests {
    func service(
        _ name: String, type: String? = nil, clusterIP: String? = nil, nodePort: Int? = nil, ports: [Int] = [80]
    ) -> JSONValue {
        var spec: JSONValue = [
            "ports": .array(
                ports.enumerated().map { index, port in
                    var entry: JSONValue = ["port": .int(Int64(port))]
                    if ports.count > 1 { entry["name"] = .string("p\(index)") }
                    if let nodePort, index == 0 { entry["nodePort"] = .int(Int64(nodePort)) }
                    return entry
                }),
            "selector": ["app": .string(name)],
        ]
        if let type { spec["type"] = .string(type) }
        if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
        return [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": spec,
        ]
    }

    @Test func theKubernetesServiceHasTheRangesFirstAddress() async throws {
        let api = try await APIHarness()
        let kubernetes = await api.get("services", "kubernetes")
        #expect(kubernetes["spec", "clusterIP"] == "10.96.0.1")
        #expect(kubernetes["spec", "ports"]?[0]?["name"] == "https")
        #expect(kubernetes["spec", "ports"]?[0]?["port"] == 443)
    }

    @Test func clusterIPsAreAllocatedFromTheRangeAndReleasedOnDelete() async throws {
        let api = try await APIHarness()
        let web = await api.create(service("web"))
        #expect(web.code == 201)
        let ip = try #require(web["spec", "clusterIP"]?.stringValue)
        let range = try #require(CIDR("10.96.0.0/12"))
        #expect(range.contains(try #require(IPv4(ip))))
        #expect(ip != "10.96.0.0" && ip != "10.96.0.1")
        #expect(web["spec", "clusterIPs"] == .array([.string(ip)]))
        #expect(web["spec", "ipFamilies"] == ["IPv4"])
        #expect(web["spec", "ipFamilyPolicy"] == "SingleStack")

        let dns = await api.create(service("dns", clusterIP: "10.96.0.10"))
        #expect(dns["spec", "clusterIP"] == "10.96.0.10")
        let again = await api.create(service("dns2", clusterIP: "10.96.0.10"))
        #expect(again.code == 422)
        #expect(
            again.message.contains(
                #"spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated"#
            ))
        let outside = await api.create(service("far", clusterIP: "192.168.1.1"))
        #expect(outside.code == 422)
        #expect(
            outside.message.contains(
                "the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12"))

        #expect(await api.call("delete", ["kind": "services", "namespace": "default", "name": "dns"]).code == 200)
        let reused = await api.create(service("dns2", clusterIP: "10.96.0.10"))
        #expect(reused.code == 201)

        let headless = await api.create(service("db", clusterIP: "None"))
        #expect(headless["spec", "clusterIPs"] == ["None"])
        var external = service("ext", type: "ExternalName")
        external[path: ["spec", "externalName"]] = "example.com"
        external[path: ["spec", "ports"]] = nil
        let ext = await api.create(external)
        #expect(ext.code == 201)
        #expect(ext["spec", "clusterIP"] == nil)
    }

    @Test func clusterIPsAreImmutableAndKeptWhenLeftOut() async throws {
        let api = try await APIHarness()
        let web = await api.create(service("web"))
        let ip = try #require(web["spec", "clusterIP"]?.stringValue)
        // An update that leaves the cluster IP out keeps it (kubectl replace of the original YAML).
        var replaced = service("web")
        replaced[path: ["metadata", "labels"]] = ["tier": "front"]
        let kept = await api.call("update", ["object": replaced])
        #expect(kept.code == 200)
        #expect(kept["spec", "clusterIP"] == .string(ip))
        let moved = await api.call(
            "patch",
            [
                "kind": "services", "namespace": "default", "name": "web",
                "patch": ["spec": ["clusterIP": "10.96.0.99", "clusterIPs": ["10.96.0.99"]]],
            ])
        #expect(moved.code == 422)
        #expect(moved.message.contains("may not change once set"))
    }

    @Test func nodePortsAreAllocatedKeptAndReleased() async throws {
        let api = try await APIHarness()
        let web = await api.create(service("web", type: "NodePort", ports: [80, 443]))
        #expect(web.code == 201)
        let ports = (web["spec", "ports"]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue }
        #expect(ports.count == 2)
        #expect(ports.allSatisfy { (30000...32767).contains($0) })
        #expect(Set(ports).count == 2)

        let fixed = await api.create(service("fixed", type: "NodePort", nodePort: 30080))
        #expect(fixed["spec", "ports"]?[0]?["nodePort"] == 30080)
        let clash = await api.create(service("clash", type: "NodePort", nodePort: 30080))
        #expect(clash.code == 422)
        #expect(
            clash.message.contains("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"))

        // Re-applying the YAML without node ports keeps them.
        let reapplied = await api.call("update", ["object": service("web", type: "NodePort", ports: [80, 443])])
        #expect((reapplied["spec", "ports"]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue } == ports)

        // Back to ClusterIP: the node ports go, and another service may take them.
        let narrowed = await api.call(
            "patch",
            ["kind": "services", "namespace": "default", "name": "fixed", "patch": ["spec": ["type": "ClusterIP"]]])
        #expect(narrowed.code == 200, "\(narrowed.message)")
        #expect(narrowed["spec", "ports"]?[0]?["nodePort"] == nil)
        #expect(await api.create(service("clash", type: "NodePort", nodePort: 30080)).code == 201)

        let balancer = await api.create(service("lb", type: "LoadBalancer"))
        #expect(balancer["spec", "ports"]?[0]?["nodePort"]?.intValue != nil)
        #expect(balancer["spec", "allocateLoadBalancerNodePorts"] == true)
    }

    @Test func twoInstancesNeverHandOutTheSameAddress() async throws {
        let backend = MemoryBackend()
        let logger = Logger(label: "test")
        var configuration = APIServerConfiguration()
        configuration.serviceClusterIPRange = try #require(CIDR("10.96.0.0/27"))
        let first = APIHandler(
            store: BackendStoreAccess(backend: backend), configuration: configuration, logger: logger)
        let second = APIHandler(
            store: BackendStoreAccess(backend: backend), configuration: configuration, logger: logger)
        try await first.bootstrap()
        // 30 usable addresses, one for `kubernetes`: 29 services fit, the 30th finds the range full.
        let codes = await withTaskGroup(of: (Int, String?).self) { group in
            for i in 0..<30 {
                group.addTask {
                    let handler = i.isMultiple(of: 2) ? first : second
                    let payload: JSONValue = ["object": service("s\(i)")]
                    let reply = await handler.handle(
                        verb: "create", payload: payload.encoded(), requestID: UUID().uuidString)
                    let body = try? JSONValue.parse(reply.payload)
                    return (
                        reply.code, body?[path: ["spec", "clusterIP"]]?.stringValue ?? body?["message"]?.stringValue
                    )
                }
            }
            var all: [(Int, String?)] = []
            for await result in group { all.append(result) }
            return all
        }
        let ips = codes.filter { $0.0 == 201 }.compactMap(\.1)
        #expect(ips.count == 29)
        #expect(Set(ips).count == 29)
        let failed = codes.filter { $0.0 != 201 }
        #expect(failed.count == 1)
        #expect(failed.first?.1?.contains("range is full") == true)
    }

    @Test func repairGivesBackOrphansAndClaimsWhatServicesHold() async throws {
        let api = try await APIHarness()
        #expect(await api.create(service("web", clusterIP: "10.96.0.20")).code == 201)
        // An allocation whose service never got written (a crash between the two writes).
        let orphan = #"{"namespace":"default","name":"gone","uid":"u-1","at":"2020-01-01T00:00:00Z"}"#
        _ = try await api.backend.write(
            WriteRequest(
                key: "/kubus/allocations/serviceips/10.96.0.21", operation: .put(value: orphan), precondition: .absent))
        // A service whose allocation is missing.
        _ = try await api.backend.write(
            WriteRequest(key: "/kubus/allocations/serviceips/10.96.0.20", operation: .delete))
        let (released, claimed) = try await api.handler.repairServiceAllocations(grace: 0)
        #expect(released == 1)
        #expect(claimed == 1)
        #expect(await api.create(service("other", clusterIP: "10.96.0.21")).code == 201)
        #expect(await api.create(service("third", clusterIP: "10.96.0.20")).code == 422)
    }
}
