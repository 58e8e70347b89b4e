import Foundation
import Schema
import Testing

@testable import Kubelet

@Suite struct NodeStatusBuilderTests {
    let settings = NodeStatusBuilder.Settings(
        nodeName: "node-1", nodeIP: "10.244.1.1", hostname: "node-1", podCIDR: "10.244.1.0/24", maxPods: 50,
        labels: ["zone": "a"], taints: [Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")])
    let facts = HostFacts(
        cpuCores: 4, memoryTotal: 8 << 30, memoryAvailable: 4 << 30, diskTotal: 100 << 30, diskFreeFraction: 0.5,
        pidMax: 4_194_304, processes: 300, kernelVersion: "6.1.0", osImage: "Debian GNU/Linux 12 (bookworm)",
        architecture: "amd64")
    let t0 = Date(timeIntervalSince1970: 7_000)

    func condition(_ s: NodeStatus, _ type: String) -> NodeCondition? { s.conditions?.first { $0.type == type } }

    @Test func registrationDescribesTheNode() {
        let node = NodeStatusBuilder.node(existing: nil, settings: settings, facts: facts, now: t0)
        #expect(node.metadata.name == "node-1")
        #expect(node.metadata.labels?["kubernetes.io/hostname"] == "node-1")
        #expect(node.metadata.labels?["kubernetes.io/os"] == "linux")
        #expect(node.metadata.labels?["kubernetes.io/arch"] == "amd64")
        #expect(node.metadata.labels?["zone"] == "a")
        #expect(node.spec.podCIDR == "10.244.1.0/24")
        #expect(node.spec.podCIDRs == ["10.244.1.0/24"])
        #expect(node.spec.taints == [Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")])
        #expect(node.status.capacity?["cpu"] == Quantity(4))
        #expect(node.status.capacity?["pods"] == Quantity(50))
        #expect(node.status.addresses?.first == NodeAddress(type: "InternalIP", address: "10.244.1.1"))
        #expect(node.status.nodeInfo?.kubeletVersion == "v1.31.0-kubus")
        #expect(node.status.nodeInfo?.containerRuntimeVersion == "process://1")
        #expect(node.status.nodeInfo?.osImage == "Debian GNU/Linux 12 (bookworm)")
        let ready = condition(node.status, "Ready")
        #expect(ready?.status == "True")
        #expect(ready?.reason == "KubeletReady")
        #expect(ready?.message == "kubelet is posting ready status")
        #expect(condition(node.status, "MemoryPressure")?.status == "False")
    }

    @Test func existingNodeKeepsItsTaints() {
        var existing = NodeStatusBuilder.node(existing: nil, settings: settings, facts: facts, now: t0)
        existing.spec.taints = nil
        let again = NodeStatusBuilder.node(existing: existing, settings: settings, facts: facts, now: t0)
        #expect(again.spec.taints == nil)
    }

    @Test func heartbeatMovesTransitionStays() {
        let (first, events) = NodeStatusBuilder.status(previous: nil, settings: settings, facts: facts, now: t0)
        #expect(events.map(\.reason).contains("NodeReady"))
        #expect(events.map(\.reason).contains("NodeHasSufficientMemory"))
        let later = t0.addingTimeInterval(10)
        let (second, none) = NodeStatusBuilder.status(previous: first, settings: settings, facts: facts, now: later)
        #expect(none.isEmpty)
        #expect(condition(second, "Ready")?.lastHeartbeatTime == Time(later))
        #expect(condition(second, "Ready")?.lastTransitionTime == Time(t0))
    }

    @Test func pressureConditionsFollowTheHost() {
        var low = facts
        low.memoryAvailable = 50 << 20
        low.diskFreeFraction = 0.05
        low.processes = low.pidMax - 10
        let (base, _) = NodeStatusBuilder.status(previous: nil, settings: settings, facts: facts, now: t0)
        let (s, events) = NodeStatusBuilder.status(
            previous: base, settings: settings, facts: low, now: t0.addingTimeInterval(10))
        #expect(condition(s, "MemoryPressure")?.status == "True")
        #expect(condition(s, "MemoryPressure")?.reason == "KubeletHasInsufficientMemory")
        #expect(condition(s, "DiskPressure")?.status == "True")
        #expect(condition(s, "PIDPressure")?.status == "True")
        #expect(
            Set(events.map(\.reason)) == ["NodeHasInsufficientMemory", "NodeHasDiskPressure", "NodeHasInsufficientPID"])
        #expect(condition(s, "MemoryPressure")?.lastTransitionTime == Time(t0.addingTimeInterval(10)))
    }

    @Test func flagsParse() throws {
        #expect(try NodeStatusBuilder.parseLabels("a=1,b=two") == ["a": "1", "b": "two"])
        #expect(
            try NodeStatusBuilder.parseTaints("k=v:NoSchedule,gpu:NoExecute") == [
                Taint(key: "k", value: "v", effect: "NoSchedule"), Taint(key: "gpu", value: nil, effect: "NoExecute"),
            ])
        #expect(throws: ContainerEnvironment.ConfigError.self) { try NodeStatusBuilder.parseTaints("k=v:Sometimes") }
    }

    @Test func hostFactsHelpers() {
        #expect(HostFacts.goArchitecture("x86_64") == "amd64")
        #expect(HostFacts.goArchitecture("aarch64") == "arm64")
        #expect(
            HostFacts.osImage(fromOSRelease: "NAME=x\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                == "Debian GNU/Linux 12 (bookworm)")
        let real = HostFacts.read(stateDirectory: "/tmp")
        #expect(real.cpuCores >= 1)
        #expect(real.memoryTotal > 0)
    }
}
