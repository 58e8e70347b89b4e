import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import StoreTesting
import Testing

/// Issue 13 item 5: NodeRestriction — a kubelet's user changes only its own Node, Lease and pods' status.
@Suite(.timeLimit(.minutes(1)))
struct NodeRestrictionTests {
    static let nodeA = UserInfo(name: "system:node:node-a", groups: ["system:nodes", "system:authenticated"])
    static let admin = UserInfo(name: "kubus-admin", groups: ["system:masters"])

    struct Cluster {
        let handler: APIHandler

        func call(_ verb: String, _ payload: JSONValue, as user: UserInfo) async -> (Int, String) {
            let reply = await handler.handle(verb: verb, payload: payload.encoded(), requestID: "", user: user)
            return (reply.code, (try? JSONValue.parse(reply.payload))?["message"]?.stringValue ?? "")
        }
    }

    static func cluster() async throws -> Cluster {
        let authorization = Authorization()
        let handler = APIHandler(
            store: BackendStoreAccess(backend: MemoryBackend()), authorization: authorization,
            logger: Logger(label: "test"))
        try await handler.bootstrap()
        // What RBACCache does on the bus: the policy from the bootstrap roles and bindings.
        func items<T: KubeObject>(_ type: T.Type) async -> [T] {
            let reply = await handler.handle(
                verb: "list", payload: JSONValue.object(["kind": .string(T.kindInfo.kind)]).encoded(), requestID: "")
            let list = (try? JSONValue.parse(reply.payload))?["items"]?.arrayValue ?? []
            return list.compactMap { try? $0.decode(as: T.self) }
        }
        authorization.update(
            RBACPolicy(
                roles: await items(Role.self), clusterRoles: await items(ClusterRole.self),
                roleBindings: await items(RoleBinding.self), clusterRoleBindings: await items(ClusterRoleBinding.self)))
        let cluster = Cluster(handler: handler)
        for node in ["node-a", "node-b"] {
            let (code, _) = await cluster.call(
                "create", ["object": ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(node)]]],
                as: admin)
            #expect(code == 201)
        }
        for (pod, node) in [("on-a", "node-a"), ("on-b", "node-b")] {
            let object: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(pod), "namespace": "default"],
                "spec": ["nodeName": .string(node), "containers": [["name": "c", "image": "busybox"]]],
            ]
            #expect(await cluster.call("create", ["object": object], as: admin).0 == 201)
        }
        return cluster
    }

    static func patch(
        _ kind: String, _ name: String, namespace: String? = nil, subresource: String? = nil,
        _ patch: JSONValue
    ) -> JSONValue {
        var payload: JSONValue = ["kind": .string(kind), "name": .string(name), "patchType": "merge", "patch": patch]
        if let namespace { payload["namespace"] = .string(namespace) }
        if let subresource { payload["subresource"] = .string(subresource) }
        return payload
    }

    @Test func aKubeletChangesOnlyItsOwn() async throws {
        let c = try await Self.cluster()
        // Its own Node and its pods' status: allowed.
        let own = await c.call(
            "patch", Self.patch("Node", "node-a", ["metadata": ["labels": ["zone": "a"]]]), as: Self.nodeA)
        #expect(own.0 == 200, "\(own)")
        let status = await c.call(
            "patch",
            Self.patch("Pod", "on-a", namespace: "default", subresource: "status", ["status": ["phase": "Running"]]),
            as: Self.nodeA)
        #expect(status.0 == 200, "\(status)")

        // Another node, another node's pod, a restricted label, creating a pod: refused.
        let other = await c.call(
            "patch", Self.patch("Node", "node-b", ["metadata": ["labels": ["zone": "a"]]]), as: Self.nodeA)
        #expect(
            other == (403, "nodes \"node-b\" is forbidden: node \"node-a\" is not allowed to modify node \"node-b\""))
        let foreign = await c.call(
            "patch",
            Self.patch("Pod", "on-b", namespace: "default", subresource: "status", ["status": ["phase": "Failed"]]),
            as: Self.nodeA)
        #expect(foreign.0 == 403)
        #expect(
            foreign.1.hasSuffix("node \"node-a\" can only update pod status for pods with spec.nodeName set to itself"))
        let label = await c.call(
            "patch",
            Self.patch("Node", "node-a", ["metadata": ["labels": ["node-restriction.kubernetes.io/trusted": "yes"]]]),
            as: Self.nodeA)
        #expect(
            label.0 == 403
                && label.1.contains("is not allowed to modify labels: node-restriction.kubernetes.io/trusted"))
        let delete = await c.call(
            "delete", ["kind": "Pod", "namespace": "default", "name": "on-b", "gracePeriodSeconds": 0], as: Self.nodeA)
        #expect(delete.0 == 403 && delete.1.contains("can only delete pods with spec.nodeName set to itself"))
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": "node-b", "namespace": "kube-node-lease"],
        ]
        let leaseB = await c.call("create", ["object": lease], as: Self.nodeA)
        #expect(leaseB.0 == 403 && leaseB.1.contains("can only access node lease with the same name"))
        #expect(
            await c.call("delete", ["kind": "Pod", "namespace": "default", "name": "on-a"], as: Self.nodeA).0 == 200)
    }
}
