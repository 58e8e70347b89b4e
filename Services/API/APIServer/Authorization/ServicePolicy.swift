import Schema

/// The least-privilege ClusterRole of each Kubus program, named as the group its bus key is in (`BusRights` in
/// UpKit) and bound to that group by `BootstrapPolicy`: what the program's code asks of the api, and no more
/// (an informer lists and watches its kind; the event recorder creates and updates events; leader election gets,
/// creates and updates its Lease).
enum ServicePolicy {
    struct ProgramRole {
        var name: String
        var rules: [PolicyRule]
        /// The group bound to it: its name, but `system:nodes` for the kubelets' `system:node`.
        var group: String? = nil
    }

    private static func r(_ verbs: [String], _ group: String, _ resources: [String], names: [String]? = nil)
        -> PolicyRule
    {
        PolicyRule(verbs: verbs, apiGroups: [group], resources: resources, resourceNames: names)
    }

    private static let watch = ["list", "watch"]
    private static let events = r(["create", "update"], "", ["events"])
    private static func lease(_ name: String) -> [PolicyRule] {
        [
            r(["create"], "coordination.k8s.io", ["leases"]),
            r(["get", "update"], "coordination.k8s.io", ["leases"], names: [name]),
        ]
    }

    /// Rules for every kind of the registry that `filter` keeps, grouped by API group.
    private static func registry(_ verbs: [String], where filter: (KindInfo) -> Bool) -> [PolicyRule] {
        var byGroup: [String: [String]] = [:]
        for info in KindRegistry.all where filter(info) { byGroup[info.group, default: []].append(info.plural) }
        return byGroup.keys.sorted().map { r(verbs, $0, byGroup[$0]!.sorted()) }
    }

    static var controllers: [ProgramRole] {
        [
            ProgramRole(
                name: "replicaset",
                rules: [
                    r(watch + ["get"], "apps", ["replicasets"]), r(["update"], "apps", ["replicasets/status"]),
                    r(watch + ["create", "delete", "patch"], "", ["pods"]), events,
                ]),
            ProgramRole(
                name: "garbage-collector",
                // As Kubernetes' generic-garbage-collector: any kind can own or be owned.
                rules: registry(watch + ["get", "patch", "delete"]) { _ in true }),
            ProgramRole(
                name: "namespace",
                rules: [
                    r(watch, "", ["namespaces"]), r(["update"], "", ["namespaces/finalize", "namespaces/status"]),
                ] + registry(["list", "delete"]) { $0.namespaced }),
            ProgramRole(
                name: "resourcequota",
                // As Kubernetes' resourcequota controller: it counts objects of any kind a quota names.
                rules: [
                    r(watch, "", ["resourcequotas", "pods", "services", "persistentvolumeclaims"]),
                    r(["update"], "", ["resourcequotas/status"]),
                ] + registry(["list"]) { $0.namespaced }),
            ProgramRole(
                name: "serviceaccount",
                rules: [r(watch, "", ["namespaces"]), r(watch + ["create"], "", ["serviceaccounts"])]),
            ProgramRole(
                name: "deployment",
                rules: [
                    r(watch + ["get", "patch"], "apps", ["deployments"]), r(["update"], "apps", ["deployments/status"]),
                    r(watch + ["get", "create", "update", "patch", "delete"], "apps", ["replicasets"]),
                    r(watch, "", ["pods"]), events,
                ]),
            ProgramRole(
                name: "statefulset",
                rules: [
                    r(watch + ["get"], "apps", ["statefulsets"]), r(["update"], "apps", ["statefulsets/status"]),
                    r(watch + ["create", "delete", "patch"], "", ["pods"]),
                    r(watch + ["create"], "", ["persistentvolumeclaims"]), events,
                ]),
            ProgramRole(
                name: "daemonset",
                rules: [
                    r(watch + ["get"], "apps", ["daemonsets"]), r(["update"], "apps", ["daemonsets/status"]),
                    r(watch + ["create", "delete", "patch"], "", ["pods"]), r(watch, "", ["nodes"]), events,
                ]),
            ProgramRole(
                name: "job",
                rules: [
                    r(watch + ["get", "delete"], "batch", ["jobs"]), r(["update"], "batch", ["jobs/status"]),
                    r(watch + ["create", "delete", "patch"], "", ["pods"]), events,
                ]),
            ProgramRole(
                name: "cronjob",
                rules: [
                    r(watch, "batch", ["cronjobs"]), r(["update"], "batch", ["cronjobs/status"]),
                    r(watch + ["create", "delete"], "batch", ["jobs"]), events,
                ]),
            ProgramRole(
                name: "node-lifecycle",
                rules: [
                    r(watch + ["patch"], "", ["nodes"]), r(["patch"], "", ["nodes/status"]),
                    r(watch, "coordination.k8s.io", ["leases"]), r(watch + ["delete"], "", ["pods"]),
                    r(["patch"], "", ["pods/status"]), events,
                ]),
            ProgramRole(
                name: "persistentvolume",
                rules: [
                    r(watch + ["get", "update", "patch"], "", ["persistentvolumeclaims"]),
                    r(["update"], "", ["persistentvolumeclaims/status"]),
                    r(watch + ["get", "create", "update", "patch", "delete"], "", ["persistentvolumes"]),
                    r(["update"], "", ["persistentvolumes/status"]),
                    r(watch + ["create"], "storage.k8s.io", ["storageclasses"]), r(watch, "", ["pods"]), events,
                ]),
            ProgramRole(
                name: "endpoints",
                rules: [
                    r(watch, "", ["services", "pods"]), r(watch + ["create", "update", "delete"], "", ["endpoints"]),
                    r(watch + ["create", "update", "delete"], "discovery.k8s.io", ["endpointslices"]),
                ]),
            ProgramRole(
                name: "loadbalancer",
                rules: [r(watch + ["get"], "", ["services"]), r(["update"], "", ["services/status"]), events]),
        ].map { role in
            // Each controller elects its leader through the Lease kube-system/kubus-<name>.
            ProgramRole(name: role.name, rules: role.rules + lease("kubus-\(role.name)"))
        }
    }

    static var roles: [ProgramRole] {
        let controllerRoles = controllers
        var union: [PolicyRule] = []
        for role in controllerRoles { for rule in role.rules where !union.contains(rule) { union.append(rule) } }
        return [
            ProgramRole(
                name: "system:kubus:scheduler",
                rules: [
                    r(watch + ["get"], "", ["pods"]), r(["create"], "", ["pods/binding"]),
                    r(["update"], "", ["pods/status"]),
                    r(watch, "", ["nodes", "persistentvolumeclaims", "persistentvolumes"]),
                    r(watch, "storage.k8s.io", ["storageclasses"]), events,
                ] + lease("kube-scheduler")),
            // Real and simulated kubelets (one group): their nodes, leases and pods; what pods mount.
            ProgramRole(
                name: "system:node",
                rules: [
                    r(watch + ["get", "delete"], "", ["pods"]), r(["update", "patch"], "", ["pods/status"]),
                    r(watch, "", ["services"]),
                    r(watch + ["get", "create", "update", "patch"], "", ["nodes"]),
                    r(["update", "patch"], "", ["nodes/status"]),
                    r(["get", "create", "update", "patch"], "coordination.k8s.io", ["leases"]),
                    r(["get"], "", ["configmaps", "secrets", "persistentvolumeclaims", "persistentvolumes"]), events,
                    // Asking whether a caller may use a pod's logs, exec or port-forward (kubelet webhook authz).
                    r(["create"], "authorization.k8s.io", ["subjectaccessreviews"]),
                    // Pods' ServiceAccount tokens (NodeRestriction: only for pods bound to the node).
                    r(["create"], "", ["serviceaccounts/token"]),
                ], group: "system:nodes"),
            ProgramRole(
                name: "system:kubus:dns",
                rules: [
                    r(watch + ["get", "create"], "", ["services"]), r(watch, "discovery.k8s.io", ["endpointslices"]),
                    r(["get", "create", "update"], "", ["endpoints"]),
                ]),
            ProgramRole(
                name: "system:kubus:proxy",
                rules: [r(watch, "", ["services", "nodes"]), r(watch, "discovery.k8s.io", ["endpointslices"])]),
            ProgramRole(
                name: "system:kubus:netpol",
                rules: [r(watch, "networking.k8s.io", ["networkpolicies"]), r(watch, "", ["pods", "namespaces"])]),
            ProgramRole(
                name: "system:kubus:ingress",
                rules: [
                    r(watch + ["get"], "networking.k8s.io", ["ingresses"]),
                    r(["update"], "networking.k8s.io", ["ingresses/status"]),
                    r(watch + ["create"], "networking.k8s.io", ["ingressclasses"]),
                    r(watch, "", ["services", "secrets"]), r(watch, "discovery.k8s.io", ["endpointslices"]), events,
                ]),
        ]
            + controllerRoles.map { ProgramRole(name: "system:kubus:controller:\($0.name)", rules: $0.rules) }
            + [ProgramRole(name: "system:kubus:controller:all", rules: union)]
    }
}
