import Schema
import Testing

@testable import Scheduler

@Suite struct InterPodAffinityFilterTests {
    func zoneTerm(_ labels: [String: String]) -> PodAffinityTerm {
        PodAffinityTerm(labelSelector: LabelSelector(matchLabels: labels), topologyKey: "zone")
    }

    /// n1 and n2 in zone a, n3 in zone b; a cache pod runs on n1.
    func cluster(existing: Pod = makePod("cache-0", labels: ["app": "cache"])) -> [NodeInfo] {
        [
            NodeInfo(node: makeNode("n1", labels: ["zone": "a"]), pods: [existing]),
            NodeInfo(node: makeNode("n2", labels: ["zone": "a"])),
            NodeInfo(node: makeNode("n3", labels: ["zone": "b"])),
        ]
    }

    func results(_ pod: Pod, _ nodes: [NodeInfo]) -> [String?] {
        nodes.map { run(InterPodAffinityFilter(), pod, on: $0, cluster: nodes) }
    }

    @Test func requiredAffinityByZone() {
        var pod = makePod("web", labels: ["app": "web"])
        pod.spec.affinity = Affinity(
            podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [zoneTerm(["app": "cache"])]))
        #expect(results(pod, cluster()) == [nil, nil, "node(s) didn't match pod affinity rules"])
    }

    @Test func affinityToPodsInOtherNamespacesNeedsNamespaces() {
        var pod = makePod("web", namespace: "shop", labels: ["app": "web"])
        pod.spec.affinity = Affinity(
            podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [zoneTerm(["app": "cache"])]))
        let reason = "node(s) didn't match pod affinity rules"
        #expect(results(pod, cluster()) == [reason, reason, reason])
        var term = zoneTerm(["app": "cache"])
        term.namespaces = ["default"]
        pod.spec.affinity = Affinity(podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [term]))
        #expect(results(pod, cluster()) == [nil, nil, reason])
    }

    @Test func firstPodOfASelfAffineGroupMayGoAnywhere() {
        var pod = makePod("web-0", labels: ["app": "web"])
        pod.spec.affinity = Affinity(
            podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [zoneTerm(["app": "web"])]))
        #expect(results(pod, cluster()) == [nil, nil, nil])
        // A node without the topology label never satisfies it.
        let unlabeled = NodeInfo(node: makeNode("n4"))
        #expect(
            run(InterPodAffinityFilter(), pod, on: unlabeled, cluster: cluster() + [unlabeled])
                == "node(s) didn't match pod affinity rules")
    }

    @Test func requiredAntiAffinityByZone() {
        var pod = makePod("cache-1", labels: ["app": "cache"])
        pod.spec.affinity = Affinity(
            podAntiAffinity: PodAntiAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                zoneTerm(["app": "cache"])
            ]))
        let reason = "node(s) didn't match pod anti-affinity rules"
        #expect(results(pod, cluster()) == [reason, reason, nil])
    }

    @Test func existingPodsAntiAffinityIsHonoured() {
        var existing = makePod("loner", labels: ["app": "loner"])
        existing.spec.affinity = Affinity(
            podAntiAffinity: PodAntiAffinity(
                requiredDuringSchedulingIgnoredDuringExecution: [
                    PodAffinityTerm(
                        labelSelector: LabelSelector(matchLabels: ["app": "web"]), topologyKey: "kubernetes.io/hostname"
                    )
                ]))
        let nodes = cluster(existing: existing)
        let reason = "node(s) didn't satisfy existing pods anti-affinity rules"
        #expect(results(makePod("web", labels: ["app": "web"]), nodes) == [reason, nil, nil])
        #expect(results(makePod("db", labels: ["app": "db"]), nodes) == [nil, nil, nil])
    }
}
