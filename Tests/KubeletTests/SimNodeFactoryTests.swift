import ArgumentParser
import KubeletCLI
import Schema
import Testing

@testable import Kubelet

@Suite struct SimNodeFactoryTests {
    func factory(nodes: Int = 5000, offset: Int = 0) -> SimNodeFactory {
        var c = SimKubeletConfiguration()
        c.prefix = "kwok"
        c.nodeCount = nodes
        c.indexOffset = offset
        return SimNodeFactory(configuration: c)
    }

    @Test func nodeHasCapacityLabelsReadyConditionAndAddresses() {
        let node = factory().node(7)
        #expect(node.metadata.name == "kwok-7")
        #expect(node.metadata.labels?["kubernetes.io/hostname"] == "kwok-7")
        #expect(node.metadata.labels?["kubernetes.io/os"] == "linux")
        #expect(node.metadata.labels?[SimNodeFactory.simLabel] == "true")
        #expect(node.status.allocatable?["cpu"] == Quantity(stringLiteral: "32"))
        #expect(node.status.capacity?["memory"] == Quantity(stringLiteral: "256Gi"))
        #expect(node.status.allocatable?["pods"] == Quantity(stringLiteral: "110"))
        #expect(node.status.conditions?.first { $0.type == "Ready" }?.status == "True")
        #expect(node.status.conditions?.filter { $0.status == "False" }.count == 3)
        #expect(node.status.addresses?.first { $0.type == "InternalIP" }?.address == "198.18.0.8")
        #expect(node.spec.podCIDR == "100.64.7.0/24")
    }

    @Test func addressRangesDoNotOverlapBetweenNodes() {
        #expect(SimAddresses.podCIDR(256) == "100.65.0.0/24")
        #expect(SimAddresses.podIP(300, slot: 9) == "100.65.44.9")
        #expect(SimAddresses.slot(of: "100.65.44.9", node: 300) == 9)
        #expect(SimAddresses.slot(of: "100.65.44.9", node: 301) == nil)
        #expect(SimAddresses.nodeIP(65_535) == "198.19.0.0")
        #expect(factory(offset: 1000).node(0).spec.podCIDR == SimAddresses.podCIDR(1000))
    }

    @Test func leaseIsHeldAndOwnedByItsNode() {
        let lease = factory().lease(3, nodeUID: "uid-3")
        #expect(lease.metadata.namespace == "kube-node-lease")
        #expect(lease.metadata.name == "kwok-3")
        #expect(lease.spec.holderIdentity == "kwok-3")
        #expect(lease.spec.leaseDurationSeconds == 40)
        #expect(lease.metadata.ownerReferences?.first?.uid == "uid-3")
        #expect(lease.spec.renewTime != nil)
    }

    @Test func renewalSlotsCoverEveryNodeOnce() {
        for nodes in [1, 7, 100, 5000] {
            let f = factory(nodes: nodes)
            var seen: [Int] = []
            for slot in 0..<100 { seen += Array(f.nodes(inSlot: slot, of: 100)) }
            #expect(seen == Array(0..<nodes))
        }
        // Spread evenly: 5,000 nodes in 100 slots is 50 each.
        #expect(factory().nodes(inSlot: 42, of: 100).count == 50)
    }

    @Test func nodeIndexIsParsedOnlyForThisProcessesNodes() {
        let c = factory(nodes: 10).configuration
        #expect(c.index(of: "kwok-9") == 9)
        #expect(c.index(of: "kwok-10") == nil)
        #expect(c.index(of: "kwok-09") == nil)
        #expect(c.index(of: "kwok-a-1") == nil)
        #expect(c.index(of: "other-1") == nil)
    }

    @Test func simOptionsValidateFlags() throws {
        let o = try SimOptions.parse(["--sim-nodes", "3", "--sim-node-memory", "1Gi", "--sim-startup-millis", "250"])
        let c = try o.configuration(prefix: "n")
        #expect(c.nodeCount == 3 && c.memory == Quantity(stringLiteral: "1Gi") && c.startupDelay == .milliseconds(250))
        #expect(c.cpu == Quantity(stringLiteral: "32") && c.pods == Quantity(stringLiteral: "110"))
        #expect(throws: (any Error).self) {
            try SimOptions.parse(["--sim-node-cpu", "lots"]).configuration(prefix: "n")
        }
        #expect(throws: (any Error).self) { try SimOptions.parse(["--sim-nodes", "0"]).configuration(prefix: "n") }
        #expect(throws: (any Error).self) { try SimOptions.parse([]).configuration(prefix: "") }
    }
}
