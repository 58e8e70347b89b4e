import Bus
import Client
import Foundation
import Schema
import Testing

/// kubectl's habits as real kubusctl commands against real processes: global flags before the verb, patch of
/// every type, edit with an editor script, set, replace, version, cluster-info; and with a kubelet: run, logs -l,
/// logs and exec of a workload, cp.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct KubusctlVerbsTests {
    static func deployment() -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
            "spec": [
                "replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                "template": [
                    "metadata": ["labels": ["app": "web"]],
                    "spec": [
                        "containers": [["name": "web", "image": "nginx:1.27"], ["name": "side", "image": "busybox"]]
                    ],
                ],
            ],
        ]
    }

    @Test func patchEditSetReplaceAndGlobalFlags() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            _ = try await client.create(Self.deployment())
            func containers() async throws -> [JSONValue] {
                try await client.get(kind: "Deployment", namespace: "default", name: "web")[
                    path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            }

            let version = try cluster.ctl(["version"])
            #expect(version.status == 0, "\(version.err)")
            #expect(version.out == "Client Version: v1.31.0-kubus\nServer Version: v1.31.0-kubus\n")

            // Strategic merge (the default): containers merge by name.
            let strategic = try cluster.ctl(
                [
                    "patch", "deploy", "web", "-p",
                    #"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}"#,
                ])
            #expect(strategic.status == 0, "\(strategic.err)")
            #expect(strategic.out == "deployment.apps/web patched\n")
            #expect(try await containers().map { $0["image"] } == ["nginx:1.28", "busybox"])
            let again = try cluster.ctl(
                [
                    "patch", "deploy/web", "-p",
                    #"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}"#,
                ])
            #expect(again.out == "deployment.apps/web patched (no change)\n")

            let json = try cluster.ctl(
                [
                    "patch", "deploy", "web", "--type", "json", "-p",
                    #"[{"op":"replace","path":"/spec/replicas","value":3}]"#,
                ])
            #expect(json.status == 0, "\(json.err)")
            #expect(
                try await client.get(kind: "Deployment", namespace: "default", name: "web")[path: ["spec", "replicas"]]
                    == 3)
            let failing = try cluster.ctl(
                ["patch", "deploy", "web", "--type=json", "-p", #"[{"op":"remove","path":"/spec/nope"}]"#])
            #expect(failing.status == 1)
            #expect(
                failing.err.hasPrefix("Error from server (Invalid): Deployment \"web\" is invalid: spec.nope: "),
                "\(failing.err)")

            let image = try cluster.ctl(["set", "image", "deployment/web", "web=nginx:1.29"])
            #expect(image.out == "deployment.apps/web image updated\n", "\(image.err)")
            let env = try cluster.ctl(["set", "env", "deploy/web", "-c", "web", "MODE=fast"])
            #expect(env.out == "deployment.apps/web env updated\n", "\(env.err)")
            let list = try cluster.ctl(["set", "env", "deploy/web", "--list"])
            #expect(list.out == "# Deployment web, container web\nMODE=fast\n# Deployment web, container side\n")

            // edit: the editor is a script that changes the replicas.
            let script = "\(cluster.dir)/editor.sh"
            try Data("#!/bin/sh\nsed -i 's/replicas: 3/replicas: 5/' \"$1\"\n".utf8).write(
                to: URL(fileURLWithPath: script))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
            let edit = try cluster.ctl(["edit", "deploy/web"], environment: ["KUBE_EDITOR": script])
            #expect(edit.status == 0, "\(edit.err)")
            #expect(edit.out == "deployment.apps/web edited\n")
            let unchanged = try cluster.ctl(["edit", "deploy/web"], environment: ["KUBE_EDITOR": "true"])
            #expect(unchanged.out == "Edit cancelled, no changes made.\n")

            // Global flags before the verb, custom columns.
            let columns = try cluster.ctl(
                [
                    "-n", "default", "--request-timeout", "5", "get", "deploy", "-o",
                    "custom-columns=NAME:.metadata.name,R:.spec.replicas",
                ])
            #expect(columns.out == "NAME   R\nweb    5\n", "\(columns.err)")
            let usage = try cluster.ctl(["get", "pods", "-x"])
            #expect(usage.status == 1)
            #expect(usage.err.hasPrefix("error: unknown shorthand flag: 'x' in -x\n"))

            // replace, then a forced delete.
            let file = "\(cluster.dir)/cfg.yaml"
            _ = try await client.create([
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg"], "data": ["a": "1"],
            ])
            try Data("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  b: \"2\"\n".utf8)
                .write(to: URL(fileURLWithPath: file))
            let replace = try cluster.ctl(["replace", "-f", file])
            #expect(replace.out == "configmap/cfg replaced\n", "\(replace.err)")
            #expect(try await client.get(kind: "ConfigMap", namespace: "default", name: "cfg")["data"] == ["b": "2"])
            let forced = try cluster.ctl(["delete", "cm", "cfg", "--force", "--grace-period=0"])
            #expect(forced.out == "configmap \"cfg\" force deleted\n")
            #expect(forced.err.hasPrefix("Warning: Immediate deletion does not wait"))

            // kubectl's generators: each object as kubectl makes it, stored by the api.
            for (arguments, printed) in [
                (["create", "service", "clusterip", "svc", "--tcp=5678:8080"], "service/svc created\n"),
                (
                    ["create", "role", "reader", "--verb=get,list", "--resource=pods,deployments.apps"],
                    "role.rbac.authorization.k8s.io/reader created\n"
                ),
                (
                    ["create", "rolebinding", "jane-reads", "--role=reader", "--user=jane"],
                    "rolebinding.rbac.authorization.k8s.io/jane-reads created\n"
                ),
                (
                    ["create", "ingress", "ing", "--rule=web.local/*=svc:5678"],
                    "ingress.networking.k8s.io/ing created\n"
                ),
                (["create", "quota", "q", "--hard=pods=10"], "resourcequota/q created\n"),
                (
                    ["create", "cronjob", "tick", "--image=busybox", "--schedule=@daily", "--", "date"],
                    "cronjob.batch/tick created\n"
                ),
                (["create", "job", "tick-now", "--from=cronjob/tick"], "job.batch/tick-now created\n"),
                (
                    ["create", "deployment", "sleeper", "--image=busybox", "--", "sleep", "3600"],
                    "deployment.apps/sleeper created\n"
                ),
                (
                    ["autoscale", "deployment", "sleeper", "--max=3"],
                    "horizontalpodautoscaler.autoscaling/sleeper autoscaled\n"
                ),
            ] {
                let created = try cluster.ctl(arguments)
                #expect(created.status == 0 && created.out == printed, "\(arguments): \(created.out) \(created.err)")
            }
            #expect(
                try await client.get(kind: "Service", namespace: "default", name: "svc")[path: ["spec", "ports"]]
                    == [["name": "5678-8080", "port": 5678, "targetPort": 8080, "protocol": "TCP"]])
            #expect(try cluster.ctl(["auth", "can-i", "list", "deployments.apps", "--as=jane"]).out == "yes\n")
            #expect(try cluster.ctl(["auth", "can-i", "delete", "pods", "--as=jane"]).out == "no\n")
            let manual = try await client.get(kind: "Job", namespace: "default", name: "tick-now")
            #expect(manual[path: ["metadata", "ownerReferences", "0", "name"]] == "tick")
            #expect(
                manual[path: ["spec", "template", "spec", "containers", "0", "command"]] == ["date"], "\(manual)")
            #expect(
                try await client.get(kind: "Deployment", namespace: "default", name: "sleeper")[
                    path: ["spec", "template", "spec", "containers", "0", "command"]] == ["sleep", "3600"])
            // diff: nothing after an apply of the same file (0), the change after an edit of it (1).
            let applied = "\(cluster.dir)/applied.yaml"
            try Data("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: \"1\"\n".utf8)
                .write(to: URL(fileURLWithPath: applied))
            #expect(try cluster.ctl(["apply", "-f", applied]).status == 0)
            let same = try cluster.ctl(["diff", "-f", applied])
            #expect(same.status == 0 && same.out.isEmpty, "\(same.out) \(same.err)")
            try Data("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: \"2\"\n".utf8)
                .write(to: URL(fileURLWithPath: applied))
            let changed = try cluster.ctl(["diff", "-f", applied])
            #expect(changed.status == 1, "\(changed.err)")
            #expect(
                changed.out.contains("v1.ConfigMap.default.applied") && changed.out.contains("\n-  a: \"1\"\n")
                    && changed.out.contains("\n+  a: \"2\"\n"), "\(changed.out)")
            #expect(
                try await client.get(kind: "ConfigMap", namespace: "default", name: "applied")[path: ["data", "a"]]
                    == "1")

            // Go's boolean flag values, and delete --wait (a ConfigMap goes at once).
            let labels = try cluster.ctl(["get", "svc", "svc", "--show-labels=true"])
            #expect(labels.status == 0 && labels.out.contains("app=svc"), "\(labels.out) \(labels.err)")
            let waited = try cluster.ctl(["delete", "cronjob", "tick", "--wait=true", "--timeout=20s"])
            #expect(waited.out == "cronjob.batch \"tick\" deleted\n", "\(waited.err)")
            let top = try cluster.ctl(["top", "pods"])
            #expect(top.status == 1 && top.err.hasPrefix("error: Metrics API not available"), "\(top.err)")

            let info = try cluster.ctl(["cluster-info"])
            #expect(info.out.contains("api is running on the bus: 1 instance\n"), "\(info.out)")
            let described = try cluster.ctl(["describe", "deploy", "web"])
            #expect(
                described.out.split(separator: "\n").contains {
                    $0.hasPrefix("NewReplicaSet:") && $0.hasSuffix("  <none>")
                },
                "\(described.out)")
        }
    }

    @Test func runLogsExecAndCopyWithAKubelet() async throws {
        try await KubeletIntegrationTests.withKubelets { cluster, client in
            try cluster.start("scheduler", args: ["--leader-elect", "false"])
            let run = try cluster.ctl(
                [
                    "run", "bb", "--image=busybox", "--restart=Never", "--command", "--", "sh", "-c",
                    "echo hello-run; sleep 600",
                ])
            #expect(run.out == "pod/bb created\n", "\(run.err)")

            // Two pods of a ReplicaSet (no controller runs: the object only carries the selector).
            _ = try await client.create([
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": "talkers", "namespace": "default"],
                "spec": [
                    "replicas": 2, "selector": ["matchLabels": ["app": "talk"]],
                    "template": [
                        "metadata": ["labels": ["app": "talk"]],
                        "spec": ["containers": [["name": "app", "image": "busybox"]]],
                    ],
                ],
            ])
            for name in ["talk-0", "talk-1"] {
                var pod = KubeletIntegrationTests.pod(
                    name, node: "node-a",
                    containers: [KubeletIntegrationTests.sh("app", "echo I am \(name); sleep 600")])
                pod.metadata.labels = ["app": "talk"]
                _ = try await client.create(pod)
            }
            for name in ["bb", "talk-0", "talk-1"] {
                _ = try await KubeletIntegrationTests.waitForPhase(client, name, "Running")
            }
            try await KubeletIntegrationTests.waitFor("the log lines") {
                let logs = try? cluster.ctl(["logs", "-l", "app=talk", "--prefix"])
                return logs?.out.contains("[pod/talk-1/app] I am talk-1\n") == true
            }
            let prefixed = try cluster.ctl(["logs", "-l", "app=talk", "--prefix"])
            #expect(prefixed.out == "[pod/talk-0/app] I am talk-0\n[pod/talk-1/app] I am talk-1\n", "\(prefixed.err)")
            let workload = try cluster.ctl(["logs", "rs/talkers"])
            #expect(workload.err.contains("Found 2 pods, using pod/talk-"), "\(workload.err)")
            #expect(workload.out.hasPrefix("I am talk-"))
            let exec = try cluster.ctl(["exec", "rs/talkers", "--", "echo", "from-a-workload"])
            #expect(exec.out == "from-a-workload\n", "\(exec.err)")
            #expect(try cluster.ctl(["logs", "bb"]).out == "hello-run\n")

            // cp both ways, a folder through tar in the container.
            let local = "\(cluster.dir)/upload"
            try FileManager.default.createDirectory(atPath: local + "/sub", withIntermediateDirectories: true)
            try Data("copied in\n".utf8).write(to: URL(fileURLWithPath: local + "/sub/a.txt"))
            let up = try cluster.ctl(["cp", local, "bb:/tmp/in"])
            #expect(up.status == 0, "\(up.err)")
            #expect(try cluster.ctl(["exec", "bb", "--", "cat", "/tmp/in/sub/a.txt"]).out == "copied in\n")
            let down = try cluster.ctl(["cp", "default/bb:/tmp/in", "\(cluster.dir)/download"])
            #expect(down.status == 0, "\(down.err)")
            #expect(
                FileManager.default.contents(atPath: "\(cluster.dir)/download/sub/a.txt") == Data("copied in\n".utf8))
        }
    }
}
