// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A piece of storage provisioned in the cluster.
public struct PersistentVolume: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .persistentVolume }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: PersistentVolumeSpec
    /// The observed state, written by controllers.
    public var status: PersistentVolumeStatus

    /// Creates a `PersistentVolume`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: PersistentVolumeSpec = PersistentVolumeSpec(),
        status: PersistentVolumeStatus = PersistentVolumeStatus()
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
        self.spec = try container.decodeIfPresent(PersistentVolumeSpec.self, forKey: .spec) ?? PersistentVolumeSpec()
        self.status =
            try container.decodeIfPresent(PersistentVolumeStatus.self, forKey: .status) ?? PersistentVolumeStatus()
    }
}

extension PersistentVolume: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? PersistentVolumeSpec()
        self.status = try JSONTree.field(members, "status") ?? PersistentVolumeStatus()
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

/// The desired state of a persistent volume.
public struct PersistentVolumeSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `capacity` field.
    public var capacity: [String: Quantity]?
    /// Kubernetes' `hostPath` field.
    public var hostPath: HostPathVolumeSource?
    /// Kubernetes' `nfs` field.
    public var nfs: NFSVolumeSource?
    /// Kubernetes' `local` field.
    public var local: LocalVolumeSource?
    /// Kubernetes' `csi` field.
    public var csi: CSIPersistentVolumeSource?
    /// Kubernetes' `accessModes` field.
    public var accessModes: [String]?
    /// Kubernetes' `claimRef` field.
    public var claimRef: ObjectReference?
    /// Retain, Delete or Recycle.
    public var persistentVolumeReclaimPolicy: String?
    /// Kubernetes' `storageClassName` field.
    public var storageClassName: String?
    /// Kubernetes' `mountOptions` field.
    public var mountOptions: [String]?
    /// Filesystem or Block.
    public var volumeMode: String?
    /// Kubernetes' `nodeAffinity` field.
    public var nodeAffinity: VolumeNodeAffinity?

    /// Creates a `PersistentVolumeSpec`; every field defaults to empty.
    public init(
        capacity: [String: Quantity]? = nil,
        hostPath: HostPathVolumeSource? = nil,
        nfs: NFSVolumeSource? = nil,
        local: LocalVolumeSource? = nil,
        csi: CSIPersistentVolumeSource? = nil,
        accessModes: [String]? = nil,
        claimRef: ObjectReference? = nil,
        persistentVolumeReclaimPolicy: String? = nil,
        storageClassName: String? = nil,
        mountOptions: [String]? = nil,
        volumeMode: String? = nil,
        nodeAffinity: VolumeNodeAffinity? = nil
    ) {
        self.capacity = capacity
        self.hostPath = hostPath
        self.nfs = nfs
        self.local = local
        self.csi = csi
        self.accessModes = accessModes
        self.claimRef = claimRef
        self.persistentVolumeReclaimPolicy = persistentVolumeReclaimPolicy
        self.storageClassName = storageClassName
        self.mountOptions = mountOptions
        self.volumeMode = volumeMode
        self.nodeAffinity = nodeAffinity
    }

    enum CodingKeys: String, CodingKey {
        case capacity
        case hostPath
        case nfs
        case local
        case csi
        case accessModes
        case claimRef
        case persistentVolumeReclaimPolicy
        case storageClassName
        case mountOptions
        case volumeMode
        case nodeAffinity
    }
}

extension PersistentVolumeSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.capacity = try JSONTree.field(members, "capacity")
        self.hostPath = try JSONTree.field(members, "hostPath")
        self.nfs = try JSONTree.field(members, "nfs")
        self.local = try JSONTree.field(members, "local")
        self.csi = try JSONTree.field(members, "csi")
        self.accessModes = try JSONTree.field(members, "accessModes")
        self.claimRef = try JSONTree.field(members, "claimRef")
        self.persistentVolumeReclaimPolicy = try JSONTree.field(members, "persistentVolumeReclaimPolicy")
        self.storageClassName = try JSONTree.field(members, "storageClassName")
        self.mountOptions = try JSONTree.field(members, "mountOptions")
        self.volumeMode = try JSONTree.field(members, "volumeMode")
        self.nodeAffinity = try JSONTree.field(members, "nodeAffinity")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let capacity { members["capacity"] = capacity.jsonTree() }
        if let hostPath { members["hostPath"] = hostPath.jsonTree() }
        if let nfs { members["nfs"] = nfs.jsonTree() }
        if let local { members["local"] = local.jsonTree() }
        if let csi { members["csi"] = csi.jsonTree() }
        if let accessModes { members["accessModes"] = accessModes.jsonTree() }
        if let claimRef { members["claimRef"] = claimRef.jsonTree() }
        if let persistentVolumeReclaimPolicy {
            members["persistentVolumeReclaimPolicy"] = persistentVolumeReclaimPolicy.jsonTree()
        }
        if let storageClassName { members["storageClassName"] = storageClassName.jsonTree() }
        if let mountOptions { members["mountOptions"] = mountOptions.jsonTree() }
        if let volumeMode { members["volumeMode"] = volumeMode.jsonTree() }
        if let nodeAffinity { members["nodeAffinity"] = nodeAffinity.jsonTree() }
        return .object(members)
    }
}

/// A local disk or directory on a node.
public struct LocalVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `path` field.
    public var path: String
    /// Kubernetes' `fsType` field.
    public var fsType: String?

    /// Creates a `LocalVolumeSource`; every field defaults to empty.
    public init(
        path: String = "",
        fsType: String? = nil
    ) {
        self.path = path
        self.fsType = fsType
    }

    enum CodingKeys: String, CodingKey {
        case path
        case fsType
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.fsType = try container.decodeIfPresent(String.self, forKey: .fsType)
    }
}

extension LocalVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.path = try JSONTree.field(members, "path") ?? ""
        self.fsType = try JSONTree.field(members, "fsType")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["path"] = path.jsonTree()
        if let fsType { members["fsType"] = fsType.jsonTree() }
        return .object(members)
    }
}

/// Storage managed by a CSI driver.
public struct CSIPersistentVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `driver` field.
    public var driver: String
    /// Kubernetes' `volumeHandle` field.
    public var volumeHandle: String
    /// Kubernetes' `readOnly` field.
    public var readOnly: Bool?
    /// Kubernetes' `fsType` field.
    public var fsType: String?
    /// Kubernetes' `volumeAttributes` field.
    public var volumeAttributes: [String: String]?

    /// Creates a `CSIPersistentVolumeSource`; every field defaults to empty.
    public init(
        driver: String = "",
        volumeHandle: String = "",
        readOnly: Bool? = nil,
        fsType: String? = nil,
        volumeAttributes: [String: String]? = nil
    ) {
        self.driver = driver
        self.volumeHandle = volumeHandle
        self.readOnly = readOnly
        self.fsType = fsType
        self.volumeAttributes = volumeAttributes
    }

    enum CodingKeys: String, CodingKey {
        case driver
        case volumeHandle
        case readOnly
        case fsType
        case volumeAttributes
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.driver = try container.decodeIfPresent(String.self, forKey: .driver) ?? ""
        self.volumeHandle = try container.decodeIfPresent(String.self, forKey: .volumeHandle) ?? ""
        self.readOnly = try container.decodeIfPresent(Bool.self, forKey: .readOnly)
        self.fsType = try container.decodeIfPresent(String.self, forKey: .fsType)
        self.volumeAttributes = try container.decodeIfPresent([String: String].self, forKey: .volumeAttributes)
    }
}

extension CSIPersistentVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.driver = try JSONTree.field(members, "driver") ?? ""
        self.volumeHandle = try JSONTree.field(members, "volumeHandle") ?? ""
        self.readOnly = try JSONTree.field(members, "readOnly")
        self.fsType = try JSONTree.field(members, "fsType")
        self.volumeAttributes = try JSONTree.field(members, "volumeAttributes")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["driver"] = driver.jsonTree()
        members["volumeHandle"] = volumeHandle.jsonTree()
        if let readOnly { members["readOnly"] = readOnly.jsonTree() }
        if let fsType { members["fsType"] = fsType.jsonTree() }
        if let volumeAttributes { members["volumeAttributes"] = volumeAttributes.jsonTree() }
        return .object(members)
    }
}

/// The nodes a volume can be accessed from.
public struct VolumeNodeAffinity: Sendable, Codable, Hashable {
    /// Kubernetes' `required` field.
    public var required: NodeSelector?

    /// Creates a `VolumeNodeAffinity`; every field defaults to empty.
    public init(
        required: NodeSelector? = nil
    ) {
        self.required = required
    }

    enum CodingKeys: String, CodingKey {
        case required
    }
}

extension VolumeNodeAffinity: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.required = try JSONTree.field(members, "required")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let required { members["required"] = required.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a persistent volume.
public struct PersistentVolumeStatus: Sendable, Codable, Hashable {
    /// Pending, Available, Bound, Released or Failed.
    public var phase: String?
    /// A human-readable explanation.
    public var message: String?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// Kubernetes' `lastPhaseTransitionTime` field.
    public var lastPhaseTransitionTime: Time?

    /// Creates a `PersistentVolumeStatus`; every field defaults to empty.
    public init(
        phase: String? = nil,
        message: String? = nil,
        reason: String? = nil,
        lastPhaseTransitionTime: Time? = nil
    ) {
        self.phase = phase
        self.message = message
        self.reason = reason
        self.lastPhaseTransitionTime = lastPhaseTransitionTime
    }

    enum CodingKeys: String, CodingKey {
        case phase
        case message
        case reason
        case lastPhaseTransitionTime
    }
}

extension PersistentVolumeStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.phase = try JSONTree.field(members, "phase")
        self.message = try JSONTree.field(members, "message")
        self.reason = try JSONTree.field(members, "reason")
        self.lastPhaseTransitionTime = try JSONTree.field(members, "lastPhaseTransitionTime")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let phase { members["phase"] = phase.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let lastPhaseTransitionTime { members["lastPhaseTransitionTime"] = lastPhaseTransitionTime.jsonTree() }
        return .object(members)
    }
}

extension PersistentVolume {
    /// The finalizer the api puts on every volume: a volume being deleted stays while a claim is bound to it.
    public static let protectionFinalizer = "kubernetes.io/pv-protection"
}
