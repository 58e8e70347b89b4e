// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Namespaced permissions.
public struct Role: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .role }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `rules` field.
    public var rules: [PolicyRule]?

    /// Creates a `Role`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        rules: [PolicyRule]? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case rules
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.rules = try container.decodeIfPresent([PolicyRule].self, forKey: .rules)
    }
}

extension Role: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.rules = try JSONTree.field(members, "rules")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        if let rules { members["rules"] = rules.jsonTree() }
        return .object(members)
    }
}

/// Verbs allowed on resources or non-resource URLs.
public struct PolicyRule: Sendable, Codable, Hashable {
    /// Kubernetes' `verbs` field.
    public var verbs: [String]
    /// Kubernetes' `apiGroups` field.
    public var apiGroups: [String]?
    /// Kubernetes' `resources` field.
    public var resources: [String]?
    /// Kubernetes' `resourceNames` field.
    public var resourceNames: [String]?
    /// Kubernetes' `nonResourceURLs` field.
    public var nonResourceURLs: [String]?

    /// Creates a `PolicyRule`; every field defaults to empty.
    public init(
        verbs: [String] = [],
        apiGroups: [String]? = nil,
        resources: [String]? = nil,
        resourceNames: [String]? = nil,
        nonResourceURLs: [String]? = nil
    ) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    enum CodingKeys: String, CodingKey {
        case verbs
        case apiGroups
        case resources
        case resourceNames
        case nonResourceURLs
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.verbs = try container.decodeIfPresent([String].self, forKey: .verbs) ?? []
        self.apiGroups = try container.decodeIfPresent([String].self, forKey: .apiGroups)
        self.resources = try container.decodeIfPresent([String].self, forKey: .resources)
        self.resourceNames = try container.decodeIfPresent([String].self, forKey: .resourceNames)
        self.nonResourceURLs = try container.decodeIfPresent([String].self, forKey: .nonResourceURLs)
    }
}

extension PolicyRule: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.verbs = try JSONTree.field(members, "verbs") ?? []
        self.apiGroups = try JSONTree.field(members, "apiGroups")
        self.resources = try JSONTree.field(members, "resources")
        self.resourceNames = try JSONTree.field(members, "resourceNames")
        self.nonResourceURLs = try JSONTree.field(members, "nonResourceURLs")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["verbs"] = verbs.jsonTree()
        if let apiGroups { members["apiGroups"] = apiGroups.jsonTree() }
        if let resources { members["resources"] = resources.jsonTree() }
        if let resourceNames { members["resourceNames"] = resourceNames.jsonTree() }
        if let nonResourceURLs { members["nonResourceURLs"] = nonResourceURLs.jsonTree() }
        return .object(members)
    }
}
