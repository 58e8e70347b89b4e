/// Kubernetes' strategic merge patch: a JSON merge patch where lists with a merge key
/// (`StrategicMergeSchema`) merge element by element instead of being replaced, with the directives
/// `$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/<field>` and
/// `$setElementOrder/<field>`.
public enum StrategicMergePatch {
    /// Applies `patch` to `original`, an object of `kind`.
    public static func apply(_ patch: JSONValue, to original: JSONValue, kind: String) throws(PatchError) -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            throw .malformed("a strategic merge patch is a JSON object, not \(JSONPatch.typeName(patch))")
        }
        let merged = try mergeMap(
            original.objectValue ?? [:], patchMembers, type: StrategicMergeSchema.rootType(kind: kind), path: "")
        return .object(merged ?? [:])
    }

    /// The merged object, or nil when the patch deletes it (`$patch: delete`).
    static func mergeMap(
        _ original: [String: JSONValue], _ patch: [String: JSONValue], type: String?, path: String
    ) throws(PatchError) -> [String: JSONValue]? {
        var patch = patch
        if let directive = patch.removeValue(forKey: "$patch") {
            switch directive.stringValue {
            case "replace": return try stripped(patch, path: path)
            case "delete": return nil
            case "merge": break
            default:
                throw .malformed("unknown patch type: \(directive.encodedString()) in map at \(display(path))")
            }
        }
        var result = original
        if let retain = patch.removeValue(forKey: "$retainKeys") {
            guard let keys = retain.arrayValue?.compactMap(\.stringValue), keys.count == retain.arrayValue?.count else {
                throw .malformed("$retainKeys at \(display(path)) must be a list of strings")
            }
            for key in patch.keys where !key.hasPrefix("$") && !keys.contains(key) {
                throw .notApplicable(
                    .invalid(
                        join(path, key), .string(key),
                        "the patch has a field that is not in $retainKeys: \(keys.joined(separator: ", "))"))
            }
            result = result.filter { keys.contains($0.key) }
        }
        var orders: [String: [JSONValue]] = [:]
        for key in patch.keys.sorted()
        where key.hasPrefix("$deleteFromPrimitiveList/") || key.hasPrefix("$setElementOrder/") {
            let value = patch.removeValue(forKey: key)!
            guard let list = value.arrayValue else { throw .malformed("\(key) at \(display(path)) must be a list") }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                if let current = result[field]?.arrayValue {
                    result[field] = .array(current.filter { item in !list.contains { JSONPatch.jsonEqual($0, item) } })
                }
            } else {
                orders[String(key.dropFirst("$setElementOrder/".count))] = list
            }
        }
        for key in patch.keys.sorted() {
            let value = patch[key]!
            let fieldPath = join(path, key)
            if key.hasPrefix("$") { throw .malformed("unknown directive \(key) at \(display(path))") }
            if value.isNull {
                result.removeValue(forKey: key)
                continue
            }
            let rule = StrategicMergeSchema.field(key, of: type)
            switch value {
            case .object(let members):
                if let merged = try mergeMap(result[key]?.objectValue ?? [:], members, type: rule.type, path: fieldPath)
                {
                    result[key] = .object(merged)
                } else {
                    result.removeValue(forKey: key)
                }
            case .array(let elements):
                switch rule.list {
                case .replace:
                    result[key] = .array(
                        try elements.map { element throws(PatchError) in try strippedValue(element, path: fieldPath) })
                case .mergePrimitives:
                    var merged = result[key]?.arrayValue ?? []
                    for element in elements where !merged.contains(where: { JSONPatch.jsonEqual($0, element) }) {
                        merged.append(element)
                    }
                    result[key] = .array(merged)
                case .merge(let mergeKey):
                    result[key] = .array(
                        try mergeList(
                            result[key]?.arrayValue ?? [], elements, key: mergeKey, type: rule.type, path: fieldPath))
                }
            default:
                result[key] = value
            }
        }
        for (field, order) in orders {
            guard let list = result[field]?.arrayValue else { continue }
            result[field] = .array(reorder(list, by: order, key: mergeKey(field, of: type)))
        }
        return result
    }

    /// Merges a list whose elements are matched by `key`.
    static func mergeList(
        _ original: [JSONValue], _ patch: [JSONValue], key: String, type: String?, path: String
    ) throws(PatchError) -> [JSONValue] {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" && $0.objectValue?.count == 1 }) {
            return try patch.filter { !($0["$patch"]?.stringValue == "replace" && $0.objectValue?.count == 1) }
                .map { element throws(PatchError) in try strippedValue(element, path: path) }
        }
        var result = original
        for (index, element) in patch.enumerated() {
            let elementPath = "\(path)[\(index)]"
            guard case .object(let members) = element else {
                throw .notApplicable(
                    .invalid(
                        elementPath, element,
                        "the list \(display(path)) merges by \"\(key)\"; its elements must be objects"))
            }
            guard let keyValue = members[key], !keyValue.isNull else {
                throw .notApplicable(
                    .required(
                        join(elementPath, key),
                        "map: \(element.encodedString(sortedKeys: true)) does not contain declared merge key: \(key)"))
            }
            let position = result.firstIndex { $0[key].map { JSONPatch.jsonEqual($0, keyValue) } ?? false }
            if members["$patch"]?.stringValue == "delete" {
                result.removeAll { $0[key].map { JSONPatch.jsonEqual($0, keyValue) } ?? false }
                continue
            }
            if let position {
                if let merged = try mergeMap(
                    result[position].objectValue ?? [:], members, type: type, path: elementPath)
                {
                    result[position] = .object(merged)
                } else {
                    result.remove(at: position)
                }
            } else if let added = try mergeMap([:], members, type: type, path: elementPath) {
                result.append(.object(added))
            }
        }
        return result
    }

    /// The list in the order `$setElementOrder` gives; elements it does not name keep their order, after it.
    static func reorder(_ list: [JSONValue], by order: [JSONValue], key: String?) -> [JSONValue] {
        func identity(_ value: JSONValue) -> JSONValue { key.flatMap { value[$0] } ?? value }
        var remaining = list
        var result: [JSONValue] = []
        for wanted in order {
            let id = identity(wanted)
            if let index = remaining.firstIndex(where: { JSONPatch.jsonEqual(identity($0), id) }) {
                result.append(remaining.remove(at: index))
            }
        }
        return result + remaining
    }

    static func mergeKey(_ field: String, of type: String?) -> String? {
        if case .merge(let key) = StrategicMergeSchema.field(field, of: type).list { return key }
        return nil
    }

    /// New content: directives removed (a `$patch: delete` inside it deletes nothing that exists).
    static func stripped(_ members: [String: JSONValue], path: String) throws(PatchError) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in members where !key.hasPrefix("$") {
            if value.isNull { continue }
            result[key] = try strippedValue(value, path: join(path, key))
        }
        return result
    }

    static func strippedValue(_ value: JSONValue, path: String) throws(PatchError) -> JSONValue {
        switch value {
        case .object(let members): return .object(try stripped(members, path: path))
        case .array(let elements):
            return .array(try elements.map { element throws(PatchError) in try strippedValue(element, path: path) })
        default: return value
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func display(_ path: String) -> String { path.isEmpty ? "the top level" : path }
}
