/// What objects count against a ResourceQuota, as Kubernetes' quota evaluators count them: the api charges a new
/// object's usage at admission and the resourcequota controller sums what a namespace holds.
public enum QuotaUsage {
    /// The resources an object of `info` uses: `count/<resource>[.<group>]` for every kind, and the kind's own
    /// (`pods`, `requests.cpu`, `services.nodeports`, `requests.storage`, …). A pod that has finished uses nothing.
    public static func usage(of info: KindInfo, _ object: JSONValue) -> [String: Quantity] {
        var usage: [String: Quantity] = [countKey(info): Quantity(1)]
        switch info {
        case .pod:
            guard let pod = try? Pod.decode(from: object) else { return usage }
            if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { return [:] }
            usage["pods"] = Quantity(1)
            for (name, value) in podTotal(pod, \.requests) where computeResources.contains(name) {
                usage["requests.\(name)"] = value
                usage[name] = value
            }
            for (name, value) in podTotal(pod, \.limits) where computeResources.contains(name) {
                usage["limits.\(name)"] = value
            }
        case .service:
            guard let service = try? Service.decode(from: object) else { return usage }
            usage["services"] = Quantity(1)
            let type = service.spec.type ?? "ClusterIP"
            if type == "NodePort" || type == "LoadBalancer" {
                usage["services.nodeports"] = Quantity(Int64(service.spec.ports?.count ?? 0))
            }
            if type == "LoadBalancer" { usage["services.loadbalancers"] = Quantity(1) }
        case .persistentVolumeClaim:
            guard let claim = try? PersistentVolumeClaim.decode(from: object) else { return usage }
            usage["persistentvolumeclaims"] = Quantity(1)
            let storage = claim.spec.resources?.requests?["storage"] ?? Quantity(0)
            usage["requests.storage"] = storage
            if let storageClass = claim.spec.storageClassName, !storageClass.isEmpty {
                usage["\(storageClass).storageclass.storage.k8s.io/requests.storage"] = storage
                usage["\(storageClass).storageclass.storage.k8s.io/persistentvolumeclaims"] = Quantity(1)
            }
        case .configMap: usage["configmaps"] = Quantity(1)
        case .secret: usage["secrets"] = Quantity(1)
        case .resourceQuota: usage["resourcequotas"] = Quantity(1)
        default: break
        }
        return usage
    }

    static let computeResources: Set<String> = ["cpu", "memory", "ephemeral-storage"]

    /// `count/pods`, `count/deployments.apps`.
    public static func countKey(_ info: KindInfo) -> String {
        info.group.isEmpty ? "count/\(info.plural)" : "count/\(info.plural).\(info.group)"
    }

    /// The kinds whose objects a quota with these `hard` resources counts.
    public static func kinds(for hard: some Sequence<String>) -> [KindInfo] {
        var kinds: [KindInfo] = []
        func add(_ info: KindInfo) { if !kinds.contains(info) { kinds.append(info) } }
        for name in hard {
            if name.hasPrefix("count/") {
                if let info = KindRegistry.lookup(String(name.dropFirst("count/".count))) { add(info) }
            } else if isPodResource(name) {
                add(.pod)
            } else if name.hasPrefix("services") {
                add(.service)
            } else if name == "configmaps" {
                add(.configMap)
            } else if name == "secrets" {
                add(.secret)
            } else if name == "resourcequotas" {
                add(.resourceQuota)
            } else if name.hasSuffix("persistentvolumeclaims") || name.hasSuffix("requests.storage") {
                add(.persistentVolumeClaim)
            }
        }
        return kinds
    }

    /// `pods`, `cpu`, `requests.memory`, `limits.cpu`, …: what only pods use.
    public static func isPodResource(_ name: String) -> Bool {
        name == "pods" || computeResources.contains(name)
            || ["requests.", "limits."].contains { prefix in
                name.hasPrefix(prefix) && computeResources.contains(String(name.dropFirst(prefix.count)))
            }
    }

    /// Whether the quota's scopes take in the object: only pods can be in a scope, so other kinds count only
    /// against quotas without one.
    public static func matches(_ quota: ResourceQuota, _ info: KindInfo, _ object: JSONValue) -> Bool {
        var wanted: [(scope: String, present: Bool)] = (quota.spec.scopes ?? []).map { ($0, true) }
        for expression in quota.spec.scopeSelector?.matchExpressions ?? [] {
            wanted.append((expression.scopeName, ["In", "Exists"].contains(expression.operator)))
        }
        guard !wanted.isEmpty else { return true }
        guard info == .pod, let pod = try? Pod.decode(from: object) else { return false }
        return wanted.allSatisfy { scope(pod, $0.scope) == $0.present }
    }

    /// Whether a pod is in a quota scope.
    static func scope(_ pod: Pod, _ scope: String) -> Bool {
        let bestEffort = (pod.spec.containers + (pod.spec.initContainers ?? [])).allSatisfy {
            ($0.resources?.requests ?? [:]).isEmpty && ($0.resources?.limits ?? [:]).isEmpty
        }
        switch scope {
        case "Terminating": return pod.spec.activeDeadlineSeconds != nil
        case "NotTerminating": return pod.spec.activeDeadlineSeconds == nil
        case "BestEffort": return bestEffort
        case "NotBestEffort": return !bestEffort
        default: return false
        }
    }

    /// What a namespace's objects use of a quota: the sum of their usage over the quota's `hard` resources.
    public static func used(_ quota: ResourceQuota, objects: [(KindInfo, JSONValue)]) -> [String: Quantity] {
        let hard = quota.spec.hard ?? [:]
        var used: [String: Quantity] = [:]
        for name in hard.keys { used[name] = Quantity(0) }
        for (info, object) in objects where matches(quota, info, object) {
            for (name, value) in usage(of: info, object) where hard[name] != nil { used[name]! += value }
        }
        return used
    }

    /// The containers of a pod that do not set a resource a quota tracks, by resource: Kubernetes refuses such a
    /// pod (`must specify limits.cpu for: app`), since it could not be charged.
    public static func unspecified(_ pod: Pod, hard: some Sequence<String>) -> [(
        resource: String, containers: [String]
    )] {
        var missing: [(String, [String])] = []
        for name in Set(hard).sorted() {
            let (list, resource): (KeyPath<ResourceRequirements, [String: Quantity]?>, String)
            if name.hasPrefix("requests."), computeResources.contains(String(name.dropFirst("requests.".count))) {
                (list, resource) = (\.requests, String(name.dropFirst("requests.".count)))
            } else if name.hasPrefix("limits."), computeResources.contains(String(name.dropFirst("limits.".count))) {
                (list, resource) = (\.limits, String(name.dropFirst("limits.".count)))
            } else if computeResources.contains(name) {
                (list, resource) = (\.requests, name)
            } else {
                continue
            }
            let names = pod.spec.containers.filter { $0.resources?[keyPath: list]?[resource] == nil }.map(\.name)
            if !names.isEmpty { missing.append((name, names)) }
        }
        return missing
    }

    /// Per resource, the larger of the containers' sum and the largest init container's.
    public static func podTotal(_ pod: Pod, _ list: KeyPath<ResourceRequirements, [String: Quantity]?>) -> [String:
        Quantity]
    {
        var sum: [String: Quantity] = [:]
        for container in pod.spec.containers {
            for (name, value) in container.resources?[keyPath: list] ?? [:] { sum[name, default: Quantity(0)] += value }
        }
        for container in pod.spec.initContainers ?? [] {
            for (name, value) in container.resources?[keyPath: list] ?? [:] where value > sum[name] ?? Quantity(0) {
                sum[name] = value
            }
        }
        return sum
    }
}
