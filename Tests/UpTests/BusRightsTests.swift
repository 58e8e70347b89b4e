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
        #expect(one.groups == ["system:nodes"] && sim.groups == ["system:nodes"])
        // Its identity is Kubernetes' node user, which NodeRestriction holds to its own node(s).
        #expect(
            BusRights.identity(command: "kubus-kubelet", service: "kubelet", arguments: ["--node-name", "vm-0"])
                == "system:node:vm-0")
        #expect(
            BusRights.identity(
                command: "/x/kubus-kubelet", service: "kubelet-sim",
                arguments: ["--sim-nodes", "5", "--node-name", "s"])
                == "system:node:s-*")
        #expect(BusRights.identity(command: "kubus-scheduler", service: "scheduler") == "system:kubus:scheduler")
        // --runtime sim alone simulates one node, <name>-0.
        let single = ["--runtime", "sim", "--node-name", "gone"]
        #expect(BusRights.identity(command: "kubus-kubelet", service: "k", arguments: single) == "system:node:gone-*")
        #expect(BusRights.of(command: "kubus-kubelet", service: "k", arguments: single).serves == ["kubelet.gone-*"])
    }

    /// The group each program's ClusterRole is bound to (the api's bootstrap policy): a controller's is named by
    /// the controller it runs, wherever its options put the name.
    @Test func eachProgramIsInTheGroupOfItsRole() {
        #expect(BusRights.of(command: "kubus-scheduler", service: "scheduler").groups == ["system:kubus:scheduler"])
        #expect(
            BusRights.of(command: "kubus-controller", service: "rs", arguments: ["replicaset"]).groups
                == ["system:kubus:controller:replicaset"])
        let options = [
            "--bus", "ipc:///tmp/x/bus", "--state-dir", "/tmp/x/c", "--log-level=info", "job,cronjob",
            "--leader-elect-lease-duration", "3",
        ]
        #expect(
            BusRights.of(command: "/x/kubus-controller", service: "batch", arguments: options).groups
                == ["system:kubus:controller:job", "system:kubus:controller:cronjob"])
        #expect(BusRights.of(command: "/opt/my-operator", service: "my-operator").groups.isEmpty)
    }
}
