public import Schema

/// A kubusctl failure reported as `error: <message>`, or an api failure as `Error from server (Reason): ...`.
public struct CtlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text after `error: `.
    public var message: String

    /// Creates an error with a message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Formats errors the way kubectl prints them on stderr.
public enum ErrorFormatter {
    /// `Error from server (NotFound): pods "x" not found`, or `error: ...` for local failures.
    public static func format(_ error: any Error) -> String {
        switch error {
        case let api as APIError:
            return server(api)
        case let contextual as ServerContextError:
            return contextual.description
        case let ctl as CtlError:
            return "error: \(ctl.message)"
        case let schema as SchemaError:
            return "error: \(schema.message)"
        default:
            return "error: \(error)"
        }
    }

    /// The line for an api error, optionally with kubectl's `error when creating "f.yaml": ` context.
    public static func server(_ error: APIError, context: String? = nil) -> String {
        let reason = error.reason.isEmpty ? "" : " (\(error.reason))"
        let prefix = context.map { "\($0): " } ?? ""
        return "Error from server\(reason): \(prefix)\(error.message)"
    }
}
