public import Schema
public import Wire

/// What talks to the api: one request, its verb and payload as on the wire, answered with a body or an
/// `APIError` carrying the server's `Status`.
///
/// `KubusClient` sends it over the bus; the testing fake answers it in this process with the real api handler
/// over an in-memory store. Every verb, dynamic and typed, is built on `call` in the extensions, so code written
/// against `any APIClient` runs unchanged on either.
public protocol APIClient: InformerSource {
    /// Sends one request: `verb` (`create`, `get`, `list`, `update`, `patch`, `delete`, `changes`, ...) with its
    /// payload, as docs/protocol.md describes.
    func call(_ verb: String, _ payload: JSONValue) async throws(APIError) -> APIReply
}

/// One page of a `list`: the items and the revision the list reflects.
public struct ListResult: Sendable, Hashable {
    /// The objects, in key order.
    public var items: [JSONValue]
    /// The store revision the list was read at; watch events with a greater `rev` are newer.
    public var resourceVersion: String
    /// The latest revision of the kind, when the api reports it.
    public var kindRevision: Int64?
    /// The token for the next page, when there is one.
    public var `continue`: String?

    /// How many objects a caller that lists everything asks for per page.
    public static let pageLimit = 500

    /// Creates a list result.
    public init(items: [JSONValue], resourceVersion: String, kindRevision: Int64? = nil, continue: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.kindRevision = kindRevision
        self.continue = `continue`
    }
}

/// A successful reply's body and warnings.
public struct APIReply: Sendable {
    public var body: JSONValue
    public var warnings: [String]

    public init(body: JSONValue, warnings: [String] = []) {
        self.body = body
        self.warnings = warnings
    }

    /// Reads a list reply: `metadata.resourceVersion`, `metadata.kindRevision`, `metadata.continue`, `items`.
    public static func listResult(from body: JSONValue) -> ListResult {
        let meta = body["metadata"] ?? [:]
        let token = text(meta["continue"]).flatMap { $0.isEmpty ? nil : $0 }
        return ListResult(
            items: body["items"]?.arrayValue ?? [], resourceVersion: text(meta["resourceVersion"]) ?? "0",
            kindRevision: text(meta["kindRevision"]).flatMap { Int64($0) }, continue: token)
    }

    /// A string or integer member as text.
    public static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        default: return nil
        }
    }
}

extension APIClient {
    /// Creates an object; returns the stored object and the server's warnings.
    public func create(
        _ object: JSONValue, fieldValidation: String? = nil, dryRun: Bool = false
    ) async throws(APIError) -> (object: JSONValue, warnings: [String]) {
        var payload: JSONValue = ["object": object]
        if let fieldValidation { payload["fieldValidation"] = .string(fieldValidation) }
        if dryRun { payload["dryRun"] = true }
        let reply = try await call("create", payload)
        return (reply.body, reply.warnings)
    }

    /// Binds a pending pod to a node through its `binding` subresource (what a scheduler does): one write of
    /// `spec.nodeName` and the `PodScheduled=True` condition. Conflict when the pod is bound elsewhere, being
    /// deleted, or (with `uid`) is another pod of that name.
    public func bind(namespace: String, pod: String, uid: String? = nil, node: String) async throws(APIError) {
        var metadata: JSONValue = ["name": .string(pod), "namespace": .string(namespace)]
        if let uid { metadata["uid"] = .string(uid) }
        let binding: JSONValue = [
            "apiVersion": "v1", "kind": "Binding", "metadata": metadata,
            "target": ["kind": "Node", "name": .string(node)],
        ]
        _ = try await call(
            "create",
            ["object": binding, "subresource": "binding", "namespace": .string(namespace), "name": .string(pod)])
    }

    /// Asks for a token of the ServiceAccount `account` (its `token` subresource: a TokenRequest), bound to the pod
    /// when one is named; returns the TokenRequest with `status.token` and `status.expirationTimestamp`.
    public func requestToken(
        namespace: String, account: String, pod: String? = nil, podUID: String? = nil, audiences: [String] = [],
        expirationSeconds: Int64? = nil
    ) async throws(APIError) -> JSONValue {
        var spec: JSONValue = [:]
        if !audiences.isEmpty { spec["audiences"] = .array(audiences.map { .string($0) }) }
        if let expirationSeconds { spec["expirationSeconds"] = .int(expirationSeconds) }
        if let pod {
            var ref: JSONValue = ["kind": "Pod", "apiVersion": "v1", "name": .string(pod)]
            if let podUID, !podUID.isEmpty { ref["uid"] = .string(podUID) }
            spec["boundObjectRef"] = ref
        }
        let request: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec]
        return try await call(
            "create",
            [
                "kind": "ServiceAccount", "namespace": .string(namespace), "name": .string(account),
                "subresource": "token", "object": request,
            ]
        ).body
    }

    /// Reads one object; `namespace` is ignored for cluster-scoped kinds.
    public func get(kind: String, namespace: String?, name: String) async throws(APIError) -> JSONValue {
        var payload: JSONValue = ["kind": .string(kind), "name": .string(name)]
        if let namespace { payload["namespace"] = .string(namespace) }
        return try await call("get", payload).body
    }

    /// Lists objects of a kind; `namespace` nil lists all namespaces.
    ///
    /// With `limit` or `continue` this is one page: the api may return fewer items than `limit` (a page is also
    /// bounded in bytes) and `continue` for the rest. Without either it lists every object, a page of
    /// `ListResult.pageLimit` at a time, all read at the first page's revision.
    public func list(
        kind: String, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        limit: Int? = nil, continue token: String? = nil
    ) async throws(APIError) -> ListResult {
        guard limit == nil, token == nil else {
            return try await listPage(
                kind: kind, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                limit: limit, continue: token)
        }
        var result = try await listPage(
            kind: kind, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
            limit: ListResult.pageLimit, continue: nil)
        while let next = result.continue {
            let page = try await listPage(
                kind: kind, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                limit: ListResult.pageLimit, continue: next)
            result.items += page.items
            result.continue = page.continue
        }
        return result
    }

    private func listPage(
        kind: String, namespace: String?, labelSelector: String?, fieldSelector: String?, limit: Int?,
        continue token: String?
    ) async throws(APIError) -> ListResult {
        var payload: JSONValue = ["kind": .string(kind)]
        if let namespace { payload["namespace"] = .string(namespace) }
        if let labelSelector, !labelSelector.isEmpty { payload["labelSelector"] = .string(labelSelector) }
        if let fieldSelector, !fieldSelector.isEmpty { payload["fieldSelector"] = .string(fieldSelector) }
        if let limit { payload["limit"] = .int(Int64(limit)) }
        if let token { payload["continue"] = .string(token) }
        let body = try await call("list", payload).body
        return APIReply.listResult(from: body)
    }

    /// Replaces an object (or its `status` subresource); the object's `resourceVersion` must be current.
    public func update(
        _ object: JSONValue, subresource: String? = nil, fieldValidation: String? = nil, dryRun: Bool = false
    ) async throws(APIError) -> (object: JSONValue, warnings: [String]) {
        var payload: JSONValue = ["object": object]
        if let subresource { payload["subresource"] = .string(subresource) }
        if let fieldValidation { payload["fieldValidation"] = .string(fieldValidation) }
        if dryRun { payload["dryRun"] = true }
        let reply = try await call("update", payload)
        return (reply.body, reply.warnings)
    }

    /// Applies a JSON merge patch to an object (or its `status`).
    public func patch(
        kind: String, namespace: String?, name: String, patch: JSONValue, subresource: String? = nil
    ) async throws(APIError) -> JSONValue {
        var payload: JSONValue = ["kind": .string(kind), "name": .string(name), "patch": patch]
        if let namespace { payload["namespace"] = .string(namespace) }
        if let subresource { payload["subresource"] = .string(subresource) }
        return try await call("patch", payload).body
    }

    /// Deletes an object; returns it (with `deletionTimestamp` while finalizers remain or a bound pod stops).
    ///
    /// `gracePeriodSeconds` overrides a pod's `terminationGracePeriodSeconds`; 0 removes it at once.
    public func delete(
        kind: String, namespace: String?, name: String, propagationPolicy: String? = nil,
        preconditions: APIRequest.Preconditions? = nil, gracePeriodSeconds: Int64? = nil
    ) async throws(APIError) -> JSONValue {
        var payload: JSONValue = ["kind": .string(kind), "name": .string(name)]
        if let namespace { payload["namespace"] = .string(namespace) }
        if let propagationPolicy { payload["propagationPolicy"] = .string(propagationPolicy) }
        if let gracePeriodSeconds { payload["gracePeriodSeconds"] = .int(gracePeriodSeconds) }
        if let preconditions {
            var p: JSONValue = [:]
            if let uid = preconditions.uid { p["uid"] = .string(uid) }
            if let rv = preconditions.resourceVersion { p["resourceVersion"] = .string(rv) }
            payload["preconditions"] = p
        }
        return try await call("delete", payload).body
    }

    /// The changes of a kind after revision `since`; throws a 410 Gone `APIError` when history was compacted.
    public func changes(
        kind: String, namespace: String? = nil, since: String, limit: Int? = nil
    ) async throws(APIError) -> WatchChanges {
        var payload: JSONValue = ["kind": .string(kind), "resourceVersion": .string(since)]
        if let namespace { payload["namespace"] = .string(namespace) }
        if let limit { payload["limit"] = .int(Int64(limit)) }
        let body = try await call("changes", payload).body
        let changes = (body["events"]?.arrayValue ?? []).map { event in
            let object = event["object"] ?? .null
            return WatchChange(
                type: WatchEventType(rawValue: event["type"]?.stringValue ?? "") ?? .modified, object: object,
                revision: Int64(object["metadata"]?["resourceVersion"]?.stringValue ?? "") ?? 0)
        }
        return WatchChanges(
            changes: changes, revision: Int64(APIReply.text(body["resourceVersion"]) ?? since) ?? 0,
            more: body["more"]?.boolValue ?? false)
    }
}
