// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Sensitive data as base64-encoded key/value pairs.
public struct Secret: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .secret }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `immutable` field.
    public var immutable: Bool?
    /// Base64-encoded values.
    public var data: [String: String]?
    /// Write-only plain-text values merged into `data` on write.
    public var stringData: [String: String]?
    /// The type, one of the values Kubernetes defines for it.
    public var type: String?

    /// Creates a `Secret`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        immutable: Bool? = nil,
        data: [String: String]? = nil,
        stringData: [String: String]? = nil,
        type: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.immutable = immutable
        self.data = data
        self.stringData = stringData
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case immutable
        case data
        case stringData
        case type
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.immutable = try container.decodeIfPresent(Bool.self, forKey: .immutable)
        self.data = try container.decodeIfPresent([String: String].self, forKey: .data)
        self.stringData = try container.decodeIfPresent([String: String].self, forKey: .stringData)
        self.type = try container.decodeIfPresent(String.self, forKey: .type)
    }
}

extension Secret: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.immutable = try JSONTree.field(members, "immutable")
        self.data = try JSONTree.field(members, "data")
        self.stringData = try JSONTree.field(members, "stringData")
        self.type = try JSONTree.field(members, "type")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        if let immutable { members["immutable"] = immutable.jsonTree() }
        if let data { members["data"] = data.jsonTree() }
        if let stringData { members["stringData"] = stringData.jsonTree() }
        if let type { members["type"] = type.jsonTree() }
        return .object(members)
    }
}
