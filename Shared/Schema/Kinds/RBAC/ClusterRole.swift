// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Cluster-wide permissions.
public struct ClusterRole: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .clusterRole }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `rules` field.
    public var rules: [PolicyRule]?
    /// Kubernetes' `aggregationRule` field.
    public var aggregationRule: AggregationRule?

    /// Creates a `ClusterRole`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        rules: [PolicyRule]? = nil,
        aggregationRule: AggregationRule? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.rules = rules
        self.aggregationRule = aggregationRule
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case rules
        case aggregationRule
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.rules = try container.decodeIfPresent([PolicyRule].self, forKey: .rules)
        self.aggregationRule = try container.decodeIfPresent(AggregationRule.self, forKey: .aggregationRule)
    }
}

extension ClusterRole: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.rules = try JSONTree.field(members, "rules")
        self.aggregationRule = try JSONTree.field(members, "aggregationRule")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        if let rules { members["rules"] = rules.jsonTree() }
        if let aggregationRule { members["aggregationRule"] = aggregationRule.jsonTree() }
        return .object(members)
    }
}

/// Cluster roles whose rules are aggregated into this one.
public struct AggregationRule: Sendable, Codable, Hashable {
    /// Kubernetes' `clusterRoleSelectors` field.
    public var clusterRoleSelectors: [LabelSelector]?

    /// Creates a `AggregationRule`; every field defaults to empty.
    public init(
        clusterRoleSelectors: [LabelSelector]? = nil
    ) {
        self.clusterRoleSelectors = clusterRoleSelectors
    }

    enum CodingKeys: String, CodingKey {
        case clusterRoleSelectors
    }
}

extension AggregationRule: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.clusterRoleSelectors = try JSONTree.field(members, "clusterRoleSelectors")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let clusterRoleSelectors { members["clusterRoleSelectors"] = clusterRoleSelectors.jsonTree() }
        return .object(members)
    }
}
