/// The kinds Kubus serves, lookup by any of their names, and type-erased codecs.
public enum KindRegistry {
    /// Every served kind.
    public static let all: [KindInfo] = codecs.map(\.info)

    /// One codec per kind, in registry order.
    public static let codecs: [any KubeObjectCodec] = [
        TypedCodec<Namespace>(), TypedCodec<Node>(), TypedCodec<Pod>(), TypedCodec<Service>(),
        TypedCodec<Endpoints>(), TypedCodec<ConfigMap>(), TypedCodec<Secret>(), TypedCodec<ServiceAccount>(),
        TypedCodec<Event>(), TypedCodec<PersistentVolume>(), TypedCodec<PersistentVolumeClaim>(),
        TypedCodec<ReplicaSet>(), TypedCodec<Deployment>(), TypedCodec<StatefulSet>(), TypedCodec<DaemonSet>(),
        TypedCodec<Job>(), TypedCodec<CronJob>(), TypedCodec<StorageClass>(), TypedCodec<Role>(),
        TypedCodec<ClusterRole>(), TypedCodec<RoleBinding>(), TypedCodec<ClusterRoleBinding>(),
        TypedCodec<Ingress>(), TypedCodec<HorizontalPodAutoscaler>(), TypedCodec<Lease>(), TypedCodec<EndpointSlice>(),
        TypedCodec<IngressClass>(), TypedCodec<NetworkPolicy>(), TypedCodec<LimitRange>(), TypedCodec<ResourceQuota>(),
    ]

    /// Older `apiVersion`s still accepted on input, and the kind each maps to.
    static let legacyVersions: [String: Set<String>] = [
        "CronJob": ["batch/v1beta1"],
        "HorizontalPodAutoscaler": ["autoscaling/v2beta2", "autoscaling/v1"],
    ]

    /// Finds a kind by kind name, plural, singular or short name (case-insensitive), optionally `name.group`.
    public static func lookup(_ nameOrAlias: String) -> KindInfo? {
        let name = nameOrAlias.lowercased()
        if let info = all.first(where: { matches($0, name) }) { return info }
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let resource = String(name[..<dot])
        let qualifier = String(name[name.index(after: dot)...])
        return all.first { info in
            matches(info, resource)
                && (qualifier == info.group || qualifier == "\(info.version).\(info.group)"
                    || (info.group.isEmpty && qualifier == info.version))
        }
    }

    private static func matches(_ info: KindInfo, _ lowercased: String) -> Bool {
        info.kind.lowercased() == lowercased || info.plural == lowercased || info.singular == lowercased
            || info.shortNames.contains(lowercased)
    }

    /// Finds a kind by `apiVersion` and `kind` as written in a manifest; accepts the legacy versions Kubus converts.
    public static func lookup(apiVersion: String, kind: String) -> KindInfo? {
        all.first { info in
            info.kind == kind && (info.apiVersion == apiVersion || legacyVersions[kind]?.contains(apiVersion) == true)
        }
    }

    /// The codec of a kind found by any of its names.
    public static func codec(for kind: String) -> (any KubeObjectCodec)? {
        guard let info = lookup(kind) else { return nil }
        return codecs.first { $0.info == info }
    }

    /// The codec of a kind.
    public static func codec(for info: KindInfo) -> (any KubeObjectCodec)? {
        codecs.first { $0.info == info }
    }

    /// Decodes any served object from JSON by its `apiVersion` and `kind`.
    public static func decode(_ object: JSONValue) throws(SchemaError) -> any KubeObject {
        guard let kind = object["kind"]?.stringValue, let apiVersion = object["apiVersion"]?.stringValue,
            let info = lookup(apiVersion: apiVersion, kind: kind), let codec = codec(for: info)
        else {
            throw SchemaError.unknownKind(
                "\(object["apiVersion"]?.stringValue ?? ""), Kind=\(object["kind"]?.stringValue ?? "")")
        }
        return try codec.decode(object)
    }
}
