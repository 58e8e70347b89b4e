import Foundation

/// A slice of a service's endpoints (discovery.k8s.io/v1), written by the endpointslice controller.
public struct EndpointSlice: KubeObject {
    public static var kindInfo: KindInfo { .endpointSlice }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// `IPv4`, `IPv6` or `FQDN`.
    public var addressType: String
    public var endpoints: [Endpoint]?
    public var ports: [EndpointSlicePort]?

    public init(
        metadata: ObjectMeta = ObjectMeta(), addressType: String = "IPv4", endpoints: [Endpoint]? = nil,
        ports: [EndpointSlicePort]? = nil
    ) {
        self.metadata = metadata
        self.addressType = addressType
        self.endpoints = endpoints
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, addressType, endpoints, ports }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        addressType = try container.decodeIfPresent(String.self, forKey: .addressType) ?? ""
        endpoints = try container.decodeIfPresent([Endpoint].self, forKey: .endpoints)
        ports = try container.decodeIfPresent([EndpointSlicePort].self, forKey: .ports)
    }

    /// The label naming the slice's service.
    public static let serviceNameLabel = "kubernetes.io/service-name"
    /// The label naming the controller that manages a slice.
    public static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
}

/// One backend of an EndpointSlice.
public struct Endpoint: Sendable, Codable, Hashable {
    public var addresses: [String]
    public var conditions: EndpointConditions?
    public var hostname: String?
    public var targetRef: ObjectReference?
    public var nodeName: String?
    public var zone: String?

    public init(
        addresses: [String] = [], conditions: EndpointConditions? = nil, hostname: String? = nil,
        targetRef: ObjectReference? = nil, nodeName: String? = nil, zone: String? = nil
    ) {
        self.addresses = addresses
        self.conditions = conditions
        self.hostname = hostname
        self.targetRef = targetRef
        self.nodeName = nodeName
        self.zone = zone
    }

    enum CodingKeys: String, CodingKey { case addresses, conditions, hostname, targetRef, nodeName, zone }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        addresses = try container.decodeIfPresent([String].self, forKey: .addresses) ?? []
        conditions = try container.decodeIfPresent(EndpointConditions.self, forKey: .conditions)
        hostname = try container.decodeIfPresent(String.self, forKey: .hostname)
        targetRef = try container.decodeIfPresent(ObjectReference.self, forKey: .targetRef)
        nodeName = try container.decodeIfPresent(String.self, forKey: .nodeName)
        zone = try container.decodeIfPresent(String.self, forKey: .zone)
    }
}

/// Whether an endpoint takes traffic: `ready` (serving and not terminating), `serving`, `terminating`.
public struct EndpointConditions: Sendable, Codable, Hashable {
    public var ready: Bool?
    public var serving: Bool?
    public var terminating: Bool?

    public init(ready: Bool? = nil, serving: Bool? = nil, terminating: Bool? = nil) {
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
    }
}

/// A port of an EndpointSlice (`name` matches the service port's name).
public struct EndpointSlicePort: Sendable, Codable, Hashable {
    public var name: String?
    public var `protocol`: String?
    public var port: Int?
    public var appProtocol: String?

    public init(name: String? = nil, protocol: String? = nil, port: Int? = nil, appProtocol: String? = nil) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.appProtocol = appProtocol
    }
}
