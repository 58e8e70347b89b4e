import Foundation
import Yams

/// Reads and writes Kubernetes manifests: multi-document YAML or JSON in, kubectl-style YAML out.
public enum Manifest {
    /// Parses every document of `yaml` into JSON objects, expanding `kind: List` and skipping empty documents.
    ///
    /// Errors read `error parsing <source>: document <n>: line <l>, column <c>: <problem>`.
    public static func parse(yaml text: String, source: String) throws(SchemaError) -> [JSONValue] {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "{" || trimmed.first == "[" {
            do {
                return try expand(JSONValue.parse(text), source: source, document: 1)
            } catch {
                throw SchemaError.manifest("error parsing \(source): \(error.message)")
            }
        }
        if let problem = YAMLGuard.problem(in: text) {
            throw SchemaError.manifest("error parsing \(source): \(problem)")
        }
        var resolver = Resolver.default
        resolver = resolver.removing(.timestamp)
        let parser: Parser
        do {
            parser = try Parser(yaml: text, resolver: resolver)
        } catch {
            throw SchemaError.yaml("error parsing \(source): " + describe(error), cause: error)
        }
        var documents: [JSONValue] = []
        var number = 0
        while true {
            number += 1
            let node: Yams.Node?
            do {
                node = try parser.nextRoot()
            } catch {
                throw SchemaError.yaml(
                    "error parsing \(source): document \(number): " + describe(error),
                    cause: error)
            }
            guard let node else { break }
            let value = try convert(node, source: source, document: number)
            if value.isNull { continue }
            if case .object(let members) = value, members.isEmpty { continue }
            documents += try expand(value, source: source, document: number)
        }
        return documents
    }

    /// Parses one YAML or JSON document as it is (a patch: no `apiVersion` or `kind` needed); empty text is null.
    public static func document(yaml text: String, source: String) throws(SchemaError) -> JSONValue {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "{" || trimmed.first == "[" {
            do {
                return try JSONValue.parse(text)
            } catch {
                throw SchemaError.manifest("error parsing \(source): \(error.message)")
            }
        }
        if let problem = YAMLGuard.problem(in: text) {
            throw SchemaError.manifest("error parsing \(source): \(problem)")
        }
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text, Resolver.default.removing(.timestamp))
        } catch {
            throw SchemaError.yaml("error parsing \(source): " + describe(error), cause: error)
        }
        guard let node else { return .null }
        return try convert(node, source: source, document: 1)
    }

    private static func describe(_ error: any Error) -> String {
        guard let yamlError = error as? YamlError else { return "\(error)" }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        default:
            return "\(yamlError)"
        }
    }

    private static func expand(_ value: JSONValue, source: String, document: Int) throws(SchemaError) -> [JSONValue] {
        if case .array(let elements) = value {
            var result: [JSONValue] = []
            for element in elements { result += try expand(element, source: source, document: document) }
            return result
        }
        guard case .object = value else {
            throw SchemaError.manifest(
                "error parsing \(source): document \(document): expected an object, got \(FieldError.jsonTypeName(value))"
            )
        }
        let kind = value["kind"]?.stringValue ?? ""
        if kind == "List" || (kind.hasSuffix("List") && value["items"]?.arrayValue != nil) {
            var result: [JSONValue] = []
            for item in value["items"]?.arrayValue ?? [] {
                result += try expand(item, source: source, document: document)
            }
            return result
        }
        var missing: [String] = []
        if (value["apiVersion"]?.stringValue ?? "").isEmpty { missing.append("apiVersion") }
        if kind.isEmpty { missing.append("kind") }
        if !missing.isEmpty {
            let what = missing.map { "\"\($0)\"" }.joined(separator: " and ")
            throw SchemaError.manifest(
                "error parsing \(source): document \(document): \(what) \(missing.count == 1 ? "is" : "are") not set")
        }
        return [value]
    }

    /// Converts a YAML node the way Kubernetes' YAML-to-JSON does: plain scalars resolve (YAML 1.1), quoted stay strings.
    static func convert(_ node: Yams.Node, source: String, document: Int) throws(SchemaError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence { elements.append(try convert(element, source: source, document: document)) }
            return .array(elements)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                let keyText: String
                if case .scalar(let scalar) = key {
                    keyText = scalar.string
                } else {
                    let line = key.mark.map { "line \($0.line), column \($0.column): " } ?? ""
                    throw SchemaError.manifest(
                        "error parsing \(source): document \(document): \(line)mapping keys must be scalars")
                }
                if keyText == "<<", case .mapping = value {
                    // YAML merge key: the merged mapping's members fill in what is not set explicitly.
                    if case .object(let merged) = try convert(value, source: source, document: document) {
                        for (mergedKey, mergedValue) in merged where members[mergedKey] == nil {
                            members[mergedKey] = mergedValue
                        }
                    }
                    continue
                }
                members[keyText] = try convert(value, source: source, document: document)
            }
            return .object(members)
        case .alias:
            return .null
        }
    }

    private static func scalarValue(_ scalar: Yams.Node.Scalar) -> JSONValue {
        let text = scalar.string
        if scalar.style != .plain && scalar.style != .any { return .string(text) }
        switch Resolver.default.removing(.timestamp).resolveTag(of: Yams.Node.scalar(scalar)) {
        case .null:
            return .null
        case .bool:
            switch text {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
            default: return .string(text)
            }
        case .int:
            if let value = parseInteger(text) { return .int(value) }
            if let value = Double(text.replacingOccurrences(of: "_", with: "")) { return .double(value) }
            return .string(text)
        case .float:
            let cleaned = text.replacingOccurrences(of: "_", with: "")
            switch cleaned.lowercased() {
            case ".inf", "+.inf": return .double(.infinity)
            case "-.inf": return .double(-.infinity)
            case ".nan": return .double(.nan)
            default: break
            }
            if let value = Double(cleaned) { return .double(value) }
            return .string(text)
        default:
            return .string(text)
        }
    }

    private static func parseInteger(_ raw: String) -> Int64? {
        var text = raw.replacingOccurrences(of: "_", with: "")
        var negative = false
        if text.hasPrefix("-") || text.hasPrefix("+") {
            negative = text.hasPrefix("-")
            text.removeFirst()
        }
        let magnitude: Int64?
        if text.hasPrefix("0x") {
            magnitude = Int64(text.dropFirst(2), radix: 16)
        } else if text.hasPrefix("0o") {
            magnitude = Int64(text.dropFirst(2), radix: 8)
        } else if text.hasPrefix("0b") {
            magnitude = Int64(text.dropFirst(2), radix: 2)
        } else if text.count > 1, text.hasPrefix("0") {
            magnitude = Int64(text.dropFirst(), radix: 8)  // YAML 1.1 octal, e.g. file modes like 0644.
        } else {
            magnitude = Int64(text)
        }
        guard let magnitude else { return nil }
        return negative ? -magnitude : magnitude
    }

    // MARK: Writing

    /// Prints an object as YAML, kubectl-style: `apiVersion`, `kind`, `metadata`, `spec`, `status` first,
    /// other keys alphabetically.
    public static func yaml(from value: JSONValue) -> String {
        var writer = YAMLWriter()
        writer.writeDocument(value)
        return writer.output
    }

    /// Prints several objects as one multi-document YAML stream separated by `---`.
    public static func yaml(from values: [JSONValue]) -> String {
        values.map { yaml(from: $0) }.joined(separator: "---\n")
    }
}
