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
