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

extension Endpoints: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.subsets = try JSONTree.field(members, "subsets")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        if let subsets { members["subsets"] = subsets.jsonTree() }
        return .object(members)
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

extension EndpointSubset: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.addresses = try JSONTree.field(members, "addresses")
        self.notReadyAddresses = try JSONTree.field(members, "notReadyAddresses")
        self.ports = try JSONTree.field(members, "ports")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let addresses { members["addresses"] = addresses.jsonTree() }
        if let notReadyAddresses { members["notReadyAddresses"] = notReadyAddresses.jsonTree() }
        if let ports { members["ports"] = ports.jsonTree() }
        return .object(members)
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

extension EndpointAddress: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ip = try JSONTree.field(members, "ip") ?? ""
        self.hostname = try JSONTree.field(members, "hostname")
        self.nodeName = try JSONTree.field(members, "nodeName")
        self.targetRef = try JSONTree.field(members, "targetRef")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["ip"] = ip.jsonTree()
        if let hostname { members["hostname"] = hostname.jsonTree() }
        if let nodeName { members["nodeName"] = nodeName.jsonTree() }
        if let targetRef { members["targetRef"] = targetRef.jsonTree() }
        return .object(members)
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

extension EndpointPort: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.port = try JSONTree.field(members, "port") ?? 0
        self.protocol = try JSONTree.field(members, "protocol")
        self.appProtocol = try JSONTree.field(members, "appProtocol")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        members["port"] = port.jsonTree()
        if let `protocol` { members["protocol"] = `protocol`.jsonTree() }
        if let appProtocol { members["appProtocol"] = appProtocol.jsonTree() }
        return .object(members)
    }
}
