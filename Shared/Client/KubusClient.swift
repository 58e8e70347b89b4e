import Bus
import Schema

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

    /// Creates a list result.
    public init(items: [JSONValue], resourceVersion: String, kindRevision: Int64? = nil, continue: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.kindRevision = kindRevision
        self.continue = `continue`
    }
}


/// Calls the `api` service over the bus: the dynamic verbs on JSON objects, and typed conveniences.
///
/// Every call has a random request id; the bus client retries with the same id, which the api treats as one
/// request. Failures are `APIError`s carrying the server's `Status`.
public final class KubusClient: Sendable {
    /// The bus this client sends through.
    public let bus: BusClient
    /// How long one call may take, retries included.
    public let timeout: Duration
    /// The service name requests go to.
    public let service: String

    /// Creates a client over an open bus connection.
    public init(bus: BusClient, timeout: Duration = .seconds(15), service: String = "api") {
        self.bus = bus
        self.timeout = timeout
        self.service = service
    }

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
            "apiVersion": "v1", "kind": "Binding", "metadata": metadata, "target": ["kind": "Node", "name": .string(node)],
        ]
        _ = try await call(
            "create",
            ["object": binding, "subresource": "binding", "namespace": .string(namespace), "name": .string(pod)])
    }

    /// Reads one object; `namespace` is ignored for cluster-scoped kinds.
    public func get(kind: String, namespace: String?, name: String) async throws(APIError) -> JSONValue {
        var payload: JSONValue = ["kind": .string(kind), "name": .string(name)]
        if let namespace { payload["namespace"] = .string(namespace) }
        return try await call("get", payload).body
    }

    /// Objects asked for per page when a caller lists everything.
    public static let pageLimit = 500

    /// Lists objects of a kind; `namespace` nil lists all namespaces.
    ///
    /// With `limit` or `continue` this is one page: the api may return fewer items than `limit` (a page is also
    /// bounded in bytes) and `continue` for the rest. Without either it lists every object, a page of
    /// `pageLimit` at a time, all read at the first page's revision.
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
            limit: Self.pageLimit, continue: nil)
        while let next = result.continue {
            let page = try await listPage(
                kind: kind, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                limit: Self.pageLimit, continue: next)
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
        return Self.listResult(from: body)
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
        preconditions: Preconditions? = nil, gracePeriodSeconds: Int64? = nil
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

    /// What must still hold for a delete to go ahead.
    public struct Preconditions: Sendable, Hashable {
        /// The uid the object must have.
        public var uid: String?
        /// The resourceVersion the object must have.
        public var resourceVersion: String?

        /// Creates preconditions.
        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
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
            changes: changes, revision: Int64(Self.text(body["resourceVersion"]) ?? since) ?? 0,
            more: body["more"]?.boolValue ?? false)
    }

    // MARK: Wire

    /// A successful reply's body and warnings.
    public struct Reply: Sendable {
        public var body: JSONValue
        public var warnings: [String]
    }

    func call(_ verb: String, _ payload: JSONValue) async throws(APIError) -> Reply {
        let bytes = payload.encoded()
        // The bus client would refuse it too (BusError.tooLarge); refusing here gives the api's own 413 at once.
        if bytes.count > Self.maxRequestBytes { throw Self.tooLarge(verb, bytes: bytes.count) }
        let reply: BusReply
        do {
            reply = try await bus.request(service: service, type: verb, payload: bytes, timeout: timeout)
        } catch {
            if Self.isTooLarge(error) { throw Self.tooLarge(verb, bytes: bytes.count) }
            throw Self.unavailable(error, service: service)
        }
        return try Self.decode(code: reply.code, payload: reply.payload, warnings: reply.envelope.extra["warnings"])
    }

    /// Turns a reply into a body and warnings, or the `APIError` its Status describes; any Kubus service's reply.
    public static func decode(code: Int, payload: [UInt8], warnings: String?) throws(APIError) -> Reply {
        let body = try? JSONValue.parse(payload)
        if code >= 400 {
            if let body, body["kind"]?.stringValue == "Status", var status = try? body.decode(as: Status.self) {
                if status.code == nil { status.code = code }
                throw APIError(status: status)
            }
            let text = String(decoding: payload, as: UTF8.self)
            throw APIError(status: Status(
                status: "Failure", message: text.isEmpty ? "the server answered \(code)" : text,
                reason: reason(forCode: code), code: code))
        }
        let lines = (warnings ?? "").split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return Reply(body: body ?? .null, warnings: lines)
    }

    /// The largest payload a request may have: a bus message less room for the routing frames and envelope.
    public static let maxRequestBytes = Int(WireProtocol.maxMessageBytes) - 64 * 1024

    /// 413 for a request the bus cannot carry, as kube-apiserver answers a body over its limit.
    static func tooLarge(_ verb: String, bytes: Int) -> APIError {
        APIError(
            status: Status(
                status: "Failure",
                message:
                    "Request entity too large: limit is \(maxRequestBytes): the \(verb) request is \(bytes) bytes, "
                    + "more than one bus message carries; objects are limited far below that (a ConfigMap's data to "
                    + "1048576 bytes, annotations to 262144 bytes)",
                reason: "RequestEntityTooLarge", code: 413))
    }

    /// Whether the bus refused a message for its size.
    static func isTooLarge(_ error: BusError) -> Bool { error.isTooLarge }

    /// The error for a bus failure: the api is not answering, and how to check.
    static func unavailable(_ error: BusError, service: String) -> APIError {
        let hint = "the \(service) service is not answering on the bus (\(error.message)); "
            + "check the cluster with `kubus-up status`"
        return error.isTimeout ? .timeout(hint) : .serviceUnavailable(hint)
    }

    static func reason(forCode code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 413: return "RequestEntityTooLarge"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "InternalError"
        }
    }

    /// Reads a list reply: `metadata.resourceVersion`, `metadata.kindRevision`, `metadata.continue`, `items`.
    static func listResult(from body: JSONValue) -> ListResult {
        let meta = body["metadata"] ?? [:]
        let token = text(meta["continue"]).flatMap { $0.isEmpty ? nil : $0 }
        return ListResult(
            items: body["items"]?.arrayValue ?? [], resourceVersion: text(meta["resourceVersion"]) ?? "0",
            kindRevision: text(meta["kindRevision"]).flatMap { Int64($0) }, continue: token)
    }

    /// A string or integer member as text.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        default: return nil
        }
    }
}
