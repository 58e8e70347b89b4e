import Testing
import UpKit

/// What kubus-up lets each program do on the bus: the least it needs.
@Suite struct BusRightsTests {
    @Test func eachProgramGetsItsOwnServiceOnly() {
        let store = BusRights.of(command: "/x/kubus-store", service: "store")
        #expect(store.calls == ["bus"] && store.serves == ["store"] && store.publishes == ["*"])
        let api = BusRights.of(command: "kubus-api", service: "api-1")
        #expect(api.calls == ["store", "bus"] && api.serves == ["api"] && api.publishes.isEmpty)
        let controller = BusRights.of(command: "kubus-controller", service: "deployment-controller")
        #expect(controller.calls == ["api"] && controller.serves == ["controller-*"])
        // Someone's own program: the api, and a service of its entry's name.
        let custom = BusRights.of(command: "/opt/my-operator", service: "my-operator")
        #expect(custom.calls == ["api"] && custom.serves == ["my-operator"] && custom.publishes.isEmpty)
    }

    @Test func aKubeletServesOnlyItsOwnNodes() {
        let one = BusRights.of(command: "kubus-kubelet", service: "kubelet", arguments: ["--node-name", "vm-0"])
        #expect(one.serves == ["kubelet.vm-0"])
        let sim = BusRights.of(
            command: "kubus-kubelet", service: "kubelet-sim",
            arguments: ["--runtime", "sim", "--sim-nodes", "500", "--node-name", "vm-sim"])
        #expect(sim.serves == ["kubelet.vm-sim-*"])
        // Without --node-name it names itself after the host, which the plan does not know.
        #expect(BusRights.of(command: "kubus-kubelet", service: "kubelet").serves == ["kubelet.*"])
    }
}
