extension LimitRangeItem {
    /// The item types Kubernetes' LimitRanger applies.
    public static let container = "Container"
    public static let pod = "Pod"
    public static let persistentVolumeClaim = "PersistentVolumeClaim"
    public static let types = [container, pod, persistentVolumeClaim]
}

extension LimitRange {
    /// Known types; no negative quantity; min ≤ default request ≤ default ≤ max for each resource; a ratio of at
    /// least 1; no defaults for Pod items, and only `storage` for claims.
    public func validateSpec(old: LimitRange?) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, item) in spec.limits.enumerated() {
            let path = "spec.limits".index(index)
            guard LimitRangeItem.types.contains(item.type) else {
                errors.append(.notSupported(path.child("type"), item.type, supported: LimitRangeItem.types))
                continue
            }
            let lists: [(String, [String: Quantity]?)] = [
                ("max", item.max), ("min", item.min), ("default", item.default),
                ("defaultRequest", item.defaultRequest), ("maxLimitRequestRatio", item.maxLimitRequestRatio),
            ]
            for (field, list) in lists {
                for (name, value) in (list ?? [:]).sorted(by: { $0.key < $1.key }) where value.sign < 0 {
                    errors.append(
                        .invalid(
                            path.child(field).key(name), .string(value.description),
                            "must be greater than or equal to 0"))
                }
            }
            if item.type != LimitRangeItem.container {
                for (field, list) in [("default", item.default), ("defaultRequest", item.defaultRequest)]
                where !(list ?? [:]).isEmpty {
                    errors.append(.forbidden(path.child(field), "may not be specified when `type` is '\(item.type)'"))
                }
            }
            if item.type == LimitRangeItem.persistentVolumeClaim {
                for (field, list) in [("max", item.max), ("min", item.min)] {
                    for name in (list ?? [:]).keys.sorted() where name != "storage" {
                        errors.append(
                            .notSupported(path.child(field).key(name), name, supported: ["storage"]))
                    }
                }
            }
            // Each bound against the next: min ≤ defaultRequest ≤ default ≤ max.
            let order: [(String, [String: Quantity])] = [
                ("min", item.min ?? [:]), ("defaultRequest", item.defaultRequest ?? [:]),
                ("default", item.default ?? [:]), ("max", item.max ?? [:]),
            ]
            for (i, (lowName, low)) in order.enumerated() {
                for (highName, high) in order[(i + 1)...] {
                    for (name, lowValue) in low.sorted(by: { $0.key < $1.key }) {
                        guard let highValue = high[name], lowValue > highValue else { continue }
                        errors.append(
                            .invalid(
                                path.child(lowName).key(name), .string(lowValue.description),
                                "\(lowName) value \(lowValue) is greater than \(highName) value \(highValue)"))
                    }
                }
            }
            for (name, ratio) in (item.maxLimitRequestRatio ?? [:]).sorted(by: { $0.key < $1.key })
            where ratio < Quantity(1) {
                errors.append(
                    .invalid(
                        path.child("maxLimitRequestRatio").key(name), .string(ratio.description),
                        "ratio must be greater than or equal to 1"))
            }
        }
        return errors
    }
}

extension ResourceQuota {
    /// Scopes Kubernetes defines; only those Kubus can evaluate are accepted.
    public static let scopes = ["BestEffort", "NotBestEffort", "NotTerminating", "Terminating"]
    /// Resources a quota on these scopes may track (pod scopes track pod resources only).
    static let podResources: Set<String> = [
        "pods", "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory",
    ]
    /// Resource names a quota tracks besides `count/<resource>[.<group>]`.
    public static let standardResources: Set<String> = podResources.union([
        "services", "services.nodeports", "services.loadbalancers", "configmaps", "secrets", "persistentvolumeclaims",
        "requests.storage", "resourcequotas", "replicationcontrollers", "requests.ephemeral-storage",
        "limits.ephemeral-storage", "ephemeral-storage",
    ])

    /// Known resource names with non-negative amounts; known scopes (from `scopes` or `scopeSelector`), each only
    /// with the resources it can limit.
    public func validateSpec(old: ResourceQuota?) -> [FieldError] {
        var errors: [FieldError] = []
        let hard = spec.hard ?? [:]
        for (name, value) in hard.sorted(by: { $0.key < $1.key }) {
            let path = "spec.hard".key(name)
            if !Self.standardResources.contains(name), !name.hasPrefix("count/"),
                !name.hasSuffix(".storageclass.storage.k8s.io/requests.storage"),
                !name.hasSuffix(".storageclass.storage.k8s.io/persistentvolumeclaims")
            {
                errors.append(
                    .invalid(
                        path, .string(name),
                        "must be a standard resource for quota (pods, requests.cpu, services, …) or count/<resource>"))
            }
            if value.sign < 0 {
                errors.append(.invalid(path, .string(value.description), "must be greater than or equal to 0"))
            }
        }
        var scopes: [(String, String)] = (spec.scopes ?? []).enumerated().map { ("spec.scopes".index($0), $1) }
        for (index, expression) in (spec.scopeSelector?.matchExpressions ?? []).enumerated() {
            let path = "spec.scopeSelector.matchExpressions".index(index)
            let operators = ["DoesNotExist", "Exists", "In", "NotIn"]
            if !operators.contains(expression.operator) {
                errors.append(.notSupported(path.child("operator"), expression.operator, supported: operators))
            }
            scopes.append((path.child("scopeName"), expression.scopeName))
        }
        for (path, scope) in scopes {
            guard Self.scopes.contains(scope) else {
                errors.append(.notSupported(path, scope, supported: Self.scopes))
                continue
            }
            for name in hard.keys.sorted() where !Self.podResources.contains(name) && name != "count/pods" {
                errors.append(
                    .invalid("spec.hard".key(name), .string(name), "unsupported scope applied to resource: \(scope)"))
            }
            if scope == "BestEffort" {
                for name in hard.keys.sorted()
                where Self.podResources.contains(name) && name != "pods" && name != "count/pods" {
                    errors.append(
                        .invalid(
                            "spec.hard".key(name), .string(name), "unsupported scope applied to resource: BestEffort"))
                }
            }
        }
        return errors
    }
}
