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

extension Node: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? NodeSpec()
        self.status = try JSONTree.field(members, "status") ?? NodeStatus()
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

extension NodeSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.podCIDR = try JSONTree.field(members, "podCIDR")
        self.podCIDRs = try JSONTree.field(members, "podCIDRs")
        self.providerID = try JSONTree.field(members, "providerID")
        self.unschedulable = try JSONTree.field(members, "unschedulable")
        self.taints = try JSONTree.field(members, "taints")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let podCIDR { members["podCIDR"] = podCIDR.jsonTree() }
        if let podCIDRs { members["podCIDRs"] = podCIDRs.jsonTree() }
        if let providerID { members["providerID"] = providerID.jsonTree() }
        if let unschedulable { members["unschedulable"] = unschedulable.jsonTree() }
        if let taints { members["taints"] = taints.jsonTree() }
        return .object(members)
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

extension Taint: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.key = try JSONTree.field(members, "key") ?? ""
        self.value = try JSONTree.field(members, "value")
        self.effect = try JSONTree.field(members, "effect") ?? ""
        self.timeAdded = try JSONTree.field(members, "timeAdded")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["key"] = key.jsonTree()
        if let value { members["value"] = value.jsonTree() }
        members["effect"] = effect.jsonTree()
        if let timeAdded { members["timeAdded"] = timeAdded.jsonTree() }
        return .object(members)
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

extension Toleration: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.key = try JSONTree.field(members, "key")
        self.operator = try JSONTree.field(members, "operator")
        self.value = try JSONTree.field(members, "value")
        self.effect = try JSONTree.field(members, "effect")
        self.tolerationSeconds = try JSONTree.field(members, "tolerationSeconds")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let key { members["key"] = key.jsonTree() }
        if let `operator` { members["operator"] = `operator`.jsonTree() }
        if let value { members["value"] = value.jsonTree() }
        if let effect { members["effect"] = effect.jsonTree() }
        if let tolerationSeconds { members["tolerationSeconds"] = tolerationSeconds.jsonTree() }
        return .object(members)
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

extension NodeStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.capacity = try JSONTree.field(members, "capacity")
        self.allocatable = try JSONTree.field(members, "allocatable")
        self.phase = try JSONTree.field(members, "phase")
        self.conditions = try JSONTree.field(members, "conditions")
        self.addresses = try JSONTree.field(members, "addresses")
        self.daemonEndpoints = try JSONTree.field(members, "daemonEndpoints")
        self.nodeInfo = try JSONTree.field(members, "nodeInfo")
        self.images = try JSONTree.field(members, "images")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let capacity { members["capacity"] = capacity.jsonTree() }
        if let allocatable { members["allocatable"] = allocatable.jsonTree() }
        if let phase { members["phase"] = phase.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        if let addresses { members["addresses"] = addresses.jsonTree() }
        if let daemonEndpoints { members["daemonEndpoints"] = daemonEndpoints.jsonTree() }
        if let nodeInfo { members["nodeInfo"] = nodeInfo.jsonTree() }
        if let images { members["images"] = images.jsonTree() }
        return .object(members)
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

extension NodeCondition: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.status = try JSONTree.field(members, "status") ?? ""
        self.lastHeartbeatTime = try JSONTree.field(members, "lastHeartbeatTime")
        self.lastTransitionTime = try JSONTree.field(members, "lastTransitionTime")
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        members["status"] = status.jsonTree()
        if let lastHeartbeatTime { members["lastHeartbeatTime"] = lastHeartbeatTime.jsonTree() }
        if let lastTransitionTime { members["lastTransitionTime"] = lastTransitionTime.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        return .object(members)
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

extension NodeAddress: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.address = try JSONTree.field(members, "address") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        members["address"] = address.jsonTree()
        return .object(members)
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

extension NodeDaemonEndpoints: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.kubeletEndpoint = try JSONTree.field(members, "kubeletEndpoint")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let kubeletEndpoint { members["kubeletEndpoint"] = kubeletEndpoint.jsonTree() }
        return .object(members)
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

extension DaemonEndpoint: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.port = try JSONTree.field(members, "Port") ?? 0
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["Port"] = port.jsonTree()
        return .object(members)
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

extension NodeSystemInfo: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.machineID = try JSONTree.field(members, "machineID") ?? ""
        self.systemUUID = try JSONTree.field(members, "systemUUID") ?? ""
        self.bootID = try JSONTree.field(members, "bootID") ?? ""
        self.kernelVersion = try JSONTree.field(members, "kernelVersion") ?? ""
        self.osImage = try JSONTree.field(members, "osImage") ?? ""
        self.containerRuntimeVersion = try JSONTree.field(members, "containerRuntimeVersion") ?? ""
        self.kubeletVersion = try JSONTree.field(members, "kubeletVersion") ?? ""
        self.kubeProxyVersion = try JSONTree.field(members, "kubeProxyVersion") ?? ""
        self.operatingSystem = try JSONTree.field(members, "operatingSystem") ?? ""
        self.architecture = try JSONTree.field(members, "architecture") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["machineID"] = machineID.jsonTree()
        members["systemUUID"] = systemUUID.jsonTree()
        members["bootID"] = bootID.jsonTree()
        members["kernelVersion"] = kernelVersion.jsonTree()
        members["osImage"] = osImage.jsonTree()
        members["containerRuntimeVersion"] = containerRuntimeVersion.jsonTree()
        members["kubeletVersion"] = kubeletVersion.jsonTree()
        members["kubeProxyVersion"] = kubeProxyVersion.jsonTree()
        members["operatingSystem"] = operatingSystem.jsonTree()
        members["architecture"] = architecture.jsonTree()
        return .object(members)
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

extension ContainerImage: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.names = try JSONTree.field(members, "names")
        self.sizeBytes = try JSONTree.field(members, "sizeBytes")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let names { members["names"] = names.jsonTree() }
        if let sizeBytes { members["sizeBytes"] = sizeBytes.jsonTree() }
        return .object(members)
    }
}
