// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A stable virtual IP and DNS name in front of a set of pods.
public struct Service: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .service }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: ServiceSpec
    /// The observed state, written by controllers.
    public var status: ServiceStatus

    /// Creates a `Service`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: ServiceSpec = ServiceSpec(),
        status: ServiceStatus = ServiceStatus()
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
        self.spec = try container.decodeIfPresent(ServiceSpec.self, forKey: .spec) ?? ServiceSpec()
        self.status = try container.decodeIfPresent(ServiceStatus.self, forKey: .status) ?? ServiceStatus()
    }
}

extension Service: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? ServiceSpec()
        self.status = try JSONTree.field(members, "status") ?? ServiceStatus()
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

/// The desired state of a service.
public struct ServiceSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `ports` field.
    public var ports: [ServicePort]?
    /// Selects the pods this object manages.
    public var selector: [String: String]?
    /// Kubernetes' `clusterIP` field.
    public var clusterIP: String?
    /// Kubernetes' `clusterIPs` field.
    public var clusterIPs: [String]?
    /// ClusterIP, NodePort, LoadBalancer or ExternalName.
    public var type: String?
    /// Kubernetes' `externalIPs` field.
    public var externalIPs: [String]?
    /// ClientIP or None.
    public var sessionAffinity: String?
    /// Kubernetes' `loadBalancerIP` field.
    public var loadBalancerIP: String?
    /// Kubernetes' `loadBalancerSourceRanges` field.
    public var loadBalancerSourceRanges: [String]?
    /// Kubernetes' `externalName` field.
    public var externalName: String?
    /// Kubernetes' `externalTrafficPolicy` field.
    public var externalTrafficPolicy: String?
    /// Kubernetes' `internalTrafficPolicy` field.
    public var internalTrafficPolicy: String?
    /// Kubernetes' `healthCheckNodePort` field.
    public var healthCheckNodePort: Int?
    /// Kubernetes' `publishNotReadyAddresses` field.
    public var publishNotReadyAddresses: Bool?
    /// Kubernetes' `ipFamilies` field.
    public var ipFamilies: [String]?
    /// Kubernetes' `ipFamilyPolicy` field.
    public var ipFamilyPolicy: String?
    /// Kubernetes' `allocateLoadBalancerNodePorts` field.
    public var allocateLoadBalancerNodePorts: Bool?
    /// Kubernetes' `loadBalancerClass` field.
    public var loadBalancerClass: String?
    /// How long a client keeps its endpoint with `sessionAffinity: ClientIP`.
    public var sessionAffinityConfig: SessionAffinityConfig?

    /// Creates a `ServiceSpec`; every field defaults to empty.
    public init(
        ports: [ServicePort]? = nil,
        selector: [String: String]? = nil,
        clusterIP: String? = nil,
        clusterIPs: [String]? = nil,
        type: String? = nil,
        externalIPs: [String]? = nil,
        sessionAffinity: String? = nil,
        loadBalancerIP: String? = nil,
        loadBalancerSourceRanges: [String]? = nil,
        externalName: String? = nil,
        externalTrafficPolicy: String? = nil,
        internalTrafficPolicy: String? = nil,
        healthCheckNodePort: Int? = nil,
        publishNotReadyAddresses: Bool? = nil,
        ipFamilies: [String]? = nil,
        ipFamilyPolicy: String? = nil,
        allocateLoadBalancerNodePorts: Bool? = nil,
        loadBalancerClass: String? = nil,
        sessionAffinityConfig: SessionAffinityConfig? = nil
    ) {
        self.ports = ports
        self.selector = selector
        self.clusterIP = clusterIP
        self.clusterIPs = clusterIPs
        self.type = type
        self.externalIPs = externalIPs
        self.sessionAffinity = sessionAffinity
        self.loadBalancerIP = loadBalancerIP
        self.loadBalancerSourceRanges = loadBalancerSourceRanges
        self.externalName = externalName
        self.externalTrafficPolicy = externalTrafficPolicy
        self.internalTrafficPolicy = internalTrafficPolicy
        self.healthCheckNodePort = healthCheckNodePort
        self.publishNotReadyAddresses = publishNotReadyAddresses
        self.ipFamilies = ipFamilies
        self.ipFamilyPolicy = ipFamilyPolicy
        self.allocateLoadBalancerNodePorts = allocateLoadBalancerNodePorts
        self.loadBalancerClass = loadBalancerClass
        self.sessionAffinityConfig = sessionAffinityConfig
    }

    enum CodingKeys: String, CodingKey {
        case ports
        case selector
        case clusterIP
        case clusterIPs
        case type
        case externalIPs
        case sessionAffinity
        case loadBalancerIP
        case loadBalancerSourceRanges
        case externalName
        case externalTrafficPolicy
        case internalTrafficPolicy
        case healthCheckNodePort
        case publishNotReadyAddresses
        case ipFamilies
        case ipFamilyPolicy
        case allocateLoadBalancerNodePorts
        case loadBalancerClass
        case sessionAffinityConfig
    }
}

extension ServiceSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ports = try JSONTree.field(members, "ports")
        self.selector = try JSONTree.field(members, "selector")
        self.clusterIP = try JSONTree.field(members, "clusterIP")
        self.clusterIPs = try JSONTree.field(members, "clusterIPs")
        self.type = try JSONTree.field(members, "type")
        self.externalIPs = try JSONTree.field(members, "externalIPs")
        self.sessionAffinity = try JSONTree.field(members, "sessionAffinity")
        self.loadBalancerIP = try JSONTree.field(members, "loadBalancerIP")
        self.loadBalancerSourceRanges = try JSONTree.field(members, "loadBalancerSourceRanges")
        self.externalName = try JSONTree.field(members, "externalName")
        self.externalTrafficPolicy = try JSONTree.field(members, "externalTrafficPolicy")
        self.internalTrafficPolicy = try JSONTree.field(members, "internalTrafficPolicy")
        self.healthCheckNodePort = try JSONTree.field(members, "healthCheckNodePort")
        self.publishNotReadyAddresses = try JSONTree.field(members, "publishNotReadyAddresses")
        self.ipFamilies = try JSONTree.field(members, "ipFamilies")
        self.ipFamilyPolicy = try JSONTree.field(members, "ipFamilyPolicy")
        self.allocateLoadBalancerNodePorts = try JSONTree.field(members, "allocateLoadBalancerNodePorts")
        self.loadBalancerClass = try JSONTree.field(members, "loadBalancerClass")
        self.sessionAffinityConfig = try JSONTree.field(members, "sessionAffinityConfig")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let ports { members["ports"] = ports.jsonTree() }
        if let selector { members["selector"] = selector.jsonTree() }
        if let clusterIP { members["clusterIP"] = clusterIP.jsonTree() }
        if let clusterIPs { members["clusterIPs"] = clusterIPs.jsonTree() }
        if let type { members["type"] = type.jsonTree() }
        if let externalIPs { members["externalIPs"] = externalIPs.jsonTree() }
        if let sessionAffinity { members["sessionAffinity"] = sessionAffinity.jsonTree() }
        if let loadBalancerIP { members["loadBalancerIP"] = loadBalancerIP.jsonTree() }
        if let loadBalancerSourceRanges { members["loadBalancerSourceRanges"] = loadBalancerSourceRanges.jsonTree() }
        if let externalName { members["externalName"] = externalName.jsonTree() }
        if let externalTrafficPolicy { members["externalTrafficPolicy"] = externalTrafficPolicy.jsonTree() }
        if let internalTrafficPolicy { members["internalTrafficPolicy"] = internalTrafficPolicy.jsonTree() }
        if let healthCheckNodePort { members["healthCheckNodePort"] = healthCheckNodePort.jsonTree() }
        if let publishNotReadyAddresses { members["publishNotReadyAddresses"] = publishNotReadyAddresses.jsonTree() }
        if let ipFamilies { members["ipFamilies"] = ipFamilies.jsonTree() }
        if let ipFamilyPolicy { members["ipFamilyPolicy"] = ipFamilyPolicy.jsonTree() }
        if let allocateLoadBalancerNodePorts {
            members["allocateLoadBalancerNodePorts"] = allocateLoadBalancerNodePorts.jsonTree()
        }
        if let loadBalancerClass { members["loadBalancerClass"] = loadBalancerClass.jsonTree() }
        if let sessionAffinityConfig { members["sessionAffinityConfig"] = sessionAffinityConfig.jsonTree() }
        return .object(members)
    }
}

/// Kubernetes' `sessionAffinityConfig`.
public struct SessionAffinityConfig: Sendable, Codable, Hashable {
    /// Kubernetes' `clientIP` field.
    public var clientIP: ClientIPConfig?

    /// Creates a `SessionAffinityConfig`; every field defaults to empty.
    public init(
        clientIP: ClientIPConfig? = nil
    ) {
        self.clientIP = clientIP
    }

    enum CodingKeys: String, CodingKey {
        case clientIP
    }
}

extension SessionAffinityConfig: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.clientIP = try JSONTree.field(members, "clientIP")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let clientIP { members["clientIP"] = clientIP.jsonTree() }
        return .object(members)
    }
}

/// Kubernetes' `ClientIPConfig`: the affinity's timeout, 1 to 86400 seconds (default 10800).
public struct ClientIPConfig: Sendable, Codable, Hashable {
    /// Kubernetes' `timeoutSeconds` field.
    public var timeoutSeconds: Int?

    /// Creates a `ClientIPConfig`; every field defaults to empty.
    public init(
        timeoutSeconds: Int? = nil
    ) {
        self.timeoutSeconds = timeoutSeconds
    }

    enum CodingKeys: String, CodingKey {
        case timeoutSeconds
    }
}

extension ClientIPConfig: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.timeoutSeconds = try JSONTree.field(members, "timeoutSeconds")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let timeoutSeconds { members["timeoutSeconds"] = timeoutSeconds.jsonTree() }
        return .object(members)
    }
}

/// A port a service exposes.
public struct ServicePort: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Kubernetes' `protocol` field.
    public var `protocol`: String?
    /// Kubernetes' `appProtocol` field.
    public var appProtocol: String?
    /// Kubernetes' `port` field.
    public var port: Int
    /// Kubernetes' `targetPort` field.
    public var targetPort: IntOrString?
    /// Kubernetes' `nodePort` field.
    public var nodePort: Int?

    /// Creates a `ServicePort`; every field defaults to empty.
    public init(
        name: String? = nil,
        `protocol`: String? = nil,
        appProtocol: String? = nil,
        port: Int = 0,
        targetPort: IntOrString? = nil,
        nodePort: Int? = nil
    ) {
        self.name = name
        self.protocol = `protocol`
        self.appProtocol = appProtocol
        self.port = port
        self.targetPort = targetPort
        self.nodePort = nodePort
    }

    enum CodingKeys: String, CodingKey {
        case name
        case `protocol`
        case appProtocol
        case port
        case targetPort
        case nodePort
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.protocol = try container.decodeIfPresent(String.self, forKey: .`protocol`)
        self.appProtocol = try container.decodeIfPresent(String.self, forKey: .appProtocol)
        self.port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
        self.targetPort = try container.decodeIfPresent(IntOrString.self, forKey: .targetPort)
        self.nodePort = try container.decodeIfPresent(Int.self, forKey: .nodePort)
    }
}

extension ServicePort: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.protocol = try JSONTree.field(members, "protocol")
        self.appProtocol = try JSONTree.field(members, "appProtocol")
        self.port = try JSONTree.field(members, "port") ?? 0
        self.targetPort = try JSONTree.field(members, "targetPort")
        self.nodePort = try JSONTree.field(members, "nodePort")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let `protocol` { members["protocol"] = `protocol`.jsonTree() }
        if let appProtocol { members["appProtocol"] = appProtocol.jsonTree() }
        members["port"] = port.jsonTree()
        if let targetPort { members["targetPort"] = targetPort.jsonTree() }
        if let nodePort { members["nodePort"] = nodePort.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a service.
public struct ServiceStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `loadBalancer` field.
    public var loadBalancer: LoadBalancerStatus?
    /// The latest observations of the object's state.
    public var conditions: [Condition]?

    /// Creates a `ServiceStatus`; every field defaults to empty.
    public init(
        loadBalancer: LoadBalancerStatus? = nil,
        conditions: [Condition]? = nil
    ) {
        self.loadBalancer = loadBalancer
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case loadBalancer
        case conditions
    }
}

extension ServiceStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.loadBalancer = try JSONTree.field(members, "loadBalancer")
        self.conditions = try JSONTree.field(members, "conditions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let loadBalancer { members["loadBalancer"] = loadBalancer.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        return .object(members)
    }
}

/// The ingress points of a load balancer.
public struct LoadBalancerStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `ingress` field.
    public var ingress: [LoadBalancerIngress]?

    /// Creates a `LoadBalancerStatus`; every field defaults to empty.
    public init(
        ingress: [LoadBalancerIngress]? = nil
    ) {
        self.ingress = ingress
    }

    enum CodingKeys: String, CodingKey {
        case ingress
    }
}

extension LoadBalancerStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ingress = try JSONTree.field(members, "ingress")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let ingress { members["ingress"] = ingress.jsonTree() }
        return .object(members)
    }
}

/// One ingress point of a load balancer.
public struct LoadBalancerIngress: Sendable, Codable, Hashable {
    /// Kubernetes' `ip` field.
    public var ip: String?
    /// `VIP` (traffic reaches the nodes addressed to the balancer's IP) or `Proxy`.
    public var ipMode: String?
    /// Kubernetes' `hostname` field.
    public var hostname: String?
    /// Kubernetes' `ports` field.
    public var ports: [PortStatus]?

    /// Creates a `LoadBalancerIngress`; every field defaults to empty.
    public init(
        ip: String? = nil,
        ipMode: String? = nil,
        hostname: String? = nil,
        ports: [PortStatus]? = nil
    ) {
        self.ip = ip
        self.ipMode = ipMode
        self.hostname = hostname
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey {
        case ip
        case ipMode
        case hostname
        case ports
    }
}

extension LoadBalancerIngress: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ip = try JSONTree.field(members, "ip")
        self.ipMode = try JSONTree.field(members, "ipMode")
        self.hostname = try JSONTree.field(members, "hostname")
        self.ports = try JSONTree.field(members, "ports")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let ip { members["ip"] = ip.jsonTree() }
        if let ipMode { members["ipMode"] = ipMode.jsonTree() }
        if let hostname { members["hostname"] = hostname.jsonTree() }
        if let ports { members["ports"] = ports.jsonTree() }
        return .object(members)
    }
}

/// The status of one load balancer port.
public struct PortStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `port` field.
    public var port: Int
    /// Kubernetes' `protocol` field.
    public var `protocol`: String
    /// Kubernetes' `error` field.
    public var error: String?

    /// Creates a `PortStatus`; every field defaults to empty.
    public init(
        port: Int = 0,
        `protocol`: String = "",
        error: String? = nil
    ) {
        self.port = port
        self.protocol = `protocol`
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case port
        case `protocol`
        case error
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
        self.protocol = try container.decodeIfPresent(String.self, forKey: .`protocol`) ?? ""
        self.error = try container.decodeIfPresent(String.self, forKey: .error)
    }
}

extension PortStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.port = try JSONTree.field(members, "port") ?? 0
        self.protocol = try JSONTree.field(members, "protocol") ?? ""
        self.error = try JSONTree.field(members, "error")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["port"] = port.jsonTree()
        members["protocol"] = `protocol`.jsonTree()
        if let error { members["error"] = error.jsonTree() }
        return .object(members)
    }
}
