import Schema
import Wire

/// authorization.k8s.io/v1's reviews, answered on `create` and never stored, as kube-apiserver answers them:
/// SelfSubjectAccessReview (may I?), SubjectAccessReview (may they?), LocalSubjectAccessReview (may they, in this
/// namespace?) and SelfSubjectRulesReview (what may I in this namespace?). `kubusctl auth can-i` sends them.
enum AccessReview {
    static let group = "authorization.k8s.io"

    enum Kind: String {
        case selfSubjectAccessReview = "SelfSubjectAccessReview"
        case subjectAccessReview = "SubjectAccessReview"
        case localSubjectAccessReview = "LocalSubjectAccessReview"
        case selfSubjectRulesReview = "SelfSubjectRulesReview"
        /// authentication.k8s.io's "who am I" (`kubectl auth whoami`).
        case selfSubjectReview = "SelfSubjectReview"

        init?(object: JSONValue) {
            guard let version = object["apiVersion"]?.stringValue, let name = object["kind"]?.stringValue,
                let kind = Self(rawValue: name), version.hasPrefix(kind.group + "/")
            else { return nil }
            self = kind
        }

        var group: String { self == .selfSubjectReview ? "authentication.k8s.io" : AccessReview.group }

        var resource: String { rawValue.lowercased() + "s" }
    }
}

extension APIHandler {
    /// Answers a review for `user` (the caller, or whom it impersonates); 201 with the object and its `status`.
    func review(_ kind: AccessReview.Kind, _ object: JSONValue, namespace requested: String?, user: UserInfo)
        throws(APIError) -> Outcome
    {
        var reply = object
        reply["metadata"] = reply["metadata"] ?? .object(["creationTimestamp": .null])
        let spec = object["spec"] ?? [:]
        // Without RBAC (an insecure bus) everything is allowed, and the review says so.
        let policy = authorization?.policy
        switch kind {
        case .selfSubjectReview:
            reply["status"] = [
                "userInfo": [
                    "username": .string(user.name), "groups": .array(user.groups.map { .string($0) }),
                ]
            ]
        case .selfSubjectRulesReview:
            let namespace = spec["namespace"]?.stringValue ?? requested ?? ""
            let rules =
                policy?.rules(for: user, namespace: namespace)
                ?? [
                    PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                    PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
                ]
            var resourceRules: [JSONValue] = []
            var nonResourceRules: [JSONValue] = []
            for rule in rules {
                if let urls = rule.nonResourceURLs, !urls.isEmpty {
                    nonResourceRules.append([
                        "verbs": .array(rule.verbs.map { .string($0) }),
                        "nonResourceURLs": .array(urls.map { .string($0) }),
                    ])
                } else {
                    var entry: JSONValue = [
                        "verbs": .array(rule.verbs.map { .string($0) }),
                        "apiGroups": .array((rule.apiGroups ?? []).map { .string($0) }),
                        "resources": .array((rule.resources ?? []).map { .string($0) }),
                    ]
                    if let names = rule.resourceNames, !names.isEmpty {
                        entry["resourceNames"] = .array(names.map { .string($0) })
                    }
                    resourceRules.append(entry)
                }
            }
            reply["status"] = [
                "resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules),
                "incomplete": false,
            ]
        case .selfSubjectAccessReview, .subjectAccessReview, .localSubjectAccessReview:
            var subject = user
            if kind != .selfSubjectAccessReview {
                guard let name = spec["user"]?.stringValue, !name.isEmpty else {
                    throw .invalid(
                        KindInfo.reviewInfo(kind), "",
                        [.required("spec.user", "at least one of user or group must be specified")])
                }
                let groups = (spec["groups"]?.arrayValue ?? []).compactMap(\.stringValue)
                subject = UserInfo(name: name, groups: groups)
            }
            let attributes: AccessAttributes
            if let resource = spec["resourceAttributes"], resource.objectValue != nil {
                var namespace = resource["namespace"]?.stringValue ?? ""
                if kind == .localSubjectAccessReview { namespace = requested ?? namespace }
                attributes = AccessAttributes(
                    verb: resource["verb"]?.stringValue ?? "", group: resource["group"]?.stringValue ?? "",
                    resource: resource["resource"]?.stringValue ?? "",
                    subresource: resource["subresource"]?.stringValue ?? "", namespace: namespace,
                    name: resource["name"]?.stringValue ?? "")
            } else if let nonResource = spec["nonResourceAttributes"], nonResource.objectValue != nil {
                attributes = AccessAttributes(
                    verb: nonResource["verb"]?.stringValue ?? "", path: nonResource["path"]?.stringValue ?? "/")
            } else {
                throw .invalid(
                    KindInfo.reviewInfo(kind), "",
                    [
                        .required(
                            "spec.resourceAttributes",
                            "exactly one of nonResourceAttributes or resourceAttributes must be specified")
                    ])
            }
            guard !attributes.verb.isEmpty else {
                throw .invalid(KindInfo.reviewInfo(kind), "", [.required("spec.resourceAttributes.verb", "")])
            }
            let decision = policy?.authorize(subject, attributes) ?? AccessDecision(allowed: true, reason: "")
            var status: JSONValue = ["allowed": .bool(decision.allowed)]
            if policy == nil { status["reason"] = "authorization is off: the bus is insecure" }
            if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
            reply["status"] = status
        }
        return Outcome(code: 201, payload: reply.encoded())
    }
}

extension KindInfo {
    /// A registry-shaped description of a review kind, for error messages.
    static func reviewInfo(_ kind: AccessReview.Kind) -> KindInfo {
        var info = KindInfo.namespace
        info.kind = kind.rawValue
        info.group = kind.group
        info.plural = kind.resource
        info.singular = kind.rawValue.lowercased()
        info.shortNames = []
        info.namespaced = kind == .localSubjectAccessReview
        return info
    }
}
