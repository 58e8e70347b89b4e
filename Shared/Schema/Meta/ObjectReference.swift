// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A reference to any object, used by events and bindings.
public struct ObjectReference: Sendable, Codable, Hashable {
    /// Kubernetes' `kind` field.
    public var kind: String?
    /// The namespace.
    public var namespace: String?
    /// The name.
    public var name: String?
    /// The unique id of the object.
    public var uid: String?
    /// Kubernetes' `apiVersion` field.
    public var apiVersion: String?
    /// Kubernetes' `resourceVersion` field.
    public var resourceVersion: String?
    /// Kubernetes' `fieldPath` field.
    public var fieldPath: String?

    /// Creates a `ObjectReference`; every field defaults to empty.
    public init(
        kind: String? = nil,
        namespace: String? = nil,
        name: String? = nil,
        uid: String? = nil,
        apiVersion: String? = nil,
        resourceVersion: String? = nil,
        fieldPath: String? = nil
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case namespace
        case name
        case uid
        case apiVersion
        case resourceVersion
        case fieldPath
    }
}

extension ObjectReference: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.kind = try JSONTree.field(members, "kind")
        self.namespace = try JSONTree.field(members, "namespace")
        self.name = try JSONTree.field(members, "name")
        self.uid = try JSONTree.field(members, "uid")
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.resourceVersion = try JSONTree.field(members, "resourceVersion")
        self.fieldPath = try JSONTree.field(members, "fieldPath")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let kind { members["kind"] = kind.jsonTree() }
        if let namespace { members["namespace"] = namespace.jsonTree() }
        if let name { members["name"] = name.jsonTree() }
        if let uid { members["uid"] = uid.jsonTree() }
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let resourceVersion { members["resourceVersion"] = resourceVersion.jsonTree() }
        if let fieldPath { members["fieldPath"] = fieldPath.jsonTree() }
        return .object(members)
    }
}

/// A reference to an object by name in the same namespace.
public struct LocalObjectReference: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?

    /// Creates a `LocalObjectReference`; every field defaults to empty.
    public init(
        name: String? = nil
    ) {
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case name
    }
}

extension LocalObjectReference: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        return .object(members)
    }
}

/// A reference to an object of a given kind in the same namespace.
public struct TypedLocalObjectReference: Sendable, Codable, Hashable {
    /// Kubernetes' `apiGroup` field.
    public var apiGroup: String?
    /// Kubernetes' `kind` field.
    public var kind: String
    /// The name.
    public var name: String

    /// Creates a `TypedLocalObjectReference`; every field defaults to empty.
    public init(
        apiGroup: String? = nil,
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
        self.apiGroup = try container.decodeIfPresent(String.self, forKey: .apiGroup)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? ""
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
    }
}

extension TypedLocalObjectReference: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiGroup = try JSONTree.field(members, "apiGroup")
        self.kind = try JSONTree.field(members, "kind") ?? ""
        self.name = try JSONTree.field(members, "name") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiGroup { members["apiGroup"] = apiGroup.jsonTree() }
        members["kind"] = kind.jsonTree()
        members["name"] = name.jsonTree()
        return .object(members)
    }
}
