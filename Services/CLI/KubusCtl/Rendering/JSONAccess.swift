import Schema

/// Short reads of object fields for printers.
extension JSONValue {
    /// The value at a dotted path (`status.phase`).
    func at(_ dotted: String) -> JSONValue? {
        self[path: dotted.split(separator: ".").map(String.init)]
    }

    /// The string at a dotted path, or nil.
    func str(_ dotted: String) -> String? {
        at(dotted)?.stringValue
    }

    /// The integer at a dotted path, or nil.
    func int(_ dotted: String) -> Int64? {
        at(dotted)?.intValue
    }

    /// The array at a dotted path, or empty.
    func list(_ dotted: String) -> [JSONValue] {
        at(dotted)?.arrayValue ?? []
    }

    /// The string map at a dotted path (labels, annotations, selectors), or empty.
    func stringMap(_ dotted: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in at(dotted)?.objectValue ?? [:] {
            result[key] = value.stringValue ?? value.description
        }
        return result
    }

    /// The object's name, or for nested items (containers, env, subjects) their `name`.
    var name: String { str("metadata.name") ?? str("name") ?? "" }
    /// The object's namespace.
    var namespace: String { str("metadata.namespace") ?? "" }
    /// The object's kind.
    var kindName: String { str("kind") ?? "" }

    /// A scalar as text the way kubectl shows it (strings bare, everything else as JSON).
    var plainText: String {
        switch self {
        case .string(let s): return s
        case .null: return ""
        default: return description
        }
    }
}

/// `k=v,k2=v2` in key order, or nil for an empty map.
func selectorText(_ map: [String: String]) -> String? {
    map.isEmpty ? nil : map.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
}
