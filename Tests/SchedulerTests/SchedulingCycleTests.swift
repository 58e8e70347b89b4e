import Schema
import Testing

@testable import Scheduler

@Suite struct SchedulingCycleTests {
    @Test func aggregatedFailureMessageForThreeNodes() {
        let nodes = [
            NodeInfo(
                node: makeNode(
                    "control-plane", cpu: "8",
                    taints: [Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")])),
            NodeInfo(node: makeNode("node-1", cpu: "2")),
            NodeInfo(node: makeNode("node-2", cpu: "2"), pods: [makePod("a", cpu: "1")]),
        ]
        let result = SchedulingCycle().schedule(pod: makePod("big", cpu: "4"), nodes: nodes)
        guard case .unschedulable(let error) = result else {
            Issue.record("expected unschedulable, got \(result)")
            return
        }
        // Kubernetes sorts the "<count> <reason>" entries as strings (Go's sort.Strings).
        #expect(
            error.message
                == "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."
        )
        #expect(error.reasons["node-1"] == ["Insufficient cpu"])
    }

    @Test func severalReasonsPerNodeAreEachCounted() {
        let nodes = [
            NodeInfo(node: makeNode("n1", cpu: "1", memory: "1Gi")),
            NodeInfo(node: makeNode("n2", cpu: "1", memory: "1Gi")),
        ]
        let result = SchedulingCycle().schedule(pod: makePod("p", cpu: "2", memory: "2Gi"), nodes: nodes)
        guard case .unschedulable(let error) = result else {
            Issue.record("expected unschedulable")
            return
        }
        #expect(error.message == "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.")
    }

    @Test func noNodes() {
        let result = SchedulingCycle().schedule(pod: makePod("p"), nodes: [])
        #expect(result == .unschedulable(FitError(numAllNodes: 0, reasons: [:])))
        if case .unschedulable(let error) = result {
            #expect(error.message == "0/0 nodes are available: no nodes available to schedule pods.")
        }
    }

    @Test func theOnlyFeasibleNodeIsChosen() {
        let nodes = [
            NodeInfo(node: makeNode("n1", ready: false)), NodeInfo(node: makeNode("n2", unschedulable: true)),
            NodeInfo(node: makeNode("n3")),
        ]
        #expect(
            SchedulingCycle().schedule(pod: makePod("p"), nodes: nodes)
                == .scheduled(node: "n3", evaluatedNodes: 3, feasibleNodes: 1))
    }

    @Test func tiesAreBrokenDeterministicallyButSpread() {
        let nodes = (1...5).map { NodeInfo(node: makeNode("node-\($0)")) }
        let cycle = SchedulingCycle()
        var chosen: Set<String> = []
        for i in 0..<40 {
            let pod = makePod("web-\(i)")
            let first = cycle.schedule(pod: pod, nodes: nodes).nodeName
            #expect(first != nil)
            #expect(cycle.schedule(pod: pod, nodes: nodes.reversed()).nodeName == first)
            chosen.insert(first ?? "")
        }
        #expect(chosen.count >= 3)
    }

    @Test func largeClustersStopAfterEnoughFeasibleNodes() {
        let cycle = SchedulingCycle()
        #expect(cycle.numFeasibleNodesToFind(50) == 50)
        #expect(cycle.numFeasibleNodesToFind(1000) == 420)
        #expect(cycle.numFeasibleNodesToFind(5000) == 500)
        #expect(cycle.numFeasibleNodesToFind(100_000) == 5000)
        let nodes = (0..<1000).map { NodeInfo(node: makeNode("n\($0)")) }
        var start = 0
        let result = cycle.schedule(pod: makePod("p"), nodes: nodes, startIndex: &start)
        guard case .scheduled(_, let evaluated, let feasible) = result else {
            Issue.record("expected scheduled")
            return
        }
        #expect(evaluated == 420 && feasible == 420 && start == 420)
    }

    @Test func podsFillTheClusterEvenly() {
        var cache = SchedulerCache()
        for i in 1...3 { cache.addOrUpdate(node: makeNode("n\(i)", cpu: "3", memory: "6Gi")) }
        let cycle = SchedulingCycle()
        for i in 0..<9 {
            let pod = makePod("p\(i)", cpu: "1", memory: "1Gi")
            guard let node = cycle.schedule(pod: pod, nodes: cache.snapshot()).nodeName else {
                Issue.record("p\(i) did not fit")
                return
            }
            cache.assume(pod, on: node)
        }
        #expect(cache.snapshot().map(\.pods.count) == [3, 3, 3])
        let result = cycle.schedule(pod: makePod("extra", cpu: "1"), nodes: cache.snapshot())
        if case .unschedulable(let error) = result {
            #expect(error.message == "0/3 nodes are available: 3 Insufficient cpu.")
        } else {
            Issue.record("expected unschedulable")
        }
    }
}

@Suite struct SchedulerCacheTests {
    @Test func assumedPodsCountBeforeTheInformerSeesThem() {
        var cache = SchedulerCache()
        cache.addOrUpdate(node: makeNode("n1", cpu: "2"))
        let pod = makePod("a", cpu: "1500m")
        cache.assume(pod, on: "n1")
        #expect(cache.isAssumed("default/a"))
        #expect(cache.nodeInfo("n1")?.requested.milliCPU == 1500)
        // The informer still shows the pending version: the assumption holds.
        cache.update(pod: pod)
        #expect(cache.nodeInfo("n1")?.requested.milliCPU == 1500)
        let result = SchedulingCycle().schedule(pod: makePod("b", cpu: "1"), nodes: cache.snapshot())
        #expect(result.nodeName == nil)
        // Then it sees it bound: confirmed, still counted once.
        var bound = pod
        bound.spec.nodeName = "n1"
        cache.update(pod: bound)
        #expect(!cache.isAssumed("default/a"))
        #expect(cache.nodeInfo("n1")?.requested.milliCPU == 1500)
        #expect(cache.nodeInfo("n1")?.pods.count == 1)
    }

    @Test func forgettingAFailedBindingFreesTheNode() {
        var cache = SchedulerCache()
        cache.addOrUpdate(node: makeNode("n1", cpu: "2"))
        cache.assume(makePod("a", cpu: "1500m"), on: "n1")
        cache.forget(podKey: "default/a")
        #expect(cache.nodeInfo("n1")?.requested.milliCPU == 0)
        #expect(cache.assumed.isEmpty)
    }

    @Test func deletedAndFinishedPodsFreeTheirNode() {
        var cache = SchedulerCache()
        cache.addOrUpdate(node: makeNode("n1"))
        cache.update(pod: makePod("a", cpu: "1", nodeName: "n1"))
        var done = makePod("b", cpu: "1", nodeName: "n1")
        cache.update(pod: done)
        #expect(cache.nodeInfo("n1")?.requested.milliCPU == 2000)
        done.status.phase = "Succeeded"
        cache.update(pod: done)
        cache.remove(podKey: "default/a")
        #expect(cache.nodeInfo("n1")?.requested.milliCPU == 0)
    }

    @Test func podsOnUnknownNodesWaitForTheNode() {
        var cache = SchedulerCache()
        cache.update(pod: makePod("a", cpu: "1", nodeName: "late"))
        cache.addOrUpdate(node: makeNode("early"))
        cache.addOrUpdate(node: makeNode("late"))
        #expect(cache.snapshot().map(\.name) == ["early", "late"])
        #expect(cache.nodeInfo("late")?.requested.milliCPU == 1000)
        cache.removeNode(named: "late")
        #expect(cache.nodeCount == 1)
        cache.addOrUpdate(node: makeNode("late"))
        #expect(cache.nodeInfo("late")?.pods.count == 1)
    }
}
