public import Schema

/// The client-side apply of kubectl: three-way merge of the last applied configuration, the new
/// configuration and the live object, and the decision whether anything changed.
public enum ApplyPlanner {
    /// The annotation holding the configuration last applied.
    public static let lastAppliedKey = "kubectl.kubernetes.io/last-applied-configuration"

    /// What apply does with one object.
    public enum Decision: Sendable, Hashable {
        /// The object is absent: create it.
        case create(JSONValue)
        /// The object exists and differs: update it to this.
        case update(JSONValue)
        /// The object already looks like this.
        case unchanged
    }

    /// The configuration with the last-applied annotation set to itself (without that annotation).
    public static func withLastApplied(_ desired: JSONValue) -> JSONValue {
        var config = desired
        var annotations = config[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        annotations[lastAppliedKey] = nil
        config[path: ["metadata", "annotations"]] = annotations.isEmpty ? nil : .object(annotations)
        if config[path: ["metadata", "annotations"]] == nil, var meta = config["metadata"]?.objectValue {
            meta["annotations"] = nil
            config["metadata"] = .object(meta)
        }
        var result = desired
        annotations[lastAppliedKey] = .string(withoutSecretValues(config).encodedString(sortedKeys: true))
        result[path: ["metadata", "annotations"]] = .object(annotations)
        return result
    }

    /// What the annotation keeps of a Secret's `data` and `stringData`: the keys, not the values. kubectl keeps the
    /// values, in clear, in every Secret it applies; the three-way merge only needs the keys (to delete those the
    /// new configuration drops), so kubusctl does not.
    public static let notKept = "(not kept in the annotation)"

    static func withoutSecretValues(_ config: JSONValue) -> JSONValue {
        guard config["kind"]?.stringValue == "Secret", config["apiVersion"]?.stringValue == "v1" else { return config }
        var copy = config
        for field in ["data", "stringData"] {
            guard let members = copy[field]?.objectValue else { continue }
            copy[field] = .object(members.mapValues { _ in .string(notKept) })
        }
        return copy
    }

    /// Decides what to do: create when `live` is nil, else merge and compare.
    /// `normalize` canonicalizes an object (defaults, field order); nil leaves it as is.
    public static func plan(
        desired: JSONValue, live: JSONValue?, normalize: (JSONValue) -> JSONValue? = { $0 }
    ) -> Decision {
        let config = withLastApplied(desired)
        guard let live else { return .create(config) }
        let merged = merge(config: config, live: live)
        let before = comparable(normalize(live) ?? live)
        let after = comparable(normalize(merged) ?? merged)
        return before == after ? .unchanged : .update(merged)
    }

    /// The live object with the new configuration merged over it; fields that the previous configuration set
    /// and the new one drops are removed. The live resourceVersion is kept.
    public static func merge(config: JSONValue, live: JSONValue) -> JSONValue {
        let previous = live[path: ["metadata", "annotations", lastAppliedKey]]?.stringValue
            .flatMap { try? JSONValue.parse($0) }
        var merged = live.mergePatched(with: threeWayPatch(original: previous, modified: config))
        if let version = live[path: ["metadata", "resourceVersion"]] {
            merged[path: ["metadata", "resourceVersion"]] = version
        }
        return merged
    }

    /// A merge patch that sets everything in `modified` and deletes what `original` had and `modified` lacks.
    public static func threeWayPatch(original: JSONValue?, modified: JSONValue) -> JSONValue {
        guard case .object(let members) = modified else { return modified }
        var result: [String: JSONValue] = [:]
        for (key, value) in members {
            result[key] = threeWayPatch(original: original?[key], modified: value)
        }
        if case .object(let old)? = original {
            for key in old.keys where members[key] == nil { result[key] = .null }
        }
        return .object(result)
    }

    /// The object without what the server manages: status and metadata the server sets.
    public static func comparable(_ object: JSONValue) -> JSONValue {
        var copy = object
        copy["status"] = nil
        if var meta = copy["metadata"]?.objectValue {
            for key in ["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink"] {
                meta[key] = nil
            }
            copy["metadata"] = .object(meta)
        }
        if case .object(var members) = copy {
            members["status"] = nil
            copy = .object(members)
        }
        return copy
    }
}
