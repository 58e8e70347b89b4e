import APIServer
import Foundation
import Schema
import Testing

/// A pod's `binding` subresource: one write of `spec.nodeName` and `PodScheduled=True`, as kube-apiserver's.
@Suite(.timeLimit(.minutes(1)))
struct BindingTests {
    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web", "namespace": "default"],
        "spec": ["containers": [["name": "c", "image": "nginx"]]],
    ]

    static func binding(_ node: String, uid: String? = nil, pod: String = "web", kind: String = "Node") -> JSONValue {
        var metadata: JSONValue = ["name": .string(pod), "annotations": ["example.com/by": "test"]]
        if let uid { metadata["uid"] = .string(uid) }
        return [
            "object": [
                "apiVersion": "v1", "kind": "Binding", "metadata": metadata,
                "target": ["kind": .string(kind), "name": .string(node)],
            ],
            "subresource": "binding", "namespace": "default", "name": .string(pod),
        ]
    }

    @Test func bindingSetsTheNodeAndTheConditionInOneWrite() async throws {
        let api = try await APIHarness()
        let created = await api.create(Self.pod)
        #expect(created.code == 201)
        let bound = await api.call("create", Self.binding("node-1", uid: created["metadata", "uid"]?.stringValue))
        #expect(bound.code == 201)
        #expect(bound.body["kind"] == "Status" && bound.body["status"] == "Success")
        let pod = await api.get("Pod", "web", namespace: "default")
        #expect(pod["spec", "nodeName"] == "node-1")
        let conditions = pod["status", "conditions"]?.arrayValue ?? []
        #expect(conditions.count == 1)
        #expect(conditions.first?["type"] == "PodScheduled" && conditions.first?["status"] == "True")
        #expect(pod["metadata", "annotations", "example.com/by"] == "test")
        #expect(Int(pod.resourceVersion) ?? 0 > Int(created.resourceVersion) ?? 0)

        // The same binding again (a lost reply, retried) succeeds without a write; another node is a conflict.
        #expect(await api.call("create", Self.binding("node-1")).code == 201)
        #expect(await api.get("Pod", "web", namespace: "default").resourceVersion == pod.resourceVersion)
        let elsewhere = await api.call("create", Self.binding("node-2"))
        #expect(elsewhere.code == 409)
        #expect(
            elsewhere.message
                == "Operation cannot be fulfilled on pods \"web\": pod web is already assigned to node \"node-1\"")
    }

    @Test func bindingsThatCannotHoldAreRefused() async throws {
        let api = try await APIHarness()
        #expect(await api.create(Self.pod).code == 201)
        let wrongUID = await api.call("create", Self.binding("node-1", uid: "not-this-one"))
        #expect(wrongUID.code == 409)
        #expect(wrongUID.message.contains("Precondition failed: UID in precondition: not-this-one"))
        let noNode = await api.call("create", Self.binding(""))
        #expect(noNode.code == 422)
        #expect(noNode.message.contains("target.name"))
        let notANode = await api.call("create", Self.binding("n", kind: "Service"))
        #expect(notANode.code == 422)
        #expect(await api.call("create", Self.binding("node-1", pod: "absent")).code == 404)
        var other = Self.binding("node-1")
        other["subresource"] = "eviction"
        #expect(await api.call("create", other).code == 400)
        // Only create binds: an update or patch naming the subresource is refused.
        let patch: JSONValue = [
            "kind": "Pod", "namespace": "default", "name": "web", "patch": ["spec": ["nodeName": "node-1"]],
            "subresource": "binding",
        ]
        #expect(await api.call("patch", patch).code == 404)
        #expect(await api.get("Pod", "web", namespace: "default")["spec", "nodeName"] == nil)
    }
}
