// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Metadata that every persisted object carries (`metadata`).
public struct ObjectMeta: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Prefix the server uses to generate a unique name when `name` is empty.
    public var generateName: String?
    /// The namespace.
    public var namespace: String?
    /// The unique id of the object.
    public var uid: String?
    /// Opaque version the store bumps on every write.
    public var resourceVersion: String?
    /// Sequence number of spec changes.
    public var generation: Int64?
    /// Kubernetes' `creationTimestamp` field.
    public var creationTimestamp: Time?
    /// Kubernetes' `deletionTimestamp` field.
    public var deletionTimestamp: Time?
    /// Kubernetes' `deletionGracePeriodSeconds` field.
    public var deletionGracePeriodSeconds: Int64?
    /// Labels used to organize and select objects.
    public var labels: [String: String]?
    /// Arbitrary non-identifying metadata.
    public var annotations: [String: String]?
    /// Kubernetes' `ownerReferences` field.
    public var ownerReferences: [OwnerReference]?
    /// Kubernetes' `finalizers` field.
    public var finalizers: [String]?

    /// Creates a `ObjectMeta`; every field defaults to empty.
    public init(
        name: String? = nil,
        generateName: String? = nil,
        namespace: String? = nil,
        uid: String? = nil,
        resourceVersion: String? = nil,
        generation: Int64? = nil,
        creationTimestamp: Time? = nil,
        deletionTimestamp: Time? = nil,
        deletionGracePeriodSeconds: Int64? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil,
        ownerReferences: [OwnerReference]? = nil,
        finalizers: [String]? = nil
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
    }

    enum CodingKeys: String, CodingKey {
        case name
        case generateName
        case namespace
        case uid
        case resourceVersion
        case generation
        case creationTimestamp
        case deletionTimestamp
        case deletionGracePeriodSeconds
        case labels
        case annotations
        case ownerReferences
        case finalizers
    }
}

extension ObjectMeta: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.generateName = try JSONTree.field(members, "generateName")
        self.namespace = try JSONTree.field(members, "namespace")
        self.uid = try JSONTree.field(members, "uid")
        self.resourceVersion = try JSONTree.field(members, "resourceVersion")
        self.generation = try JSONTree.field(members, "generation")
        self.creationTimestamp = try JSONTree.field(members, "creationTimestamp")
        self.deletionTimestamp = try JSONTree.field(members, "deletionTimestamp")
        self.deletionGracePeriodSeconds = try JSONTree.field(members, "deletionGracePeriodSeconds")
        self.labels = try JSONTree.field(members, "labels")
        self.annotations = try JSONTree.field(members, "annotations")
        self.ownerReferences = try JSONTree.field(members, "ownerReferences")
        self.finalizers = try JSONTree.field(members, "finalizers")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let generateName { members["generateName"] = generateName.jsonTree() }
        if let namespace { members["namespace"] = namespace.jsonTree() }
        if let uid { members["uid"] = uid.jsonTree() }
        if let resourceVersion { members["resourceVersion"] = resourceVersion.jsonTree() }
        if let generation { members["generation"] = generation.jsonTree() }
        if let creationTimestamp { members["creationTimestamp"] = creationTimestamp.jsonTree() }
        if let deletionTimestamp { members["deletionTimestamp"] = deletionTimestamp.jsonTree() }
        if let deletionGracePeriodSeconds {
            members["deletionGracePeriodSeconds"] = deletionGracePeriodSeconds.jsonTree()
        }
        if let labels { members["labels"] = labels.jsonTree() }
        if let annotations { members["annotations"] = annotations.jsonTree() }
        if let ownerReferences { members["ownerReferences"] = ownerReferences.jsonTree() }
        if let finalizers { members["finalizers"] = finalizers.jsonTree() }
        return .object(members)
    }
}

/// A reference to an owning object in the same namespace.
public struct OwnerReference: Sendable, Codable, Hashable {
    /// Kubernetes' `apiVersion` field.
    public var apiVersion: String
    /// Kubernetes' `kind` field.
    public var kind: String
    /// The name.
    public var name: String
    /// The unique id of the object.
    public var uid: String
    /// True when the owner is the managing controller.
    public var controller: Bool?
    /// Kubernetes' `blockOwnerDeletion` field.
    public var blockOwnerDeletion: Bool?

    /// Creates a `OwnerReference`; every field defaults to empty.
    public init(
        apiVersion: String = "",
        kind: String = "",
        name: String = "",
        uid: String = "",
        controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case name
        case uid
        case controller
        case blockOwnerDeletion
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? ""
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? ""
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.uid = try container.decodeIfPresent(String.self, forKey: .uid) ?? ""
        self.controller = try container.decodeIfPresent(Bool.self, forKey: .controller)
        self.blockOwnerDeletion = try container.decodeIfPresent(Bool.self, forKey: .blockOwnerDeletion)
    }
}

extension OwnerReference: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion") ?? ""
        self.kind = try JSONTree.field(members, "kind") ?? ""
        self.name = try JSONTree.field(members, "name") ?? ""
        self.uid = try JSONTree.field(members, "uid") ?? ""
        self.controller = try JSONTree.field(members, "controller")
        self.blockOwnerDeletion = try JSONTree.field(members, "blockOwnerDeletion")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["apiVersion"] = apiVersion.jsonTree()
        members["kind"] = kind.jsonTree()
        members["name"] = name.jsonTree()
        members["uid"] = uid.jsonTree()
        if let controller { members["controller"] = controller.jsonTree() }
        if let blockOwnerDeletion { members["blockOwnerDeletion"] = blockOwnerDeletion.jsonTree() }
        return .object(members)
    }
}
