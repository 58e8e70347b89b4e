/// Static facts about a kind: its API group and version, REST names, scope and naming rule.
public struct KindInfo: Sendable, Hashable, CustomStringConvertible {
    /// Which names objects of a kind may have.
    public enum NameRule: String, Sendable, Hashable {
        /// Up to 253 characters of lowercase alphanumerics, '-' and '.'.
        case dns1123Subdomain
        /// Up to 63 characters of lowercase alphanumerics and '-'.
        case dns1123Label
        /// Anything but '.', '..' or text containing '/' or '%'.
        case pathSegment
    }

    /// The kind, e.g. `Deployment`.
    public var kind: String
    /// The API group, empty for the core group.
    public var group: String
    /// The served version, e.g. `v1`.
    public var version: String
    /// The plural resource name used in URLs, e.g. `deployments`.
    public var plural: String
    /// The lowercase singular name, e.g. `deployment`.
    public var singular: String
    /// Short aliases, e.g. `deploy`.
    public var shortNames: [String]
    /// Whether objects live in a namespace.
    public var namespaced: Bool
    /// Whether the kind has a `status` subresource.
    public var hasStatus: Bool
    /// The rule object names must follow.
    public var nameRule: NameRule

    /// Creates a kind description.
    public init(
        kind: String, group: String, version: String, plural: String, singular: String? = nil,
        shortNames: [String] = [], namespaced: Bool, hasStatus: Bool, nameRule: NameRule = .dns1123Subdomain
    ) {
        self.kind = kind
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.shortNames = shortNames
        self.namespaced = namespaced
        self.hasStatus = hasStatus
        self.nameRule = nameRule
    }

    /// `group/version`, or just the version for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The resource as Kubernetes names it in messages: `pods`, `deployments.apps`.
    public var qualifiedResource: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// `apiVersion, Kind=Kind`.
    public var description: String { "\(apiVersion), Kind=\(kind)" }

    /// What Kubus does not do yet with objects of this kind, said as a warning whenever one is written (they are
    /// stored and served, and nothing acts on them); nil for kinds whose behaviour is built.
    public var behaviourNotBuilt: String? { Self.behaviourNotBuilt[kind] }

    static let behaviourNotBuilt: [String: String] = [
        "HorizontalPodAutoscaler":
            "Kubus has no metrics or autoscaler yet: HorizontalPodAutoscalers are stored but scale nothing"
    ]
}

extension KindInfo {
    /// core/v1 Namespace.
    public static let namespace = KindInfo(
        kind: "Namespace", group: "", version: "v1", plural: "namespaces", shortNames: ["ns"], namespaced: false,
        hasStatus: true, nameRule: .dns1123Label)
    /// core/v1 Node.
    public static let node = KindInfo(
        kind: "Node", group: "", version: "v1", plural: "nodes", shortNames: ["no"], namespaced: false, hasStatus: true)
    /// core/v1 Pod.
    public static let pod = KindInfo(
        kind: "Pod", group: "", version: "v1", plural: "pods", shortNames: ["po"], namespaced: true, hasStatus: true)
    /// core/v1 Service.
    public static let service = KindInfo(
        kind: "Service", group: "", version: "v1", plural: "services", shortNames: ["svc"], namespaced: true,
        hasStatus: true, nameRule: .dns1123Label)
    /// core/v1 Endpoints.
    public static let endpoints = KindInfo(
        kind: "Endpoints", group: "", version: "v1", plural: "endpoints", singular: "endpoints", shortNames: ["ep"],
        namespaced: true, hasStatus: false)
    /// core/v1 ConfigMap.
    public static let configMap = KindInfo(
        kind: "ConfigMap", group: "", version: "v1", plural: "configmaps", shortNames: ["cm"], namespaced: true,
        hasStatus: false)
    /// core/v1 Secret.
    public static let secret = KindInfo(
        kind: "Secret", group: "", version: "v1", plural: "secrets", namespaced: true, hasStatus: false)
    /// core/v1 ServiceAccount.
    public static let serviceAccount = KindInfo(
        kind: "ServiceAccount", group: "", version: "v1", plural: "serviceaccounts", shortNames: ["sa"],
        namespaced: true, hasStatus: false)
    /// core/v1 Event.
    public static let event = KindInfo(
        kind: "Event", group: "", version: "v1", plural: "events", shortNames: ["ev"], namespaced: true,
        hasStatus: false)
    /// core/v1 LimitRange.
    public static let limitRange = KindInfo(
        kind: "LimitRange", group: "", version: "v1", plural: "limitranges", shortNames: ["limits"], namespaced: true,
        hasStatus: false)
    /// core/v1 ResourceQuota.
    public static let resourceQuota = KindInfo(
        kind: "ResourceQuota", group: "", version: "v1", plural: "resourcequotas", shortNames: ["quota"],
        namespaced: true, hasStatus: true)
    /// core/v1 PersistentVolume.
    public static let persistentVolume = KindInfo(
        kind: "PersistentVolume", group: "", version: "v1", plural: "persistentvolumes", shortNames: ["pv"],
        namespaced: false, hasStatus: true)
    /// core/v1 PersistentVolumeClaim.
    public static let persistentVolumeClaim = KindInfo(
        kind: "PersistentVolumeClaim", group: "", version: "v1", plural: "persistentvolumeclaims",
        shortNames: ["pvc"], namespaced: true, hasStatus: true)
    /// apps/v1 ReplicaSet.
    public static let replicaSet = KindInfo(
        kind: "ReplicaSet", group: "apps", version: "v1", plural: "replicasets", shortNames: ["rs"], namespaced: true,
        hasStatus: true)
    /// apps/v1 Deployment.
    public static let deployment = KindInfo(
        kind: "Deployment", group: "apps", version: "v1", plural: "deployments", shortNames: ["deploy"],
        namespaced: true, hasStatus: true)
    /// apps/v1 StatefulSet.
    public static let statefulSet = KindInfo(
        kind: "StatefulSet", group: "apps", version: "v1", plural: "statefulsets", shortNames: ["sts"],
        namespaced: true, hasStatus: true)
    /// apps/v1 DaemonSet.
    public static let daemonSet = KindInfo(
        kind: "DaemonSet", group: "apps", version: "v1", plural: "daemonsets", shortNames: ["ds"], namespaced: true,
        hasStatus: true)
    /// batch/v1 Job.
    public static let job = KindInfo(
        kind: "Job", group: "batch", version: "v1", plural: "jobs", namespaced: true, hasStatus: true)
    /// batch/v1 CronJob.
    public static let cronJob = KindInfo(
        kind: "CronJob", group: "batch", version: "v1", plural: "cronjobs", shortNames: ["cj"], namespaced: true,
        hasStatus: true)
    /// discovery.k8s.io/v1 EndpointSlice.
    public static let endpointSlice = KindInfo(
        kind: "EndpointSlice", group: "discovery.k8s.io", version: "v1", plural: "endpointslices", namespaced: true,
        hasStatus: false)
    /// networking.k8s.io/v1 IngressClass.
    public static let ingressClass = KindInfo(
        kind: "IngressClass", group: "networking.k8s.io", version: "v1", plural: "ingressclasses", namespaced: false,
        hasStatus: false)
    /// networking.k8s.io/v1 NetworkPolicy.
    public static let networkPolicy = KindInfo(
        kind: "NetworkPolicy", group: "networking.k8s.io", version: "v1", plural: "networkpolicies",
        shortNames: ["netpol"], namespaced: true, hasStatus: false)
    /// storage.k8s.io/v1 StorageClass.
    public static let storageClass = KindInfo(
        kind: "StorageClass", group: "storage.k8s.io", version: "v1", plural: "storageclasses", shortNames: ["sc"],
        namespaced: false, hasStatus: false)
    /// rbac.authorization.k8s.io/v1 Role.
    public static let role = KindInfo(
        kind: "Role", group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", namespaced: true,
        hasStatus: false, nameRule: .pathSegment)
    /// rbac.authorization.k8s.io/v1 ClusterRole.
    public static let clusterRole = KindInfo(
        kind: "ClusterRole", group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles",
        namespaced: false, hasStatus: false, nameRule: .pathSegment)
    /// rbac.authorization.k8s.io/v1 RoleBinding.
    public static let roleBinding = KindInfo(
        kind: "RoleBinding", group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings",
        namespaced: true, hasStatus: false, nameRule: .pathSegment)
    /// rbac.authorization.k8s.io/v1 ClusterRoleBinding.
    public static let clusterRoleBinding = KindInfo(
        kind: "ClusterRoleBinding", group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings",
        namespaced: false, hasStatus: false, nameRule: .pathSegment)
    /// networking.k8s.io/v1 Ingress.
    public static let ingress = KindInfo(
        kind: "Ingress", group: "networking.k8s.io", version: "v1", plural: "ingresses", shortNames: ["ing"],
        namespaced: true, hasStatus: true)
    /// autoscaling/v2 HorizontalPodAutoscaler.
    public static let horizontalPodAutoscaler = KindInfo(
        kind: "HorizontalPodAutoscaler", group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers",
        shortNames: ["hpa"], namespaced: true, hasStatus: true)
    /// coordination.k8s.io/v1 Lease.
    public static let lease = KindInfo(
        kind: "Lease", group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true,
        hasStatus: false)
}
