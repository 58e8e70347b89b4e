import Bus
import Foundation
import Schema
import Wire

/// The ClusterRoles and ClusterRoleBindings every cluster has, made (and brought up to date) by the api at each
/// start, as kube-apiserver's bootstrap policy: the user-facing `cluster-admin`, `admin`, `edit` and `view`
/// (the last three aggregated from `system:aggregate-to-*`), `system:basic-user` and `system:discovery` for every
/// authenticated user, and one least-privilege role per Kubus program, bound to the group its bus key is in
/// (`BusRights` in UpKit).
///
/// A role or binding whose annotation `rbac.authorization.kubernetes.io/autoupdate` is `"false"` is left as its
/// user changed it.
enum BootstrapPolicy {
    static let autoupdate = "rbac.authorization.kubernetes.io/autoupdate"

    static func rule(_ verbs: [String], _ group: String, _ resources: [String], names: [String]? = nil) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: [group], resources: resources, resourceNames: names)
    }

    static let read = ["get", "list", "watch"]
    static let write = ["create", "delete", "deletecollection", "patch", "update"]
    static let all = read + write

    static func clusterRole(
        _ name: String, _ rules: [PolicyRule], labels: [String: String] = [:], aggregateFrom: String? = nil
    ) -> ClusterRole {
        var role = ClusterRole(
            apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole",
            metadata: ObjectMeta(name: name), rules: rules)
        role.metadata.annotations = [autoupdate: "true"]
        role.metadata.labels = ["kubernetes.io/bootstrapping": "rbac-defaults"].merging(labels) { $1 }
        if let aggregateFrom {
            role.aggregationRule = AggregationRule(clusterRoleSelectors: [
                LabelSelector(matchLabels: ["rbac.authorization.k8s.io/\(aggregateFrom)": "true"])
            ])
            role.rules = []
        }
        return role
    }

    static func binding(_ name: String, role: String, groups: [String] = [], users: [String] = []) -> ClusterRoleBinding
    {
        var binding = ClusterRoleBinding(
            apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding",
            metadata: ObjectMeta(name: name),
            subjects: groups.map { Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: $0) }
                + users.map { Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: $0) },
            roleRef: RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role))
        binding.metadata.annotations = [autoupdate: "true"]
        binding.metadata.labels = ["kubernetes.io/bootstrapping": "rbac-defaults"]
        return binding
    }

    /// Namespaced resources by group, from the kind registry, with the subresources users act on.
    static func namespacedResources(excluding: Set<String> = []) -> [PolicyRule] {
        var byGroup: [String: [String]] = [:]
        for info in KindRegistry.all where info.namespaced && !excluding.contains(info.plural) {
            byGroup[info.group, default: []].append(info.plural)
        }
        return byGroup.keys.sorted().map { group in
            PolicyRule(verbs: [], apiGroups: [group], resources: byGroup[group]!.sorted())
        }
    }

    /// What `view` may read: every namespaced kind but Secrets and RBAC's own, and the status of each.
    static var viewRules: [PolicyRule] {
        namespacedResources(excluding: ["secrets", "roles", "rolebindings"]).map { r in
            var rule = r
            rule.verbs = read
            rule.resources = (r.resources ?? []).flatMap { [$0, "\($0)/status"] }
            return rule
        } + [rule(["get"], "", ["pods/log"]), rule(read, "", ["namespaces"])]
    }

    /// What `edit` may do besides `view`: write every namespaced kind but RBAC's and the namespace's quotas and
    /// limit ranges (set by whoever administers the cluster), read Secrets, and use pods.
    static var editRules: [PolicyRule] {
        namespacedResources(excluding: ["roles", "rolebindings", "resourcequotas", "limitranges"]).map { r in
            var rule = r
            rule.verbs = all
            return rule
        } + [
            rule(read, "", ["secrets"]),
            rule(["create", "get"], "", ["pods/exec", "pods/attach", "pods/portforward"]),
            rule(
                ["get", "patch", "update"], "apps", ["deployments/scale", "replicasets/scale", "statefulsets/scale"]),
            rule(["impersonate"], "", ["serviceaccounts"]),
        ]
    }

    /// What `admin` may do besides `edit`: RBAC within the namespace, and ask what others may do there.
    static var adminRules: [PolicyRule] {
        [
            rule(all, "rbac.authorization.k8s.io", ["roles", "rolebindings"]),
            rule(["create"], "authorization.k8s.io", ["localsubjectaccessreviews"]),
        ]
    }

    static var clusterRoles: [ClusterRole] {
        [
            clusterRole(
                "cluster-admin",
                [
                    PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                    PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
                ]),
            clusterRole("admin", [], aggregateFrom: "aggregate-to-admin"),
            clusterRole(
                "edit", [], labels: ["rbac.authorization.k8s.io/aggregate-to-admin": "true"],
                aggregateFrom: "aggregate-to-edit"),
            clusterRole(
                "view", [],
                labels: [
                    "rbac.authorization.k8s.io/aggregate-to-admin": "true",
                    "rbac.authorization.k8s.io/aggregate-to-edit": "true",
                ],
                aggregateFrom: "aggregate-to-view"),
            clusterRole(
                "system:aggregate-to-admin", adminRules,
                labels: ["rbac.authorization.k8s.io/aggregate-to-admin": "true"]),
            clusterRole(
                "system:aggregate-to-edit", editRules,
                labels: [
                    "rbac.authorization.k8s.io/aggregate-to-admin": "true",
                    "rbac.authorization.k8s.io/aggregate-to-edit": "true",
                ]),
            clusterRole(
                "system:aggregate-to-view", viewRules,
                labels: [
                    "rbac.authorization.k8s.io/aggregate-to-admin": "true",
                    "rbac.authorization.k8s.io/aggregate-to-edit": "true",
                    "rbac.authorization.k8s.io/aggregate-to-view": "true",
                ]),
            clusterRole(
                "system:basic-user",
                [
                    rule(["create"], "authorization.k8s.io", ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
                    rule(["create"], "authentication.k8s.io", ["selfsubjectreviews"]),
                ]),
            clusterRole(
                "system:discovery",
                [
                    PolicyRule(
                        verbs: ["get"],
                        nonResourceURLs: ["/version", "/version/", "/api", "/api/*", "/apis", "/apis/*"])
                ]),
        ] + ServicePolicy.roles.map { clusterRole($0.name, $0.rules) }
    }

    static var clusterRoleBindings: [ClusterRoleBinding] {
        [
            binding("cluster-admin", role: "cluster-admin", groups: [UserInfo.mastersGroup]),
            binding("system:basic-user", role: "system:basic-user", groups: [UserInfo.authenticatedGroup]),
            binding("system:discovery", role: "system:discovery", groups: [UserInfo.authenticatedGroup]),
        ] + ServicePolicy.roles.map { binding($0.name, role: $0.name, groups: [$0.group ?? $0.name]) }
    }
}

extension APIHandler {
    /// Creates the bootstrap policy's roles and bindings, and updates those that differ from it unless their
    /// `autoupdate` annotation is `"false"`. Throws when the store is unreachable.
    func bootstrapPolicy() async throws(APIError) {
        func reconcile(_ object: JSONValue, kind: String, name: String) async throws(APIError) {
            let created = await handle(
                verb: "create", payload: JSONValue.object(["object": object]).encoded(), requestID: "")
            if created.code == 201 { return }
            guard created.code == 409 else { throw Self.replyError(created, "create \(kind) \(name)") }
            let got = await handle(
                verb: "get", payload: JSONValue.object(["kind": .string(kind), "name": .string(name)]).encoded(),
                requestID: "")
            guard got.code == 200, let current = try? JSONValue.parse(got.payload) else {
                throw Self.replyError(got, "get \(kind) \(name)")
            }
            if current[path: ["metadata", "annotations", BootstrapPolicy.autoupdate]]?.stringValue == "false" {
                return
            }
            let fields = ["rules", "aggregationRule", "subjects", "roleRef"]
            if fields.allSatisfy({ current[$0] == object[$0] }) { return }
            var next = current
            for field in fields { next[field] = object[field] }
            let updated = await handle(
                verb: "update", payload: JSONValue.object(["object": next]).encoded(), requestID: "")
            // 409: another api instance updated it meanwhile, to the same policy.
            guard updated.code == 200 || updated.code == 409 else {
                throw Self.replyError(updated, "update \(kind) \(name)")
            }
        }
        for role in BootstrapPolicy.clusterRoles {
            try await reconcile(try Self.json(role), kind: "ClusterRole", name: role.metadata.name ?? "")
        }
        for binding in BootstrapPolicy.clusterRoleBindings {
            try await reconcile(try Self.json(binding), kind: "ClusterRoleBinding", name: binding.metadata.name ?? "")
        }
    }

    static func json(_ value: some Encodable) throws(APIError) -> JSONValue {
        do {
            return try JSONValue.parse(Array(try WireCoding.encoder.encode(value)))
        } catch {
            throw .internal("cannot encode the bootstrap policy: \(error)")
        }
    }

    static func replyError(_ reply: BusReply, _ what: String) -> APIError {
        let message = (try? JSONValue.parse(reply.payload))?["message"]?.stringValue ?? "code \(reply.code)"
        return .make(reply.code, "InternalError", "bootstrap policy: \(what) failed: \(message)")
    }
}
