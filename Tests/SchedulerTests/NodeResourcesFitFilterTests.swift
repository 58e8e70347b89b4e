import Schema
import Testing

@testable import Scheduler

@Suite struct NodeResourcesFitFilterTests {
    let filter = NodeResourcesFitFilter()

    @Test func fitsWhenThereIsRoom() {
        let node = NodeInfo(
            node: makeNode("n1", cpu: "2", memory: "4Gi"), pods: [makePod("a", cpu: "1", memory: "1Gi")])
        #expect(run(filter, makePod("p", cpu: "1", memory: "3Gi"), on: node) == nil)
    }

    @Test func insufficientCPU() {
        let node = NodeInfo(node: makeNode("n1", cpu: "2"), pods: [makePod("a", cpu: "1500m")])
        #expect(run(filter, makePod("p", cpu: "600m"), on: node) == "Insufficient cpu")
    }

    @Test func insufficientMemoryAndCPUBothReported() {
        let node = NodeInfo(node: makeNode("n1", cpu: "1", memory: "1Gi"))
        let pod = makePod("p", cpu: "2", memory: "2Gi")
        #expect(
            filter.reasons(pod: pod, node: node, state: CycleState(nodes: [node])) == [
                "Insufficient cpu", "Insufficient memory",
            ])
        #expect(run(filter, makePod("q", memory: "2Gi"), on: node) == "Insufficient memory")
    }

    @Test func tooManyPods() {
        let node = NodeInfo(node: makeNode("n1", pods: "1"), pods: [makePod("a")])
        #expect(run(filter, makePod("p"), on: node) == "Too many pods")
    }

    @Test func initContainersCountTowardsTheFit() {
        var pod = makePod("p", cpu: "100m")
        pod.spec.initContainers = [container("init", cpu: "3", memory: "1Mi")]
        #expect(run(filter, pod, on: NodeInfo(node: makeNode("n1", cpu: "2"))) == "Insufficient cpu")
        #expect(run(filter, pod, on: NodeInfo(node: makeNode("n2", cpu: "4"))) == nil)
    }

    @Test func extendedResources() {
        var pod = makePod("p")
        pod.spec.containers[0].resources = ResourceRequirements(requests: ["example.com/gpu": "1"])
        #expect(run(filter, pod, on: NodeInfo(node: makeNode("n1"))) == "Insufficient example.com/gpu")
    }
}
