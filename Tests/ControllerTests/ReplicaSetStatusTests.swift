import ControllerKit
import Controllers
import Foundation
import Schema
import Testing

/// ReplicaSet status from its owned active pods, and the namespace controller's conditions.
struct ReplicaSetStatusTests {
    let now = Date(timeIntervalSince1970: 1_700_000_100)

    func replicaSet(replicas: Int, minReadySeconds: Int = 0) -> ReplicaSet {
        var rs = ReplicaSet(metadata: ObjectMeta(name: "web", namespace: "default", uid: "rs-uid", generation: 3))
        rs.spec.replicas = replicas
        rs.spec.minReadySeconds = minReadySeconds
        rs.spec.selector = LabelSelector(matchLabels: ["app": "web"])
        var template = PodTemplateSpec()
        template.metadata.labels = ["app": "web", "tier": "front"]
        rs.spec.template = template
        return rs
    }

    @Test func countsReplicasLabelsReadinessAndAvailability() {
        let base = now.addingTimeInterval(-100)
        let pods = [
            makePod(
                "a", node: "n", phase: "Running", ready: true, readySince: base,
                labels: ["app": "web", "tier": "front"]),
            makePod(
                "b", node: "n", phase: "Running", ready: true, readySince: now.addingTimeInterval(-5),
                labels: ["app": "web"]),
            makePod("c", labels: ["app": "web", "tier": "front"]),
        ]
        let status = ReplicaSetController.calculateStatus(
            replicaSet(replicas: 3, minReadySeconds: 10), pods: pods, manageError: nil, now: now)
        #expect(status.replicas == 3)
        #expect(status.fullyLabeledReplicas == 2)
        #expect(status.readyReplicas == 2)
        #expect(status.availableReplicas == 1)
        #expect(status.conditions == nil)
    }

    @Test func createFailuresSetReplicaFailureUntilTheyStop() {
        let rs = replicaSet(replicas: 2)
        let failed = ReplicaSetController.calculateStatus(rs, pods: [], manageError: TestFailure(), now: now)
        let condition = failed.conditions?.first
        #expect(condition?.type == "ReplicaFailure")
        #expect(condition?.status == "True")
        #expect(condition?.reason == "FailedCreate")
        var recovered = rs
        recovered.status = failed
        #expect(ReplicaSetController.calculateStatus(recovered, pods: [], manageError: nil, now: now).conditions == nil)
    }

    @Test func namespaceConditionsNameWhatRemains() {
        let conditions = NamespaceController.conditions(remaining: ["pods": 2], failures: [], old: [])
        let remaining = conditions.first { $0.type == "NamespaceContentRemaining" }
        #expect(remaining?.status == "True")
        #expect(remaining?.message == "Some resources are remaining: pods has 2 resource instances")
        #expect(conditions.first { $0.type == "NamespaceDeletionContentFailure" }?.status == "False")
    }
}
