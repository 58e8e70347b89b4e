import Foundation
import Schema
import Testing

@testable import KubusCtl

@Suite struct DescribeLayoutTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    var node: JSONValue {
        [
            "kind": "Node",
            "metadata": [
                "name": "n1", "creationTimestamp": "2026-11-25T10:00:00Z", "labels": ["kubernetes.io/hostname": "n1"],
            ],
            "spec": [
                "podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"], "unschedulable": true,
                "taints": [["key": "gpu", "value": "a", "effect": "NoSchedule"]],
            ],
            "status": [
                "capacity": ["cpu": "4", "memory": "8Gi", "pods": "110"],
                "allocatable": ["cpu": "4", "memory": "8Gi", "pods": "110"],
                "conditions": [
                    [
                        "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "ok",
                        "lastHeartbeatTime": "2026-11-25T10:00:00Z", "lastTransitionTime": "2026-11-25T10:00:00Z",
                    ]
                ],
                "addresses": [["type": "InternalIP", "address": "10.0.0.1"], ["type": "Hostname", "address": "n1"]],
                "nodeInfo": [
                    "kubeletVersion": "v1.34.0", "osImage": "Debian", "operatingSystem": "linux",
                    "architecture": "amd64", "containerRuntimeVersion": "process://1", "kernelVersion": "6.1",
                    "machineID": "m", "systemUUID": "s", "bootID": "b", "kubeProxyVersion": "",
                ],
            ],
        ]
    }

    func pod(_ name: String, cpu: String, memory: String, limit: String? = nil, phase: String = "Running") -> JSONValue
    {
        var resources: JSONValue = ["requests": ["cpu": .string(cpu), "memory": .string(memory)]]
        if let limit { resources["limits"] = ["memory": .string(limit)] }
        return [
            "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": "2026-11-25T10:00:00Z"],
            "spec": ["nodeName": "n1", "containers": [["name": "a", "image": "x", "resources": resources]]],
            "status": ["phase": .string(phase)],
        ]
    }

    @Test func nodeSectionsInKubectlsOrder() {
        let lease: JSONValue = ["spec": ["holderIdentity": "n1", "renewTime": "2026-11-25T11:00:00.000000Z"]]
        let text = Describer.describe(
            node, events: [],
            related: DescribeRelated(
                lease: lease,
                pods: [
                    pod("a", cpu: "500m", memory: "1Gi", limit: "2Gi"), pod("b", cpu: "1", memory: "512Mi"),
                    pod("done", cpu: "4", memory: "8Gi", phase: "Succeeded"),
                ]), now: now)
        let order = [
            "Name:", "Roles:", "Labels:", "Annotations:", "CreationTimestamp:", "Taints:", "Unschedulable:",
            "Lease:", "Conditions:", "Addresses:", "Capacity:", "Allocatable:", "System Info:", "PodCIDR:",
            "Non-terminated Pods:", "Allocated resources:", "Events:",
        ]
        let positions = order.map { text.range(of: "\n" + $0)?.lowerBound ?? text.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(text.contains("Taints:             gpu=a:NoSchedule\n"))
        #expect(text.contains("Unschedulable:      true\n"))
        #expect(text.contains("  HolderIdentity:  n1\n"))
        #expect(text.contains("Non-terminated Pods:          (2 in total)\n"))
        #expect(
            text.contains("  default                     a     500m (12%)    0 (0%)      1Gi (12%)        2Gi (25%)"))
        #expect(text.contains("  cpu                1500m (37%)"))
        #expect(text.contains("  memory             1536Mi (18%)  2Gi (25%)"))
        #expect(text.contains("  InternalIP:  10.0.0.1\n  Hostname:    n1\n"))
        #expect(text.contains("  Kubelet Version:            v1.34.0\n"))
    }

    @Test func nodeWithoutLeaseSaysSo() {
        let text = Describer.describe(node, events: [], now: now)
        #expect(text.contains("Lease:              Failed to get lease: leases.coordination.k8s.io \"n1\" not found"))
    }

    @Test func podContainersVolumesTolerations() {
        let pod: JSONValue = [
            "kind": "Pod",
            "metadata": ["name": "web", "namespace": "default"],
            "spec": [
                "nodeName": "n1",
                "containers": [
                    [
                        "name": "a", "image": "nginx", "ports": [["containerPort": 80]],
                        "resources": ["requests": ["cpu": "250m"], "limits": ["cpu": "500m"]],
                        "livenessProbe": ["tcpSocket": ["port": 80], "periodSeconds": 5],
                        "env": [["name": "A", "value": "1"]],
                        "volumeMounts": [["name": "data", "mountPath": "/data", "readOnly": true]],
                    ]
                ],
                "volumes": [["name": "data", "emptyDir": [:]]],
                "tolerations": [
                    [
                        "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                        "tolerationSeconds": 300,
                    ]
                ],
            ],
            "status": [
                "phase": "Running", "podIP": "10.244.1.5", "podIPs": [["ip": "10.244.1.5"]], "qosClass": "Burstable",
                "containerStatuses": [
                    [
                        "name": "a", "ready": true, "restartCount": 2, "containerID": "process://x", "imageID": "sha",
                        "state": ["running": ["startedAt": "2026-11-25T10:00:00Z"]],
                        "lastState": ["terminated": ["exitCode": 137, "reason": "OOMKilled"]],
                    ]
                ],
            ],
        ]
        let text = Describer.describe(pod, events: [], now: now)
        for expected in [
            "    Container ID:   process://x\n", "    Port:           80/TCP\n", "    State:          Running\n",
            "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n",
            "    Restart Count:  2\n", "    Limits:\n      cpu:  500m\n",
            "    Liveness:  tcp-socket :80 delay=0s timeout=1s period=5s #success=1 #failure=3\n",
            "    Mounts:\n      /data from data (ro)\n", "Volumes:\n  data:\n    Type:        EmptyDir",
            "QoS Class:       Burstable\n",
            "Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n",
            "Name:             web\nNamespace:        default\n",
            "IPs:\n  IP:  10.244.1.5\n",
        ] {
            #expect(text.contains(expected), "\(expected)")
        }
    }
}
