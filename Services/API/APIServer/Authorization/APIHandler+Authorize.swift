public import Bus
import Schema
import Synchronization
import Wire

/// The RBAC rules the api enforces, as the latest snapshot of the four RBAC kinds (`RBACCache` keeps it current).
public final class Authorization: Sendable {
    private let current: Mutex<RBACPolicy>

    public init(policy: RBACPolicy = RBACPolicy()) { current = Mutex(policy) }

    public var policy: RBACPolicy { current.withLock { $0 } }

    public func update(_ policy: RBACPolicy) { current.withLock { $0 = policy } }
}

/// A request's ask to act as another user (kubectl's `--as` and `--as-group`): envelope fields `impersonate-user`
/// and `impersonate-groups` (comma-separated).
public struct Impersonation: Sendable, Hashable {
    public var user: String
    public var groups: [String]

    public init(user: String, groups: [String] = []) {
        self.user = user
        self.groups = groups
    }

    /// From a request's envelope; nil when it asks for none.
    public init?(envelope: Envelope) {
        guard let user = envelope.extra["impersonate-user"], !user.isEmpty else { return nil }
        self.user = user
        groups = (envelope.extra["impersonate-groups"] ?? "").split(separator: ",").map(String.init)
    }
}

extension APIHandler {
    /// The user a request runs as: the caller, or the user it impersonates once the caller may (`impersonate` on
    /// `users`, `groups`, or the ServiceAccount); throws 403 otherwise.
    func effectiveUser(_ caller: UserInfo, impersonating: Impersonation?) throws(APIError) -> UserInfo {
        guard let impersonating, let authorization else { return caller }
        let policy = authorization.policy
        var asks: [AccessAttributes] = []
        let parts = impersonating.user.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
            asks.append(
                AccessAttributes(
                    verb: "impersonate", resource: "serviceaccounts", namespace: String(parts[2]),
                    name: String(parts[3])))
        } else {
            asks.append(AccessAttributes(verb: "impersonate", resource: "users", name: impersonating.user))
        }
        for group in impersonating.groups {
            asks.append(AccessAttributes(verb: "impersonate", resource: "groups", name: group))
        }
        for ask in asks where !policy.authorize(caller, ask).allowed {
            throw .make(
                403, "Forbidden",
                "\(ask.resource) \"\(ask.name)\" is forbidden: \(ask.denial(for: caller))",
                details: StatusDetails(name: ask.name, group: "", kind: ask.resource))
        }
        return UserInfo(name: impersonating.user, groups: impersonating.groups + [UserInfo.authenticatedGroup])
    }

    /// Fails with 403 unless `user` may do what `attributes` say.
    func authorize(_ user: UserInfo, _ attributes: AccessAttributes) throws(APIError) {
        guard let authorization else { return }
        let decision = authorization.policy.authorize(user, attributes)
        guard !decision.allowed else { return }
        let what = attributes.isResourceRequest ? attributes.combinedResource : attributes.path
        let name = attributes.name.isEmpty ? "" : " \"\(attributes.name)\""
        throw .make(
            403, "Forbidden", "\(what)\(name) is forbidden: \(attributes.denial(for: user))",
            details: StatusDetails(name: attributes.name, group: attributes.group, kind: attributes.resource))
    }

    /// What a request asks, resolved as its verb resolves kind, namespace and name; nil for a verb the api does
    /// not know (it answers 405).
    func accessAttributes(verb: String, request: APIRequest) throws(APIError) -> AccessAttributes? {
        let info: KindInfo
        var namespace: String?
        var name = request.name ?? ""
        let subresource = request.subresource ?? ""
        switch verb {
        case "version":
            return AccessAttributes(verb: "get", path: "/version")
        case "create":
            guard let object = request.object else { throw .badRequest("field \"object\" is required") }
            if let review = AccessReview.Kind(object: object) {
                return AccessAttributes(verb: "create", group: review.group, resource: review.resource)
            }
            if subresource == "binding" || subresource == "token" {
                info = try resolveKind(subresource == "token" ? "ServiceAccount" : "Pod").0
                namespace = try resolveNamespace(info, requested: request.namespace, object: object)
                name = request.name ?? object[path: ["metadata", "name"]]?.stringValue ?? ""
            } else {
                info = try resolveObjectKind(object).0
                namespace = try resolveNamespace(info, requested: request.namespace, object: object)
                name = ""
            }
        case "update":
            guard let object = request.object else { throw .badRequest("field \"object\" is required") }
            info = try resolveObjectKind(object).0
            namespace = try resolveNamespace(info, requested: request.namespace, object: object)
            name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        case "get", "patch", "delete":
            info = try resolveKind(request.kind).0
            namespace = try resolveNamespace(info, requested: request.namespace)
        case "list", "changes":
            info = try resolveKind(request.kind).0
            namespace = try resolveNamespace(info, requested: request.namespace, allowAll: true)
        default:
            return nil
        }
        return AccessAttributes(
            verb: verb == "changes" ? "watch" : verb, group: info.group, resource: info.plural,
            subresource: subresource, namespace: namespace ?? "", name: name)
    }

    /// Escalation prevention (Kubernetes' RBAC storage rules): a user may write a Role or ClusterRole only with
    /// rules it holds itself where the role applies, or with the `escalate` verb on it; and a RoleBinding or
    /// ClusterRoleBinding only to a role whose rules it holds there, or with the `bind` verb on that role.
    func checkEscalation(_ info: KindInfo, _ object: JSONValue, namespace: String?) throws(APIError) {
        guard let user = Self.requester, let authorization else { return }
        let policy = authorization.policy
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let scope = namespace ?? ""
        func denied(_ message: String) -> APIError {
            .make(
                403, "Forbidden", "\(info.qualifiedResource) \"\(name)\" is forbidden: \(message)",
                details: StatusDetails(name: name, group: info.group, kind: info.plural))
        }
        switch info.kind {
        case "Role", "ClusterRole":
            let rules = (try? object["rules"].map { try $0.decode(as: [PolicyRule].self) }) ?? nil
            let escalate = AccessAttributes(
                verb: "escalate", group: info.group, resource: info.plural, namespace: scope, name: name)
            if policy.authorize(user, escalate).allowed { return }
            let held = policy.rules(for: user, namespace: scope)
            let missing = (rules ?? []).filter { !RBACPolicy.covers(held, $0) }
            if !missing.isEmpty {
                throw denied(
                    "user \"\(user.name)\" is attempting to grant RBAC permissions not currently held: "
                        + missing.map(Self.describe).joined(separator: "; "))
            }
        case "RoleBinding", "ClusterRoleBinding":
            guard let ref = try? object["roleRef"]?.decode(as: RoleRef.self) else { return }
            let refResource = ref.kind == "Role" ? "roles" : "clusterroles"
            let bind = AccessAttributes(
                verb: "bind", group: info.group, resource: refResource, namespace: ref.kind == "Role" ? scope : "",
                name: ref.name)
            if policy.authorize(user, bind).allowed { return }
            let held = policy.rules(for: user, namespace: scope)
            let granted = policy.rulesOf(ref, namespace: scope) ?? []
            let missing = granted.filter { !RBACPolicy.covers(held, $0) }
            if !missing.isEmpty {
                throw denied(
                    "user \"\(user.name)\" is attempting to grant RBAC permissions not currently held: "
                        + missing.map(Self.describe).joined(separator: "; "))
            }
        default:
            return
        }
    }

    static func describe(_ rule: PolicyRule) -> String {
        var parts: [String] = []
        if let groups = rule.apiGroups {
            parts.append("APIGroups:[\(groups.map { "\"\($0)\"" }.joined(separator: " "))]")
        }
        if let resources = rule.resources { parts.append("Resources:[\(resources.joined(separator: " "))]") }
        if let names = rule.resourceNames, !names.isEmpty {
            parts.append("ResourceNames:[\(names.joined(separator: " "))]")
        }
        if let urls = rule.nonResourceURLs, !urls.isEmpty {
            parts.append("NonResourceURLs:[\(urls.joined(separator: " "))]")
        }
        parts.append("Verbs:[\(rule.verbs.joined(separator: " "))]")
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// The user of the request this task serves; nil for the api's own calls (bootstrap, its caches) and on an
    /// insecure bus.
    @TaskLocal static var requester: UserInfo?
}
