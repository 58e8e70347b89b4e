import Foundation
import Schema
import Testing

@testable import KubusCtl

/// The describers of the kinds beyond pods and nodes, in kubectl's layout.
@Suite struct DescriberKindsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func describe(_ object: JSONValue, related: DescribeRelated = DescribeRelated()) -> String {
        Describer.describe(object, events: [], related: related, now: now)
    }

    func expectOrder(_ text: String, _ labels: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var position = text.startIndex
        for label in labels {
            guard let range = text.range(of: label, range: position..<text.endIndex) else {
                Issue.record("missing or out of order: \(label)\n\(text)", sourceLocation: sourceLocation)
                return
            }
            position = range.upperBound
        }
    }

    let template: JSONValue = [
        "metadata": ["labels": ["app": "web"]],
        "spec": ["containers": [["name": "nginx", "image": "nginx:1.27", "ports": [["containerPort": 80]]]]],
    ]

    func pod(_ phase: String) -> JSONValue {
        ["kind": "Pod", "metadata": ["name": .string("p-\(phase)")], "status": ["phase": .string(phase)]]
    }

    @Test func service() {
        let svc: JSONValue = [
            "kind": "Service", "metadata": ["name": "web", "namespace": "default"],
            "spec": [
                "selector": ["app": "web"], "type": "NodePort", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"], "sessionAffinity": "None",
                "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster",
                "ports": [["name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP", "nodePort": 30080]],
            ],
        ]
        let endpoints: JSONValue = [
            "subsets": [
                [
                    "addresses": [["ip": "10.244.0.5"], ["ip": "10.244.0.6"]],
                    "ports": [["name": "http", "port": 8080]],
                ]
            ]
        ]
        let text = describe(svc, related: DescribeRelated(endpoints: endpoints))
        expectOrder(
            text,
            [
                "Name:", "Namespace:", "Labels:", "Annotations:", "Selector:", "Type:", "IP Family Policy:",
                "IP Families:", "IP:", "IPs:", "Port:", "TargetPort:", "NodePort:", "Endpoints:", "Session Affinity:",
                "External Traffic Policy:", "Internal Traffic Policy:", "Events:",
            ])
        #expect(text.contains("Port:                     http  80/TCP\n"))
        #expect(text.contains("TargetPort:               8080/TCP\n"))
        #expect(text.contains("Endpoints:                10.244.0.5:8080,10.244.0.6:8080\n"))
    }

    @Test func endpointsAndIngress() {
        let ep: JSONValue = [
            "kind": "Endpoints", "metadata": ["name": "web", "namespace": "default"],
            "subsets": [
                ["addresses": [["ip": "10.0.0.1"]], "ports": [["name": "http", "port": 80, "protocol": "TCP"]]]
            ],
        ]
        let text = describe(ep)
        #expect(
            text.contains(
                "Subsets:\n  Addresses:          10.0.0.1\n  NotReadyAddresses:  <none>\n  Ports:\n"
                    + "    Name  Port  Protocol\n    ----  ----  --------\n    http  80    TCP\n"))
        let ing: JSONValue = [
            "kind": "Ingress", "metadata": ["name": "min", "namespace": "default"],
            "spec": [
                "ingressClassName": "nginx",
                "rules": [
                    [
                        "http": [
                            "paths": [
                                [
                                    "path": "/test", "pathType": "Prefix",
                                    "backend": ["service": ["name": "test", "port": ["number": 80]]],
                                ]
                            ]
                        ]
                    ]
                ],
            ],
        ]
        let ingress = describe(ing)
        expectOrder(
            ingress,
            [
                "Name:", "Labels:", "Namespace:", "Address:", "Ingress Class:", "Default backend:", "Rules:",
                "Host", "Path", "Backends", "*", "/test", "test:80", "Annotations:", "Events:",
            ])
    }

    @Test func secretShowsSizesNotValues() {
        let secret: JSONValue = [
            "kind": "Secret", "metadata": ["name": "s", "namespace": "default"], "type": "Opaque",
            "data": ["password": "c2VjcmV0IQ==", "username": "YWRtaW4="],
        ]
        let text = describe(secret)
        #expect(text.contains("\nType:  Opaque\n\nData\n====\npassword:  7 bytes\nusername:  5 bytes\n"))
        #expect(!text.contains("secret!") && !text.contains("c2VjcmV0IQ=="))
    }

    @Test func workloads() {
        let rs: JSONValue = [
            "kind": "ReplicaSet",
            "metadata": [
                "name": "web-1", "namespace": "default",
                "ownerReferences": [["kind": "Deployment", "name": "web", "controller": true, "uid": "d1"]],
            ],
            "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "web"]], "template": template],
            "status": ["replicas": 3],
        ]
        let text = describe(rs, related: DescribeRelated(pods: [pod("Running"), pod("Running"), pod("Pending")]))
        expectOrder(
            text,
            [
                "Name:", "Namespace:", "Selector:", "Labels:", "Annotations:", "Controlled By:", "Replicas:",
                "Pods Status:", "Pod Template:", "  Labels:", "  Containers:", "   nginx:", "    Image:", "    Port:",
                "Events:",
            ])
        #expect(text.contains("Replicas:       3 current / 3 desired\n"))
        #expect(text.contains("Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"))
        #expect(text.contains("Controlled By:  Deployment/web\n"))
        #expect(!text.contains("Restart Count"))

        let sts: JSONValue = [
            "kind": "StatefulSet", "metadata": ["name": "db", "namespace": "default"],
            "spec": [
                "replicas": 2, "selector": ["matchLabels": ["app": "db"]], "template": template,
                "volumeClaimTemplates": [
                    [
                        "metadata": ["name": "data"],
                        "spec": [
                            "accessModes": ["ReadWriteOnce"],
                            "resources": ["requests": ["storage": "1Gi"]],
                        ],
                    ]
                ],
            ],
            "status": ["replicas": 2],
        ]
        let stsText = describe(sts)
        expectOrder(
            stsText,
            [
                "CreationTimestamp:", "Selector:", "Replicas:", "Update Strategy:", "  Partition:", "Pods Status:",
                "Pod Template:", "Volume Claims:", "  Name:", "  Capacity:", "  Access Modes:",
            ])
        #expect(stsText.contains("Replicas:           2 desired | 2 total\n"))
        #expect(stsText.contains("Access Modes:  [ReadWriteOnce]"))

        let ds: JSONValue = [
            "kind": "DaemonSet", "metadata": ["name": "agent", "namespace": "default"],
            "spec": ["selector": ["matchLabels": ["app": "agent"]], "template": template],
            "status": ["desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberAvailable": 1],
        ]
        let dsText = describe(ds)
        expectOrder(
            dsText,
            [
                "Selector:", "Node-Selector:", "Labels:", "Desired Number of Nodes Scheduled: 2",
                "Current Number of Nodes Scheduled: 2", "Number of Nodes Scheduled with Up-to-date Pods: 0",
                "Number of Nodes Scheduled with Available Pods: 1", "Number of Nodes Misscheduled: 0", "Pods Status:",
            ])
    }

    @Test func jobsAndCronJobs() {
        let job: JSONValue = [
            "kind": "Job", "metadata": ["name": "pi", "namespace": "default"],
            "spec": [
                "parallelism": 1, "completions": 1, "backoffLimit": 4, "selector": ["matchLabels": ["job-name": "pi"]],
                "template": template,
            ],
            "status": ["startTime": "2027-01-15T08:00:00Z", "completionTime": "2027-01-15T08:00:10Z", "succeeded": 1],
        ]
        let text = describe(job)
        expectOrder(
            text,
            [
                "Selector:", "Labels:", "Annotations:", "Parallelism:", "Completions:", "Completion Mode:",
                "Suspend:", "Backoff Limit:", "Start Time:", "Completed At:", "Duration:", "Pods Statuses:",
                "Pod Template:",
            ])
        #expect(text.contains("Duration:         10s\n"))
        #expect(text.contains("Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n"))
        let cron: JSONValue = [
            "kind": "CronJob", "metadata": ["name": "hello", "namespace": "default"],
            "spec": ["schedule": "*/1 * * * *", "jobTemplate": ["spec": ["template": template]]],
        ]
        expectOrder(
            describe(cron),
            [
                "Schedule:", "Concurrency Policy:", "Suspend:", "Successful Job History Limit:",
                "Failed Job History Limit:", "Starting Deadline Seconds:", "Selector:", "Parallelism:", "Completions:",
                "Pod Template:", "Last Schedule Time:", "Active Jobs:", "Events:",
            ])
    }

    @Test func deploymentListsItsReplicaSets() {
        let deployment: JSONValue = [
            "kind": "Deployment", "metadata": ["name": "web", "namespace": "default", "uid": "d1"],
            "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]], "template": template],
            "status": ["replicas": 2, "updatedReplicas": 2, "availableReplicas": 2],
        ]
        func rs(_ name: String, _ revision: String, _ replicas: Int64) -> JSONValue {
            [
                "metadata": [
                    "name": .string(name), "labels": ["pod-template-hash": .string(name)],
                    "annotations": ["deployment.kubernetes.io/revision": .string(revision)],
                    "ownerReferences": [["uid": "d1"]],
                ],
                "spec": ["replicas": .int(replicas)], "status": ["replicas": .int(replicas)],
            ]
        }
        let text = describe(
            deployment, related: DescribeRelated(replicaSets: [rs("web-a", "1", 0), rs("web-b", "2", 2)]))
        #expect(text.contains("OldReplicaSets:    <none>\n"))
        #expect(text.contains("NewReplicaSet:     web-b (2/2 replicas created)\n"))
    }

    @Test func storage() {
        let pvc: JSONValue = [
            "kind": "PersistentVolumeClaim",
            "metadata": [
                "name": "data", "namespace": "default",
                "finalizers": ["kubernetes.io/pvc-protection"],
            ],
            "spec": ["storageClassName": "standard", "volumeName": "pv-1", "volumeMode": "Filesystem"],
            "status": ["phase": "Bound", "capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"]],
        ]
        let user: JSONValue = [
            "metadata": ["name": "web-0"],
            "spec": ["volumes": [["name": "v", "persistentVolumeClaim": ["claimName": "data"]]]],
        ]
        let text = describe(pvc, related: DescribeRelated(pods: [user]))
        expectOrder(
            text,
            [
                "Name:", "Namespace:", "StorageClass:", "Status:", "Volume:", "Labels:", "Annotations:",
                "Finalizers:", "Capacity:", "Access Modes:", "VolumeMode:", "Used By:", "Events:",
            ])
        #expect(text.contains("Finalizers:    [kubernetes.io/pvc-protection]\n"))
        #expect(text.contains("Access Modes:  RWO\n"))
        #expect(text.contains("Used By:       web-0\n"))
        let pv: JSONValue = [
            "kind": "PersistentVolume", "metadata": ["name": "pv-1"],
            "spec": [
                "capacity": ["storage": "5Gi"], "accessModes": ["ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Delete",
                "hostPath": ["path": "/tmp/pv"], "claimRef": ["namespace": "default", "name": "data"],
            ],
            "status": ["phase": "Bound"],
        ]
        let pvText = describe(pv)
        expectOrder(
            pvText,
            [
                "Name:", "Labels:", "Annotations:", "Finalizers:", "StorageClass:", "Status:", "Claim:",
                "Reclaim Policy:", "Access Modes:", "Capacity:", "Node Affinity:", "Message:", "Source:",
                "    Type:", "HostPath (bare host directory volume)", "    Path:", "/tmp/pv",
            ])
        let sc: JSONValue = [
            "kind": "StorageClass",
            "metadata": [
                "name": "standard",
                "annotations": ["storageclass.kubernetes.io/is-default-class": "true"],
            ], "provisioner": "kubus.io/hostpath",
        ]
        let scText = describe(sc)
        expectOrder(
            scText,
            [
                "Name:", "IsDefaultClass:        Yes", "Annotations:", "Provisioner:", "Parameters:",
                "AllowVolumeExpansion:  <unset>", "MountOptions:", "ReclaimPolicy:", "VolumeBindingMode:", "Events:",
            ])
    }

    @Test func namespaceAndServiceAccount() {
        let ns: JSONValue = [
            "kind": "Namespace", "metadata": ["name": "demo", "labels": ["kubernetes.io/metadata.name": "demo"]],
            "status": ["phase": "Active"],
        ]
        #expect(describe(ns).hasSuffix("Status:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"))
        let sa: JSONValue = ["kind": "ServiceAccount", "metadata": ["name": "default", "namespace": "demo"]]
        expectOrder(describe(sa), ["Image pull secrets:  <none>", "Mountable secrets:   <none>", "Tokens:", "Events:"])
    }

    @Test func hpaInKubectlsWords() {
        let hpa: JSONValue = [
            "kind": "HorizontalPodAutoscaler", "metadata": ["name": "php", "namespace": "default"],
            "spec": [
                "scaleTargetRef": ["kind": "Deployment", "name": "php"], "minReplicas": 1, "maxReplicas": 10,
                "metrics": [
                    [
                        "type": "Resource",
                        "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]],
                    ],
                    [
                        "type": "Pods",
                        "pods": ["metric": ["name": "qps"], "target": ["type": "AverageValue", "averageValue": "10"]],
                    ],
                ],
            ],
            "status": [
                "currentReplicas": 1, "desiredReplicas": 1,
                "currentMetrics": [
                    [
                        "type": "Resource",
                        "resource": ["name": "cpu", "current": ["averageUtilization": 12, "averageValue": "6m"]],
                    ]
                ],
                "conditions": [
                    ["type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "message": "ok"]
                ],
            ],
        ]
        let text = describe(hpa)
        #expect(text.contains("Reference:                                             Deployment/php\n"))
        #expect(text.contains("Metrics:                                               ( current / target )\n"))
        #expect(text.contains("  resource cpu on pods  (as a percentage of request):  12% (6m) / 50%\n"))
        #expect(text.contains("  \"qps\" on pods:                                       <unknown> / 10\n"))
        #expect(text.contains("Deployment pods:                                       1 current / 1 desired\n"))
        #expect(text.contains("  AbleToScale  True    ReadyForNewScale  ok\n"))
        #expect(!text.contains("Spec:"))
    }

    @Test func genericDescriberForLeasesAndEvents() {
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": "node-0", "namespace": "kube-node-lease", "uid": "u1"],
            "spec": ["holderIdentity": "node-0", "leaseDurationSeconds": 40],
        ]
        let text = describe(lease)
        expectOrder(
            text,
            [
                "Name:", "Namespace:", "Labels:", "Annotations:", "API Version:", "Kind:", "Metadata:",
                "  UID:", "Spec:", "  Holder Identity:", "node-0", "  Lease Duration Seconds:", "40", "Events:",
            ])
        #expect(Describer.smartLabel("apiVersion") == "API Version")
        #expect(Describer.smartLabel("podIP") == "Pod IP")
        #expect(Describer.smartLabel("involvedObject") == "Involved Object")
    }

    @Test func rbac() {
        let role: JSONValue = [
            "kind": "Role", "metadata": ["name": "reader", "namespace": "default"],
            "rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]]],
        ]
        #expect(
            describe(role).contains(
                "PolicyRule:\n  Resources  Non-Resource URLs  Resource Names  Verbs\n"
                    + "  ---------  -----------------  --------------  -----\n  pods       []                 []              [get list]\n"
            ))
        let binding: JSONValue = [
            "kind": "RoleBinding", "metadata": ["name": "read", "namespace": "default"],
            "roleRef": ["kind": "Role", "name": "reader"], "subjects": [["kind": "User", "name": "jane"]],
        ]
        #expect(
            describe(binding).contains("Role:\n  Kind:  Role\n  Name:  reader\nSubjects:\n  Kind  Name  Namespace\n"))
    }
}
