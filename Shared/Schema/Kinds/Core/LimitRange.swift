// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Per-namespace defaults and bounds for the compute resources of containers and pods and the storage of
/// claims, applied by the api's LimitRanger admission.
public struct LimitRange: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .limitRange }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: LimitRangeSpec

    /// Creates a `LimitRange`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: LimitRangeSpec = LimitRangeSpec()
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
        self.spec = try container.decodeIfPresent(LimitRangeSpec.self, forKey: .spec) ?? LimitRangeSpec()
    }
}

extension LimitRange: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? LimitRangeSpec()
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

/// The limits of a LimitRange.
public struct LimitRangeSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `limits` field.
    public var limits: [LimitRangeItem]

    /// Creates a `LimitRangeSpec`; every field defaults to empty.
    public init(
        limits: [LimitRangeItem] = []
    ) {
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case limits
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.limits = try container.decodeIfPresent([LimitRangeItem].self, forKey: .limits) ?? []
    }
}

extension LimitRangeSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.limits = try JSONTree.field(members, "limits") ?? []
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["limits"] = limits.jsonTree()
        return .object(members)
    }
}

/// Defaults and bounds for one type of object: `Container`, `Pod` or `PersistentVolumeClaim`.
public struct LimitRangeItem: Sendable, Codable, Hashable {
    /// Kubernetes' `type` field.
    public var type: String
    /// Kubernetes' `max` field.
    public var max: [String: Quantity]?
    /// Kubernetes' `min` field.
    public var min: [String: Quantity]?
    /// Kubernetes' `default` field: limits a container that sets none gets.
    public var `default`: [String: Quantity]?
    /// Kubernetes' `defaultRequest` field.
    public var defaultRequest: [String: Quantity]?
    /// Kubernetes' `maxLimitRequestRatio` field.
    public var maxLimitRequestRatio: [String: Quantity]?

    /// Creates a `LimitRangeItem`; every field defaults to empty.
    public init(
        type: String = "",
        max: [String: Quantity]? = nil,
        min: [String: Quantity]? = nil,
        `default`: [String: Quantity]? = nil,
        defaultRequest: [String: Quantity]? = nil,
        maxLimitRequestRatio: [String: Quantity]? = nil
    ) {
        self.type = type
        self.max = max
        self.min = min
        self.default = `default`
        self.defaultRequest = defaultRequest
        self.maxLimitRequestRatio = maxLimitRequestRatio
    }

    enum CodingKeys: String, CodingKey {
        case type
        case max
        case min
        case `default` = "default"
        case defaultRequest
        case maxLimitRequestRatio
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.max = try container.decodeIfPresent([String: Quantity].self, forKey: .max)
        self.min = try container.decodeIfPresent([String: Quantity].self, forKey: .min)
        self.default = try container.decodeIfPresent([String: Quantity].self, forKey: .`default`)
        self.defaultRequest = try container.decodeIfPresent([String: Quantity].self, forKey: .defaultRequest)
        self.maxLimitRequestRatio = try container.decodeIfPresent(
            [String: Quantity].self, forKey: .maxLimitRequestRatio)
    }
}

extension LimitRangeItem: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.max = try JSONTree.field(members, "max")
        self.min = try JSONTree.field(members, "min")
        self.default = try JSONTree.field(members, "default")
        self.defaultRequest = try JSONTree.field(members, "defaultRequest")
        self.maxLimitRequestRatio = try JSONTree.field(members, "maxLimitRequestRatio")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        if let max { members["max"] = max.jsonTree() }
        if let min { members["min"] = min.jsonTree() }
        if let `default` { members["default"] = `default`.jsonTree() }
        if let defaultRequest { members["defaultRequest"] = defaultRequest.jsonTree() }
        if let maxLimitRequestRatio { members["maxLimitRequestRatio"] = maxLimitRequestRatio.jsonTree() }
        return .object(members)
    }
}
