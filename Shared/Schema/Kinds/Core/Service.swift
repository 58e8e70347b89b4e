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
