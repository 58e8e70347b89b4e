import Foundation
import Schema

/// Builds pods for the decision tests.
func makePod(
    _ name: String, node: String? = nil, phase: String = "Pending", ready: Bool = false, readySince: Date? = nil,
    restarts: Int = 0, created: Date = Date(timeIntervalSince1970: 1_700_000_000),
    labels: [String: String] = ["app": "web"],
    deletionCost: Int? = nil
) -> Pod {
    var pod = Pod(
        metadata: ObjectMeta(
            name: name, namespace: "default", uid: "uid-\(name)", creationTimestamp: Time(created), labels: labels))
    pod.spec.nodeName = node
    pod.status.phase = phase
    if let deletionCost {
        pod.metadata.annotations = ["controller.kubernetes.io/pod-deletion-cost": "\(deletionCost)"]
    }
    pod.status.conditions = [
        PodCondition(
            type: "Ready", status: ready ? "True" : "False", lastTransitionTime: readySince.map { Time($0) })
    ]
    pod.status.containerStatuses = [ContainerStatus(name: "app", ready: ready, restartCount: restarts)]
    return pod
}
