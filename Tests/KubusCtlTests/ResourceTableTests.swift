import Foundation
import Schema
import Testing

@testable import KubusCtl

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private func ago(_ seconds: Int) -> JSONValue {
    .string(Time(now.addingTimeInterval(-Double(seconds))).rawValue)
}

@Suite struct ResourceTableTests {
    let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": [
            "name": "web-7d4b9c-abcde", "namespace": "default", "creationTimestamp": ago(300),
            "labels": ["app": "web", "pod-template-hash": "7d4b9c"],
        ],
        "spec": [
            "nodeName": "node-1",
            "containers": [["name": "web", "image": "nginx"], ["name": "side", "image": "busybox"]],
        ],
        "status": [
            "phase": "Running", "podIP": "10.244.0.5",
            "containerStatuses": [
                ["name": "web", "ready": true, "restartCount": 0, "state": ["running": ["startedAt": ago(290)]]],
                [
                    "name": "side", "ready": false, "restartCount": 3,
                    "state": ["waiting": ["reason": "CrashLoopBackOff"]],
                    "lastState": ["terminated": ["exitCode": 1, "finishedAt": ago(62)]],
                ],
            ],
        ],
    ]

    @Test func podColumnsAndValues() {
        let table = ResourceTable.table([pod], info: .pod, now: now)
        #expect(table.columns == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        #expect(table.rows == [["web-7d4b9c-abcde", "1/2", "CrashLoopBackOff", "3 (62s ago)", "5m"]])
    }

    @Test func podWideAllNamespacesAndLabels() {
        let options = TableOptions(wide: true, allNamespaces: true, showLabels: true)
        let table = ResourceTable.table([pod], info: .pod, options: options, now: now)
        #expect(
            table.columns == [
                "NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                "NOMINATED NODE", "READINESS GATES", "LABELS",
            ])
        #expect(
            table.rows[0] == [
                "default", "web-7d4b9c-abcde", "1/2", "CrashLoopBackOff", "3 (62s ago)", "5m",
                "10.244.0.5", "node-1", "<none>", "<none>", "app=web,pod-template-hash=7d4b9c",
            ])
    }

    @Test func terminatingAndCompletedPods() {
        var deleting = pod
        deleting[path: ["metadata", "deletionTimestamp"]] = ago(1)
        #expect(ResourceTable.row(deleting, info: .pod, now: now)[2] == "Terminating")
        let done: JSONValue = [
            "kind": "Pod", "metadata": ["name": "job-x", "creationTimestamp": ago(10)],
            "spec": ["containers": [["name": "c"]]],
            "status": [
                "phase": "Succeeded",
                "containerStatuses": [
                    [
                        "name": "c", "ready": false, "restartCount": 0,
                        "state": ["terminated": ["exitCode": 0, "reason": "Completed"]],
                    ]
                ],
            ],
        ]
        #expect(ResourceTable.row(done, info: .pod, now: now) == ["job-x", "0/1", "Completed", "0", "10s"])
    }

    @Test func claimsAndVolumesBeingDeletedSayTerminating() {
        var claim: JSONValue = [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": ["name": "data", "namespace": "default", "creationTimestamp": ago(60)],
            "spec": ["volumeName": "pv-1", "storageClassName": "standard"],
            "status": ["phase": "Bound", "capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"]],
        ]
        #expect(ResourceTable.table([claim], info: .persistentVolumeClaim, now: now).rows[0][1] == "Bound")
        claim[path: ["metadata", "deletionTimestamp"]] = ago(5)
        #expect(ResourceTable.table([claim], info: .persistentVolumeClaim, now: now).rows[0][1] == "Terminating")
        let volume: JSONValue = [
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": ["name": "pv-1", "creationTimestamp": ago(60), "deletionTimestamp": ago(5)],
            "spec": ["capacity": ["storage": "1Gi"], "claimRef": ["namespace": "default", "name": "data"]],
            "status": ["phase": "Bound"],
        ]
        #expect(ResourceTable.table([volume], info: .persistentVolume, now: now).rows[0][4] == "Terminating")
    }

    @Test func deploymentRow() {
        let deployment: JSONValue = [
            "kind": "Deployment", "metadata": ["name": "web", "creationTimestamp": ago(3 * 86400)],
            "spec": [
                "replicas": 3, "selector": ["matchLabels": ["app": "web"]],
                "template": ["spec": ["containers": [["name": "web", "image": "nginx:1.25"]]]],
            ],
            "status": ["readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2],
        ]
        let table = ResourceTable.table([deployment], info: .deployment, options: TableOptions(wide: true), now: now)
        #expect(
            table.columns == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"])
        #expect(table.rows[0] == ["web", "2/3", "3", "2", "3d", "web", "nginx:1.25", "app=web"])
    }

    @Test func serviceRows() {
        let service: JSONValue = [
            "kind": "Service", "metadata": ["name": "web", "creationTimestamp": ago(45)],
            "spec": [
                "type": "NodePort", "clusterIP": "10.96.0.12", "selector": ["app": "web"],
                "ports": [["port": 80, "nodePort": 30080, "protocol": "TCP"], ["port": 53, "protocol": "UDP"]],
            ],
        ]
        #expect(
            ResourceTable.row(service, info: .service, now: now)
                == ["web", "NodePort", "10.96.0.12", "<none>", "80:30080/TCP,53/UDP", "45s"])
        var lb = service
        lb[path: ["spec", "type"]] = "LoadBalancer"
        #expect(ResourceTable.row(lb, info: .service, now: now)[3] == "<pending>")
    }

    @Test func configMapSecretNamespaceNode() {
        let cm: JSONValue = [
            "kind": "ConfigMap", "metadata": ["name": "cfg", "creationTimestamp": ago(7200)],
            "data": ["a": "1", "b": "2"],
        ]
        #expect(ResourceTable.row(cm, info: .configMap, now: now) == ["cfg", "2", "120m"])
        let secret: JSONValue = [
            "kind": "Secret", "metadata": ["name": "s"], "type": "kubernetes.io/tls",
            "data": ["tls.crt": "eA==", "tls.key": "eA=="],
        ]
        #expect(ResourceTable.row(secret, info: .secret, now: now) == ["s", "kubernetes.io/tls", "2", "<unknown>"])
        let ns: JSONValue = [
            "kind": "Namespace", "metadata": ["name": "dev", "creationTimestamp": ago(50)],
            "status": ["phase": "Terminating"],
        ]
        #expect(ResourceTable.row(ns, info: .namespace, now: now) == ["dev", "Terminating", "50s"])
        let node: JSONValue = [
            "kind": "Node",
            "metadata": [
                "name": "n1", "creationTimestamp": ago(9 * 3600),
                "labels": ["node-role.kubernetes.io/control-plane": ""],
            ],
            "spec": ["unschedulable": true],
            "status": [
                "conditions": [["type": "Ready", "status": "True"]], "nodeInfo": ["kubeletVersion": "v1.30.0-kubus"],
            ],
        ]
        #expect(
            ResourceTable.row(node, info: .node, now: now)
                == ["n1", "Ready,SchedulingDisabled", "control-plane", "9h", "v1.30.0-kubus"])
    }

    @Test func jobsEventsAndFallback() {
        let job: JSONValue = [
            "kind": "Job", "metadata": ["name": "pi", "creationTimestamp": ago(100)],
            "spec": ["completions": 3],
            "status": [
                "succeeded": 3, "startTime": ago(100), "completionTime": ago(40),
                "conditions": [["type": "Complete", "status": "True"]],
            ],
        ]
        #expect(ResourceTable.row(job, info: .job, now: now) == ["pi", "Complete", "3/3", "60s", "100s"])
        let event: JSONValue = [
            "kind": "Event", "metadata": ["name": "e1"], "type": "Normal", "reason": "Scheduled",
            "involvedObject": ["kind": "Pod", "name": "web"], "message": "assigned", "lastTimestamp": ago(5),
        ]
        let events = ResourceTable.table([event], info: .event, now: now)
        #expect(events.columns == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
        #expect(events.rows[0] == ["5s", "Normal", "Scheduled", "pod/web", "assigned"])
        let lease: JSONValue = ["kind": "Thing", "metadata": ["name": "x", "creationTimestamp": ago(3)]]
        #expect(ResourceTable.table([lease], info: nil, now: now).rows == [["x", "3s"]])
    }

    @Test func alignedLikeKubectl() {
        let table = Table(
            columns: ["NAME", "READY", "STATUS"], rows: [["web-1", "1/1", "Running"], ["a", "0/1", "Pending"]])
        #expect(
            table.render() == """
                NAME    READY   STATUS
                web-1   1/1     Running
                a       0/1     Pending

                """)
    }

    @Test func kindPrefixWhenSeveralTypes() throws {
        let cm: JSONValue = ["kind": "ConfigMap", "metadata": ["name": "cfg"]]
        let deploy: JSONValue = ["kind": "Deployment", "metadata": ["name": "web"], "spec": ["replicas": 1]]
        let text = try GetRenderer.render(
            [
                .init(info: .configMap, objects: [cm], named: false),
                .init(info: .deployment, objects: [deploy], named: false),
            ],
            output: nil, options: TableOptions(), now: now)
        #expect(text.contains("configmap/cfg"))
        #expect(text.contains("deployment.apps/web"))
        #expect(text.contains("\n\nNAME"))
    }
}

@Suite struct AgeFormatterTests {
    @Test(arguments: [
        (0, "0s"), (5, "5s"), (119, "119s"), (120, "2m"), (182, "3m2s"), (600, "10m"), (10799, "179m"),
        (10800, "3h"), (3 * 3600 + 60 * 20, "3h20m"), (8 * 3600, "8h"), (47 * 3600, "47h"), (2 * 86400, "2d"),
        (2 * 86400 + 5 * 3600, "2d5h"), (30 * 86400, "30d"), (3 * 365 * 86400 + 86400 * 10, "3y10d"),
        (-1, "0s"), (-5, "<invalid>"),
    ])
    func human(seconds: Int, expected: String) {
        #expect(AgeFormatter.human(seconds: Int64(seconds)) == expected)
    }

    @Test func unknownTimestamp() {
        #expect(AgeFormatter.age(of: nil, now: Date()) == "<unknown>")
        #expect(AgeFormatter.age(of: "garbage", now: Date()) == "<unknown>")
    }
}

@Suite struct PodStatusColumnTests {
    func pod(
        containers: [JSONValue], initContainers: [JSONValue] = [], initCount: Int = 0, phase: String = "Pending",
        deleting: Bool = false
    ) -> JSONValue {
        var meta: JSONValue = ["name": "p"]
        if deleting { meta["deletionTimestamp"] = "2026-11-25T10:00:00Z" }
        return [
            "metadata": meta,
            "spec": [
                "containers": .array(containers.map { _ in ["name": "c"] }),
                "initContainers": .array((0..<initCount).map { _ in ["name": "i"] }),
            ],
            "status": [
                "phase": .string(phase), "containerStatuses": .array(containers),
                "initContainerStatuses": .array(initContainers),
            ],
        ]
    }

    @Test(arguments: [
        (["state": ["waiting": ["reason": "ContainerCreating"]]] as JSONValue, "ContainerCreating"),
        (["state": ["waiting": ["reason": "ErrImagePull"]]] as JSONValue, "ErrImagePull"),
        (["state": ["waiting": ["reason": "ImagePullBackOff"]]] as JSONValue, "ImagePullBackOff"),
        (["state": ["terminated": ["exitCode": 0, "reason": "Completed"]]] as JSONValue, "Completed"),
        (["state": ["terminated": ["exitCode": 2]]] as JSONValue, "ExitCode:2"),
        (["state": ["terminated": ["exitCode": 137, "signal": 9]]] as JSONValue, "Signal:9"),
    ])
    func statusFromTheContainer(status: JSONValue, expected: String) {
        #expect(PodStatusSummary(pod(containers: [status]), now: Date()).status == expected)
    }

    @Test func initContainersShowProgress() {
        let waiting: JSONValue = ["state": ["waiting": ["reason": "PodInitializing"]]]
        let p = pod(containers: [waiting], initContainers: [["state": ["running": [:]]]], initCount: 1)
        #expect(PodStatusSummary(p, now: Date()).status == "Init:0/1")
        let crash = pod(
            containers: [waiting], initContainers: [["state": ["waiting": ["reason": "CrashLoopBackOff"]]]],
            initCount: 1)
        #expect(PodStatusSummary(crash, now: Date()).status == "Init:CrashLoopBackOff")
    }

    @Test func terminatingWinsAndNodesShowSchedulingDisabled() {
        let running: JSONValue = ["ready": true, "state": ["running": [:]]]
        #expect(
            PodStatusSummary(pod(containers: [running], phase: "Running", deleting: true), now: Date()).status
                == "Terminating")
        let node: JSONValue = [
            "spec": ["unschedulable": true], "status": ["conditions": [["type": "Ready", "status": "False"]]],
        ]
        #expect(ResourceTable.nodeStatus(node) == "NotReady,SchedulingDisabled")
        #expect(ResourceTable.nodeStatus(["status": [:]]) == "Unknown")
    }
}
