import Schema

/// `kubectl explain`'s text for a kind or one of its fields, from the kind's `FieldShape`.
///
/// Field types come from Kubus' Codable schema types, so they are exact; the schema carries no documentation,
/// so descriptions are only the few Kubernetes writes the same for every kind (apiVersion, kind, metadata,
/// spec, status).
enum Explainer {
    static let commonDescriptions: [String: String] = [
        "apiVersion": "APIVersion defines the versioned schema of this representation of an object. Servers should "
            + "convert recognized schemas to the latest internal value, and may reject unrecognized values.",
        "kind": "Kind is a string value representing the REST resource this object represents. Servers may infer "
            + "this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.",
        "metadata": "Standard object's metadata.",
        "spec": "Specification of the desired behavior of the object.",
        "status": "Most recently observed status of the object. Populated by the system. Read-only.",
    ]

    /// The text for `TYPE[.field.path]`; `recursive` lists nested fields as a tree without descriptions.
    static func explain(_ info: KindInfo, shape: FieldShape, path: [String], recursive: Bool) throws(CtlError) -> String
    {
        var current = shape
        var name = ""
        var walked: [String] = []
        for component in path {
            guard let field = current.fields?.first(where: { $0.name == component }) else {
                let prefix = walked.isEmpty ? "" : walked.joined(separator: ".") + "."
                throw CtlError("field \"\(prefix)\(component)\" does not exist")
            }
            walked.append(component)
            current = field.shape
            name = component
        }
        var text = ""
        if !info.group.isEmpty { text += "GROUP:      \(info.group)\n" }
        text += "KIND:       \(info.kind)\nVERSION:    \(info.version)\n\n"
        if !path.isEmpty { text += "FIELD: \(name) <\(current.typeName)>\n\n" }
        text += "DESCRIPTION:\n"
        if path.isEmpty {
            text += wrap(
                "\(info.kind) is served by Kubus as \(info.apiVersion) (\(info.namespaced ? "namespaced" : "cluster-scoped")). "
                    + "Fields and types come from Kubus' schema types; their descriptions are not available.")
        } else if path.count == 1, let description = commonDescriptions[name] {
            text += wrap(description)
        } else {
            text += "    <empty>\n"
        }
        guard let fields = current.fields, !fields.isEmpty else { return text }
        text += "    \nFIELDS:\n"
        if recursive {
            text += tree(fields, indent: 2, seen: [])
            return text
        }
        for field in fields {
            text += "  \(field.name)\t<\(field.shape.typeName)>\n"
            if path.isEmpty, let description = commonDescriptions[field.name] {
                text += wrap(description, indent: 4) + "\n"
            }
        }
        return text
    }

    /// Every field under `fields`, indented by depth (kubectl's `--recursive`).
    static func tree(_ fields: [FieldShape.Field], indent: Int, seen: [String]) -> String {
        var text = ""
        for field in fields {
            text += String(repeating: " ", count: indent) + "\(field.name)\t<\(field.shape.typeName)>\n"
            let typeName = field.shape.typeName
            if let children = field.shape.fields, !children.isEmpty, !seen.contains(typeName) {
                text += tree(children, indent: indent + 2, seen: seen + [typeName])
            }
        }
        return text
    }

    /// Text wrapped at 80 columns with `indent` spaces, as kubectl prints descriptions.
    static func wrap(_ text: String, indent: Int = 4) -> String {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && pad.count + line.count + 1 + word.count > 80 {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { pad + $0 + "\n" }.joined()
    }
}
