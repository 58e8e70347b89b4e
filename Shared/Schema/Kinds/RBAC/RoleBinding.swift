// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Grants a role's permissions within a namespace.
public struct RoleBinding: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .roleBinding }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `subjects` field.
    public var subjects: [Subject]?
    /// Kubernetes' `roleRef` field.
    public var roleRef: RoleRef

    /// Creates a `RoleBinding`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        subjects: [Subject]? = nil,
        roleRef: RoleRef = RoleRef()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.subjects = subjects
        self.roleRef = roleRef
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case subjects
        case roleRef
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.subjects = try container.decodeIfPresent([Subject].self, forKey: .subjects)
        self.roleRef = try container.decodeIfPresent(RoleRef.self, forKey: .roleRef) ?? RoleRef()
    }
}

extension RoleBinding: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.subjects = try JSONTree.field(members, "subjects")
        self.roleRef = try JSONTree.field(members, "roleRef") ?? RoleRef()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        if let subjects { members["subjects"] = subjects.jsonTree() }
        members["roleRef"] = roleRef.jsonTree()
        return .object(members)
    }
}

/// A user, group or service account.
public struct Subject: Sendable, Codable, Hashable {
    /// User, Group or ServiceAccount.
    public var kind: String
    /// Kubernetes' `apiGroup` field.
    public var apiGroup: String?
    /// The name.
    public var name: String
    /// The namespace.
    public var namespace: String?

    /// Creates a `Subject`; every field defaults to empty.
    public init(
        kind: String = "",
        apiGroup: String? = nil,
        name: String = "",
        namespace: String? = nil
    ) {
        self.kind = kind
        self.apiGroup = apiGroup
        self.name = name
        self.namespace = namespace
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case apiGroup
        case name
        case namespace
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? ""
        self.apiGroup = try container.decodeIfPresent(String.self, forKey: .apiGroup)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
    }
}

extension Subject: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.kind = try JSONTree.field(members, "kind") ?? ""
        self.apiGroup = try JSONTree.field(members, "apiGroup")
        self.name = try JSONTree.field(members, "name") ?? ""
        self.namespace = try JSONTree.field(members, "namespace")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["kind"] = kind.jsonTree()
        if let apiGroup { members["apiGroup"] = apiGroup.jsonTree() }
        members["name"] = name.jsonTree()
        if let namespace { members["namespace"] = namespace.jsonTree() }
        return .object(members)
    }
}

/// The role a binding grants.
public struct RoleRef: Sendable, Codable, Hashable {
    /// Kubernetes' `apiGroup` field.
    public var apiGroup: String
    /// Kubernetes' `kind` field.
    public var kind: String
    /// The name.
    public var name: String

    /// Creates a `RoleRef`; every field defaults to empty.
    public init(
        apiGroup: String = "",
        kind: String = "",
        name: String = ""
    ) {
        self.apiGroup = apiGroup
        self.kind = kind
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case apiGroup
        case kind
        case name
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiGroup = try container.decodeIfPresent(String.self, forKey: .apiGroup) ?? ""
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? ""
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
    }
}

extension RoleRef: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiGroup = try JSONTree.field(members, "apiGroup") ?? ""
        self.kind = try JSONTree.field(members, "kind") ?? ""
        self.name = try JSONTree.field(members, "name") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["apiGroup"] = apiGroup.jsonTree()
        members["kind"] = kind.jsonTree()
        members["name"] = name.jsonTree()
        return .object(members)
    }
}
