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
