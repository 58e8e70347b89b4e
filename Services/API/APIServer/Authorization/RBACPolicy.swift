public import Schema

/// Who makes a request: the identity and groups the bus's key registry gives the caller's key (or, when its
/// impersonation was authorized, the user it acts as).
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String] = []) {
        self.name = name
        self.groups = groups
    }

    /// Every authenticated user is in `system:authenticated`, as in Kubernetes.
    public static let authenticatedGroup = "system:authenticated"
    /// The user of a request that names no one: the pods' shared bus key without a token.
    public static let anonymous = "system:anonymous"
    /// `system:anonymous`'s only group.
    public static let unauthenticatedGroup = "system:unauthenticated"
    /// The group that may do anything, whatever the bindings say (Kubernetes' superuser group).
    public static let mastersGroup = "system:masters"
    /// A pod's ServiceAccount user name: `system:serviceaccount:<namespace>:<name>`.
    public static func serviceAccount(namespace: String, name: String) -> String {
        "system:serviceaccount:\(namespace):\(name)"
    }
}

/// What a request asks to do: Kubernetes' authorization attributes.
public struct AccessAttributes: Sendable, Hashable {
    public var verb: String
    /// The API group ("" for the core group).
    public var group: String = ""
    /// The resource's plural, e.g. `pods`; empty for a non-resource request.
    public var resource: String = ""
    public var subresource: String = ""
    /// The namespace; empty for cluster-scoped objects and for requests across all namespaces.
    public var namespace: String = ""
    /// The object's name; empty for create, list and watch of a collection.
    public var name: String = ""
    /// The path of a non-resource request, e.g. `/version`.
    public var path: String = ""

    public init(
        verb: String, group: String = "", resource: String = "", subresource: String = "", namespace: String = "",
        name: String = "", path: String = ""
    ) {
        self.verb = verb
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
        self.path = path
    }

    public var isResourceRequest: Bool { path.isEmpty }

    /// Whether a rule's non-resource URL covers `path`: `*`, the path itself, or a prefix ending in `*`.
    static func urlMatches(_ pattern: String, _ path: String) -> Bool {
        pattern == "*" || pattern == path || (pattern.hasSuffix("*") && path.hasPrefix(pattern.dropLast()))
    }

    /// `pods/log` for a subresource, `pods` otherwise.
    var combinedResource: String { subresource.isEmpty ? resource : "\(resource)/\(subresource)" }

    /// How Kubernetes words a denial: `User "jane" cannot delete resource "pods" in API group "" in the namespace
    /// "default"`.
    func denial(for user: UserInfo) -> String {
        guard isResourceRequest else { return "User \"\(user.name)\" cannot \(verb) path \"\(path)\"" }
        var text = "User \"\(user.name)\" cannot \(verb) resource \"\(combinedResource)\" in API group \"\(group)\""
        text += namespace.isEmpty ? " at the cluster scope" : " in the namespace \"\(namespace)\""
        return text
    }
}

/// An authorization decision, with the binding that allowed it (or why nothing did).
public struct AccessDecision: Sendable, Hashable {
    public var allowed: Bool
    public var reason: String
}

/// The RBAC rules in force: a snapshot of every Role, ClusterRole, RoleBinding and ClusterRoleBinding, and the
/// evaluation of rbac.authorization.k8s.io/v1's semantics over it. Deny by default: a request is allowed only when
/// some binding whose subjects include the user grants a rule that covers it (or the user is in `system:masters`).
public struct RBACPolicy: Sendable {
    /// Roles by namespace, then name.
    var roles: [String: [String: [PolicyRule]]] = [:]
    /// ClusterRoles by name, with aggregated rules already resolved.
    var clusterRoles: [String: [PolicyRule]] = [:]
    /// RoleBindings by namespace.
    var roleBindings: [String: [RoleBinding]] = [:]
    var clusterRoleBindings: [ClusterRoleBinding] = []

    public init(
        roles: [Role] = [], clusterRoles: [ClusterRole] = [], roleBindings: [RoleBinding] = [],
        clusterRoleBindings: [ClusterRoleBinding] = []
    ) {
        for role in roles {
            self.roles[role.metadata.namespace ?? "", default: [:]][role.metadata.name ?? ""] = role.rules ?? []
        }
        self.clusterRoles = Self.aggregate(clusterRoles)
        for binding in roleBindings { self.roleBindings[binding.metadata.namespace ?? "", default: []].append(binding) }
        self.clusterRoleBindings = clusterRoleBindings
    }

    /// Each ClusterRole's rules; a role with an `aggregationRule` has the rules of every ClusterRole whose labels
    /// match one of its selectors (what Kubernetes' aggregation controller writes into its `rules`).
    static func aggregate(_ roles: [ClusterRole]) -> [String: [PolicyRule]] {
        var rules: [String: [PolicyRule]] = [:]
        for role in roles { rules[role.metadata.name ?? ""] = role.rules ?? [] }
        for role in roles {
            guard let selectors = role.aggregationRule?.clusterRoleSelectors, !selectors.isEmpty else { continue }
            var union: [PolicyRule] = []
            for other in roles where other.metadata.name != role.metadata.name {
                let labels = other.metadata.labels ?? [:]
                if selectors.contains(where: { $0.matches(labels) }) {
                    for rule in other.rules ?? [] where !union.contains(rule) { union.append(rule) }
                }
            }
            rules[role.metadata.name ?? ""] = union
        }
        return rules
    }

    /// Whether `user` may do what `attributes` say.
    public func authorize(_ user: UserInfo, _ attributes: AccessAttributes) -> AccessDecision {
        if user.groups.contains(UserInfo.mastersGroup) {
            return AccessDecision(allowed: true, reason: "the user is in group \"\(UserInfo.mastersGroup)\"")
        }
        for binding in clusterRoleBindings where Self.matches(binding.subjects ?? [], user, bindingNamespace: "") {
            if let rules = rulesOf(binding.roleRef, namespace: ""),
                rules.contains(where: { Self.allows($0, attributes) })
            {
                return AccessDecision(
                    allowed: true,
                    reason: "RBAC: allowed by ClusterRoleBinding \"\(binding.metadata.name ?? "")\" of ClusterRole "
                        + "\"\(binding.roleRef.name)\" to \(Self.describe(binding.subjects ?? [], user))")
            }
        }
        if !attributes.namespace.isEmpty {
            for binding in roleBindings[attributes.namespace] ?? []
            where Self.matches(binding.subjects ?? [], user, bindingNamespace: attributes.namespace) {
                if let rules = rulesOf(binding.roleRef, namespace: attributes.namespace),
                    rules.contains(where: { Self.allows($0, attributes) })
                {
                    return AccessDecision(
                        allowed: true,
                        reason:
                            "RBAC: allowed by RoleBinding \"\(binding.metadata.name ?? "")/\(attributes.namespace)\" "
                            + "of \(binding.roleRef.kind) \"\(binding.roleRef.name)\" to "
                            + Self.describe(binding.subjects ?? [], user))
                }
            }
        }
        return AccessDecision(allowed: false, reason: "")
    }

    /// Every rule that applies to `user` in `namespace` (cluster-wide ones included); `namespace` empty for the
    /// cluster scope only. What `auth can-i --list` shows and what escalation checks compare against.
    public func rules(for user: UserInfo, namespace: String) -> [PolicyRule] {
        if user.groups.contains(UserInfo.mastersGroup) {
            return [
                PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
            ]
        }
        var out: [PolicyRule] = []
        func add(_ rules: [PolicyRule]) { for rule in rules where !out.contains(rule) { out.append(rule) } }
        for binding in clusterRoleBindings where Self.matches(binding.subjects ?? [], user, bindingNamespace: "") {
            add(rulesOf(binding.roleRef, namespace: "") ?? [])
        }
        if !namespace.isEmpty {
            for binding in roleBindings[namespace] ?? []
            where Self.matches(binding.subjects ?? [], user, bindingNamespace: namespace) {
                add(rulesOf(binding.roleRef, namespace: namespace) ?? [])
            }
        }
        return out
    }

    /// The rules a binding's role reference grants; nil when the role does not exist (a binding may name a role
    /// made later).
    func rulesOf(_ ref: RoleRef, namespace: String) -> [PolicyRule]? {
        switch ref.kind {
        case "ClusterRole": clusterRoles[ref.name]
        case "Role": namespace.isEmpty ? nil : roles[namespace]?[ref.name]
        default: nil
        }
    }

    // MARK: Matching

    static func matches(_ subjects: [Subject], _ user: UserInfo, bindingNamespace: String) -> Bool {
        subjects.contains { subject in
            switch subject.kind {
            case "User": subject.name == user.name
            case "Group": user.groups.contains(subject.name) || subject.name == UserInfo.authenticatedGroup
            case "ServiceAccount":
                user.name
                    == UserInfo.serviceAccount(
                        namespace: subject.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? bindingNamespace,
                        name: subject.name)
            default: false
            }
        }
    }

    static func describe(_ subjects: [Subject], _ user: UserInfo) -> String {
        let matching = subjects.first { matches([$0], user, bindingNamespace: "") } ?? subjects.first
        guard let subject = matching else { return "nobody" }
        return "\(subject.kind) \"\(subject.name)\""
    }

    /// Whether one rule covers the request (Kubernetes' RuleAllows).
    static func allows(_ rule: PolicyRule, _ a: AccessAttributes) -> Bool {
        guard rule.verbs.contains("*") || rule.verbs.contains(a.verb) else { return false }
        guard a.isResourceRequest else {
            return (rule.nonResourceURLs ?? []).contains { url in
                AccessAttributes.urlMatches(url, a.path)
            }
        }
        let groups = rule.apiGroups ?? []
        guard groups.contains("*") || groups.contains(a.group) else { return false }
        let combined = a.combinedResource
        let resourceMatches = (rule.resources ?? []).contains { r in
            r == "*" || r == combined || (!a.subresource.isEmpty && r == "*/\(a.subresource)")
        }
        guard resourceMatches else { return false }
        let names = rule.resourceNames ?? []
        return names.isEmpty || (!a.name.isEmpty && names.contains(a.name))
    }

    /// Whether `rules` together cover every permission of `rule`: what a user must hold to write a role with it,
    /// or bind a role that has it (Kubernetes' escalation check, rule by rule: each verb, group, resource and name
    /// of `rule` must be allowed by some rule in `rules`).
    static func covers(_ rules: [PolicyRule], _ rule: PolicyRule) -> Bool {
        let verbs = rule.verbs
        if let urls = rule.nonResourceURLs, !urls.isEmpty {
            return verbs.allSatisfy { verb in
                urls.allSatisfy { url in
                    rules.contains { held in
                        (held.verbs.contains("*") || held.verbs.contains(verb))
                            && (held.nonResourceURLs ?? []).contains { h in
                                AccessAttributes.urlMatches(h, url)
                            }
                    }
                }
            }
        }
        let groups = rule.apiGroups ?? []
        let resources = rule.resources ?? []
        let names = rule.resourceNames ?? []
        return verbs.allSatisfy { verb in
            groups.allSatisfy { group in
                resources.allSatisfy { resource in
                    rules.contains { held in
                        guard held.verbs.contains("*") || held.verbs.contains(verb) else { return false }
                        let heldGroups = held.apiGroups ?? []
                        guard heldGroups.contains("*") || heldGroups.contains(group) else { return false }
                        let heldResources = held.resources ?? []
                        let subresource = resource.split(separator: "/", maxSplits: 1).dropFirst().first.map(
                            String.init)
                        guard
                            heldResources.contains("*") || heldResources.contains(resource)
                                || (subresource.map { heldResources.contains("*/\($0)") } ?? false)
                        else { return false }
                        let heldNames = held.resourceNames ?? []
                        return heldNames.isEmpty || (!names.isEmpty && names.allSatisfy { heldNames.contains($0) })
                    }
                }
            }
        }
    }
}
