import Schema

/// Writes JSON values as block YAML with sorted keys, as `kubectl get -o yaml` does.
public enum YAMLWriter {
    /// The YAML text of a document, ending with a newline.
    public static func yaml(_ value: JSONValue) -> String {
        var out = ""
        switch value {
        case .object(let members) where !members.isEmpty: writeObject(members, indent: 0, into: &out)
        case .array(let elements) where !elements.isEmpty: writeArray(elements, indent: 0, into: &out)
        default: out = scalar(value) + "\n"
        }
        return out
    }

    static func writeObject(_ members: [String: JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for key in members.keys.sorted() {
            let value = members[key]!
            out += pad + scalar(.string(key)) + ":"
            writeValue(value, indent: indent, into: &out)
        }
    }

    static func writeArray(_ elements: [JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for element in elements {
            switch element {
            case .object(let members) where !members.isEmpty:
                // The first key goes on the dash line; the rest indent under it.
                var nested = ""
                writeObject(members, indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                writeArray(inner, indent: indent + 2, into: &out)
            default:
                out += pad + "- " + scalar(element) + "\n"
            }
        }
    }

    static func writeValue(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .object(let members) where !members.isEmpty:
            out += "\n"
            writeObject(members, indent: indent + 2, into: &out)
        case .array(let elements) where !elements.isEmpty:
            out += "\n"
            writeArray(elements, indent: indent, into: &out)
        case .string(let s) where s.contains("\n"):
            let pad = String(repeating: " ", count: indent + 2)
            out += (s.hasSuffix("\n") ? " |\n" : " |-\n")
            let body = s.hasSuffix("\n") ? String(s.dropLast()) : s
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                out += line.isEmpty ? "\n" : pad + line + "\n"
            }
        default:
            out += " " + scalar(value) + "\n"
        }
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double: return value.description
        case .object: return "{}"
        case .array: return "[]"
        case .string(let s): return needsQuotes(s) ? quoted(s) : s
        }
    }

    static func needsQuotes(_ s: String) -> Bool {
        if s.isEmpty { return true }
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        if reserved.contains(s.lowercased()) { return true }
        if Double(s) != nil || Int(s) != nil { return true }
        if s.hasPrefix(" ") || s.hasSuffix(" ") { return true }
        if let first = s.first, "-?:,[]{}#&*!|>'\"%@`".contains(first) { return true }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return true }
        return s.unicodeScalars.contains { $0.value < 0x20 }
    }

    static func quoted(_ s: String) -> String {
        if !s.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        }
        return JSONValue.string(s).description
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
