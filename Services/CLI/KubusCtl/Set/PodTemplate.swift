import Schema

/// Where a kind keeps its pod spec (kubectl's `UpdatePodSpecForObject`), and edits of its containers.
enum PodTemplate {
    /// The path of the pod spec in an object of `kind`, or nil when it has none.
    static func specPath(kind: String) -> [String]? {
        switch kind {
        case "Pod": return ["spec"]
        case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job": return ["spec", "template", "spec"]
        case "CronJob": return ["spec", "jobTemplate", "spec", "template", "spec"]
        default: return nil
        }
    }

    /// The object with `edit` applied to each container of its pod spec (`fields`: `containers`,
    /// `initContainers`); throws for kinds without a pod template.
    static func editContainers(
        _ object: JSONValue, fields: [String] = ["containers"], _ edit: (inout JSONValue) throws -> Void
    ) throws -> JSONValue {
        let kind = object.kindName
        guard let path = specPath(kind: kind) else {
            let info = KindRegistry.lookup(kind)
            throw CtlError(
                "\(info.map { ResourceName.slashed($0, object.name) } ?? object.name) "
                    + "is not a pod and does not have a pod template")
        }
        var result = object
        for field in fields {
            guard var containers = object[path: path + [field]]?.arrayValue else { continue }
            for index in containers.indices { try edit(&containers[index]) }
            result[path: path + [field]] = .array(containers)
        }
        return result
    }

    /// The containers (of `field`) of an object's pod spec.
    static func containers(_ object: JSONValue, field: String = "containers") -> [JSONValue] {
        specPath(kind: object.kindName).flatMap { object[path: $0 + [field]]?.arrayValue } ?? []
    }

    /// Shell-style wildcard match (`*`, `?`), as kubectl matches `--containers` with `path.Match`.
    static func matches(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern)
        let n = Array(name)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == n.count }
            if p[i] == "*" { return (j...n.count).contains { match(i + 1, $0) } }
            guard j < n.count, p[i] == "?" || p[i] == n[j] else { return false }
            return match(i + 1, j + 1)
        }
        return match(0, 0)
    }
}
