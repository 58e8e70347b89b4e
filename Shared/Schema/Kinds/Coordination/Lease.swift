// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A lock with a holder and an expiry, used for leader election and node heartbeats.
public struct Lease: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .lease }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: LeaseSpec

    /// Creates a `Lease`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: LeaseSpec = LeaseSpec()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case spec
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.spec = try container.decodeIfPresent(LeaseSpec.self, forKey: .spec) ?? LeaseSpec()
    }
}

extension Lease: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? LeaseSpec()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        members["spec"] = spec.jsonTree()
        return .object(members)
    }
}

/// The state of a lease.
public struct LeaseSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `holderIdentity` field.
    public var holderIdentity: String?
    /// Kubernetes' `leaseDurationSeconds` field.
    public var leaseDurationSeconds: Int?
    /// Kubernetes' `acquireTime` field.
    public var acquireTime: MicroTime?
    /// Kubernetes' `renewTime` field.
    public var renewTime: MicroTime?
    /// Kubernetes' `leaseTransitions` field.
    public var leaseTransitions: Int?
    /// Kubernetes' `strategy` field.
    public var strategy: String?
    /// Kubernetes' `preferredHolder` field.
    public var preferredHolder: String?

    /// Creates a `LeaseSpec`; every field defaults to empty.
    public init(
        holderIdentity: String? = nil,
        leaseDurationSeconds: Int? = nil,
        acquireTime: MicroTime? = nil,
        renewTime: MicroTime? = nil,
        leaseTransitions: Int? = nil,
        strategy: String? = nil,
        preferredHolder: String? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
        self.strategy = strategy
        self.preferredHolder = preferredHolder
    }

    enum CodingKeys: String, CodingKey {
        case holderIdentity
        case leaseDurationSeconds
        case acquireTime
        case renewTime
        case leaseTransitions
        case strategy
        case preferredHolder
    }
}

extension LeaseSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.holderIdentity = try JSONTree.field(members, "holderIdentity")
        self.leaseDurationSeconds = try JSONTree.field(members, "leaseDurationSeconds")
        self.acquireTime = try JSONTree.field(members, "acquireTime")
        self.renewTime = try JSONTree.field(members, "renewTime")
        self.leaseTransitions = try JSONTree.field(members, "leaseTransitions")
        self.strategy = try JSONTree.field(members, "strategy")
        self.preferredHolder = try JSONTree.field(members, "preferredHolder")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let holderIdentity { members["holderIdentity"] = holderIdentity.jsonTree() }
        if let leaseDurationSeconds { members["leaseDurationSeconds"] = leaseDurationSeconds.jsonTree() }
        if let acquireTime { members["acquireTime"] = acquireTime.jsonTree() }
        if let renewTime { members["renewTime"] = renewTime.jsonTree() }
        if let leaseTransitions { members["leaseTransitions"] = leaseTransitions.jsonTree() }
        if let strategy { members["strategy"] = strategy.jsonTree() }
        if let preferredHolder { members["preferredHolder"] = preferredHolder.jsonTree() }
        return .object(members)
    }
}
