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
