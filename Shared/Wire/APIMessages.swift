public import Schema

/// Messages of the `api` service. The envelope `type` is the verb (`create`, `get`, `list`, `update`, `patch`,
/// `delete`, `changes`, `version`); the payload is one `APIRequest`. The JSON shapes are documented in docs/protocol.md.

/// The payload of every api request; each verb reads the fields it needs.
public struct APIRequest: Sendable, Hashable, Codable {
    /// The kind, plural or short name (`Deployment`, `deployments`, `deploy`); create and update take it from
    /// the object.
    public var kind: String?
    /// The namespace; absent means `default` for namespaced kinds (and all namespaces for list and changes).
    public var namespace: String?
    public var name: String?
    /// The object of a create or update.
    public var object: JSONValue?
    /// The patch: a JSON merge patch (RFC 7386, an object), a JSON patch (RFC 6902, an array) or a strategic
    /// merge patch (an object), as `patchType` says.
    public var patch: JSONValue?
    /// `merge` (the default), `json` or `strategic`.
    public var patchType: String?
    /// `status` (and `finalize` for Namespace) for update and patch.
    public var subresource: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    /// The continue token of the previous list page.
    public var `continue`: String?
    /// `changes`: the revision to start after.
    public var resourceVersion: String?
    /// `Background` (default), `Foreground` or `Orphan`.
    public var propagationPolicy: String?
    public var preconditions: Preconditions?
    /// `Strict`, `Warn` (default) or `Ignore`: what to do with fields the schema does not know.
    public var fieldValidation: String?
    /// Validate and answer as if written, but write nothing.
    public var dryRun: Bool?
    /// delete: seconds a running pod gets to stop; 0 deletes at once.
    public var gracePeriodSeconds: Int64?

    public init(
        kind: String? = nil, namespace: String? = nil, name: String? = nil, object: JSONValue? = nil,
        patch: JSONValue? = nil, patchType: String? = nil, subresource: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, limit: Int? = nil, continue: String? = nil, resourceVersion: String? = nil,
        propagationPolicy: String? = nil, preconditions: Preconditions? = nil, fieldValidation: String? = nil,
        dryRun: Bool? = nil, gracePeriodSeconds: Int64? = nil
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.object = object
        self.patch = patch
        self.patchType = patchType
        self.subresource = subresource
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continue = `continue`
        self.resourceVersion = resourceVersion
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
        self.fieldValidation = fieldValidation
        self.dryRun = dryRun
        self.gracePeriodSeconds = gracePeriodSeconds
    }

    /// Conditions a delete checks against the stored object.
    public struct Preconditions: Sendable, Hashable, Codable {
        public var uid: String?
        public var resourceVersion: String?

        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }
}

/// The reply to `list`.
public struct APIList: Sendable, Hashable, Codable {
    public var apiVersion: String
    /// `<Kind>List`.
    public var kind: String
    public var metadata: Metadata
    public var items: [JSONValue]

    public init(apiVersion: String, kind: String, metadata: Metadata, items: [JSONValue]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    public struct Metadata: Sendable, Hashable, Codable {
        /// The store revision the list was read at.
        public var resourceVersion: String
        /// Present when more items follow: pass it back as `continue`.
        public var `continue`: String?
        /// The revision of the kind's latest change as of `resourceVersion` (compare with watch events' `rev`).
        public var kindRevision: String?

        public init(resourceVersion: String, continue: String? = nil, kindRevision: String? = nil) {
            self.resourceVersion = resourceVersion
            self.continue = `continue`
            self.kindRevision = kindRevision
        }
    }
}

/// The reply to `changes`.
public struct APIChanges: Sendable, Hashable, Codable {
    /// Ask again after this revision.
    public var resourceVersion: String
    /// More changes follow right away.
    public var more: Bool
    public var events: [Event]

    public init(resourceVersion: String, more: Bool, events: [Event]) {
        self.resourceVersion = resourceVersion
        self.more = more
        self.events = events
    }

    /// One change: `ADDED`, `MODIFIED` or `DELETED`, and the object after it (the last state for DELETED).
    public struct Event: Sendable, Hashable, Codable {
        public var type: String
        public var object: JSONValue

        public init(type: String, object: JSONValue) {
            self.type = type
            self.object = object
        }
    }
}
