// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Scheduling constraints relative to nodes and other pods.
public struct Affinity: Sendable, Codable, Hashable {
    /// Kubernetes' `nodeAffinity` field.
    public var nodeAffinity: NodeAffinity?
    /// Kubernetes' `podAffinity` field.
    public var podAffinity: PodAffinity?
    /// Kubernetes' `podAntiAffinity` field.
    public var podAntiAffinity: PodAntiAffinity?

    /// Creates a `Affinity`; every field defaults to empty.
    public init(
        nodeAffinity: NodeAffinity? = nil,
        podAffinity: PodAffinity? = nil,
        podAntiAffinity: PodAntiAffinity? = nil
    ) {
        self.nodeAffinity = nodeAffinity
        self.podAffinity = podAffinity
        self.podAntiAffinity = podAntiAffinity
    }

    enum CodingKeys: String, CodingKey {
        case nodeAffinity
        case podAffinity
        case podAntiAffinity
    }
}

extension Affinity: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.nodeAffinity = try JSONTree.field(members, "nodeAffinity")
        self.podAffinity = try JSONTree.field(members, "podAffinity")
        self.podAntiAffinity = try JSONTree.field(members, "podAntiAffinity")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let nodeAffinity { members["nodeAffinity"] = nodeAffinity.jsonTree() }
        if let podAffinity { members["podAffinity"] = podAffinity.jsonTree() }
        if let podAntiAffinity { members["podAntiAffinity"] = podAntiAffinity.jsonTree() }
        return .object(members)
    }
}

/// Constraints on the nodes a pod may run on.
public struct NodeAffinity: Sendable, Codable, Hashable {
    /// Kubernetes' `requiredDuringSchedulingIgnoredDuringExecution` field.
    public var requiredDuringSchedulingIgnoredDuringExecution: NodeSelector?
    /// Kubernetes' `preferredDuringSchedulingIgnoredDuringExecution` field.
    public var preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]?

    /// Creates a `NodeAffinity`; every field defaults to empty.
    public init(
        requiredDuringSchedulingIgnoredDuringExecution: NodeSelector? = nil,
        preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]? = nil
    ) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }

    enum CodingKeys: String, CodingKey {
        case requiredDuringSchedulingIgnoredDuringExecution
        case preferredDuringSchedulingIgnoredDuringExecution
    }
}

extension NodeAffinity: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.requiredDuringSchedulingIgnoredDuringExecution = try JSONTree.field(
            members, "requiredDuringSchedulingIgnoredDuringExecution")
        self.preferredDuringSchedulingIgnoredDuringExecution = try JSONTree.field(
            members, "preferredDuringSchedulingIgnoredDuringExecution")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let requiredDuringSchedulingIgnoredDuringExecution {
            members["requiredDuringSchedulingIgnoredDuringExecution"] =
                requiredDuringSchedulingIgnoredDuringExecution.jsonTree()
        }
        if let preferredDuringSchedulingIgnoredDuringExecution {
            members["preferredDuringSchedulingIgnoredDuringExecution"] =
                preferredDuringSchedulingIgnoredDuringExecution.jsonTree()
        }
        return .object(members)
    }
}

/// A union of node selector terms.
public struct NodeSelector: Sendable, Codable, Hashable {
    /// Kubernetes' `nodeSelectorTerms` field.
    public var nodeSelectorTerms: [NodeSelectorTerm]

    /// Creates a `NodeSelector`; every field defaults to empty.
    public init(
        nodeSelectorTerms: [NodeSelectorTerm] = []
    ) {
        self.nodeSelectorTerms = nodeSelectorTerms
    }

    enum CodingKeys: String, CodingKey {
        case nodeSelectorTerms
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.nodeSelectorTerms =
            try container.decodeIfPresent([NodeSelectorTerm].self, forKey: .nodeSelectorTerms) ?? []
    }
}

extension NodeSelector: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.nodeSelectorTerms = try JSONTree.field(members, "nodeSelectorTerms") ?? []
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["nodeSelectorTerms"] = nodeSelectorTerms.jsonTree()
        return .object(members)
    }
}

/// Requirements that are ANDed.
public struct NodeSelectorTerm: Sendable, Codable, Hashable {
    /// Kubernetes' `matchExpressions` field.
    public var matchExpressions: [NodeSelectorRequirement]?
    /// Kubernetes' `matchFields` field.
    public var matchFields: [NodeSelectorRequirement]?

    /// Creates a `NodeSelectorTerm`; every field defaults to empty.
    public init(
        matchExpressions: [NodeSelectorRequirement]? = nil,
        matchFields: [NodeSelectorRequirement]? = nil
    ) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }

    enum CodingKeys: String, CodingKey {
        case matchExpressions
        case matchFields
    }
}

extension NodeSelectorTerm: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.matchExpressions = try JSONTree.field(members, "matchExpressions")
        self.matchFields = try JSONTree.field(members, "matchFields")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let matchExpressions { members["matchExpressions"] = matchExpressions.jsonTree() }
        if let matchFields { members["matchFields"] = matchFields.jsonTree() }
        return .object(members)
    }
}

/// A node label or field requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt).
public struct NodeSelectorRequirement: Sendable, Codable, Hashable {
    /// The key.
    public var key: String
    /// The operator.
    public var `operator`: String
    /// The values.
    public var values: [String]?

    /// Creates a `NodeSelectorRequirement`; every field defaults to empty.
    public init(
        key: String = "",
        `operator`: String = "",
        values: [String]? = nil
    ) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    enum CodingKeys: String, CodingKey {
        case key
        case `operator`
        case values
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.operator = try container.decodeIfPresent(String.self, forKey: .`operator`) ?? ""
        self.values = try container.decodeIfPresent([String].self, forKey: .values)
    }
}

extension NodeSelectorRequirement: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.key = try JSONTree.field(members, "key") ?? ""
        self.operator = try JSONTree.field(members, "operator") ?? ""
        self.values = try JSONTree.field(members, "values")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["key"] = key.jsonTree()
        members["operator"] = `operator`.jsonTree()
        if let values { members["values"] = values.jsonTree() }
        return .object(members)
    }
}

/// A weighted preference for nodes.
public struct PreferredSchedulingTerm: Sendable, Codable, Hashable {
    /// Kubernetes' `weight` field.
    public var weight: Int
    /// Kubernetes' `preference` field.
    public var preference: NodeSelectorTerm

    /// Creates a `PreferredSchedulingTerm`; every field defaults to empty.
    public init(
        weight: Int = 0,
        preference: NodeSelectorTerm = NodeSelectorTerm()
    ) {
        self.weight = weight
        self.preference = preference
    }

    enum CodingKeys: String, CodingKey {
        case weight
        case preference
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.weight = try container.decodeIfPresent(Int.self, forKey: .weight) ?? 0
        self.preference =
            try container.decodeIfPresent(NodeSelectorTerm.self, forKey: .preference) ?? NodeSelectorTerm()
    }
}

extension PreferredSchedulingTerm: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.weight = try JSONTree.field(members, "weight") ?? 0
        self.preference = try JSONTree.field(members, "preference") ?? NodeSelectorTerm()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["weight"] = weight.jsonTree()
        members["preference"] = preference.jsonTree()
        return .object(members)
    }
}

/// Pods this pod should be co-located with.
public struct PodAffinity: Sendable, Codable, Hashable {
    /// Kubernetes' `requiredDuringSchedulingIgnoredDuringExecution` field.
    public var requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]?
    /// Kubernetes' `preferredDuringSchedulingIgnoredDuringExecution` field.
    public var preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]?

    /// Creates a `PodAffinity`; every field defaults to empty.
    public init(
        requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]? = nil,
        preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]? = nil
    ) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }

    enum CodingKeys: String, CodingKey {
        case requiredDuringSchedulingIgnoredDuringExecution
        case preferredDuringSchedulingIgnoredDuringExecution
    }
}

extension PodAffinity: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.requiredDuringSchedulingIgnoredDuringExecution = try JSONTree.field(
            members, "requiredDuringSchedulingIgnoredDuringExecution")
        self.preferredDuringSchedulingIgnoredDuringExecution = try JSONTree.field(
            members, "preferredDuringSchedulingIgnoredDuringExecution")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let requiredDuringSchedulingIgnoredDuringExecution {
            members["requiredDuringSchedulingIgnoredDuringExecution"] =
                requiredDuringSchedulingIgnoredDuringExecution.jsonTree()
        }
        if let preferredDuringSchedulingIgnoredDuringExecution {
            members["preferredDuringSchedulingIgnoredDuringExecution"] =
                preferredDuringSchedulingIgnoredDuringExecution.jsonTree()
        }
        return .object(members)
    }
}

/// Pods this pod should not be co-located with.
public struct PodAntiAffinity: Sendable, Codable, Hashable {
    /// Kubernetes' `requiredDuringSchedulingIgnoredDuringExecution` field.
    public var requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]?
    /// Kubernetes' `preferredDuringSchedulingIgnoredDuringExecution` field.
    public var preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]?

    /// Creates a `PodAntiAffinity`; every field defaults to empty.
    public init(
        requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]? = nil,
        preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]? = nil
    ) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }

    enum CodingKeys: String, CodingKey {
        case requiredDuringSchedulingIgnoredDuringExecution
        case preferredDuringSchedulingIgnoredDuringExecution
    }
}

extension PodAntiAffinity: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.requiredDuringSchedulingIgnoredDuringExecution = try JSONTree.field(
            members, "requiredDuringSchedulingIgnoredDuringExecution")
        self.preferredDuringSchedulingIgnoredDuringExecution = try JSONTree.field(
            members, "preferredDuringSchedulingIgnoredDuringExecution")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let requiredDuringSchedulingIgnoredDuringExecution {
            members["requiredDuringSchedulingIgnoredDuringExecution"] =
                requiredDuringSchedulingIgnoredDuringExecution.jsonTree()
        }
        if let preferredDuringSchedulingIgnoredDuringExecution {
            members["preferredDuringSchedulingIgnoredDuringExecution"] =
                preferredDuringSchedulingIgnoredDuringExecution.jsonTree()
        }
        return .object(members)
    }
}

/// A set of pods, found by label, in a topology domain.
public struct PodAffinityTerm: Sendable, Codable, Hashable {
    /// Kubernetes' `labelSelector` field.
    public var labelSelector: LabelSelector?
    /// Kubernetes' `namespaceSelector` field.
    public var namespaceSelector: LabelSelector?
    /// Kubernetes' `namespaces` field.
    public var namespaces: [String]?
    /// Kubernetes' `topologyKey` field.
    public var topologyKey: String

    /// Creates a `PodAffinityTerm`; every field defaults to empty.
    public init(
        labelSelector: LabelSelector? = nil,
        namespaceSelector: LabelSelector? = nil,
        namespaces: [String]? = nil,
        topologyKey: String = ""
    ) {
        self.labelSelector = labelSelector
        self.namespaceSelector = namespaceSelector
        self.namespaces = namespaces
        self.topologyKey = topologyKey
    }

    enum CodingKeys: String, CodingKey {
        case labelSelector
        case namespaceSelector
        case namespaces
        case topologyKey
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.labelSelector = try container.decodeIfPresent(LabelSelector.self, forKey: .labelSelector)
        self.namespaceSelector = try container.decodeIfPresent(LabelSelector.self, forKey: .namespaceSelector)
        self.namespaces = try container.decodeIfPresent([String].self, forKey: .namespaces)
        self.topologyKey = try container.decodeIfPresent(String.self, forKey: .topologyKey) ?? ""
    }
}

extension PodAffinityTerm: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.labelSelector = try JSONTree.field(members, "labelSelector")
        self.namespaceSelector = try JSONTree.field(members, "namespaceSelector")
        self.namespaces = try JSONTree.field(members, "namespaces")
        self.topologyKey = try JSONTree.field(members, "topologyKey") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let labelSelector { members["labelSelector"] = labelSelector.jsonTree() }
        if let namespaceSelector { members["namespaceSelector"] = namespaceSelector.jsonTree() }
        if let namespaces { members["namespaces"] = namespaces.jsonTree() }
        members["topologyKey"] = topologyKey.jsonTree()
        return .object(members)
    }
}

/// A weighted pod affinity term.
public struct WeightedPodAffinityTerm: Sendable, Codable, Hashable {
    /// Kubernetes' `weight` field.
    public var weight: Int
    /// Kubernetes' `podAffinityTerm` field.
    public var podAffinityTerm: PodAffinityTerm

    /// Creates a `WeightedPodAffinityTerm`; every field defaults to empty.
    public init(
        weight: Int = 0,
        podAffinityTerm: PodAffinityTerm = PodAffinityTerm()
    ) {
        self.weight = weight
        self.podAffinityTerm = podAffinityTerm
    }

    enum CodingKeys: String, CodingKey {
        case weight
        case podAffinityTerm
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.weight = try container.decodeIfPresent(Int.self, forKey: .weight) ?? 0
        self.podAffinityTerm =
            try container.decodeIfPresent(PodAffinityTerm.self, forKey: .podAffinityTerm) ?? PodAffinityTerm()
    }
}

extension WeightedPodAffinityTerm: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.weight = try JSONTree.field(members, "weight") ?? 0
        self.podAffinityTerm = try JSONTree.field(members, "podAffinityTerm") ?? PodAffinityTerm()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["weight"] = weight.jsonTree()
        members["podAffinityTerm"] = podAffinityTerm.jsonTree()
        return .object(members)
    }
}
