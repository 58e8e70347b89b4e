// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A request for storage by a user.
public struct PersistentVolumeClaim: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .persistentVolumeClaim }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: PersistentVolumeClaimSpec
    /// The observed state, written by controllers.
    public var status: PersistentVolumeClaimStatus

    /// Creates a `PersistentVolumeClaim`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: PersistentVolumeClaimSpec = PersistentVolumeClaimSpec(),
        status: PersistentVolumeClaimStatus = PersistentVolumeClaimStatus()
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
        self.spec =
            try container.decodeIfPresent(PersistentVolumeClaimSpec.self, forKey: .spec) ?? PersistentVolumeClaimSpec()
        self.status =
            try container.decodeIfPresent(PersistentVolumeClaimStatus.self, forKey: .status)
            ?? PersistentVolumeClaimStatus()
    }
}

extension PersistentVolumeClaim: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? PersistentVolumeClaimSpec()
        self.status = try JSONTree.field(members, "status") ?? PersistentVolumeClaimStatus()
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

/// A claim template of a StatefulSet.
public struct PersistentVolumeClaimTemplate: Sendable, Codable, Hashable {
    /// Kubernetes' `metadata` field.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: PersistentVolumeClaimSpec

    /// Creates a `PersistentVolumeClaimTemplate`; every field defaults to empty.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: PersistentVolumeClaimSpec = PersistentVolumeClaimSpec()
    ) {
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey {
        case metadata
        case spec
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.spec =
            try container.decodeIfPresent(PersistentVolumeClaimSpec.self, forKey: .spec) ?? PersistentVolumeClaimSpec()
    }
}

extension PersistentVolumeClaimTemplate: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? PersistentVolumeClaimSpec()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metadata"] = metadata.jsonTree()
        members["spec"] = spec.jsonTree()
        return .object(members)
    }
}

/// The desired state of a claim.
public struct PersistentVolumeClaimSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `accessModes` field.
    public var accessModes: [String]?
    /// Selects the pods this object manages.
    public var selector: LabelSelector?
    /// Kubernetes' `resources` field.
    public var resources: VolumeResourceRequirements?
    /// Kubernetes' `volumeName` field.
    public var volumeName: String?
    /// Kubernetes' `storageClassName` field.
    public var storageClassName: String?
    /// Kubernetes' `volumeMode` field.
    public var volumeMode: String?
    /// Kubernetes' `dataSource` field.
    public var dataSource: TypedLocalObjectReference?

    /// Creates a `PersistentVolumeClaimSpec`; every field defaults to empty.
    public init(
        accessModes: [String]? = nil,
        selector: LabelSelector? = nil,
        resources: VolumeResourceRequirements? = nil,
        volumeName: String? = nil,
        storageClassName: String? = nil,
        volumeMode: String? = nil,
        dataSource: TypedLocalObjectReference? = nil
    ) {
        self.accessModes = accessModes
        self.selector = selector
        self.resources = resources
        self.volumeName = volumeName
        self.storageClassName = storageClassName
        self.volumeMode = volumeMode
        self.dataSource = dataSource
    }

    enum CodingKeys: String, CodingKey {
        case accessModes
        case selector
        case resources
        case volumeName
        case storageClassName
        case volumeMode
        case dataSource
    }
}

extension PersistentVolumeClaimSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.accessModes = try JSONTree.field(members, "accessModes")
        self.selector = try JSONTree.field(members, "selector")
        self.resources = try JSONTree.field(members, "resources")
        self.volumeName = try JSONTree.field(members, "volumeName")
        self.storageClassName = try JSONTree.field(members, "storageClassName")
        self.volumeMode = try JSONTree.field(members, "volumeMode")
        self.dataSource = try JSONTree.field(members, "dataSource")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let accessModes { members["accessModes"] = accessModes.jsonTree() }
        if let selector { members["selector"] = selector.jsonTree() }
        if let resources { members["resources"] = resources.jsonTree() }
        if let volumeName { members["volumeName"] = volumeName.jsonTree() }
        if let storageClassName { members["storageClassName"] = storageClassName.jsonTree() }
        if let volumeMode { members["volumeMode"] = volumeMode.jsonTree() }
        if let dataSource { members["dataSource"] = dataSource.jsonTree() }
        return .object(members)
    }
}

/// The storage a claim requests.
public struct VolumeResourceRequirements: Sendable, Codable, Hashable {
    /// Kubernetes' `limits` field.
    public var limits: [String: Quantity]?
    /// Kubernetes' `requests` field.
    public var requests: [String: Quantity]?

    /// Creates a `VolumeResourceRequirements`; every field defaults to empty.
    public init(
        limits: [String: Quantity]? = nil,
        requests: [String: Quantity]? = nil
    ) {
        self.limits = limits
        self.requests = requests
    }

    enum CodingKeys: String, CodingKey {
        case limits
        case requests
    }
}

extension VolumeResourceRequirements: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.limits = try JSONTree.field(members, "limits")
        self.requests = try JSONTree.field(members, "requests")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let limits { members["limits"] = limits.jsonTree() }
        if let requests { members["requests"] = requests.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a claim.
public struct PersistentVolumeClaimStatus: Sendable, Codable, Hashable {
    /// Pending, Bound or Lost.
    public var phase: String?
    /// Kubernetes' `accessModes` field.
    public var accessModes: [String]?
    /// Kubernetes' `capacity` field.
    public var capacity: [String: Quantity]?
    /// The latest observations of the object's state.
    public var conditions: [PersistentVolumeClaimCondition]?

    /// Creates a `PersistentVolumeClaimStatus`; every field defaults to empty.
    public init(
        phase: String? = nil,
        accessModes: [String]? = nil,
        capacity: [String: Quantity]? = nil,
        conditions: [PersistentVolumeClaimCondition]? = nil
    ) {
        self.phase = phase
        self.accessModes = accessModes
        self.capacity = capacity
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case phase
        case accessModes
        case capacity
        case conditions
    }
}

extension PersistentVolumeClaimStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.phase = try JSONTree.field(members, "phase")
        self.accessModes = try JSONTree.field(members, "accessModes")
        self.capacity = try JSONTree.field(members, "capacity")
        self.conditions = try JSONTree.field(members, "conditions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let phase { members["phase"] = phase.jsonTree() }
        if let accessModes { members["accessModes"] = accessModes.jsonTree() }
        if let capacity { members["capacity"] = capacity.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        return .object(members)
    }
}

/// A condition of a PersistentVolumeClaim: the shape Kubernetes gives conditions that are probed.
public typealias PersistentVolumeClaimCondition = ProbedCondition

extension PersistentVolumeClaim {
    /// The finalizer the api puts on every claim (Kubernetes' StorageObjectInUseProtection admission): a claim
    /// being deleted stays until no pod that has not finished uses it.
    public static let protectionFinalizer = "kubernetes.io/pvc-protection"
}
