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

/// A condition of a PersistentVolumeClaim: the shape Kubernetes gives conditions that are probed.
public typealias PersistentVolumeClaimCondition = ProbedCondition

extension PersistentVolumeClaim {
    /// The finalizer the api puts on every claim (Kubernetes' StorageObjectInUseProtection admission): a claim
    /// being deleted stays until no pod that has not finished uses it.
    public static let protectionFinalizer = "kubernetes.io/pvc-protection"
}
