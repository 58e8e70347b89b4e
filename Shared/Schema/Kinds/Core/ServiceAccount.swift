// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// An identity for processes in pods.
public struct ServiceAccount: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .serviceAccount }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `secrets` field.
    public var secrets: [ObjectReference]?
    /// Kubernetes' `imagePullSecrets` field.
    public var imagePullSecrets: [LocalObjectReference]?
    /// Kubernetes' `automountServiceAccountToken` field.
    public var automountServiceAccountToken: Bool?

    /// Creates a `ServiceAccount`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        secrets: [ObjectReference]? = nil,
        imagePullSecrets: [LocalObjectReference]? = nil,
        automountServiceAccountToken: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.secrets = secrets
        self.imagePullSecrets = imagePullSecrets
        self.automountServiceAccountToken = automountServiceAccountToken
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case secrets
        case imagePullSecrets
        case automountServiceAccountToken
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.secrets = try container.decodeIfPresent([ObjectReference].self, forKey: .secrets)
        self.imagePullSecrets = try container.decodeIfPresent([LocalObjectReference].self, forKey: .imagePullSecrets)
        self.automountServiceAccountToken = try container.decodeIfPresent(
            Bool.self, forKey: .automountServiceAccountToken)
    }
}

extension ServiceAccount: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.secrets = try JSONTree.field(members, "secrets")
        self.imagePullSecrets = try JSONTree.field(members, "imagePullSecrets")
        self.automountServiceAccountToken = try JSONTree.field(members, "automountServiceAccountToken")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        if let secrets { members["secrets"] = secrets.jsonTree() }
        if let imagePullSecrets { members["imagePullSecrets"] = imagePullSecrets.jsonTree() }
        if let automountServiceAccountToken {
            members["automountServiceAccountToken"] = automountServiceAccountToken.jsonTree()
        }
        return .object(members)
    }
}

extension ServiceAccount {
    /// Where every container of a pod finds its ServiceAccount's token (`token`) and namespace (`namespace`):
    /// the api's ServiceAccount admission mounts them there, the kubelet and in-pod clients look there.
    public static let tokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
}
