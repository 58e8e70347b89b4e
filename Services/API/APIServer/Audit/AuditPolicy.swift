import Schema

/// How much of a request the audit log keeps (Kubernetes' audit levels).
public enum AuditLevel: String, Sendable, Comparable, CaseIterable {
    /// Nothing.
    case none = "None"
    /// Who, what, when, the answer's code and the latency.
    case metadata = "Metadata"
    /// And the request's object.
    case request = "Request"
    /// And the response's object.
    case requestResponse = "RequestResponse"

    public static func < (a: AuditLevel, b: AuditLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// An `audit.k8s.io/v1` Policy: rules checked in order, the first that matches a request gives its level; a request
/// no rule matches is not logged. The official example (kubernetes/website `audit/audit-policy.yaml`) reads
/// unchanged. Only the ResponseComplete stage exists in Kubus (a request is logged once, when answered), so
/// `omitStages` is read and has nothing to omit but that stage.
public struct AuditPolicy: Sendable {
    struct GroupResources: Sendable {
        var group: String?
        var resources: [String]
        var resourceNames: [String]
    }

    struct Rule: Sendable {
        var level: AuditLevel
        var users: [String]
        var userGroups: [String]
        var verbs: [String]
        var resources: [GroupResources]
        var namespaces: [String]
        var nonResourceURLs: [String]
        var omitsResponseComplete: Bool
    }

    var rules: [Rule]
    var omitsResponseComplete: Bool

    /// Logs every request at `level`.
    public init(everything level: AuditLevel) {
        rules = [
            Rule(
                level: level, users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [],
                omitsResponseComplete: false)
        ]
        omitsResponseComplete = false
    }

    /// The policy of an api given `--audit-log-path` without `--audit-policy-file`: every request at Metadata, except
    /// the cluster's own programs' reads and their Lease and Event writes (leader and node heartbeats, several a
    /// second), which would bury what people do.
    public static let standard: AuditPolicy = {
        let yaml = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: None
              userGroups: [system:nodes, \(ServicePolicy.roles.map(\.name).filter { $0.hasPrefix("system:kubus:") }.joined(separator: ", "))]
              verbs: [get, list, watch]
            - level: None
              userGroups: [system:nodes, \(ServicePolicy.roles.map(\.name).filter { $0.hasPrefix("system:kubus:") }.joined(separator: ", "))]
              resources:
              - {group: coordination.k8s.io, resources: [leases]}
              - {group: "", resources: [events, nodes/status]}
            - level: Metadata
            """
        // The text above is fixed; a failure to read it is a programming error caught by the unit tests.
        return (try? AuditPolicy(yaml: yaml, source: "the standard audit policy")) ?? AuditPolicy(everything: .metadata)
    }()

    /// Reads a policy; an error names the field and what it allows.
    public init(yaml: String, source: String) throws(AuditPolicyError) {
        let document: JSONValue
        do {
            document = try Manifest.document(yaml: yaml, source: source)
        } catch {
            throw AuditPolicyError(message: error.message)
        }
        func fail(_ message: String) -> AuditPolicyError { AuditPolicyError(message: "\(source): \(message)") }
        guard document["kind"]?.stringValue == "Policy",
            let version = document["apiVersion"]?.stringValue, version.hasPrefix("audit.k8s.io/")
        else {
            throw fail("an audit policy has apiVersion audit.k8s.io/v1 and kind Policy")
        }
        func strings(_ value: JSONValue?, _ field: String) throws(AuditPolicyError) -> [String] {
            guard let value, !value.isNull else { return [] }
            guard let array = value.arrayValue else { throw fail("\(field) must be a list of strings") }
            var out: [String] = []
            for item in array {
                guard let text = item.stringValue else { throw fail("\(field) must be a list of strings") }
                out.append(text)
            }
            return out
        }
        func omits(_ value: JSONValue?, _ field: String) throws(AuditPolicyError) -> Bool {
            let stages = try strings(value, field)
            let known = ["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"]
            if let bad = stages.first(where: { !known.contains($0) }) {
                throw fail("\(field): unsupported stage \"\(bad)\": supported values: \(known.joined(separator: ", "))")
            }
            return stages.contains("ResponseComplete")
        }
        omitsResponseComplete = try omits(document["omitStages"], "omitStages")
        guard let list = document["rules"]?.arrayValue, !list.isEmpty else {
            throw fail("rules: at least one rule is required")
        }
        var rules: [Rule] = []
        for (i, item) in list.enumerated() {
            let path = "rules[\(i)]"
            guard let levelText = item["level"]?.stringValue, let level = AuditLevel(rawValue: levelText) else {
                throw fail(
                    "\(path).level: must be one of "
                        + AuditLevel.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            var resources: [GroupResources] = []
            for (j, entry) in (item["resources"]?.arrayValue ?? []).enumerated() {
                resources.append(
                    GroupResources(
                        group: entry["group"]?.stringValue,
                        resources: try strings(entry["resources"], "\(path).resources[\(j)].resources"),
                        resourceNames: try strings(entry["resourceNames"], "\(path).resources[\(j)].resourceNames")))
            }
            let urls = try strings(item["nonResourceURLs"], "\(path).nonResourceURLs")
            if !urls.isEmpty && (!resources.isEmpty || item["namespaces"] != nil) {
                throw fail("\(path): nonResourceURLs cannot be combined with resources or namespaces")
            }
            rules.append(
                Rule(
                    level: level, users: try strings(item["users"], "\(path).users"),
                    userGroups: try strings(item["userGroups"], "\(path).userGroups"),
                    verbs: try strings(item["verbs"], "\(path).verbs"), resources: resources,
                    namespaces: try strings(item["namespaces"], "\(path).namespaces"), nonResourceURLs: urls,
                    omitsResponseComplete: try omits(item["omitStages"], "\(path).omitStages")))
        }
        self.rules = rules
    }

    /// The level of a request: the first matching rule's, `.none` when none matches or its stage is omitted.
    public func level(_ user: UserInfo, _ attributes: AccessAttributes) -> AuditLevel {
        guard let rule = rules.first(where: { Self.matches($0, user, attributes) }) else { return .none }
        return omitsResponseComplete || rule.omitsResponseComplete ? .none : rule.level
    }

    static func matches(_ rule: Rule, _ user: UserInfo, _ a: AccessAttributes) -> Bool {
        if !rule.users.isEmpty && !rule.users.contains(user.name) { return false }
        if !rule.userGroups.isEmpty && !rule.userGroups.contains(where: user.groups.contains) { return false }
        if !rule.verbs.isEmpty && !rule.verbs.contains(a.verb) { return false }
        if !a.isResourceRequest {
            // A rule for resources or namespaces never matches a non-resource request.
            if !rule.resources.isEmpty || !rule.namespaces.isEmpty { return false }
            return rule.nonResourceURLs.isEmpty
                || rule.nonResourceURLs.contains { url in
                    AccessAttributes.urlMatches(url, a.path)
                }
        }
        if !rule.nonResourceURLs.isEmpty { return false }
        if !rule.namespaces.isEmpty && !rule.namespaces.contains(a.namespace) { return false }
        if rule.resources.isEmpty { return true }
        return rule.resources.contains { entry in
            guard (entry.group ?? "") == a.group || entry.group == "*" else { return false }
            let combined = a.combinedResource
            let resourceMatches =
                entry.resources.isEmpty
                || entry.resources.contains { r in
                    r == "*" || r == combined || (r.hasPrefix("*/") && r.dropFirst(2) == a.subresource)
                        || (r.hasSuffix("/*") && r.dropLast(2) == a.resource)
                }
            return resourceMatches && (entry.resourceNames.isEmpty || entry.resourceNames.contains(a.name))
        }
    }
}

/// A policy file that cannot be used, with the field and what it allows.
public struct AuditPolicyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
