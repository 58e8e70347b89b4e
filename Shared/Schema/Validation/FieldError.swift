/// One validation problem at a dotted field path, printed exactly like Kubernetes' `field.Error`.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of problem.
    public enum Kind: String, Sendable, Hashable {
        case required = "Required value"
        case invalid = "Invalid value"
        case notSupported = "Unsupported value"
        case duplicate = "Duplicate value"
        case tooLong = "Too long"
        case forbidden = "Forbidden"
        case notFound = "Not found"
        case tooMany = "Too many"
        case `internal` = "Internal error"
    }

    /// The category of problem.
    public var kind: Kind
    /// The dotted path, e.g. `spec.template.spec.containers[0].image`.
    public var field: String
    /// The offending value already rendered Kubernetes-style (strings quoted), if shown.
    public var value: String?
    /// Extra explanation.
    public var detail: String

    /// Creates an error from its parts; `value` must already be rendered.
    public init(kind: Kind, field: String, value: String? = nil, detail: String = "") {
        self.kind = kind
        self.field = field
        self.value = value
        self.detail = detail
    }

    /// `field: Required value[: detail]`.
    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: field, detail: detail)
    }

    /// `field: Invalid value: <value>: detail`.
    public static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: render(value), detail: detail)
    }

    /// `field: Unsupported value: "x": supported values: "a", "b"`.
    public static func notSupported(_ field: String, _ value: String, supported: [String]) -> FieldError {
        FieldError(
            kind: .notSupported, field: field, value: render(.string(value)),
            detail: "supported values: " + supported.map { render(.string($0)) }.joined(separator: ", ")
        )
    }

    /// `field: Duplicate value: <value>`.
    public static func duplicate(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(kind: .duplicate, field: field, value: render(value))
    }

    /// `field: Too long: detail`.
    public static func tooLong(_ field: String, maxBytes: Int) -> FieldError {
        FieldError(kind: .tooLong, field: field, detail: "must have at most \(maxBytes) bytes")
    }

    /// `field: Forbidden: detail`.
    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, detail: detail)
    }

    /// `field: Not found: <value>`.
    public static func notFound(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(kind: .notFound, field: field, value: render(value))
    }

    /// Renders a value the way Kubernetes prints it in field errors: strings quoted, numbers bare.
    public static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): return quote(string)
        case .int(let number): return String(number)
        case .double(let number): return "\(number)"
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object: return value.encodedString(sortedKeys: true)
        }
    }

    /// Go's `%q` for plain strings.
    static func quote(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The message without the field path.
    public var body: String {
        var text = kind.rawValue
        switch kind {
        case .required, .forbidden, .tooLong, .internal:
            break
        default:
            if let value { text += ": \(value)" }
        }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    /// `field: body`, exactly like Kubernetes.
    public var description: String { field.isEmpty ? body : "\(field): \(body)" }
}

extension FieldError {
    /// Turns a Swift decoding error into a field error naming the dotted path and what was expected.
    public init(decodingError: DecodingError, in document: JSONValue? = nil) {
        func describe(_ path: [any CodingKey]) -> (String, [String]) {
            var text = ""
            var components: [String] = []
            for key in path {
                if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                    text += "[\(index)]"
                    components.append("\(index)")
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                    components.append(key.stringValue)
                }
            }
            return (text, components)
        }
        switch decodingError {
        case .typeMismatch(let type, let context):
            let (field, components) = describe(context.codingPath)
            let found = document?[path: components]
            self = .invalid(
                field, found ?? .null,
                "expected \(FieldError.typeName(type)), got \(found.map(FieldError.jsonTypeName) ?? "a different type")"
            )
        case .valueNotFound(let type, let context):
            let (field, _) = describe(context.codingPath)
            self = .required(field, "expected \(FieldError.typeName(type))")
        case .keyNotFound(let key, let context):
            let (field, _) = describe(context.codingPath + [key])
            self = .required(field)
        case .dataCorrupted(let context):
            let (field, components) = describe(context.codingPath)
            let found = document?[path: components]
            var detail = context.debugDescription
            if let underlying = context.underlyingError as? SchemaError { detail = underlying.message }
            self = .invalid(field, found ?? .null, detail)
        @unknown default:
            self = .invalid("", .null, "\(decodingError)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is Bool.Type: return "boolean"
        case is Int.Type, is Int32.Type: return "integer"
        case is Int64.Type: return "64-bit integer"
        case is Double.Type: return "number"
        case is Quantity.Type: return "quantity (string or number)"
        case is IntOrString.Type: return "integer or string"
        case is Time.Type, is MicroTime.Type: return "RFC 3339 time string"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "array" }
            if name.hasPrefix("Dictionary") { return "object" }
            return "object"
        }
    }

    static func jsonTypeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
