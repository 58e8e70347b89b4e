import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import Store
import StoreTesting
import Testing

/// Issue 13, item 3: RBAC as rbac.authorization.k8s.io/v1 — deny by default, the official examples, reviews,
/// impersonation and escalation prevention — on an api handler over an in-memory store.
@Suite(.timeLimit(.minutes(1)))
struct RBACTests {
    /// The objects of the two official examples (kubernetes/website content/en/examples/access/simple-role.yaml and
    /// simple-rolebinding-with-role.yaml), kept once for the unit and integration tests in Tests/Support/examples.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/examples/access").path
    static var podReader: String {
        (try? String(contentsOfFile: "\(examples)/simple-role.yaml", encoding: .utf8)) ?? ""
    }
    static var readPods: String {
        (try? String(contentsOfFile: "\(examples)/simple-rolebinding-with-role.yaml", encoding: .utf8)) ?? ""
    }

    static let admin = UserInfo(name: "kubus-admin", groups: ["system:masters", "system:authenticated"])
    static let jane = UserInfo(name: "jane", groups: ["system:authenticated"])

    /// A handler that enforces RBAC, bootstrapped, with its policy read from its own store.
    struct Cluster {
        let api: APIHarness
        let authorization: Authorization

        init() async throws {
            let backend = MemoryBackend()
            authorization = Authorization()
            api = APIHarness(
                backend: backend,
                handler: APIHandler(
                    store: BackendStoreAccess(backend: backend), authorization: authorization,
                    logger: Logger(label: "test")))
            try await api.handler.bootstrap()
            await refresh()
        }

        /// What `RBACCache` does on the bus: the policy from the four kinds' current objects.
        func refresh() async {
            func items<T: KubeObject>(_ type: T.Type) async -> [T] {
                let answer = await api.call("list", ["kind": .string(T.kindInfo.kind)])
                return (answer.body["items"]?.arrayValue ?? []).compactMap { try? $0.decode(as: T.self) }
            }
            authorization.update(
                RBACPolicy(
                    roles: await items(Role.self), clusterRoles: await items(ClusterRole.self),
                    roleBindings: await items(RoleBinding.self),
                    clusterRoleBindings: await items(ClusterRoleBinding.self)))
        }

        func call(
            _ verb: String, _ payload: JSONValue, as user: UserInfo, impersonating: Impersonation? = nil
        ) async -> Answer {
            let reply = await api.handler.handle(
                verb: verb, payload: payload.encoded(), requestID: UUID().uuidString, user: user,
                impersonating: impersonating)
            return Answer(code: reply.code, body: (try? JSONValue.parse(reply.payload)) ?? .null, warnings: nil)
        }

        func apply(_ yaml: String, as user: UserInfo = RBACTests.admin) async throws -> Answer {
            let object = try Manifest.document(yaml: yaml, source: "test")
            let answer = await call("create", ["object": object], as: user)
            await refresh()
            return answer
        }

        /// `kubusctl auth can-i VERB RESOURCE -n NS --as USER`, as a SelfSubjectAccessReview.
        func canI(
            _ verb: String, _ resource: String, group: String = "", namespace: String = "default",
            as user: UserInfo = RBACTests.admin, impersonating: String? = "jane"
        ) async -> Bool? {
            let review: JSONValue = [
                "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                "spec": [
                    "resourceAttributes": [
                        "verb": .string(verb), "resource": .string(resource), "group": .string(group),
                        "namespace": .string(namespace),
                    ]
                ],
            ]
            let answer = await call(
                "create", ["object": review], as: user, impersonating: impersonating.map { Impersonation(user: $0) })
            #expect(answer.code == 201, "\(answer.body)")
            return answer.body[path: ["status", "allowed"]]?.boolValue
        }
    }

    @Test func theOfficialExamplesLetJaneReadPodsInDefaultAndNothingElse() async throws {
        let cluster = try await Cluster()
        #expect(await cluster.canI("get", "pods") == false)  // deny by default
        #expect(try await cluster.apply(Self.podReader).code == 201)
        #expect(try await cluster.apply(Self.readPods).code == 201)
        for verb in ["get", "list", "watch"] { #expect(await cluster.canI(verb, "pods") == true) }
        #expect(await cluster.canI("delete", "pods") == false)
        #expect(await cluster.canI("list", "secrets") == false)
        #expect(await cluster.canI("list", "deployments", group: "apps") == false)
        #expect(await cluster.canI("get", "pods", namespace: "kube-system") == false)
        #expect(await cluster.canI("list", "pods", namespace: "") == false)  // all namespaces

        // Real requests as jane: 200 where the review said yes, 403 in Kubernetes' words where it said no.
        #expect(await cluster.call("list", ["kind": "Pod", "namespace": "default"], as: Self.jane).code == 200)
        let changes = await cluster.call(
            "changes", ["kind": "Pod", "namespace": "default", "resourceVersion": "1"], as: Self.jane)
        #expect(changes.code == 200, "\(changes.body)")
        let secrets = await cluster.call("list", ["kind": "Secret", "namespace": "default"], as: Self.jane)
        #expect(secrets.code == 403)
        #expect(
            secrets.message
                == "secrets is forbidden: User \"jane\" cannot list resource \"secrets\" in API group \"\" in the "
                + "namespace \"default\"")
        #expect(await cluster.call("list", ["kind": "Pod", "namespace": "kube-system"], as: Self.jane).code == 403)
        #expect(await cluster.call("list", ["kind": "Deployment", "namespace": "default"], as: Self.jane).code == 403)
        let delete = await cluster.call("delete", ["kind": "Pod", "namespace": "default", "name": "x"], as: Self.jane)
        #expect(delete.code == 403)
        #expect(delete.message.hasPrefix("pods \"x\" is forbidden: User \"jane\" cannot delete resource \"pods\""))
        // Jane herself may ask what she may do (system:basic-user), and the same answers come back.
        #expect(await cluster.canI("get", "pods", as: Self.jane, impersonating: nil) == true)
        #expect(await cluster.canI("delete", "pods", as: Self.jane, impersonating: nil) == false)
    }

    @Test func aBindingsRoleRefCannotChange() async throws {
        let cluster = try await Cluster()
        _ = try await cluster.apply(Self.podReader)
        let binding = try await cluster.apply(Self.readPods)
        var changed = binding.body
        changed[path: ["roleRef", "name"]] = "admin"
        changed[path: ["roleRef", "kind"]] = "ClusterRole"
        let answer = await cluster.call("update", ["object": changed], as: Self.admin)
        #expect(answer.code == 422)
        #expect(answer.message.contains("roleRef"))
    }

    @Test func impersonationIsItselfAuthorized() async throws {
        let cluster = try await Cluster()
        // Jane may not act as the administrator.
        let answer = await cluster.call(
            "list", ["kind": "Secret"], as: Self.jane, impersonating: Impersonation(user: "kubus-admin"))
        #expect(answer.code == 403)
        #expect(answer.message.contains("cannot impersonate resource \"users\""))
        // The administrator acting as jane is jane: denied what jane is denied.
        let asJane = await cluster.call(
            "list", ["kind": "Secret"], as: Self.admin, impersonating: Impersonation(user: "jane"))
        #expect(asJane.code == 403)
        #expect(asJane.message.contains("User \"jane\""))
        // Impersonating the masters group is impersonating its power, and needs the right to.
        let group = await cluster.call(
            "list", ["kind": "Secret"], as: Self.jane,
            impersonating: Impersonation(user: "jane", groups: ["system:masters"]))
        #expect(group.code == 403)
    }

    @Test func nobodyGrantsWhatTheyDoNotHave() async throws {
        let cluster = try await Cluster()
        // bob administers namespace dev (the default `admin` role): he may write Roles and RoleBindings there.
        _ = await cluster.call(
            "create", ["object": ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "dev"]]],
            as: Self.admin)
        _ = try await cluster.apply(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: bob-admin, namespace: dev}
            subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
            roleRef: {kind: ClusterRole, name: admin, apiGroup: rbac.authorization.k8s.io}
            """)
        let bob = UserInfo(name: "bob", groups: ["system:authenticated"])
        let held = try Manifest.document(
            yaml: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: deployer, namespace: dev}
                rules: [{apiGroups: [apps], resources: [deployments], verbs: [get, list, create, update]}]
                """, source: "test")
        #expect(await cluster.call("create", ["object": held], as: bob).code == 201)
        // Nodes are cluster-scoped: admin in dev does not hold them.
        var escalating = held
        escalating[path: ["metadata", "name"]] = "node-reader"
        escalating["rules"] = [["apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]]]
        let refused = await cluster.call("create", ["object": escalating], as: bob)
        #expect(refused.code == 403)
        #expect(refused.message.contains("attempting to grant RBAC permissions not currently held"))
        // Nor may he bind cluster-admin in his namespace.
        let binding = try Manifest.document(
            yaml: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: bob-root, namespace: dev}
                subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
                roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
                """, source: "test")
        #expect(await cluster.call("create", ["object": binding], as: bob).code == 403)
        // The view role he holds in dev, he may bind to another user there.
        var view = binding
        view[path: ["metadata", "name"]] = "carol-view"
        view[path: ["roleRef", "name"]] = "view"
        view["subjects"] = [["kind": "User", "name": "carol", "apiGroup": "rbac.authorization.k8s.io"]]
        #expect(await cluster.call("create", ["object": view], as: bob).code == 201)
    }

    @Test func theDefaultRolesAreThereAndAggregated() async throws {
        let cluster = try await Cluster()
        let policy = cluster.authorization.policy
        let viewer = UserInfo(name: "v", groups: ["viewers", "system:authenticated"])
        let editor = UserInfo(name: "e", groups: ["editors", "system:authenticated"])
        for (name, group) in [("view", "viewers"), ("edit", "editors")] {
            _ = try await cluster.apply(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: \(name), namespace: default}
                subjects: [{kind: Group, name: \(group), apiGroup: rbac.authorization.k8s.io}]
                roleRef: {kind: ClusterRole, name: \(name), apiGroup: rbac.authorization.k8s.io}
                """)
        }
        _ = policy
        let now = cluster.authorization.policy
        func may(_ user: UserInfo, _ verb: String, _ resource: String, _ group: String = "") -> Bool {
            now.authorize(user, AccessAttributes(verb: verb, group: group, resource: resource, namespace: "default"))
                .allowed
        }
        #expect(may(viewer, "list", "pods"))
        #expect(may(viewer, "watch", "deployments", "apps"))
        #expect(!may(viewer, "get", "secrets"))
        #expect(!may(viewer, "create", "pods"))
        #expect(may(editor, "create", "pods"))
        #expect(may(editor, "get", "secrets"))
        #expect(may(editor, "delete", "deployments", "apps"))
        #expect(!may(editor, "create", "rolebindings", "rbac.authorization.k8s.io"))
        // Every program's role is bound to its group.
        let scheduler = UserInfo(name: "system:kubus:scheduler", groups: ["system:kubus:scheduler"])
        #expect(
            now.authorize(
                scheduler, AccessAttributes(verb: "create", resource: "pods", subresource: "binding", namespace: "x")
            )
            .allowed)
        #expect(!now.authorize(scheduler, AccessAttributes(verb: "delete", resource: "pods", namespace: "x")).allowed)
    }

    @Test func ruleMatchingFollowsKubernetes() {
        let rule = { (verbs: [String], resources: [String], names: [String]?) in
            PolicyRule(verbs: verbs, apiGroups: [""], resources: resources, resourceNames: names)
        }
        let user = UserInfo(name: "u", groups: ["system:authenticated"])
        let policy = RBACPolicy(
            clusterRoles: [
                ClusterRole(
                    metadata: ObjectMeta(name: "r"),
                    rules: [
                        rule(["get"], ["configmaps"], ["app-config"]), rule(["update"], ["*/status"], nil),
                        PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz/*"]),
                    ])
            ],
            clusterRoleBindings: [
                ClusterRoleBinding(
                    metadata: ObjectMeta(name: "b"), subjects: [Subject(kind: "User", name: "u")],
                    roleRef: RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "r"))
            ])
        func may(_ a: AccessAttributes) -> Bool { policy.authorize(user, a).allowed }
        #expect(may(AccessAttributes(verb: "get", resource: "configmaps", namespace: "a", name: "app-config")))
        #expect(!may(AccessAttributes(verb: "get", resource: "configmaps", namespace: "a", name: "other")))
        #expect(!may(AccessAttributes(verb: "list", resource: "configmaps", namespace: "a")))  // names never list
        #expect(may(AccessAttributes(verb: "update", resource: "pods", subresource: "status", namespace: "a")))
        #expect(!may(AccessAttributes(verb: "update", resource: "pods", namespace: "a")))
        #expect(may(AccessAttributes(verb: "get", path: "/healthz/ping")))
        #expect(!may(AccessAttributes(verb: "get", path: "/metrics")))
        // A ServiceAccount subject is the user system:serviceaccount:<ns>:<name>.
        let account = RBACPolicy(
            clusterRoles: [ClusterRole(metadata: ObjectMeta(name: "r"), rules: [rule(["get"], ["pods"], nil)])],
            roleBindings: [
                RoleBinding(
                    metadata: ObjectMeta(name: "b", namespace: "ci"),
                    subjects: [Subject(kind: "ServiceAccount", name: "builder", namespace: "ci")],
                    roleRef: RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "r"))
            ])
        let builder = UserInfo(name: "system:serviceaccount:ci:builder")
        #expect(account.authorize(builder, AccessAttributes(verb: "get", resource: "pods", namespace: "ci")).allowed)
        #expect(!account.authorize(builder, AccessAttributes(verb: "get", resource: "pods", namespace: "x")).allowed)
    }
}
