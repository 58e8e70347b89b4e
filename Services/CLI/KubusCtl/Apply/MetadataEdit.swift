public import Schema

/// `label` and `annotate` arguments: `k=v` sets, `k-` removes.
public struct MetadataEdit: Sendable, Hashable {
    /// Keys to set, with values.
    public var set: [String: String]
    /// Keys to remove.
    public var remove: [String]

    /// Parses `k=v` and `k-` arguments.
    public static func parse(_ arguments: [String]) throws(CtlError) -> MetadataEdit {
        var set: [String: String] = [:]
        var remove: [String] = []
        for argument in arguments {
            if let eq = argument.firstIndex(of: "=") {
                let key = String(argument[..<eq])
                guard !key.isEmpty else { throw CtlError("invalid label spec: \(argument)") }
                if set[key] != nil { throw CtlError("can not modify \(key) multiple times in one command") }
                set[key] = String(argument[argument.index(after: eq)...])
            } else if argument.hasSuffix("-"), argument.count > 1 {
                remove.append(String(argument.dropLast()))
            } else {
                throw CtlError("invalid label spec: \(argument)")
            }
        }
        if set.isEmpty && remove.isEmpty { throw CtlError("at least one label update is required") }
        for key in remove where set[key] != nil {
            throw CtlError("can not both modify and remove the following label(s) in the same command: \(key)")
        }
        return MetadataEdit(set: set, remove: remove)
    }

    /// The merge patch for `field` (`labels` or `annotations`) given the current values; nil when nothing
    /// changes. Changing an existing value needs `overwrite`, as in kubectl.
    public func patch(field: String, current: [String: String], overwrite: Bool) throws(CtlError) -> JSONValue? {
        var changes: [String: JSONValue] = [:]
        for key in set.keys.sorted() {
            let value = set[key]!
            if let old = current[key] {
                if old == value { continue }
                guard overwrite else {
                    throw CtlError("'\(key)' already has a value (\(old)), and --overwrite is false")
                }
            }
            changes[key] = .string(value)
        }
        for key in remove where current[key] != nil { changes[key] = .null }
        if changes.isEmpty { return nil }
        return ["metadata": [field: .object(changes)]]
    }
}
