// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Per-namespace hard limits on object counts and resource totals, enforced by the api's ResourceQuota
/// admission; the resourcequota controller keeps `status.used`.
public struct ResourceQuota: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .resourceQuota }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: ResourceQuotaSpec
    /// The observed state, written by controllers.
    public var status: ResourceQuotaStatus

    /// Creates a `ResourceQuota`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: ResourceQuotaSpec = ResourceQuotaSpec(),
        status: ResourceQuotaStatus = ResourceQuotaStatus()
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
        self.spec = try container.decodeIfPresent(ResourceQuotaSpec.self, forKey: .spec) ?? ResourceQuotaSpec()
        self.status = try container.decodeIfPresent(ResourceQuotaStatus.self, forKey: .status) ?? ResourceQuotaStatus()
    }
}

extension ResourceQuota: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? ResourceQuotaSpec()
        self.status = try JSONTree.field(members, "status") ?? ResourceQuotaStatus()
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

/// The limits of a ResourceQuota.
public struct ResourceQuotaSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `hard` field.
    public var hard: [String: Quantity]?
    /// Kubernetes' `scopes` field.
    public var scopes: [String]?
    /// Kubernetes' `scopeSelector` field.
    public var scopeSelector: ScopeSelector?

    /// Creates a `ResourceQuotaSpec`; every field defaults to empty.
    public init(
        hard: [String: Quantity]? = nil,
        scopes: [String]? = nil,
        scopeSelector: ScopeSelector? = nil
    ) {
        self.hard = hard
        self.scopes = scopes
        self.scopeSelector = scopeSelector
    }

    enum CodingKeys: String, CodingKey {
        case hard
        case scopes
        case scopeSelector
    }
}

extension ResourceQuotaSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.hard = try JSONTree.field(members, "hard")
        self.scopes = try JSONTree.field(members, "scopes")
        self.scopeSelector = try JSONTree.field(members, "scopeSelector")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let hard { members["hard"] = hard.jsonTree() }
        if let scopes { members["scopes"] = scopes.jsonTree() }
        if let scopeSelector { members["scopeSelector"] = scopeSelector.jsonTree() }
        return .object(members)
    }
}

/// Scopes a quota tracks, as expressions.
public struct ScopeSelector: Sendable, Codable, Hashable {
    /// Kubernetes' `matchExpressions` field.
    public var matchExpressions: [ScopedResourceSelectorRequirement]?

    /// Creates a `ScopeSelector`; every field defaults to empty.
    public init(
        matchExpressions: [ScopedResourceSelectorRequirement]? = nil
    ) {
        self.matchExpressions = matchExpressions
    }

    enum CodingKeys: String, CodingKey {
        case matchExpressions
    }
}

extension ScopeSelector: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.matchExpressions = try JSONTree.field(members, "matchExpressions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let matchExpressions { members["matchExpressions"] = matchExpressions.jsonTree() }
        return .object(members)
    }
}

/// One scope expression.
public struct ScopedResourceSelectorRequirement: Sendable, Codable, Hashable {
    /// Kubernetes' `scopeName` field.
    public var scopeName: String
    /// Kubernetes' `operator` field.
    public var `operator`: String
    /// Kubernetes' `values` field.
    public var values: [String]?

    /// Creates a `ScopedResourceSelectorRequirement`; every field defaults to empty.
    public init(
        scopeName: String = "",
        `operator`: String = "",
        values: [String]? = nil
    ) {
        self.scopeName = scopeName
        self.operator = `operator`
        self.values = values
    }

    enum CodingKeys: String, CodingKey {
        case scopeName
        case `operator`
        case values
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.scopeName = try container.decodeIfPresent(String.self, forKey: .scopeName) ?? ""
        self.operator = try container.decodeIfPresent(String.self, forKey: .`operator`) ?? ""
        self.values = try container.decodeIfPresent([String].self, forKey: .values)
    }
}

extension ScopedResourceSelectorRequirement: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.scopeName = try JSONTree.field(members, "scopeName") ?? ""
        self.operator = try JSONTree.field(members, "operator") ?? ""
        self.values = try JSONTree.field(members, "values")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["scopeName"] = scopeName.jsonTree()
        members["operator"] = `operator`.jsonTree()
        if let values { members["values"] = values.jsonTree() }
        return .object(members)
    }
}

/// What a quota allows and what is used of it.
public struct ResourceQuotaStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `hard` field.
    public var hard: [String: Quantity]?
    /// Kubernetes' `used` field.
    public var used: [String: Quantity]?

    /// Creates a `ResourceQuotaStatus`; every field defaults to empty.
    public init(
        hard: [String: Quantity]? = nil,
        used: [String: Quantity]? = nil
    ) {
        self.hard = hard
        self.used = used
    }

    enum CodingKeys: String, CodingKey {
        case hard
        case used
    }
}

extension ResourceQuotaStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.hard = try JSONTree.field(members, "hard")
        self.used = try JSONTree.field(members, "used")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let hard { members["hard"] = hard.jsonTree() }
        if let used { members["used"] = used.jsonTree() }
        return .object(members)
    }
}
