import Schema
import Testing

@testable import Scheduler

/// NodeInfo keeps its fields in one copy-on-write box: a copy is one reference, and changing either copy leaves the
/// other as it was.
@Suite struct NodeInfoTests {
    @Test func copiesAreIndependent() {
        var original = NodeInfo(node: makeNode("n1", cpu: "4"), pods: [makePod("a", cpu: "1", hostPort: 8080)])
        var copy = original
        copy.add(makePod("b", cpu: "500m", memory: "1Gi", hostPort: 9090))
        copy.update(node: makeNode("n1", cpu: "8", ready: false))

        #expect(original.pods.keys.sorted() == ["default/a"])
        #expect(original.requested.milliCPU == 1000)
        #expect(original.usedPorts.count == 1)
        #expect(original.allocatable.milliCPU == 4000)
        #expect(original.isReady)
        #expect(copy.pods.keys.sorted() == ["default/a", "default/b"])
        #expect(copy.requested.milliCPU == 1500)
        #expect(copy.usedPorts.count == 2)
        #expect(copy.allocatable.milliCPU == 8000)
        #expect(!copy.isReady)

        original.remove(key: "default/a")
        #expect(original.pods.isEmpty && original.requested.milliCPU == 0 && original.usedPorts.isEmpty)
        #expect(copy.pods.count == 2 && copy.requested.milliCPU == 1500)
        #expect(original.remove(key: "default/missing") == nil)
    }

    @Test func replacingAPodCountsItOnce() {
        var info = NodeInfo(node: makeNode("n1"))
        info.add(makePod("a", cpu: "1"))
        let snapshot = info
        info.add(makePod("a", cpu: "2"))
        #expect(info.pods.count == 1 && info.requested.milliCPU == 2000)
        #expect(snapshot.requested.milliCPU == 1000)
    }
}
