// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// The addresses that implement a service.
public struct Endpoints: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .endpoints }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `subsets` field.
    public var subsets: [EndpointSubset]?

    /// Creates a `Endpoints`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        subsets: [EndpointSubset]? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.subsets = subsets
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case subsets
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.subsets = try container.decodeIfPresent([EndpointSubset].self, forKey: .subsets)
    }
}

/// Addresses that share a set of ports.
public struct EndpointSubset: Sendable, Codable, Hashable {
    /// Kubernetes' `addresses` field.
    public var addresses: [EndpointAddress]?
    /// Kubernetes' `notReadyAddresses` field.
    public var notReadyAddresses: [EndpointAddress]?
    /// Kubernetes' `ports` field.
    public var ports: [EndpointPort]?

    /// Creates a `EndpointSubset`; every field defaults to empty.
    public init(
        addresses: [EndpointAddress]? = nil,
        notReadyAddresses: [EndpointAddress]? = nil,
        ports: [EndpointPort]? = nil
    ) {
        self.addresses = addresses
        self.notReadyAddresses = notReadyAddresses
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey {
        case addresses
        case notReadyAddresses
        case ports
    }
}

/// One backend address.
public struct EndpointAddress: Sendable, Codable, Hashable {
    /// Kubernetes' `ip` field.
    public var ip: String
    /// Kubernetes' `hostname` field.
    public var hostname: String?
    /// Kubernetes' `nodeName` field.
    public var nodeName: String?
    /// Kubernetes' `targetRef` field.
    public var targetRef: ObjectReference?

    /// Creates a `EndpointAddress`; every field defaults to empty.
    public init(
        ip: String = "",
        hostname: String? = nil,
        nodeName: String? = nil,
        targetRef: ObjectReference? = nil
    ) {
        self.ip = ip
        self.hostname = hostname
        self.nodeName = nodeName
        self.targetRef = targetRef
    }

    enum CodingKeys: String, CodingKey {
        case ip
        case hostname
        case nodeName
        case targetRef
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.ip = try container.decodeIfPresent(String.self, forKey: .ip) ?? ""
        self.hostname = try container.decodeIfPresent(String.self, forKey: .hostname)
        self.nodeName = try container.decodeIfPresent(String.self, forKey: .nodeName)
        self.targetRef = try container.decodeIfPresent(ObjectReference.self, forKey: .targetRef)
    }
}

/// One backend port.
public struct EndpointPort: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Kubernetes' `port` field.
    public var port: Int
    /// Kubernetes' `protocol` field.
    public var `protocol`: String?
    /// Kubernetes' `appProtocol` field.
    public var appProtocol: String?

    /// Creates a `EndpointPort`; every field defaults to empty.
    public init(
        name: String? = nil,
        port: Int = 0,
        `protocol`: String? = nil,
        appProtocol: String? = nil
    ) {
        self.name = name
        self.port = port
        self.protocol = `protocol`
        self.appProtocol = appProtocol
    }

    enum CodingKeys: String, CodingKey {
        case name
        case port
        case `protocol`
        case appProtocol
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
        self.protocol = try container.decodeIfPresent(String.self, forKey: .`protocol`)
        self.appProtocol = try container.decodeIfPresent(String.self, forKey: .appProtocol)
    }
}
