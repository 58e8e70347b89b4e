import Schema
import Testing

@testable import Scheduler

@Suite struct ResourcesTests {
    @Test func sumsContainers() {
        var pod = makePod("p")
        pod.spec.containers = [
            container("a", cpu: "250m", memory: "64Mi"), container("b", cpu: "500m", memory: "128Mi"),
        ]
        let r = Resources.requests(of: pod)
        #expect(r.milliCPU == 750)
        #expect(r.memory == 192 * 1024 * 1024)
    }

    @Test func initContainersCountAsTheirMaximum() {
        var pod = makePod("p")
        pod.spec.containers = [container("a", cpu: "100m", memory: "1Gi"), container("b", cpu: "100m", memory: "1Gi")]
        pod.spec.initContainers = [
            container("i1", cpu: "1", memory: "100Mi"), container("i2", cpu: "500m", memory: "3Gi"),
        ]
        let r = Resources.requests(of: pod)
        // max(sum(containers), max(initContainers)) per resource: cpu max(200m, 1) = 1, memory max(2Gi, 3Gi) = 3Gi.
        #expect(r.milliCPU == 1000)
        #expect(r.memory == 3 * 1024 * 1024 * 1024)
    }

    @Test func sidecarsAddToEverythingAfterThem() {
        var pod = makePod("p")
        pod.spec.containers = [container("a", cpu: "100m", memory: "100Mi")]
        pod.spec.initContainers = [
            container("sidecar", cpu: "200m", memory: "100Mi", restartPolicy: "Always"),
            container("init", cpu: "1", memory: "100Mi"),
        ]
        let r = Resources.requests(of: pod)
        #expect(r.milliCPU == 1200)  // init 1 + sidecar 200m beats 100m + 200m
        #expect(r.memory == 200 * 1024 * 1024)
    }

    @Test func overheadIsAdded() {
        var pod = makePod("p", cpu: "100m", memory: "100Mi")
        pod.spec.overhead = ["cpu": "50m"]
        #expect(Resources.requests(of: pod).milliCPU == 150)
    }

    @Test func nonZeroRequestsUseDefaultsForScoring() {
        let pod = makePod("p")
        #expect(Resources.requests(of: pod).isZero)
        let r = Resources.nonZeroRequests(of: pod)
        #expect(r.milliCPU == 100)
        #expect(r.memory == 200 * 1024 * 1024)
    }

    @Test func nodeInfoAddsAndRemovesPods() {
        var info = NodeInfo(node: makeNode("n1"))
        info.add(makePod("a", cpu: "1", memory: "1Gi", hostPort: 8080))
        info.add(makePod("b", cpu: "500m"))
        #expect(info.requested.milliCPU == 1500)
        #expect(info.usedPorts == [HostPort(port: 8080)])
        info.add(makePod("a", cpu: "2", memory: "1Gi"))  // a new version replaces the old one
        #expect(info.requested.milliCPU == 2500)
        #expect(info.usedPorts.isEmpty)
        info.remove(key: "default/b")
        #expect(info.requested.milliCPU == 2000)
        #expect(info.pods.count == 1)
    }
}
