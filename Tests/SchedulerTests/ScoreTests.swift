import Schema
import Testing

@testable import Scheduler

@Suite struct ScoreTests {
    func scores(_ plugin: any ScorePlugin, _ pod: Pod, _ nodes: [NodeInfo]) -> [Int64] {
        let state = CycleState(nodes: nodes)
        plugin.preScore(pod: pod, nodes: nodes, state: state)
        var values = nodes.map { plugin.score(pod: pod, node: $0, state: state) }
        plugin.normalize(&values, state: state)
        return values
    }

    @Test func leastAllocatedPrefersTheEmptierNode() {
        let busy = NodeInfo(
            node: makeNode("busy", cpu: "4", memory: "8Gi"), pods: [makePod("a", cpu: "3", memory: "6Gi")])
        let idle = NodeInfo(node: makeNode("idle", cpu: "4", memory: "8Gi"))
        let pod = makePod("p", cpu: "1", memory: "2Gi")
        let s = scores(LeastAllocatedScore(), pod, [busy, idle])
        #expect(s == [0, 75])
        #expect(SchedulingCycle().schedule(pod: pod, nodes: [busy, idle]).nodeName == "idle")
    }

    @Test func balancedAllocationPrefersEqualShares() {
        // After placing: lopsided uses 50% cpu, 12.5% memory; even uses 50% and 50%.
        let lopsided = NodeInfo(node: makeNode("lopsided", cpu: "2", memory: "8Gi"))
        let even = NodeInfo(node: makeNode("even", cpu: "2", memory: "2Gi"))
        let s = scores(BalancedAllocationScore(), makePod("p", cpu: "1", memory: "1Gi"), [lopsided, even])
        #expect(s[1] == 100)
        #expect(s[0] < s[1])
    }

    @Test func preferredNodeAffinityWins() {
        var pod = makePod("p", cpu: "100m")
        pod.spec.affinity = Affinity(
            nodeAffinity: NodeAffinity(preferredDuringSchedulingIgnoredDuringExecution: [
                PreferredSchedulingTerm(weight: 80, preference: term("disk", "In", ["ssd"])),
                PreferredSchedulingTerm(weight: 20, preference: term("zone", "In", ["a"])),
            ]))
        // The ssd node is slightly busier, yet the preference outweighs it.
        let ssd = NodeInfo(node: makeNode("ssd", labels: ["disk": "ssd"]), pods: [makePod("a", cpu: "500m")])
        let zoneA = NodeInfo(node: makeNode("za", labels: ["zone": "a"]))
        let plain = NodeInfo(node: makeNode("plain"))
        #expect(scores(NodeAffinityScore(), pod, [ssd, zoneA, plain]) == [100, 25, 0])
        #expect(SchedulingCycle().schedule(pod: pod, nodes: [plain, zoneA, ssd]).nodeName == "ssd")
    }

    @Test func preferNoScheduleTaintsAreAvoided() {
        let tainted = NodeInfo(node: makeNode("tainted", taints: [Taint(key: "soft", effect: "PreferNoSchedule")]))
        let clean = NodeInfo(node: makeNode("clean"), pods: [makePod("a", cpu: "1")])
        #expect(scores(TaintTolerationScore(), makePod("p"), [tainted, clean]) == [0, 100])
        #expect(SchedulingCycle().schedule(pod: makePod("p"), nodes: [tainted, clean]).nodeName == "clean")
        var tolerant = makePod("p")
        tolerant.spec.tolerations = [Toleration(key: "soft", operator: "Exists")]
        #expect(scores(TaintTolerationScore(), tolerant, [tainted, clean]) == [100, 100])
    }

    @Test func preferredPodAffinityWins() {
        var pod = makePod("web", labels: ["app": "web"])
        pod.spec.affinity = Affinity(
            podAffinity: PodAffinity(preferredDuringSchedulingIgnoredDuringExecution: [
                WeightedPodAffinityTerm(
                    weight: 100,
                    podAffinityTerm: PodAffinityTerm(
                        labelSelector: LabelSelector(matchLabels: ["app": "cache"]),
                        topologyKey: "kubernetes.io/hostname"))
            ]))
        let withCache = NodeInfo(node: makeNode("n1"), pods: [makePod("cache", cpu: "1", labels: ["app": "cache"])])
        let empty = NodeInfo(node: makeNode("n2"))
        #expect(scores(InterPodAffinityScore(), pod, [withCache, empty]) == [100, 0])
        #expect(SchedulingCycle().schedule(pod: pod, nodes: [empty, withCache]).nodeName == "n1")
    }

    @Test func preferredPodAntiAffinitySpreads() {
        var pod = makePod("web-1", labels: ["app": "web"])
        pod.spec.affinity = Affinity(
            podAntiAffinity: PodAntiAffinity(preferredDuringSchedulingIgnoredDuringExecution: [
                WeightedPodAffinityTerm(
                    weight: 100,
                    podAffinityTerm: PodAffinityTerm(
                        labelSelector: LabelSelector(matchLabels: ["app": "web"]), topologyKey: "kubernetes.io/hostname"
                    ))
            ]))
        let withWeb = NodeInfo(node: makeNode("n1"), pods: [makePod("web-0", labels: ["app": "web"])])
        let empty = NodeInfo(node: makeNode("n2"), pods: [makePod("other", cpu: "1")])
        #expect(scores(InterPodAffinityScore(), pod, [withWeb, empty]) == [0, 100])
    }
}
