/// Kubernetes' `meta/v1 Status`: the body of every API error response.
public struct Status: Sendable, Codable, Hashable {
    /// Always `v1`.
    public var apiVersion: String?
    /// Always `Status`.
    public var kind: String?
    /// List metadata (unused, kept for wire compatibility).
    public var metadata: ListMeta?
    /// `Success` or `Failure`.
    public var status: String?
    /// A human-readable description, e.g. `pods "web-0" not found`.
    public var message: String?
    /// A machine-readable reason such as `NotFound`.
    public var reason: String?
    /// Which object the error is about and per-field causes.
    public var details: StatusDetails?
    /// The HTTP status code.
    public var code: Int?

    /// Creates a status.
    public init(
        status: String? = nil, message: String? = nil, reason: String? = nil, details: StatusDetails? = nil,
        code: Int? = nil
    ) {
        self.apiVersion = "v1"
        self.kind = "Status"
        self.metadata = ListMeta()
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    /// A `Success` status.
    public static func success(code: Int = 200, details: StatusDetails? = nil) -> Status {
        Status(status: "Success", details: details, code: code)
    }
}

/// List metadata carried by lists and `Status`.
public struct ListMeta: Sendable, Codable, Hashable {
    /// The store version the list reflects.
    public var resourceVersion: String?
    /// Token to fetch the next page.
    public var `continue`: String?
    /// Items after this page, when known.
    public var remainingItemCount: Int64?

    /// Creates list metadata.
    public init(resourceVersion: String? = nil, continue: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
    }
}

/// Which object a `Status` is about.
public struct StatusDetails: Sendable, Codable, Hashable {
    /// The object's name.
    public var name: String?
    /// The object's API group.
    public var group: String?
    /// The kind's plural resource name, e.g. `pods`.
    public var kind: String?
    /// The object's uid.
    public var uid: String?
    /// Per-field causes, e.g. of an `Invalid` error.
    public var causes: [StatusCause]?
    /// Seconds the client should wait before retrying.
    public var retryAfterSeconds: Int?

    /// Creates details.
    public init(
        name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
        causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// One cause of a failure, e.g. a field error.
public struct StatusCause: Sendable, Codable, Hashable {
    /// A machine-readable cause, e.g. `FieldValueInvalid`.
    public var reason: String?
    /// A human-readable description.
    public var message: String?
    /// The field path, e.g. `spec.replicas`.
    public var field: String?

    /// Creates a cause.
    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}
