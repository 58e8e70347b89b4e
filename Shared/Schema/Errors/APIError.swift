/// An API failure carrying the `Status` a Kubernetes API server would return, with its exact message.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status body.
    public var status: Status

    /// Wraps a status.
    public init(status: Status) {
        self.status = status
    }

    /// The HTTP status code.
    public var code: Int { status.code ?? 500 }
    /// The machine-readable reason, e.g. `NotFound`.
    public var reason: String { status.reason ?? "" }
    /// The message, e.g. `pods "web-0" not found`.
    public var message: String { status.message ?? "" }
    /// The message.
    public var description: String { message }

    /// Whether this is a 404 NotFound.
    public var isNotFound: Bool { reason == "NotFound" }
    /// Whether this is a 409 AlreadyExists.
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    /// Whether this is a 409 Conflict.
    public var isConflict: Bool { reason == "Conflict" }
    /// Whether this is a 422 Invalid.
    public var isInvalid: Bool { reason == "Invalid" }
    /// Whether this is a 410 Gone (expired resource version).
    public var isGone: Bool { reason == "Gone" || reason == "Expired" }

    private static func failure(
        _ reason: String, _ code: Int, _ message: String, details: StatusDetails? = nil
    ) -> APIError {
        APIError(status: Status(status: "Failure", message: message, reason: reason, details: details, code: code))
    }

    private static func details(_ info: KindInfo, _ name: String, causes: [StatusCause]? = nil) -> StatusDetails {
        StatusDetails(name: name, group: info.group, kind: info.plural, causes: causes)
    }

    /// 404: `pods "web-0" not found`.
    public static func notFound(_ info: KindInfo, _ name: String) -> APIError {
        failure("NotFound", 404, "\(info.qualifiedResource) \"\(name)\" not found", details: details(info, name))
    }

    /// 409: `pods "web" already exists`.
    public static func alreadyExists(_ info: KindInfo, _ name: String) -> APIError {
        failure(
            "AlreadyExists", 409, "\(info.qualifiedResource) \"\(name)\" already exists", details: details(info, name))
    }

    /// 409: `Operation cannot be fulfilled on pods "web": <detail>`; the default detail is the stale-version text.
    public static func conflict(
        _ info: KindInfo, _ name: String,
        _ detail: String = "the object has been modified; please apply your changes to the latest version and try again"
    ) -> APIError {
        failure(
            "Conflict", 409, "Operation cannot be fulfilled on \(info.qualifiedResource) \"\(name)\": \(detail)",
            details: details(info, name))
    }

    /// 422: `Pod "web" is invalid: spec.containers: Required value` (several errors in brackets).
    public static func invalid(_ info: KindInfo, _ name: String, _ errors: [FieldError]) -> APIError {
        var message = "\(info.kind) \"\(name)\" is invalid"
        if errors.count == 1 {
            message += ": \(errors[0].description)"
        } else if !errors.isEmpty {
            message += ": [" + errors.map(\.description).joined(separator: ", ") + "]"
        }
        let causes = errors.map { error in
            StatusCause(reason: "Field" + error.kind.causeSuffix, message: error.body, field: error.field)
        }
        return failure(
            "Invalid", 422, message,
            details: StatusDetails(name: name, group: info.group, kind: info.kind, causes: causes))
    }

    /// 400 BadRequest.
    public static func badRequest(_ message: String) -> APIError {
        failure("BadRequest", 400, message)
    }

    /// 401 Unauthorized.
    public static func unauthorized(_ message: String = "Unauthorized") -> APIError {
        failure("Unauthorized", 401, message)
    }

    /// 403: `pods "web" is forbidden: <reason>`.
    public static func forbidden(_ info: KindInfo, _ name: String, _ reason: String) -> APIError {
        let subject = name.isEmpty ? info.qualifiedResource : "\(info.qualifiedResource) \"\(name)\""
        return failure("Forbidden", 403, "\(subject) is forbidden: \(reason)", details: details(info, name))
    }

    /// 403 with a free-form message.
    public static func forbidden(_ message: String) -> APIError {
        failure("Forbidden", 403, message)
    }

    /// 405: `the server does not allow this method on the requested resource`.
    public static func methodNotAllowed(
        _ message: String = "the server does not allow this method on the requested resource"
    ) -> APIError {
        failure("MethodNotAllowed", 405, message)
    }

    /// 410 Gone, e.g. `too old resource version: 5 (10)`.
    public static func gone(_ message: String) -> APIError {
        failure("Gone", 410, message)
    }

    /// 410 Gone for a watch or list from a compacted resource version.
    public static func tooOldResourceVersion(requested: Int64, oldest: Int64) -> APIError {
        gone("too old resource version: \(requested) (\(oldest))")
    }

    /// 429 TooManyRequests.
    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int = 1) -> APIError {
        failure(
            "TooManyRequests", 429, message, details: StatusDetails(retryAfterSeconds: retryAfterSeconds))
    }

    /// 500 InternalError: `Internal error occurred: <message>`.
    public static func `internal`(_ message: String) -> APIError {
        failure(
            "InternalError", 500, "Internal error occurred: \(message)",
            details: StatusDetails(causes: [StatusCause(message: message)]))
    }

    /// 503 ServiceUnavailable.
    public static func serviceUnavailable(_ message: String) -> APIError {
        failure("ServiceUnavailable", 503, message)
    }

    /// 504 Timeout.
    public static func timeout(_ message: String) -> APIError {
        failure("Timeout", 504, message)
    }
}

extension FieldError.Kind {
    var causeSuffix: String {
        switch self {
        case .required: return "ValueRequired"
        case .invalid: return "ValueInvalid"
        case .notSupported: return "ValueNotSupported"
        case .duplicate: return "ValueDuplicate"
        case .tooLong: return "ValueTooLong"
        case .forbidden: return "ValueForbidden"
        case .notFound: return "ValueNotFound"
        case .tooMany: return "ValueTooMany"
        case .internal: return "InternalError"
        }
    }
}
