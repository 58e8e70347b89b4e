// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A class of storage with its provisioner and parameters.
public struct StorageClass: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .storageClass }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `provisioner` field.
    public var provisioner: String
    /// Kubernetes' `parameters` field.
    public var parameters: [String: String]?
    /// Kubernetes' `reclaimPolicy` field.
    public var reclaimPolicy: String?
    /// Kubernetes' `mountOptions` field.
    public var mountOptions: [String]?
    /// Kubernetes' `allowVolumeExpansion` field.
    public var allowVolumeExpansion: Bool?
    /// Immediate or WaitForFirstConsumer.
    public var volumeBindingMode: String?
    /// Kubernetes' `allowedTopologies` field.
    public var allowedTopologies: [TopologySelectorTerm]?

    /// Creates a `StorageClass`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        provisioner: String = "",
        parameters: [String: String]? = nil,
        reclaimPolicy: String? = nil,
        mountOptions: [String]? = nil,
        allowVolumeExpansion: Bool? = nil,
        volumeBindingMode: String? = nil,
        allowedTopologies: [TopologySelectorTerm]? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.provisioner = provisioner
        self.parameters = parameters
        self.reclaimPolicy = reclaimPolicy
        self.mountOptions = mountOptions
        self.allowVolumeExpansion = allowVolumeExpansion
        self.volumeBindingMode = volumeBindingMode
        self.allowedTopologies = allowedTopologies
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case provisioner
        case parameters
        case reclaimPolicy
        case mountOptions
        case allowVolumeExpansion
        case volumeBindingMode
        case allowedTopologies
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.provisioner = try container.decodeIfPresent(String.self, forKey: .provisioner) ?? ""
        self.parameters = try container.decodeIfPresent([String: String].self, forKey: .parameters)
        self.reclaimPolicy = try container.decodeIfPresent(String.self, forKey: .reclaimPolicy)
        self.mountOptions = try container.decodeIfPresent([String].self, forKey: .mountOptions)
        self.allowVolumeExpansion = try container.decodeIfPresent(Bool.self, forKey: .allowVolumeExpansion)
        self.volumeBindingMode = try container.decodeIfPresent(String.self, forKey: .volumeBindingMode)
        self.allowedTopologies = try container.decodeIfPresent([TopologySelectorTerm].self, forKey: .allowedTopologies)
    }
}

extension StorageClass: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.provisioner = try JSONTree.field(members, "provisioner") ?? ""
        self.parameters = try JSONTree.field(members, "parameters")
        self.reclaimPolicy = try JSONTree.field(members, "reclaimPolicy")
        self.mountOptions = try JSONTree.field(members, "mountOptions")
        self.allowVolumeExpansion = try JSONTree.field(members, "allowVolumeExpansion")
        self.volumeBindingMode = try JSONTree.field(members, "volumeBindingMode")
        self.allowedTopologies = try JSONTree.field(members, "allowedTopologies")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        members["provisioner"] = provisioner.jsonTree()
        if let parameters { members["parameters"] = parameters.jsonTree() }
        if let reclaimPolicy { members["reclaimPolicy"] = reclaimPolicy.jsonTree() }
        if let mountOptions { members["mountOptions"] = mountOptions.jsonTree() }
        if let allowVolumeExpansion { members["allowVolumeExpansion"] = allowVolumeExpansion.jsonTree() }
        if let volumeBindingMode { members["volumeBindingMode"] = volumeBindingMode.jsonTree() }
        if let allowedTopologies { members["allowedTopologies"] = allowedTopologies.jsonTree() }
        return .object(members)
    }
}

/// A topology requirement of a storage class.
public struct TopologySelectorTerm: Sendable, Codable, Hashable {
    /// Kubernetes' `matchLabelExpressions` field.
    public var matchLabelExpressions: [TopologySelectorLabelRequirement]?

    /// Creates a `TopologySelectorTerm`; every field defaults to empty.
    public init(
        matchLabelExpressions: [TopologySelectorLabelRequirement]? = nil
    ) {
        self.matchLabelExpressions = matchLabelExpressions
    }

    enum CodingKeys: String, CodingKey {
        case matchLabelExpressions
    }
}

extension TopologySelectorTerm: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.matchLabelExpressions = try JSONTree.field(members, "matchLabelExpressions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let matchLabelExpressions { members["matchLabelExpressions"] = matchLabelExpressions.jsonTree() }
        return .object(members)
    }
}

/// A topology label and its allowed values.
public struct TopologySelectorLabelRequirement: Sendable, Codable, Hashable {
    /// The key.
    public var key: String
    /// The values.
    public var values: [String]

    /// Creates a `TopologySelectorLabelRequirement`; every field defaults to empty.
    public init(
        key: String = "",
        values: [String] = []
    ) {
        self.key = key
        self.values = values
    }

    enum CodingKeys: String, CodingKey {
        case key
        case values
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.values = try container.decodeIfPresent([String].self, forKey: .values) ?? []
    }
}

extension TopologySelectorLabelRequirement: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.key = try JSONTree.field(members, "key") ?? ""
        self.values = try JSONTree.field(members, "values") ?? []
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["key"] = key.jsonTree()
        members["values"] = values.jsonTree()
        return .object(members)
    }
}
