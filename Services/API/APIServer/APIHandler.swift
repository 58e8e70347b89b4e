public import Bus
import Foundation
public import Logging
public import Schema
import Synchronization
import Wire

/// Answers api requests: resolves kinds, validates and defaults objects, and reads and writes the store.
///
/// It holds no state of its own besides a short-lived namespace cache, the values it last saw (where an update
/// starts, decided by the store's compare-and-swap) and the requests in flight, so any number of api instances can
/// serve side by side.
public final class APIHandler: Sendable {
    let store: any StoreAccess
    let logger: Logger
    let configuration: APIServerConfiguration
    let namespaces: NamespaceCache
    /// Cluster IPs and node ports of Services.
    let serviceIPs: ServiceAllocator.Pool
    let nodePorts: ServiceAllocator.Pool
    private let inFlight = Mutex<[String: Task<BusReply, Never>]>([:])
    /// Checked bearer tokens and the user each names, until when (`authenticate(token:)`).
    let tokenCache = Mutex<[String: (user: UserInfo, until: Date)]>([:])
    /// Writes to one key from this instance, one at a time in arrival order.
    let writers = KeyedSerializer()
    /// The values this instance last read or wrote, where updates start (`RecentValues`).
    let recentValues = RecentValues()
    /// The RBAC rules enforced on requests that carry a user; nil when the bus is insecure (no request has one).
    let authorization: Authorization?
    /// Where requests that carry a user are recorded; nil without `--audit-log-path`.
    let audit: AuditLog?

    public init(
        store: any StoreAccess, configuration: APIServerConfiguration = .init(), authorization: Authorization? = nil,
        audit: AuditLog? = nil, logger: Logger
    ) {
        self.store = store
        self.authorization = authorization
        self.audit = audit
        self.configuration = configuration
        self.logger = logger
        namespaces = NamespaceCache(ttlMs: configuration.namespaceCacheMs)
        serviceIPs = ServiceAllocator.clusterIPs(configuration.serviceClusterIPRange)
        nodePorts = ServiceAllocator.nodePorts(configuration.serviceNodePortRange)
    }

    /// Answers one request. Never throws: every failure becomes a reply with a `code` and a `Status` payload.
    ///
    /// `user` is who the bus says sent it; nil for the api's own calls, which are not authorized. With a user, the
    /// request runs as the user it impersonates (when the caller may), and only when RBAC allows it.
    public func handle(
        verb: String, payload: [UInt8], requestID: String, user caller: UserInfo? = nil,
        impersonating: Impersonation? = nil
    ) async -> BusReply {
        guard let caller, let audit else {
            return await answer(
                verb: verb, payload: payload, requestID: requestID, caller: caller, impersonating: impersonating
            )
            .reply
        }
        let received = Date()
        let annotations = AuditAnnotations()
        let (reply, request, attributes, user) = await AuditAnnotations.$current.withValue(annotations) {
            await answer(
                verb: verb, payload: payload, requestID: requestID, caller: caller, impersonating: impersonating)
        }
        if let attributes {
            audit.record(
                user: caller, impersonated: impersonating == nil ? nil : user, attributes: attributes,
                requestID: requestID, request: request, reply: reply, received: received, answered: Date(),
                annotations: annotations.all)
        }
        return reply
    }

    /// The reply, with what the audit log records: the parsed request, its attributes and the user it ran as.
    private func answer(
        verb: String, payload: [UInt8], requestID: String, caller: UserInfo?, impersonating: Impersonation?
    ) async -> (reply: BusReply, request: APIRequest?, attributes: AccessAttributes?, user: UserInfo?) {
        let request: APIRequest
        var user: UserInfo?
        var attributes: AccessAttributes?
        do throws(APIError) {
            request = try APIRequest(parsing: payload)
            if caller != nil, authorization != nil || audit != nil {
                attributes = try accessAttributes(verb: verb, request: request)
            }
            if let caller, authorization != nil {
                let effective = try effectiveUser(caller, impersonating: impersonating)
                user = effective
                if let attributes { try authorize(effective, attributes) }
            } else if let caller {
                user = caller  // no RBAC (insecure bus): reviews still answer for the caller
            }
        } catch {
            return (Self.failure(error), nil, attributes, user)
        }
        let runAs = user
        guard !requestID.isEmpty, Self.writeVerbs.contains(verb) else {
            return (
                await perform(verb: verb, request: request, requestID: requestID, user: runAs), request, attributes,
                user
            )
        }
        // A client's retry of a write still in flight here waits for the first execution instead of racing it.
        let key = "\(verb) \(requestID)"
        let (task, owner) = inFlight.withLock { tasks -> (Task<BusReply, Never>, Bool) in
            if let task = tasks[key] { return (task, false) }
            let task = Task { await self.perform(verb: verb, request: request, requestID: requestID, user: runAs) }
            tasks[key] = task
            return (task, true)
        }
        let reply = await task.value
        if owner { _ = inFlight.withLock { $0.removeValue(forKey: key) } }
        return (reply, request, attributes, user)
    }

    static let writeVerbs: Set<String> = ["create", "update", "patch", "delete"]

    private func perform(verb: String, request: APIRequest, requestID: String, user: UserInfo?) async -> BusReply {
        await Self.$requester.withValue(authorization == nil ? nil : user) {
            do throws(APIError) {
                let outcome: Outcome
                switch verb {
                case "create":
                    if let object = request.object, let reviewKind = AccessReview.Kind(object: object) {
                        outcome = try self.review(
                            reviewKind, object, namespace: request.namespace,
                            user: user ?? UserInfo(name: "system:kubus:api", groups: [UserInfo.mastersGroup]))
                    } else {
                        outcome = try await create(request, requestID: requestID)
                    }
                case "get": outcome = try await get(request)
                case "list": outcome = try await list(request)
                case "update": outcome = try await update(request, requestID: requestID)
                case "patch": outcome = try await patch(request, requestID: requestID)
                case "delete": outcome = try await delete(request, requestID: requestID)
                case "changes": outcome = try await changes(request)
                case "version": outcome = version()
                default:
                    throw .make(
                        405, "MethodNotAllowed",
                        "the api does not know the verb \"\(verb)\"; it answers create, get, list, update, patch, "
                            + "delete, changes, version")
                }
                var reply = BusReply(code: outcome.code, payload: outcome.payload)
                var warnings = outcome.warnings
                if authorization == nil, verb == "create" || verb == "update" || verb == "patch",
                    let kind = request.object?["kind"]?.stringValue ?? request.kind,
                    ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].contains(kind)
                {
                    warnings.append(
                        "RBAC is not enforced (the bus is insecure, or the api runs with --authorization-mode "
                            + "AlwaysAllow): this \(kind) grants and denies nothing")
                }
                if !warnings.isEmpty { reply.envelope.extra["warnings"] = warnings.joined(separator: "\n") }
                return reply
            } catch {
                if error.code >= 500 {
                    logger.warning(
                        "api request failed", metadata: ["kubus.verb": "\(verb)", "kubus.error": "\(error.message)"])
                }
                return Self.failure(error)
            }
        }
    }

    /// The reply for an error: its code in the envelope and the `Status` as payload.
    static func failure(_ error: APIError) -> BusReply {
        let payload =
            (try? WireCoding.encoder.encode(error.status)).map { Array($0) }
            ?? Array(#"{"kind":"Status","apiVersion":"v1","status":"Failure","code":500}"#.utf8)
        return BusReply(code: error.code, payload: payload)
    }

    /// Creates the namespaces every cluster has, ignoring ones that exist. Throws when the store is unreachable.
    public func bootstrap() async throws(APIError) {
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            let payload = JSONValue.object([
                "object": ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
            ]).encoded()
            let reply = await handle(verb: "create", payload: payload, requestID: "")
            if reply.code != 201 && reply.code != 409 {
                let message = (try? JSONValue.parse(reply.payload))?["message"]?.stringValue ?? "code \(reply.code)"
                throw .make(reply.code, "InternalError", "bootstrap of namespace \(name) failed: \(message)")
            }
        }
        // The `kubernetes` Service, on the range's first address, as every Kubernetes cluster has it. Kubus has no
        // HTTPS API endpoint yet, so it has no endpoints: pods see its address and variables only.
        let kubernetes: JSONValue = [
            "apiVersion": "v1", "kind": "Service",
            "metadata": [
                "name": "kubernetes", "namespace": "default",
                "labels": ["component": "apiserver", "provider": "kubernetes"],
            ],
            "spec": [
                "clusterIP": .string(serviceIPs.value(0)),
                "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]],
                "sessionAffinity": "None",
            ],
        ]
        let reply = await handle(
            verb: "create", payload: JSONValue.object(["object": kubernetes]).encoded(), requestID: "")
        if reply.code != 201 && reply.code != 409 {
            let message = (try? JSONValue.parse(reply.payload))?["message"]?.stringValue ?? "code \(reply.code)"
            throw .make(reply.code, "InternalError", "bootstrap of service default/kubernetes failed: \(message)")
        }
        try await bootstrapPolicy()
    }
}

/// A successful answer.
struct Outcome {
    var code: Int
    var payload: [UInt8]
    var warnings: [String] = []
}

/// Tunables of the api.
public struct APIServerConfiguration: Sendable {
    /// How long a namespace looked up for a write is trusted (other api instances may delete it or change its
    /// Pod Security labels meanwhile).
    public var namespaceCacheMs: Int64 = 1000
    /// Times an update without resourceVersion, a patch or a delete is retried after a concurrent write, at
    /// most. kube-apiserver's GuaranteedUpdate retries until the request's deadline; so does the api, within
    /// `conflictRetryDeadline`, and this count bounds the work one request may cause on a hot key.
    public var conflictRetries: Int = 1000
    /// How long an unconditional write keeps retrying after losing to concurrent writers; below the bus
    /// client's 15 s request timeout, so the client hears a Conflict rather than a timeout.
    public var conflictRetryDeadline: Duration = .seconds(10)
    /// Bytes of objects one list or changes reply carries at most; a list that would hold more is answered with
    /// fewer items and `metadata.continue`, as Kubernetes' server may choose a smaller page than `limit`. Well
    /// below the bus's 16 MiB message limit.
    public var listByteBudget: Int = 8 << 20
    /// Requests the bus hands this instance at once.
    public var capacity: Int = 512
    /// Whether requests are authorized by RBAC (`--authorization-mode RBAC`, the default) or all allowed
    /// (`AlwaysAllow`). Without an authenticated bus nothing is enforced either way.
    public var enforceRBAC = true
    /// Where Services' cluster IPs come from (`--service-cluster-ip-range`); its first address is the
    /// `kubernetes` Service's.
    public var serviceClusterIPRange = CIDR("10.96.0.0/12")!
    /// Where node ports come from (`--service-node-port-range`).
    public var serviceNodePortRange: ClosedRange<Int> = 30000...32767
    /// Signs and checks ServiceAccount tokens (`--service-account-signing-key-file`); without it the api issues
    /// none, accepts none and projects none into pods.
    public var serviceAccountTokens: ServiceAccountTokenSigner?
    /// How long a checked token's user is reused before its pod and ServiceAccount are read again (kube-apiserver
    /// caches token authentication for 10 s as well): a deleted pod's token is refused within this.
    public var tokenCacheSeconds: Double = 10

    public init() {}
}

/// What writes need to know of a namespace.
struct NamespaceFacts: Sendable, Hashable {
    /// Being deleted: nothing new may be created in it.
    var terminating: Bool
    /// What its `pod-security.kubernetes.io/` labels ask of pods.
    var podSecurity: PodSecurityLabels
    /// Its LimitRanges, which default and bound pods' and claims' resources.
    var limitRanges: [LimitRange] = []
    /// Whether it has a ResourceQuota: creates are then checked against the quotas, read fresh.
    var hasQuotas = false
}

/// Namespaces recently read by this instance: name → facts, with the time read.
final class NamespaceCache: Sendable {
    private let entries = Mutex<[String: (facts: NamespaceFacts, at: Int64)]>([:])
    let ttlMs: Int64

    init(ttlMs: Int64) { self.ttlMs = ttlMs }

    /// nil when unknown or too old.
    func lookup(_ name: String) -> NamespaceFacts? {
        let now = BusClock.nowMs()
        return entries.withLock { e in
            guard let entry = e[name], now - entry.at < ttlMs else { return nil }
            return entry.facts
        }
    }

    func remember(_ name: String, _ facts: NamespaceFacts) {
        let now = BusClock.nowMs()
        entries.withLock { $0[name] = (facts, now) }
    }

    func forget(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }
}
