import Schema
import Testing

@testable import Scheduler

@Suite struct SchedulerSnapshotTests {
    @Test func snapshotsFollowChangesInPlaceAndKeepTheWalkOrder() {
        var cache = SchedulerCache()
        for name in ["c", "a", "b"] { cache.addOrUpdate(node: makeNode(name, cpu: "2")) }
        let before = cache.snapshot()
        let generation = cache.generation
        cache.assume(makePod("p", cpu: "1"), on: "a")
        // A snapshot taken earlier is a value: the cache's change does not reach it.
        #expect(before.map(\.pods.count) == [0, 0, 0])
        #expect(cache.snapshot().map(\.name) == ["c", "a", "b"])
        #expect(cache.snapshot().map(\.requested.milliCPU) == [0, 1000, 0])
        #expect(cache.generation > generation)
    }

    @Test func removingANodeKeepsTheOthersFindable() {
        var cache = SchedulerCache()
        for i in 0..<5 { cache.addOrUpdate(node: makeNode("n\(i)")) }
        cache.update(pod: makePod("p", cpu: "1", nodeName: "n3"))
        cache.removeNode(named: "n1")
        #expect(cache.snapshot().map(\.name) == ["n0", "n2", "n3", "n4"])
        #expect(cache.nodeInfo("n3")?.requested.milliCPU == 1000)
        #expect(cache.nodeInfo("n4")?.name == "n4")
        cache.remove(podKey: "default/p")
        #expect(cache.nodeInfo("n3")?.requested.milliCPU == 0)
        #expect(cache.nodeInfo("n1") == nil)
    }

    @Test func theCacheCountsPodsWithAffinityAndCyclesStillHonourThem() {
        var cache = SchedulerCache()
        for name in ["a", "b"] { cache.addOrUpdate(node: makeNode(name, labels: ["kubernetes.io/hostname": name])) }
        var loner = makePod("loner", labels: ["app": "loner"], nodeName: "a")
        loner.spec.affinity = Affinity(
            podAntiAffinity: PodAntiAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                PodAffinityTerm(
                    labelSelector: LabelSelector(matchLabels: ["app": "web"]), topologyKey: "kubernetes.io/hostname")
            ]))
        cache.update(pod: loner)
        cache.update(pod: makePod("plain", nodeName: "b"))
        #expect(cache.affinityCounts == AffinityCounts(podsWithAffinity: 1, podsWithAntiAffinity: 1))
        // A pod without terms of its own still meets the placed pod's anti-affinity: node a is ruled out.
        let cycle = SchedulingCycle()
        for _ in 0..<4 {
            var start = 0
            let result = cycle.schedule(
                pod: makePod("web", labels: ["app": "web"]), nodes: cache.snapshot(),
                affinityCounts: cache.affinityCounts, startIndex: &start)
            #expect(result.nodeName == "b")
        }
        // Counts follow the pod and its node away.
        cache.removeNode(named: "a")
        #expect(cache.affinityCounts == AffinityCounts())
        cache.addOrUpdate(node: makeNode("a", labels: ["kubernetes.io/hostname": "a"]))  // its pods come back with it
        #expect(cache.affinityCounts == AffinityCounts(podsWithAffinity: 1, podsWithAntiAffinity: 1))
        cache.remove(podKey: "default/loner")
        #expect(cache.affinityCounts == AffinityCounts())
    }

    @Test func nodeUpdatesRefreshWhatFiltersRead() {
        var cache = SchedulerCache()
        cache.addOrUpdate(node: makeNode("n", cpu: "1", pods: "10", ready: false))
        #expect(cache.nodeInfo("n")?.isReady == false)
        cache.addOrUpdate(node: makeNode("n", cpu: "3", pods: "20"))
        let info = cache.nodeInfo("n")
        #expect(info?.isReady == true)
        #expect(info?.allocatable.milliCPU == 3000)
        #expect(info?.allowedPodCount == 20)
    }

    @Test func consecutiveCyclesSampleFromWhereTheLastStopped() {
        let cycle = SchedulingCycle()
        // Every third node is full, so a cycle walks past infeasible nodes until it has found enough.
        let nodes = (0..<300).map { i in
            var info = NodeInfo(node: makeNode("n\(i)", cpu: "1"))
            if i % 3 == 0 { info.add(makePod("full-\(i)", cpu: "1", nodeName: "n\(i)")) }
            return info
        }
        #expect(cycle.numFeasibleNodesToFind(300) == 144)
        var start = 290
        let first = cycle.schedule(pod: makePod("a", cpu: "500m"), nodes: nodes, startIndex: &start)
        guard case .scheduled(_, let evaluated, let feasible) = first else {
            Issue.record("expected scheduled")
            return
        }
        #expect(feasible == 144)
        #expect(evaluated == 216)
        #expect(start == (290 + 216) % 300)
        let second = cycle.schedule(pod: makePod("b", cpu: "500m"), nodes: nodes, startIndex: &start)
        #expect(second.nodeName != nil)
        #expect(start == (290 + 2 * 216) % 300)
    }

    @Test func podRequestsAreSummedOncePerCycle() {
        var pod = makePod("p", cpu: "250m", memory: "64Mi")
        pod.spec.containers.append(container("side", cpu: "250m", memory: "64Mi"))
        let state = CycleState(nodes: [], pod: pod)
        #expect(state.podRequests == Resources.requests(of: pod))
        #expect(state.podRequests?.milliCPU == 500)
        #expect(state.podNonZeroRequests == Resources.nonZeroRequests(of: pod))
        #expect(CycleState(nodes: []).podRequests == nil)
    }
}
