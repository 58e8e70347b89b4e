// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A slice of a service's endpoints (discovery.k8s.io/v1), written by the endpointslice controller.
public struct EndpointSlice: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .endpointSlice }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// `IPv4`, `IPv6` or `FQDN`.
    public var addressType: String
    public var endpoints: [Endpoint]?
    public var ports: [EndpointSlicePort]?

    /// Creates a `EndpointSlice`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        addressType: String = "IPv4",
        endpoints: [Endpoint]? = nil,
        ports: [EndpointSlicePort]? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.addressType = addressType
        self.endpoints = endpoints
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case addressType
        case endpoints
        case ports
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.addressType = try container.decodeIfPresent(String.self, forKey: .addressType) ?? ""
        self.endpoints = try container.decodeIfPresent([Endpoint].self, forKey: .endpoints)
        self.ports = try container.decodeIfPresent([EndpointSlicePort].self, forKey: .ports)
    }
}

extension EndpointSlice: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.addressType = try JSONTree.field(members, "addressType") ?? ""
        self.endpoints = try JSONTree.field(members, "endpoints")
        self.ports = try JSONTree.field(members, "ports")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        members["addressType"] = addressType.jsonTree()
        if let endpoints { members["endpoints"] = endpoints.jsonTree() }
        if let ports { members["ports"] = ports.jsonTree() }
        return .object(members)
    }
}

extension EndpointSlice {
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

    /// Creates a `Endpoint`; every field defaults to empty.
    public init(
        addresses: [String] = [],
        conditions: EndpointConditions? = nil,
        hostname: String? = nil,
        targetRef: ObjectReference? = nil,
        nodeName: String? = nil,
        zone: String? = nil
    ) {
        self.addresses = addresses
        self.conditions = conditions
        self.hostname = hostname
        self.targetRef = targetRef
        self.nodeName = nodeName
        self.zone = zone
    }

    enum CodingKeys: String, CodingKey {
        case addresses
        case conditions
        case hostname
        case targetRef
        case nodeName
        case zone
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.addresses = try container.decodeIfPresent([String].self, forKey: .addresses) ?? []
        self.conditions = try container.decodeIfPresent(EndpointConditions.self, forKey: .conditions)
        self.hostname = try container.decodeIfPresent(String.self, forKey: .hostname)
        self.targetRef = try container.decodeIfPresent(ObjectReference.self, forKey: .targetRef)
        self.nodeName = try container.decodeIfPresent(String.self, forKey: .nodeName)
        self.zone = try container.decodeIfPresent(String.self, forKey: .zone)
    }
}

extension Endpoint: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.addresses = try JSONTree.field(members, "addresses") ?? []
        self.conditions = try JSONTree.field(members, "conditions")
        self.hostname = try JSONTree.field(members, "hostname")
        self.targetRef = try JSONTree.field(members, "targetRef")
        self.nodeName = try JSONTree.field(members, "nodeName")
        self.zone = try JSONTree.field(members, "zone")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["addresses"] = addresses.jsonTree()
        if let conditions { members["conditions"] = conditions.jsonTree() }
        if let hostname { members["hostname"] = hostname.jsonTree() }
        if let targetRef { members["targetRef"] = targetRef.jsonTree() }
        if let nodeName { members["nodeName"] = nodeName.jsonTree() }
        if let zone { members["zone"] = zone.jsonTree() }
        return .object(members)
    }
}

/// Whether an endpoint takes traffic: `ready` (serving and not terminating), `serving`, `terminating`.
public struct EndpointConditions: Sendable, Codable, Hashable {
    public var ready: Bool?
    public var serving: Bool?
    public var terminating: Bool?

    /// Creates a `EndpointConditions`; every field defaults to empty.
    public init(
        ready: Bool? = nil,
        serving: Bool? = nil,
        terminating: Bool? = nil
    ) {
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
    }

    enum CodingKeys: String, CodingKey {
        case ready
        case serving
        case terminating
    }
}

extension EndpointConditions: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ready = try JSONTree.field(members, "ready")
        self.serving = try JSONTree.field(members, "serving")
        self.terminating = try JSONTree.field(members, "terminating")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let ready { members["ready"] = ready.jsonTree() }
        if let serving { members["serving"] = serving.jsonTree() }
        if let terminating { members["terminating"] = terminating.jsonTree() }
        return .object(members)
    }
}

/// A port of an EndpointSlice (`name` matches the service port's name).
public struct EndpointSlicePort: Sendable, Codable, Hashable {
    public var name: String?
    public var `protocol`: String?
    public var port: Int?
    public var appProtocol: String?

    /// Creates a `EndpointSlicePort`; every field defaults to empty.
    public init(
        name: String? = nil,
        `protocol`: String? = nil,
        port: Int? = nil,
        appProtocol: String? = nil
    ) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.appProtocol = appProtocol
    }

    enum CodingKeys: String, CodingKey {
        case name
        case `protocol`
        case port
        case appProtocol
    }
}

extension EndpointSlicePort: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.protocol = try JSONTree.field(members, "protocol")
        self.port = try JSONTree.field(members, "port")
        self.appProtocol = try JSONTree.field(members, "appProtocol")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let `protocol` { members["protocol"] = `protocol`.jsonTree() }
        if let port { members["port"] = port.jsonTree() }
        if let appProtocol { members["appProtocol"] = appProtocol.jsonTree() }
        return .object(members)
    }
}
