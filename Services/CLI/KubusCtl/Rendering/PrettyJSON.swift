public import Schema

/// Indented JSON as `kubectl get -o json` prints it: four spaces, `apiVersion`, `kind`, `metadata` first.
public enum PrettyJSON {
    /// The text, ending with a newline.
    public static func format(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    static func orderedKeys(_ members: [String: JSONValue]) -> [String] {
        let first = ["apiVersion", "kind", "metadata"].filter { members[$0] != nil }
        return first + members.keys.filter { !first.contains($0) }.sorted()
    }

    static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 4)
        switch value {
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            let keys = orderedKeys(members)
            for (index, key) in keys.enumerated() {
                out += pad + JSONValue.string(key).description + ": "
                write(members[key]!, indent: indent + 4, into: &out)
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (index, element) in elements.enumerated() {
                out += pad
                write(element, indent: indent + 4, into: &out)
                out += index == elements.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        default:
            out += value.description
        }
    }
}
