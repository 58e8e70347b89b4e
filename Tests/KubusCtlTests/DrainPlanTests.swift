import Schema
import Testing

@testable import KubusCtl

@Suite struct DrainPlanTests {
    func pod(
        _ name: String, owner: String? = nil, emptyDir: Bool = false, phase: String = "Running",
        mirror: Bool = false, namespace: String = "default"
    ) -> JSONValue {
        var meta: JSONValue = ["name": .string(name), "namespace": .string(namespace)]
        if let owner {
            meta["ownerReferences"] = [
                ["apiVersion": "apps/v1", "kind": .string(owner), "name": "o", "uid": "u", "controller": true]
            ]
        }
        if mirror { meta["annotations"] = ["kubernetes.io/config.mirror": "x"] }
        var spec: JSONValue = ["nodeName": "n1", "containers": [["name": "a", "image": "nginx"]]]
        if emptyDir { spec["volumes"] = [["name": "scratch", "emptyDir": [:]]] }
        return ["kind": "Pod", "metadata": meta, "spec": spec, "status": ["phase": .string(phase)]]
    }

    @Test func managedPodsAreDeleted() {
        let plan = DrainPlan(pods: [pod("a", owner: "ReplicaSet"), pod("b", owner: "StatefulSet")], options: .init())
        #expect(plan.delete.map(\.name) == ["a", "b"])
        #expect(plan.errors.isEmpty && plan.warnings.isEmpty)
    }

    @Test func refusesEachKindWithKubectlsMessageInFilterOrder() {
        let pods = [
            pod("bare"), pod("ds", owner: "DaemonSet", namespace: "kube-system"),
            pod("tmp", owner: "ReplicaSet", emptyDir: true),
        ]
        let plan = DrainPlan(pods: pods, options: .init())
        #expect(plan.delete.isEmpty)
        #expect(
            plan.errors == [
                "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/ds",
                "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/tmp",
                "cannot delete Pods that declare no controller (use --force to override): default/bare",
            ])
        #expect(
            plan.errorMessage(node: "n1")?.hasPrefix(
                "unable to drain node \"n1\" due to error: [cannot delete DaemonSet") == true)
    }

    @Test func flagsTurnRefusalsIntoWarnings() {
        let pods = [pod("bare"), pod("ds", owner: "DaemonSet"), pod("tmp", owner: "ReplicaSet", emptyDir: true)]
        let plan = DrainPlan(pods: pods, options: .init(force: true, ignoreDaemonSets: true, deleteEmptyDirData: true))
        #expect(plan.errors.isEmpty)
        #expect(plan.delete.map(\.name) == ["bare", "tmp"])
        #expect(
            plan.warnings == [
                "ignoring DaemonSet-managed Pods: default/ds", "deleting Pods with local storage: default/tmp",
                "deleting Pods that declare no controller: default/bare",
            ])
    }

    @Test func finishedAndMirrorPods() {
        let plan = DrainPlan(
            pods: [pod("done", emptyDir: true, phase: "Succeeded"), pod("static", mirror: true)], options: .init())
        #expect(plan.errors.isEmpty)
        #expect(plan.delete.map(\.name) == ["done"])
    }

    @Test func oneErrorIsPrintedBare() {
        let plan = DrainPlan(pods: [pod("bare")], options: .init())
        #expect(
            plan.errorMessage(node: "n1")
                == "unable to drain node \"n1\" due to error: cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command..."
        )
    }
}
