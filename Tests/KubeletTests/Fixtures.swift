import Foundation
import Kubelet
import Schema

/// Pods and runtime statuses for the kubelet's unit tests.
enum Fixtures {
    static func pod(
        name: String = "web",
        containers: [Container] = [Container(name: "app", image: "busybox", command: ["sleep", "1"])],
        initContainers: [Container]? = nil, restartPolicy: String = "Always"
    ) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.metadata.uid = "uid-\(name)"
        pod.spec.containers = containers
        pod.spec.initContainers = initContainers
        pod.spec.restartPolicy = restartPolicy
        pod.spec.nodeName = "node-1"
        return pod
    }

    static func running(
        _ name: String, attempt: Int = 0, uid: String = "uid-web", startedAt: Date = Date(timeIntervalSince1970: 1000)
    )
        -> RuntimeContainerStatus
    {
        RuntimeContainerStatus(
            id: "\(name)-\(attempt)", podUID: uid, podNamespace: "default", podName: "web", name: name,
            attempt: attempt,
            image: "busybox", imageID: "catalog://busybox", state: .running, pid: 42, startedAt: startedAt,
            logPath: "/tmp/\(name)-\(attempt).log")
    }

    static func exited(
        _ name: String, attempt: Int = 0, code: Int32, uid: String = "uid-web",
        startedAt: Date = Date(timeIntervalSince1970: 1000), finishedAt: Date = Date(timeIntervalSince1970: 1001)
    ) -> RuntimeContainerStatus {
        RuntimeContainerStatus(
            id: "\(name)-\(attempt)", podUID: uid, podNamespace: "default", podName: "web", name: name,
            attempt: attempt,
            image: "busybox", imageID: "catalog://busybox", state: .exited, startedAt: startedAt,
            finishedAt: finishedAt,
            exitCode: code, reason: code == 0 ? "Completed" : "Error", logPath: "/tmp/\(name)-\(attempt).log")
    }
}
