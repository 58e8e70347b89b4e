import Bus
import Client
import Foundation
import Schema
import Testing
import Wire

/// Issue 13 item 2: a pod calls the api with its own ServiceAccount token — through the bus's request socket for
/// pods that the kubelet mounts, with the pods' anonymous key — and can do only what its Role allows. Real bus,
/// store, api and kubelet; the pod is Python with pyzmq, speaking docs/protocol.md.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ServiceAccountIntegrationTests {
    @Test func aPodsTokenCanDoOnlyWhatItsRoleAllows() async throws {
        try await withCluster { cluster in
            // Under the kubelets' root (outside /tmp, which containers get fresh), removed with it.
            let podBus = "\(cluster.kubeletRoot)/pod-bus"
            try cluster.start("bus", args: ["--pod-bus", "ipc://\(podBus)/bus"])
            try cluster.start("store")
            try cluster.start(
                "api", args: ["--service-account-signing-key-file", "\(cluster.dir)/keys/service-account.key"])
            try await cluster.waitForService("store")
            try await cluster.waitForService("api")
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let admin = KubusClient(bus: bus)
            try cluster.startKubelet(node: "node-a", args: ["--pod-bus", podBus, "--initial-backoff-seconds", "1"])
            try await KubeletIntegrationTests.waitFor("node-a Ready", cluster: cluster) {
                let node = try? await admin.get(Node.self, namespace: nil, name: "node-a")
                return node?.status.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
            }
            try await cluster.waitForService(Wire.KubeletService.name(for: "node-a"))

            // The ServiceAccount, the Role that lets it read pods in default, the binding; the pod's script.
            let script = try String(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("python/serviceaccount_pod.py"), encoding: .utf8)
            for object: JSONValue in [
                [
                    "apiVersion": "v1", "kind": "ServiceAccount",
                    "metadata": ["name": "reader", "namespace": "default"],
                ],
                [
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                    "metadata": ["name": "pod-reader", "namespace": "default"],
                    "rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get", "watch", "list"]]],
                ],
                [
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                    "metadata": ["name": "read-pods", "namespace": "default"],
                    "subjects": [["kind": "ServiceAccount", "name": "reader", "namespace": "default"]],
                    "roleRef": ["kind": "Role", "name": "pod-reader", "apiGroup": "rbac.authorization.k8s.io"],
                ],
                [
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "script", "namespace": "default"],
                    "data": ["pod.py": .string(script)],
                ],
            ] {
                _ = try await admin.create(object)
            }
            var pod = KubeletIntegrationTests.pod(
                "caller", node: "node-a",
                containers: [
                    Container(
                        name: "c", image: "python", command: ["python3", "/script/pod.py"],
                        volumeMounts: [VolumeMount(name: "script", mountPath: "/script")])
                ], restartPolicy: "Never",
                volumes: [Volume(name: "script", configMap: ConfigMapVolumeSource(name: "script"))])
            pod.spec.serviceAccountName = "reader"
            let created = try await admin.create(pod)
            // Admission mounted the token where Kubernetes does.
            #expect(
                created.spec.containers.first?.volumeMounts?.contains {
                    $0.mountPath == "/var/run/secrets/kubernetes.io/serviceaccount" && $0.readOnly == true
                } == true)
            let finished = try await KubeletIntegrationTests.waitForPhase(
                admin, "caller", "Succeeded", within: .seconds(60))
            #expect(finished.status.phase == "Succeeded")
            let log = try await KubeletIntegrationTests.logs(cluster, node: "node-a", pod: "caller")
            let lines = log.split(separator: "\n").map(String.init)
            #expect(lines.first == "namespace default", "\(log)")
            // Its token lists pods in its namespace (its Role), and nothing else; without it the pod is anonymous.
            #expect(lines.contains("list Pod token 200 "), "\(log)")
            #expect(
                lines.contains(
                    "list Secret token 403 secrets is forbidden: User \"system:serviceaccount:default:reader\" cannot "
                        + "list resource \"secrets\" in API group \"\" in the namespace \"default\""), "\(log)")
            #expect(
                lines.contains(
                    "list Pod anonymous 403 pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" "
                        + "in API group \"\" in the namespace \"default\""), "\(log)")
            #expect(
                lines.contains {
                    $0.hasPrefix(
                        "list Pod kube-system 403 pods is forbidden: User \"system:serviceaccount:default:reader\"")
                }, "\(log)")

            // A token bound to the pod works from anywhere until the pod is gone, then is refused (401).
            let request = try await admin.requestToken(
                namespace: "default", account: "reader", pod: "caller", podUID: created.metadata.uid)
            let token = try #require(request[path: ["status", "token"]]?.stringValue)
            let asPod = KubusClient(bus: bus, extra: ["authorization": "Bearer " + token])
            #expect(
                try await asPod.list(Pod.self, namespace: "default").items.contains { $0.metadata.name == "caller" })
            do throws(APIError) {
                _ = try await asPod.list(Secret.self, namespace: "default")
                Issue.record("the reader's token listed secrets")
            } catch {
                #expect(error.code == 403)
            }
            try await admin.delete(Pod.self, namespace: "default", name: "caller", gracePeriodSeconds: 0)
            var refusal: APIError?
            try await KubeletIntegrationTests.waitFor("the deleted pod's token refused", within: .seconds(20)) {
                do throws(APIError) {
                    _ = try await asPod.list(Pod.self, namespace: "default")
                    return false
                } catch {
                    refusal = error
                    return error.code == 401
                }
            }
            #expect(refusal?.message.contains("no longer exists") == true, "\(String(describing: refusal))")
        }
    }
}
