import APIServer
import Foundation
import Schema
import Store
import StoreTesting
import Testing
import Wire

@Suite(.timeLimit(.minutes(1)))
struct APIHandlerTests {
    @Test func bootstrapCreatesSystemNamespaces() async throws {
        let api = try await APIHarness()
        let list = await api.call("list", ["kind": "namespaces"])
        #expect(list.code == 200)
        let names = list["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        #expect(names == ["default", "kube-node-lease", "kube-public", "kube-system"])
        #expect(list["kind"] == "NamespaceList")
        #expect(list["items"]?[0]?[path: ["status", "phase"]] == "Active")
        // A second bootstrap (another api instance) is fine.
        try await api.handler.bootstrap()
    }

    /// Every namespace carries `kubernetes.io/metadata.name` with its name; a write cannot change or drop it.
    @Test func namespacesCarryTheirNameLabel() async throws {
        let api = try await APIHarness()
        let system = await api.get("namespaces", "kube-system")
        #expect(system["metadata", "labels"]?["kubernetes.io/metadata.name"] == "kube-system")
        let created = await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]])
        #expect(created["metadata", "labels"]?["kubernetes.io/metadata.name"] == "team-a")
        let patched = await api.call(
            "patch",
            [
                "kind": "namespaces", "name": "team-a",
                "patch": ["metadata": ["labels": ["kubernetes.io/metadata.name": "other", "tier": "web"]]],
            ])
        #expect(patched.code == 200)
        #expect(patched["metadata", "labels"] == ["kubernetes.io/metadata.name": "team-a", "tier": "web"])
        let removed = await api.call(
            "patch",
            [
                "kind": "namespaces", "name": "team-a",
                "patch": ["metadata": ["labels": ["kubernetes.io/metadata.name": nil]]],
            ])
        #expect(removed["metadata", "labels"]?["kubernetes.io/metadata.name"] == "team-a")
    }

    /// A kind Kubus stores but does not act on yet is accepted with a warning that says so; so is an RBAC object
    /// on an api without authorization (an insecure bus).
    @Test func kindsWithoutBehaviourSayIt() async throws {
        let api = try await APIHarness()
        let autoscaler = await api.create([
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": ["name": "web", "namespace": "default"],
            "spec": [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "maxReplicas": 3,
            ],
        ])
        #expect(autoscaler.code == 201)
        #expect(autoscaler.warnings?.contains("Kubus has no metrics or autoscaler yet") == true)
        let role = await api.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": ["name": "pod-reader", "namespace": "default"],
            "rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get"]]],
        ])
        #expect(role.code == 201)
        #expect(role.warnings?.contains("RBAC is not enforced") == true)
        let map = await api.create(configMap("plain"))
        #expect(map.warnings == nil)
    }

    @Test func createGetConfigMap() async throws {
        let api = try await APIHarness()
        let created = await api.create(configMap("settings", data: ["a": "1"]))
        #expect(created.code == 201)
        #expect(created["metadata", "namespace"] == "default")
        #expect(created["metadata", "uid"]?.stringValue?.count == 36)
        #expect(created["metadata", "creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(!created.resourceVersion.isEmpty)
        #expect(created["metadata", "generation"] == nil)
        let got = await api.get("cm", "settings")
        #expect(got.code == 200)
        #expect(got.body == created.body)
        let again = await api.create(configMap("settings"))
        #expect(again.code == 409)
        #expect(again.reason == "AlreadyExists")
        #expect(again.message == #"configmaps "settings" already exists"#)
    }

    @Test func notFoundMessages() async throws {
        let api = try await APIHarness()
        let pod = await api.get("pods", "web")
        #expect(pod.code == 404)
        #expect(pod.message == #"pods "web" not found"#)
        #expect(pod["details", "kind"] == "pods")
        let deploy = await api.get("deploy", "web")
        #expect(deploy.message == #"deployments.apps "web" not found"#)
        let unknown = await api.get("foos", "x")
        #expect(unknown.code == 404)
        #expect(unknown.message == #"the server doesn't have a resource type "foos""#)
        let noNamespace = await api.create(configMap("x", namespace: "nope"))
        #expect(noNamespace.code == 404)
        #expect(noNamespace.message == #"namespaces "nope" not found"#)
        let badKind = await api.create(["apiVersion": "v1", "kind": "Foo", "metadata": ["name": "x"]])
        #expect(badKind.code == 400)
        #expect(badKind.message == #"no matches for kind "Foo" in version "v1""#)
    }

    @Test func deploymentDefaultsAndGeneration() async throws {
        let api = try await APIHarness()
        let created = await api.create(deployment("web"))
        #expect(created.code == 201)
        #expect(created["spec", "replicas"] == 1)
        #expect(created["spec", "strategy", "type"] == "RollingUpdate")
        #expect(created["metadata", "generation"] == 1)

        // A status update changes only the status and keeps the generation.
        var withStatus = created.body
        withStatus["status"] = ["replicas": 1, "observedGeneration": 1]
        withStatus[path: ["spec", "replicas"]] = 9
        let status = await api.call("update", ["object": withStatus, "subresource": "status"])
        #expect(status.code == 200)
        #expect(status["status", "replicas"] == 1)
        #expect(status["spec", "replicas"] == 1)
        #expect(status["metadata", "generation"] == 1)

        // A main update changes the spec, bumps the generation and keeps the status.
        var scaled = status.body
        scaled[path: ["spec", "replicas"]] = 3
        scaled["status"] = ["replicas": 42]
        let updated = await api.call("update", ["object": scaled])
        #expect(updated.code == 200)
        #expect(updated["spec", "replicas"] == 3)
        #expect(updated["status", "replicas"] == 1)
        #expect(updated["metadata", "generation"] == 2)
        #expect(updated["metadata", "uid"] == created["metadata", "uid"])

        // Only metadata changes: same generation.
        var labelled = updated.body
        labelled[path: ["metadata", "labels"]] = ["team": "a"]
        let relabelled = await api.call("update", ["object": labelled])
        #expect(relabelled["metadata", "generation"] == 2)
        #expect(relabelled["metadata", "labels", "team"] == "a")
    }

    @Test func staleResourceVersionConflicts() async throws {
        let api = try await APIHarness()
        let created = await api.create(configMap("c", data: ["a": "1"]))
        var first = created.body
        first["data"] = ["a": "2"]
        let ok = await api.call("update", ["object": first])
        #expect(ok.code == 200)
        #expect(ok.resourceVersion != created.resourceVersion)
        var stale = created.body
        stale["data"] = ["a": "3"]
        let conflict = await api.call("update", ["object": stale])
        #expect(conflict.code == 409)
        #expect(conflict.reason == "Conflict")
        #expect(
            conflict.message
                == #"Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again"#
        )
        // Without a resourceVersion the update is unconditional.
        stale[path: ["metadata", "resourceVersion"]] = nil
        let unconditional = await api.call("update", ["object": stale])
        #expect(unconditional.code == 200)
        #expect(unconditional["data", "a"] == "3")
        let missing = await api.call("update", ["object": configMap("nope")])
        #expect(missing.code == 404)
        // An unchanged update writes nothing.
        let same = await api.call("update", ["object": unconditional.body])
        #expect(same.resourceVersion == unconditional.resourceVersion)
    }

    @Test func immutableUID() async throws {
        let api = try await APIHarness()
        let created = await api.create(configMap("c"))
        var changed = created.body
        changed[path: ["metadata", "uid"]] = "other"
        let reply = await api.call("update", ["object": changed])
        #expect(reply.code == 422)
        #expect(reply.message.contains("metadata.uid: Invalid value: \"other\": field is immutable"))
    }

    @Test func invalidNames() async throws {
        let api = try await APIHarness()
        let bad = await api.create(configMap("Bad_Name"))
        #expect(bad.code == 422)
        #expect(bad.reason == "Invalid")
        #expect(
            bad.message
                == #"ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#
        )
        #expect(bad["details", "causes"]?[0]?["field"] == "metadata.name")
        #expect(bad["details", "causes"]?[0]?["reason"] == "FieldValueInvalid")
        let empty = await api.create(configMap(""))
        #expect(empty.code == 422)
        #expect(empty.message.contains("metadata.name: Required value: name or generateName is required"))
    }

    @Test func generateName() async throws {
        let api = try await APIHarness()
        let created = await api.create([
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["generateName": "job-"],
        ])
        #expect(created.code == 201)
        let name = created["metadata", "name"]?.stringValue ?? ""
        #expect(name.hasPrefix("job-") && name.count == 9)
    }

    @Test func namespaceAndClusterScoped() async throws {
        let api = try await APIHarness()
        let node = await api.create(["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1", "namespace": "x"]])
        #expect(node.code == 201)
        #expect(node["metadata", "namespace"] == nil)
        #expect(await api.get("nodes", "n1").code == 200)
        #expect(await api.get("no", "n1", namespace: "whatever").code == 200)
        let ns = await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        #expect(ns.code == 201)
        #expect(ns["spec", "finalizers"] == ["kubernetes"])
        #expect(await api.create(configMap("a", namespace: "team")).code == 201)
        #expect(await api.get("configmaps", "a", namespace: "team").code == 200)
        #expect(await api.get("configmaps", "a").code == 404)
        let all = await api.call("list", ["kind": "configmaps"])
        #expect(all["items"]?.arrayValue?.count == 1)
    }

    @Test func selectorsAndPagination() async throws {
        let api = try await APIHarness()
        for i in 0..<10 {
            let created = await api.create(
                configMap("cm-\(i)", labels: ["tier": i % 2 == 0 ? "even" : "odd", "n": "\(i)"]))
            #expect(created.code == 201)
        }
        let even = await api.call("list", ["kind": "ConfigMap", "labelSelector": "tier=even"])
        #expect(even.code == 200)
        #expect(even["items"]?.arrayValue?.count == 5)
        let set = await api.call("list", ["kind": "ConfigMap", "labelSelector": "tier in (odd),n notin (1,3)"])
        #expect(set["items"]?.arrayValue?.count == 3)
        let byName = await api.call("list", ["kind": "cm", "fieldSelector": "metadata.name=cm-3"])
        #expect(byName["items"]?.arrayValue?.count == 1)
        let notName = await api.call("list", ["kind": "cm", "fieldSelector": "metadata.name!=cm-3"])
        #expect(notName["items"]?.arrayValue?.count == 9)
        let badLabel = await api.call("list", ["kind": "cm", "labelSelector": "tier in (("])
        #expect(badLabel.code == 400)
        #expect(badLabel.message.contains("labelSelector"))
        let badField = await api.call("list", ["kind": "cm", "fieldSelector": "nonsense"])
        #expect(badField.code == 400)
        #expect(badField.message.contains("fieldSelector"))

        // Pages of 4 at one revision, even while writes happen between pages.
        var names: [String] = []
        var token: String?
        var pages = 0
        var firstRevision: String?
        repeat {
            var payload: JSONValue = ["kind": "configmaps", "limit": 4]
            if let token { payload["continue"] = .string(token) }
            let page = await api.call("list", payload)
            #expect(page.code == 200)
            if firstRevision == nil {
                firstRevision = page.resourceVersion
                #expect(await api.create(configMap("cm-new")).code == 201)
            }
            #expect(page.resourceVersion == firstRevision)
            names += page["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            token = page["metadata", "continue"]?.stringValue
            pages += 1
        } while token != nil && pages < 10
        #expect(names == (0..<10).map { "cm-\($0)" })
        #expect(pages == 3)
        // Pagination with a selector fills pages with matches.
        let filtered = await api.call("list", ["kind": "configmaps", "labelSelector": "tier=odd", "limit": 2])
        #expect(filtered["items"]?.arrayValue?.count == 2)
        #expect(filtered["metadata", "continue"] != nil)
        let badToken = await api.call("list", ["kind": "configmaps", "continue": "garbage"])
        #expect(badToken.code == 400)
    }

    @Test func unknownFields() async throws {
        let api = try await APIHarness()
        var object = deployment("web", replicas: 2)
        object[path: ["spec", "replicass"]] = 3
        let strict = await api.create(object, fieldValidation: "Strict")
        #expect(strict.code == 400)
        #expect(strict.message == #"strict decoding error: unknown field "spec.replicass""#)
        let warned = await api.create(object)
        #expect(warned.code == 201)
        #expect(warned.warnings == #"unknown field "spec.replicass""#)
        #expect(warned["spec", "replicass"] == nil)
        object[path: ["metadata", "name"]] = "web2"
        let ignored = await api.create(object, fieldValidation: "Ignore")
        #expect(ignored.code == 201)
        #expect(ignored.warnings == nil)
    }

    @Test func mergePatch() async throws {
        let api = try await APIHarness()
        _ = await api.create(configMap("p", labels: ["a": "1", "b": "2"], data: ["x": "1"]))
        let patched = await api.call(
            "patch",
            [
                "kind": "configmap", "name": "p",
                "patch": ["metadata": ["labels": ["a": nil, "c": "3"]], "data": ["y": "2"]],
            ])
        #expect(patched.code == 200)
        #expect(patched["metadata", "labels"] == ["b": "2", "c": "3"])
        #expect(patched["data"] == ["x": "1", "y": "2"])
        let stale = await api.call(
            "patch", ["kind": "configmap", "name": "p", "patch": ["metadata": ["resourceVersion": "1"], "data": nil]])
        #expect(stale.code == 409)
        let missing = await api.call("patch", ["kind": "configmap", "name": "zz", "patch": ["data": nil]])
        #expect(missing.code == 404)
        // Status patch on a deployment.
        _ = await api.create(deployment("d"))
        let status = await api.call(
            "patch",
            [
                "kind": "deployments", "name": "d", "subresource": "status",
                "patch": ["status": ["readyReplicas": 1], "spec": ["replicas": 5]],
            ])
        #expect(status.code == 200)
        #expect(status["status", "readyReplicas"] == 1)
        #expect(status["spec", "replicas"] == 1)
        let noStatus = await api.call(
            "patch", ["kind": "configmaps", "name": "p", "subresource": "status", "patch": [:]])
        #expect(noStatus.code == 404)
    }

    @Test func concurrentPatchesNeverLoseWrites() async throws {
        let api = try await APIHarness()
        _ = await api.create(configMap("counter"))
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<8 {
                group.addTask {
                    let r = await api.call(
                        "patch",
                        ["kind": "cm", "name": "counter", "patch": ["data": [.init(stringLiteral: "k\(i)"): "v"]]])
                    #expect(r.code == 200)
                }
            }
        }
        let got = await api.get("cm", "counter")
        #expect(got["data"]?.objectValue?.count == 8)
    }

    @Test func finalizersKeepObjectUntilRemoved() async throws {
        let api = try await APIHarness()
        var object = configMap("f")
        object[path: ["metadata", "finalizers"]] = ["example.com/hold"]
        let created = await api.create(object)
        #expect(created.code == 201)
        let deleting = await api.delete("configmaps", "f")
        #expect(deleting.code == 200)
        #expect(deleting["metadata", "deletionTimestamp"] != nil)
        #expect(deleting["metadata", "deletionGracePeriodSeconds"] == 0)
        #expect(await api.get("configmaps", "f").code == 200)
        // Adding finalizers while deleting is forbidden.
        var more = deleting.body
        more[path: ["metadata", "finalizers"]] = ["example.com/hold", "example.com/other"]
        #expect(await api.call("update", ["object": more]).code == 422)
        var released = deleting.body
        released[path: ["metadata", "finalizers"]] = []
        let last = await api.call("update", ["object": released])
        #expect(last.code == 200)
        #expect(await api.get("configmaps", "f").code == 404)
        let rev = Int64(created.resourceVersion)! - 1
        let changes = await api.call("changes", ["kind": "configmaps", "resourceVersion": .string(String(rev))])
        #expect(
            changes["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["ADDED", "MODIFIED", "DELETED"])
    }

    @Test func deleteWithPreconditionsAndPolicies() async throws {
        let api = try await APIHarness()
        let created = await api.create(configMap("d"))
        let wrongUID = await api.delete("cm", "d", extra: ["preconditions": ["uid": "nope"]])
        #expect(wrongUID.code == 409)
        #expect(wrongUID.message.contains("Precondition failed: UID in precondition: nope"))
        let wrongRV = await api.delete("cm", "d", extra: ["preconditions": ["resourceVersion": "1"]])
        #expect(wrongRV.code == 409)
        let gone = await api.delete("cm", "d", extra: ["preconditions": ["uid": created["metadata", "uid"]!]])
        #expect(gone.code == 200)
        #expect(gone["metadata", "name"] == "d")
        #expect(await api.delete("cm", "d").message == #"configmaps "d" not found"#)
        _ = await api.create(configMap("fg"))
        let foreground = await api.delete("cm", "fg", extra: ["propagationPolicy": "Foreground"])
        #expect(foreground["metadata", "finalizers"] == ["foregroundDeletion"])
        #expect(await api.get("cm", "fg").code == 200)
    }

    @Test func namespaceDeletion() async throws {
        let api = try await APIHarness()
        _ = await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "empty"]])
        let deleted = await api.delete("namespaces", "empty")
        #expect(deleted.code == 200)
        #expect(await api.get("ns", "empty").code == 404)

        _ = await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "full"]])
        _ = await api.create(configMap("x", namespace: "full"))
        let terminating = await api.delete("namespaces", "full")
        #expect(terminating["status", "phase"] == "Terminating")
        #expect(terminating["metadata", "deletionTimestamp"] != nil)
        let refused = await api.create(configMap("y", namespace: "full"))
        #expect(refused.code == 403)
        #expect(
            refused.message
                == #"configmaps "y" is forbidden: unable to create new content in namespace full because it is being terminated"#
        )
        // The namespace controller empties it and finalizes.
        #expect(await api.delete("cm", "x", namespace: "full").code == 200)
        let finalized = await api.call(
            "patch", ["kind": "ns", "name": "full", "subresource": "finalize", "patch": ["spec": ["finalizers": []]]])
        #expect(finalized.code == 200)
        #expect(await api.get("ns", "full").code == 404)
    }

    @Test func changesAndCompaction() async throws {
        let api = try await APIHarness()
        let list = await api.call("list", ["kind": "configmaps"])
        let start = list.resourceVersion
        let a = await api.create(configMap("a"))
        var changed = a.body
        changed["data"] = ["k": "v"]
        _ = await api.call("update", ["object": changed])
        _ = await api.delete("cm", "a")
        _ = await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]])
        let changes = await api.call("changes", ["kind": "ConfigMap", "resourceVersion": .string(start)])
        #expect(changes.code == 200)
        let events = changes["events"]?.arrayValue ?? []
        #expect(events.compactMap { $0["type"]?.stringValue } == ["ADDED", "MODIFIED", "DELETED"])
        #expect(events.first?[path: ["object", "metadata", "name"]] == "a")
        #expect(changes["more"] == false)
        let limited = await api.call("changes", ["kind": "ConfigMap", "resourceVersion": .string(start), "limit": 1])
        #expect(limited["more"] == true)
        #expect(limited["events"]?.arrayValue?.count == 1)
        #expect(limited.body["resourceVersion"] == a["metadata", "resourceVersion"])

        let status = try await api.backend.status()
        try await api.backend.compact(revision: status.revision)
        let gone = await api.call("changes", ["kind": "ConfigMap", "resourceVersion": .string(start)])
        #expect(gone.code == 410)
        #expect(gone.message == "too old resource version: \(start) (\(status.revision))")
        let bad = await api.call("changes", ["kind": "ConfigMap", "resourceVersion": "x"])
        #expect(bad.code == 400)
    }

    @Test func malformedPayloads() async throws {
        let api = try await APIHarness()
        let notJSON = await api.raw("create", Array("not json".utf8))
        #expect(notJSON.code == 400)
        let array = await api.raw("get", Array("[1]".utf8))
        #expect(array.code == 400)
        let wrongType = await api.call("get", ["kind": 3, "name": "x"])
        #expect(wrongType.code == 400)
        #expect(wrongType.message.contains("\"kind\""))
        let noObject = await api.call("create", [:])
        #expect(noObject.code == 400)
        #expect(noObject.message.contains("\"object\""))
        let objectNotObject = await api.call("create", ["object": "x"])
        #expect(objectNotObject.code == 400)
        let noKind = await api.create(["apiVersion": "v1", "metadata": ["name": "x"]])
        #expect(noKind.code == 400)
        #expect(noKind.message.hasPrefix("Object 'Kind' is missing"))
        let typeError = await api.create([
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": 5,
        ])
        #expect(typeError.code == 422)
        let badLimit = await api.call("list", ["kind": "cm", "limit": "ten"])
        #expect(badLimit.code == 400)
        #expect(badLimit.message.contains("limit"))
        let unknownVerb = await api.call("frobnicate", [:])
        #expect(unknownVerb.code == 405)
        let noName = await api.call("get", ["kind": "cm"])
        #expect(noName.code == 400)
    }

    @Test func retriedCreateIsIdempotent() async throws {
        let api = try await APIHarness()
        let first = await api.create(configMap("once"), id: "req-1")
        let second = await api.create(configMap("once"), id: "req-1")
        #expect(first.code == 201)
        #expect(second.code == 201)
        #expect(first.body == second.body)
        // Concurrent duplicates share one execution.
        async let a = api.create(configMap("twice"), id: "req-2")
        async let b = api.create(configMap("twice"), id: "req-2")
        let (ra, rb) = await (a, b)
        #expect(ra.code == 201 && rb.code == 201)
        #expect(ra.body == rb.body)
        #expect(await api.create(configMap("once"), id: "req-3").code == 409)
    }

    @Test func dryRunWritesNothing() async throws {
        let api = try await APIHarness()
        let dry = await api.call("create", ["object": configMap("dry"), "dryRun": true])
        #expect(dry.code == 201)
        #expect(await api.get("cm", "dry").code == 404)
    }

    @Test func podGracefulDeletion() async throws {
        let api = try await APIHarness()
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
            "spec": ["nodeName": "n1", "containers": [["name": "c", "image": "busybox"]]],
        ]
        #expect(await api.create(pod).code == 201)
        let first = await api.delete("pods", "p")
        #expect(first["metadata", "deletionGracePeriodSeconds"] == 30)
        #expect(await api.get("pods", "p").code == 200)
        let final = await api.delete("pods", "p", extra: ["gracePeriodSeconds": 0])
        #expect(final.code == 200)
        #expect(await api.get("pods", "p").code == 404)
    }
}
