// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A scope for names; deleting it deletes everything in it.
public struct Namespace: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .namespace }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: NamespaceSpec
    /// The observed state, written by controllers.
    public var status: NamespaceStatus

    /// Creates a `Namespace`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: NamespaceSpec = NamespaceSpec(),
        status: NamespaceStatus = NamespaceStatus()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case spec
        case status
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.spec = try container.decodeIfPresent(NamespaceSpec.self, forKey: .spec) ?? NamespaceSpec()
        self.status = try container.decodeIfPresent(NamespaceStatus.self, forKey: .status) ?? NamespaceStatus()
    }
}

extension Namespace: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? NamespaceSpec()
        self.status = try JSONTree.field(members, "status") ?? NamespaceStatus()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        members["spec"] = spec.jsonTree()
        members["status"] = status.jsonTree()
        return .object(members)
    }
}

/// The desired state of a namespace.
public struct NamespaceSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `finalizers` field.
    public var finalizers: [String]?

    /// Creates a `NamespaceSpec`; every field defaults to empty.
    public init(
        finalizers: [String]? = nil
    ) {
        self.finalizers = finalizers
    }

    enum CodingKeys: String, CodingKey {
        case finalizers
    }
}

extension NamespaceSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.finalizers = try JSONTree.field(members, "finalizers")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let finalizers { members["finalizers"] = finalizers.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a namespace.
public struct NamespaceStatus: Sendable, Codable, Hashable {
    /// "Active" or "Terminating".
    public var phase: String?
    /// The latest observations of the object's state.
    public var conditions: [NamespaceCondition]?

    /// Creates a `NamespaceStatus`; every field defaults to empty.
    public init(
        phase: String? = nil,
        conditions: [NamespaceCondition]? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case phase
        case conditions
    }
}

extension NamespaceStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.phase = try JSONTree.field(members, "phase")
        self.conditions = try JSONTree.field(members, "conditions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let phase { members["phase"] = phase.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        return .object(members)
    }
}

/// A condition of a Namespace: the common Kubernetes condition shape.
public typealias NamespaceCondition = StatusCondition
