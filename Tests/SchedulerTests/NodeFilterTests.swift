import Schema
import Testing

@testable import Scheduler

@Suite struct NodeNameFilterTests {
    @Test func matchesOnlyTheNamedNode() {
        let pod = makePod("p", nodeName: "n2")
        #expect(run(NodeNameFilter(), pod, on: NodeInfo(node: makeNode("n2"))) == nil)
        #expect(
            run(NodeNameFilter(), pod, on: NodeInfo(node: makeNode("n1")))
                == "node(s) didn't match the requested node name")
        #expect(run(NodeNameFilter(), makePod("q"), on: NodeInfo(node: makeNode("n1"))) == nil)
    }
}

@Suite struct NodeUnschedulableFilterTests {
    @Test func cordonedNodesAreSkipped() {
        let cordoned = NodeInfo(node: makeNode("n1", unschedulable: true))
        #expect(run(NodeUnschedulableFilter(), makePod("p"), on: cordoned) == "node(s) were unschedulable")
        #expect(run(NodeUnschedulableFilter(), makePod("p"), on: NodeInfo(node: makeNode("n2"))) == nil)
    }

    @Test func theUnschedulableTolerationLetsPodsIn() {
        var pod = makePod("p")
        pod.spec.tolerations = [
            Toleration(key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule")
        ]
        #expect(run(NodeUnschedulableFilter(), pod, on: NodeInfo(node: makeNode("n1", unschedulable: true))) == nil)
    }
}

@Suite struct NodeReadyFilterTests {
    @Test func notReadyNodesCarryTheNotReadyTaint() {
        let node = NodeInfo(node: makeNode("n1", ready: false))
        #expect(
            run(NodeReadyFilter(), makePod("p"), on: node)
                == "node(s) had untolerated taint {node.kubernetes.io/not-ready: }")
        #expect(run(NodeReadyFilter(), makePod("p"), on: NodeInfo(node: makeNode("n2"))) == nil)
        var noConditions = makeNode("n3")
        noConditions.status.conditions = nil
        #expect(run(NodeReadyFilter(), makePod("p"), on: NodeInfo(node: noConditions)) != nil)
    }

    @Test func toleratingNotReady() {
        var pod = makePod("p")
        pod.spec.tolerations = [Toleration(key: "node.kubernetes.io/not-ready", operator: "Exists")]
        #expect(run(NodeReadyFilter(), pod, on: NodeInfo(node: makeNode("n1", ready: false))) == nil)
    }
}

@Suite struct TaintTolerationFilterTests {
    let controlPlane = Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")

    @Test func untoleratedTaint() {
        let node = NodeInfo(node: makeNode("n1", taints: [controlPlane]))
        #expect(
            run(TaintTolerationFilter(), makePod("p"), on: node)
                == "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")
        let valued = NodeInfo(
            node: makeNode("n2", taints: [Taint(key: "dedicated", value: "gpu", effect: "NoExecute")]))
        #expect(
            run(TaintTolerationFilter(), makePod("p"), on: valued) == "node(s) had untolerated taint {dedicated: gpu}")
    }

    @Test func preferNoScheduleDoesNotFilter() {
        let node = NodeInfo(node: makeNode("n1", taints: [Taint(key: "soft", effect: "PreferNoSchedule")]))
        #expect(run(TaintTolerationFilter(), makePod("p"), on: node) == nil)
    }

    @Test func tolerationOperators() {
        let taint = Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")
        let node = NodeInfo(node: makeNode("n1", taints: [taint]))
        func pod(_ t: Toleration) -> Pod {
            var p = makePod("p")
            p.spec.tolerations = [t]
            return p
        }
        #expect(
            run(
                TaintTolerationFilter(),
                pod(Toleration(key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule")), on: node)
                == nil)
        #expect(run(TaintTolerationFilter(), pod(Toleration(key: "dedicated", value: "gpu")), on: node) == nil)
        #expect(
            run(TaintTolerationFilter(), pod(Toleration(key: "dedicated", operator: "Equal", value: "cpu")), on: node)
                != nil)
        #expect(run(TaintTolerationFilter(), pod(Toleration(key: "dedicated", operator: "Exists")), on: node) == nil)
        #expect(
            run(
                TaintTolerationFilter(), pod(Toleration(key: "dedicated", operator: "Exists", effect: "NoExecute")),
                on: node) != nil)
        #expect(run(TaintTolerationFilter(), pod(Toleration(operator: "Exists")), on: node) == nil)
        #expect(run(TaintTolerationFilter(), pod(Toleration(key: "other", operator: "Exists")), on: node) != nil)
    }
}

@Suite struct NodeAffinityFilterTests {
    let reason = "node(s) didn't match Pod's node affinity/selector"
    let node = NodeInfo(node: makeNode("n1", labels: ["disk": "ssd", "zone": "a", "cores": "16"]))

    func pod(selector: [String: String]? = nil, terms: [NodeSelectorTerm]? = nil) -> Pod {
        var p = makePod("p")
        p.spec.nodeSelector = selector
        if let terms {
            p.spec.affinity = Affinity(
                nodeAffinity: NodeAffinity(
                    requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: terms)))
        }
        return p
    }

    @Test func nodeSelector() {
        #expect(run(NodeAffinityFilter(), pod(selector: ["disk": "ssd"]), on: node) == nil)
        #expect(run(NodeAffinityFilter(), pod(selector: ["disk": "hdd"]), on: node) == reason)
    }

    @Test func operators() {
        #expect(run(NodeAffinityFilter(), pod(terms: [term("zone", "In", ["a", "b"])]), on: node) == nil)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("zone", "In", ["b"])]), on: node) == reason)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("zone", "NotIn", ["b"])]), on: node) == nil)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("zone", "NotIn", ["a"])]), on: node) == reason)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("disk", "Exists")]), on: node) == nil)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("gpu", "Exists")]), on: node) == reason)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("gpu", "DoesNotExist")]), on: node) == nil)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("cores", "Gt", ["8"])]), on: node) == nil)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("cores", "Lt", ["8"])]), on: node) == reason)
        #expect(run(NodeAffinityFilter(), pod(terms: [term("zone", "Gt", ["1"])]), on: node) == reason)
    }

    @Test func termsAreORedExpressionsANDed() {
        #expect(
            run(NodeAffinityFilter(), pod(terms: [term("zone", "In", ["b"]), term("disk", "In", ["ssd"])]), on: node)
                == nil)
        let both = NodeSelectorTerm(matchExpressions: [
            NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"]),
            NodeSelectorRequirement(key: "disk", operator: "In", values: ["hdd"]),
        ])
        #expect(run(NodeAffinityFilter(), pod(terms: [both]), on: node) == reason)
        #expect(run(NodeAffinityFilter(), pod(terms: [NodeSelectorTerm()]), on: node) == reason)
    }

    @Test func matchFieldsOnMetadataName() {
        let byName = NodeSelectorTerm(matchFields: [
            NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["n1"])
        ])
        #expect(run(NodeAffinityFilter(), pod(terms: [byName]), on: node) == nil)
        let other = NodeSelectorTerm(matchFields: [
            NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["n2"])
        ])
        #expect(run(NodeAffinityFilter(), pod(terms: [other]), on: node) == reason)
    }

    @Test func selectorAndAffinityMustBothHold() {
        #expect(
            run(NodeAffinityFilter(), pod(selector: ["disk": "hdd"], terms: [term("zone", "In", ["a"])]), on: node)
                == reason)
    }
}

@Suite struct NodePortsFilterTests {
    @Test func hostPortConflicts() {
        let node = NodeInfo(node: makeNode("n1"), pods: [makePod("a", hostPort: 8080)])
        #expect(
            run(NodePortsFilter(), makePod("p", hostPort: 8080), on: node)
                == "node(s) didn't have free ports for the requested pod ports")
        #expect(run(NodePortsFilter(), makePod("p", hostPort: 9090), on: node) == nil)
        #expect(run(NodePortsFilter(), makePod("p"), on: node) == nil)
    }

    @Test func protocolsAndAddressesMatter() {
        #expect(!HostPort(protocol: "UDP", port: 53).conflicts(with: HostPort(protocol: "TCP", port: 53)))
        #expect(!HostPort(ip: "127.0.0.1", port: 80).conflicts(with: HostPort(ip: "127.0.0.2", port: 80)))
        #expect(HostPort(ip: "127.0.0.1", port: 80).conflicts(with: HostPort(port: 80)))
    }
}
