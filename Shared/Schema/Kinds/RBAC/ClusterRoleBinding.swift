// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Grants a cluster role's permissions cluster-wide.
public struct ClusterRoleBinding: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .clusterRoleBinding }

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

    /// Creates a `ClusterRoleBinding`; every field defaults to empty.
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

extension ClusterRoleBinding: JSONTreeCodable {
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
