import Schema

/// `set env`: `KEY=VALUE` sets, `KEY-` removes, `--from=secret/x|configmap/x` adds references, `--list` prints.
struct SetEnvEdit: Sendable {
    /// Variables to set, in order (`{"name", "value"}` or `{"name", "valueFrom"}`).
    var set: [JSONValue] = []
    /// Names to remove.
    var remove: [String] = []

    /// Parses `KEY=VALUE` and `KEY-` (kubectl's `envutil.ParseEnv`).
    static func parse(_ arguments: [String]) throws(CtlError) -> SetEnvEdit {
        var edit = SetEnvEdit()
        for argument in arguments {
            if let eq = argument.firstIndex(of: "=") {
                let name = String(argument[..<eq])
                guard isEnvName(name) else {
                    throw CtlError(
                        "\"\(name)\" is not a valid key name: a valid environment variable name must consist of "
                            + "alphabetic characters, digits, '_', '-', or '.', and must not start with a digit")
                }
                edit.set.append([
                    "name": .string(name), "value": .string(String(argument[argument.index(after: eq)...])),
                ])
            } else if argument.hasSuffix("-"), argument.count > 1 {
                edit.remove.append(String(argument.dropLast()))
            } else {
                throw CtlError("unknown environment variable: \(argument)")
            }
        }
        for name in edit.remove where edit.set.contains(where: { $0.name == name }) {
            throw CtlError("cannot set and remove the environment variable \(name) in one command")
        }
        return edit
    }

    /// kubectl's environment variable names: `[-._a-zA-Z][-._a-zA-Z0-9]*`.
    static func isEnvName(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
    }

    /// The variables `--from` brings: one per key (`--keys` narrows), named as kubectl's `keyToEnvName` does.
    static func references(from source: JSONValue, keys: [String], prefix: String) throws(CtlError) -> [JSONValue] {
        let kind = source.kindName
        guard kind == "Secret" || kind == "ConfigMap" else {
            throw CtlError("unsupported resource specified in --from")
        }
        let data = source.at("data")?.objectValue ?? [:]
        return data.keys.sorted().filter { keys.isEmpty || keys.contains($0) }.map { key in
            let reference: JSONValue = ["name": .string(source.name), "key": .string(key)]
            let from: JSONValue = kind == "Secret" ? ["secretKeyRef": reference] : ["configMapKeyRef": reference]
            return ["name": .string(prefix + envName(key)), "valueFrom": from]
        }
    }

    /// `my-key.x` as `MY_KEY_X`.
    static func envName(_ key: String) -> String {
        String(key.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" }).uppercased()
    }

    /// The container's env after the edit: set variables replace in place or are appended, removed ones go.
    func apply(to env: [JSONValue], overwrite: Bool) throws(CtlError) -> [JSONValue] {
        var result = env
        for variable in set {
            if let index = result.firstIndex(where: { $0.name == variable.name }) {
                if !overwrite, let current = result[index].str("value"), current != variable.str("value") {
                    throw CtlError("'\(variable.name)' already has a value (\(current)), and --overwrite is false")
                }
                result[index] = variable
            } else {
                result.append(variable)
            }
        }
        result.removeAll { remove.contains($0.name) }
        return result
    }

    /// `--list`: `# Deployment web, container app`, then `NAME=value` or `# NAME from secret s, key k`.
    static func list(_ object: JSONValue, containers pattern: String) -> String {
        var text = ""
        for container in PodTemplate.containers(object) where PodTemplate.matches(pattern, container.name) {
            text += "# \(object.kindName) \(object.name), container \(container.name)\n"
            for variable in container.list("env") {
                if let from = variable.at("valueFrom") {
                    text += "# \(variable.name) from \(referenceText(from))\n"
                } else {
                    text += "\(variable.name)=\(variable.str("value") ?? "")\n"
                }
            }
        }
        return text
    }

    /// kubectl's `GetEnvVarRefString`.
    static func referenceText(_ from: JSONValue) -> String {
        if let ref = from.at("configMapKeyRef") { return "configmap \(ref.name), key \(ref.str("key") ?? "")" }
        if let ref = from.at("secretKeyRef") { return "secret \(ref.name), key \(ref.str("key") ?? "")" }
        if let path = from.str("fieldRef.fieldPath") { return "field path \(path)" }
        if let ref = from.at("resourceFieldRef") {
            let container = ref.str("containerName").map { "\($0)/" } ?? ""
            return "resource field \(container)\(ref.str("resource") ?? "")"
        }
        return "invalid valueFrom"
    }
}
