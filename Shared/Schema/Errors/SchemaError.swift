/// A failure to parse, decode or encode schema data; `fieldErrors` lists per-field problems when known.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case json
        case yaml
        case manifest
        case quantity
        case intOrString
        case selector
        case cron
        case invalidObject
        case decoding
        case encoding
        case unknownKind
    }

    private let code: Code
    /// What went wrong, in words a user can act on.
    public let message: String
    /// Field-level problems, e.g. a type mismatch at `spec.replicas`.
    public let fieldErrors: [FieldError]
    /// The underlying error, if any.
    public let cause: (any Error & Sendable)?

    private init(_ code: Code, _ message: String, fieldErrors: [FieldError] = [], cause: (any Error & Sendable)? = nil)
    {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.cause = cause
    }

    /// A human-readable description of the error.
    public var description: String { message }

    /// Whether the error is malformed JSON text.
    public var isJSONSyntax: Bool { code == .json }
    /// Whether the error is malformed YAML or a bad manifest document.
    public var isManifest: Bool { code == .yaml || code == .manifest }
    /// Whether the error is a decodable document that does not fit the schema.
    public var isInvalidObject: Bool { code == .invalidObject }

    static func json(_ detail: String) -> SchemaError {
        SchemaError(.json, "invalid JSON: \(detail)")
    }

    static func yaml(_ message: String, cause: (any Error & Sendable)? = nil) -> SchemaError {
        SchemaError(.yaml, message, cause: cause)
    }

    static func manifest(_ message: String) -> SchemaError {
        SchemaError(.manifest, message)
    }

    static func quantity(_ text: String) -> SchemaError {
        SchemaError(
            .quantity,
            "quantities must match the regular expression '\(Quantity.pattern)': invalid quantity \"\(text)\""
        )
    }

    static func quantity(_ text: String, detail: String) -> SchemaError {
        SchemaError(.quantity, "invalid quantity \"\(text)\": \(detail)")
    }

    static func intOrString(_ message: String) -> SchemaError {
        SchemaError(.intOrString, message)
    }

    static func selector(_ message: String) -> SchemaError {
        SchemaError(.selector, message)
    }

    static func cron(_ message: String) -> SchemaError {
        SchemaError(.cron, message)
    }

    static func invalidObject(_ errors: [FieldError]) -> SchemaError {
        SchemaError(.invalidObject, errors.map(\.description).joined(separator: ", "), fieldErrors: errors)
    }

    static func decoding(_ type: String, cause: any Error) -> SchemaError {
        SchemaError(.decoding, "cannot decode \(type): \(cause)", cause: cause)
    }

    static func encoding(_ type: String, cause: any Error) -> SchemaError {
        SchemaError(.encoding, "cannot encode \(type): \(cause)", cause: cause)
    }

    static func unknownKind(_ name: String) -> SchemaError {
        SchemaError(.unknownKind, "the server doesn't have a resource type \"\(name)\"")
    }
}
