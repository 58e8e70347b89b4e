/// What Kubernetes' Go struct tags say about list fields (`patchStrategy:"merge"`, `patchMergeKey`), for the
/// kinds Kubus serves: the part of the schema a strategic merge patch needs.
///
/// Fields are looked up by the type of the object holding them; a type is named after the Kubernetes struct
/// (`PodSpec`, `Container`). A list field not listed here is replaced as a whole, as in Kubernetes (e.g.
/// `tolerations`, `args`, `matchExpressions`).
public enum StrategicMergeSchema {
    /// How a list field merges.
    public enum ListStrategy: Sendable, Hashable {
        /// The patch's list replaces the object's.
        case replace
        /// Elements are objects matched by this key; matched ones merge, others are appended.
        case merge(key: String)
        /// Elements are scalars; the patch's are added to the object's (a set union).
        case mergePrimitives
    }

    /// A field's merge rule and the type of its value (or of its list elements).
    public struct Field: Sendable, Hashable {
        public var type: String?
        public var list: ListStrategy

        init(_ type: String? = nil, _ list: ListStrategy = .replace) {
            self.type = type
            self.list = list
        }
    }

    static let conditions = Field(nil, .merge(key: "type"))

    /// The fields with a rule, by holding type.
    public static let types: [String: [String: Field]] = [
        "ObjectMeta": ["finalizers": Field(nil, .mergePrimitives), "ownerReferences": Field(nil, .merge(key: "uid"))],
        "PodTemplateSpec": ["metadata": Field("ObjectMeta"), "spec": Field("PodSpec")],
        "PodSpec": [
            "containers": Field("Container", .merge(key: "name")),
            "initContainers": Field("Container", .merge(key: "name")),
            "ephemeralContainers": Field("Container", .merge(key: "name")),
            "volumes": Field(nil, .merge(key: "name")),
            "imagePullSecrets": Field(nil, .merge(key: "name")),
            "hostAliases": Field(nil, .merge(key: "ip")),
            "topologySpreadConstraints": Field(nil, .merge(key: "topologyKey")),
            "resourceClaims": Field(nil, .merge(key: "name")),
            "schedulingGates": Field(nil, .merge(key: "name")),
        ],
        "Container": [
            "ports": Field(nil, .merge(key: "containerPort")),
            "env": Field(nil, .merge(key: "name")),
            "volumeMounts": Field(nil, .merge(key: "mountPath")),
            "volumeDevices": Field(nil, .merge(key: "devicePath")),
        ],
        "PodStatus": [
            "conditions": conditions, "podIPs": Field(nil, .merge(key: "ip")), "hostIPs": Field(nil, .merge(key: "ip")),
        ],
        "NodeSpec": ["podCIDRs": Field(nil, .mergePrimitives)],
        "NodeStatus": ["conditions": conditions, "addresses": Field(nil, .merge(key: "type"))],
        "ServiceSpec": ["ports": Field(nil, .merge(key: "port"))],
        "WorkloadSpec": ["template": Field("PodTemplateSpec")],
        "JobSpec": ["template": Field("PodTemplateSpec")],
        "JobTemplateSpec": ["metadata": Field("ObjectMeta"), "spec": Field("JobSpec")],
        "CronJobSpec": ["jobTemplate": Field("JobTemplateSpec")],
        "Status": ["conditions": conditions],
        "ServiceAccount": ["secrets": Field(nil, .merge(key: "name"))],
    ]

    /// The type name of a kind's top-level object.
    public static func rootType(kind: String) -> String { "Root:\(kind)" }

    /// The rule for `field` of an object of `type` (nil: unknown type, no rules).
    public static func field(_ field: String, of type: String?) -> Field {
        guard let type else { return Field() }
        if type.hasPrefix("Root:") {
            let kind = String(type.dropFirst("Root:".count))
            switch field {
            case "metadata": return Field("ObjectMeta")
            case "spec": return Field(specType(kind: kind))
            case "status": return Field(kind == "Pod" ? "PodStatus" : kind == "Node" ? "NodeStatus" : "Status")
            default: return types[kind]?[field] ?? Field()
            }
        }
        return types[type]?[field] ?? Field()
    }

    static func specType(kind: String) -> String? {
        switch kind {
        case "Pod": return "PodSpec"
        case "Node": return "NodeSpec"
        case "Service": return "ServiceSpec"
        case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet": return "WorkloadSpec"
        case "Job": return "JobSpec"
        case "CronJob": return "CronJobSpec"
        default: return nil
        }
    }
}
