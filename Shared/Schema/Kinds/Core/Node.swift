// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A worker machine that runs pods.
public struct Node: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .node }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: NodeSpec
    /// The observed state, written by controllers.
    public var status: NodeStatus

    /// Creates a `Node`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: NodeSpec = NodeSpec(),
        status: NodeStatus = NodeStatus()
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
        self.spec = try container.decodeIfPresent(NodeSpec.self, forKey: .spec) ?? NodeSpec()
        self.status = try container.decodeIfPresent(NodeStatus.self, forKey: .status) ?? NodeStatus()
    }
}

/// The desired state of a node.
public struct NodeSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `podCIDR` field.
    public var podCIDR: String?
    /// Kubernetes' `podCIDRs` field.
    public var podCIDRs: [String]?
    /// Kubernetes' `providerID` field.
    public var providerID: String?
    /// Kubernetes' `unschedulable` field.
    public var unschedulable: Bool?
    /// Kubernetes' `taints` field.
    public var taints: [Taint]?

    /// Creates a `NodeSpec`; every field defaults to empty.
    public init(
        podCIDR: String? = nil,
        podCIDRs: [String]? = nil,
        providerID: String? = nil,
        unschedulable: Bool? = nil,
        taints: [Taint]? = nil
    ) {
        self.podCIDR = podCIDR
        self.podCIDRs = podCIDRs
        self.providerID = providerID
        self.unschedulable = unschedulable
        self.taints = taints
    }

    enum CodingKeys: String, CodingKey {
        case podCIDR
        case podCIDRs
        case providerID
        case unschedulable
        case taints
    }
}

/// Repels pods that do not tolerate it.
public struct Taint: Sendable, Codable, Hashable {
    /// The key.
    public var key: String
    /// The value.
    public var value: String?
    /// NoSchedule, PreferNoSchedule or NoExecute.
    public var effect: String
    /// Kubernetes' `timeAdded` field.
    public var timeAdded: Time?

    /// Creates a `Taint`; every field defaults to empty.
    public init(
        key: String = "",
        value: String? = nil,
        effect: String = "",
        timeAdded: Time? = nil
    ) {
        self.key = key
        self.value = value
        self.effect = effect
        self.timeAdded = timeAdded
    }

    enum CodingKeys: String, CodingKey {
        case key
        case value
        case effect
        case timeAdded
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.value = try container.decodeIfPresent(String.self, forKey: .value)
        self.effect = try container.decodeIfPresent(String.self, forKey: .effect) ?? ""
        self.timeAdded = try container.decodeIfPresent(Time.self, forKey: .timeAdded)
    }
}

/// Lets a pod schedule onto nodes with a matching taint.
public struct Toleration: Sendable, Codable, Hashable {
    /// The key.
    public var key: String?
    /// Exists or Equal.
    public var `operator`: String?
    /// The value.
    public var value: String?
    /// Kubernetes' `effect` field.
    public var effect: String?
    /// Kubernetes' `tolerationSeconds` field.
    public var tolerationSeconds: Int64?

    /// Creates a `Toleration`; every field defaults to empty.
    public init(
        key: String? = nil,
        `operator`: String? = nil,
        value: String? = nil,
        effect: String? = nil,
        tolerationSeconds: Int64? = nil
    ) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case key
        case `operator`
        case value
        case effect
        case tolerationSeconds
    }
}

/// The observed state of a node.
public struct NodeStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `capacity` field.
    public var capacity: [String: Quantity]?
    /// Kubernetes' `allocatable` field.
    public var allocatable: [String: Quantity]?
    /// Kubernetes' `phase` field.
    public var phase: String?
    /// The latest observations of the object's state.
    public var conditions: [NodeCondition]?
    /// Kubernetes' `addresses` field.
    public var addresses: [NodeAddress]?
    /// Kubernetes' `daemonEndpoints` field.
    public var daemonEndpoints: NodeDaemonEndpoints?
    /// Kubernetes' `nodeInfo` field.
    public var nodeInfo: NodeSystemInfo?
    /// Kubernetes' `images` field.
    public var images: [ContainerImage]?

    /// Creates a `NodeStatus`; every field defaults to empty.
    public init(
        capacity: [String: Quantity]? = nil,
        allocatable: [String: Quantity]? = nil,
        phase: String? = nil,
        conditions: [NodeCondition]? = nil,
        addresses: [NodeAddress]? = nil,
        daemonEndpoints: NodeDaemonEndpoints? = nil,
        nodeInfo: NodeSystemInfo? = nil,
        images: [ContainerImage]? = nil
    ) {
        self.capacity = capacity
        self.allocatable = allocatable
        self.phase = phase
        self.conditions = conditions
        self.addresses = addresses
        self.daemonEndpoints = daemonEndpoints
        self.nodeInfo = nodeInfo
        self.images = images
    }

    enum CodingKeys: String, CodingKey {
        case capacity
        case allocatable
        case phase
        case conditions
        case addresses
        case daemonEndpoints
        case nodeInfo
        case images
    }
}

/// A condition of a node (Ready, MemoryPressure, ...).
public struct NodeCondition: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// The observed state, written by controllers.
    public var status: String
    /// Kubernetes' `lastHeartbeatTime` field.
    public var lastHeartbeatTime: Time?
    /// When the condition last changed status.
    public var lastTransitionTime: Time?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?

    /// Creates a `NodeCondition`; every field defaults to empty.
    public init(
        type: String = "",
        status: String = "",
        lastHeartbeatTime: Time? = nil,
        lastTransitionTime: Time? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastHeartbeatTime = lastHeartbeatTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type
        case status
        case lastHeartbeatTime
        case lastTransitionTime
        case reason
        case message
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        self.lastHeartbeatTime = try container.decodeIfPresent(Time.self, forKey: .lastHeartbeatTime)
        self.lastTransitionTime = try container.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
    }
}

/// An address of a node.
public struct NodeAddress: Sendable, Codable, Hashable {
    /// Hostname, InternalIP, ExternalIP, ...
    public var type: String
    /// Kubernetes' `address` field.
    public var address: String

    /// Creates a `NodeAddress`; every field defaults to empty.
    public init(
        type: String = "",
        address: String = ""
    ) {
        self.type = type
        self.address = address
    }

    enum CodingKeys: String, CodingKey {
        case type
        case address
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.address = try container.decodeIfPresent(String.self, forKey: .address) ?? ""
    }
}

/// Ports of daemons running on the node.
public struct NodeDaemonEndpoints: Sendable, Codable, Hashable {
    /// Kubernetes' `kubeletEndpoint` field.
    public var kubeletEndpoint: DaemonEndpoint?

    /// Creates a `NodeDaemonEndpoints`; every field defaults to empty.
    public init(
        kubeletEndpoint: DaemonEndpoint? = nil
    ) {
        self.kubeletEndpoint = kubeletEndpoint
    }

    enum CodingKeys: String, CodingKey {
        case kubeletEndpoint
    }
}

/// A port of a daemon on the node.
public struct DaemonEndpoint: Sendable, Codable, Hashable {
    /// Kubernetes' `Port` field (capitalised on the wire, as in Kubernetes' API).
    public var port: Int

    /// Creates a `DaemonEndpoint`; every field defaults to empty.
    public init(
        port: Int = 0
    ) {
        self.port = port
    }

    enum CodingKeys: String, CodingKey {
        case port = "Port"
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
    }
}

/// Identifying information about the node.
public struct NodeSystemInfo: Sendable, Codable, Hashable {
    /// Kubernetes' `machineID` field.
    public var machineID: String
    /// Kubernetes' `systemUUID` field.
    public var systemUUID: String
    /// Kubernetes' `bootID` field.
    public var bootID: String
    /// Kubernetes' `kernelVersion` field.
    public var kernelVersion: String
    /// Kubernetes' `osImage` field.
    public var osImage: String
    /// Kubernetes' `containerRuntimeVersion` field.
    public var containerRuntimeVersion: String
    /// Kubernetes' `kubeletVersion` field.
    public var kubeletVersion: String
    /// Kubernetes' `kubeProxyVersion` field.
    public var kubeProxyVersion: String
    /// Kubernetes' `operatingSystem` field.
    public var operatingSystem: String
    /// Kubernetes' `architecture` field.
    public var architecture: String

    /// Creates a `NodeSystemInfo`; every field defaults to empty.
    public init(
        machineID: String = "",
        systemUUID: String = "",
        bootID: String = "",
        kernelVersion: String = "",
        osImage: String = "",
        containerRuntimeVersion: String = "",
        kubeletVersion: String = "",
        kubeProxyVersion: String = "",
        operatingSystem: String = "",
        architecture: String = ""
    ) {
        self.machineID = machineID
        self.systemUUID = systemUUID
        self.bootID = bootID
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.containerRuntimeVersion = containerRuntimeVersion
        self.kubeletVersion = kubeletVersion
        self.kubeProxyVersion = kubeProxyVersion
        self.operatingSystem = operatingSystem
        self.architecture = architecture
    }

    enum CodingKeys: String, CodingKey {
        case machineID
        case systemUUID
        case bootID
        case kernelVersion
        case osImage
        case containerRuntimeVersion
        case kubeletVersion
        case kubeProxyVersion
        case operatingSystem
        case architecture
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.machineID = try container.decodeIfPresent(String.self, forKey: .machineID) ?? ""
        self.systemUUID = try container.decodeIfPresent(String.self, forKey: .systemUUID) ?? ""
        self.bootID = try container.decodeIfPresent(String.self, forKey: .bootID) ?? ""
        self.kernelVersion = try container.decodeIfPresent(String.self, forKey: .kernelVersion) ?? ""
        self.osImage = try container.decodeIfPresent(String.self, forKey: .osImage) ?? ""
        self.containerRuntimeVersion =
            try container.decodeIfPresent(String.self, forKey: .containerRuntimeVersion) ?? ""
        self.kubeletVersion = try container.decodeIfPresent(String.self, forKey: .kubeletVersion) ?? ""
        self.kubeProxyVersion = try container.decodeIfPresent(String.self, forKey: .kubeProxyVersion) ?? ""
        self.operatingSystem = try container.decodeIfPresent(String.self, forKey: .operatingSystem) ?? ""
        self.architecture = try container.decodeIfPresent(String.self, forKey: .architecture) ?? ""
    }
}

/// An image present on a node.
public struct ContainerImage: Sendable, Codable, Hashable {
    /// Kubernetes' `names` field.
    public var names: [String]?
    /// Kubernetes' `sizeBytes` field.
    public var sizeBytes: Int64?

    /// Creates a `ContainerImage`; every field defaults to empty.
    public init(
        names: [String]? = nil,
        sizeBytes: Int64? = nil
    ) {
        self.names = names
        self.sizeBytes = sizeBytes
    }

    enum CodingKeys: String, CodingKey {
        case names
        case sizeBytes
    }
}
