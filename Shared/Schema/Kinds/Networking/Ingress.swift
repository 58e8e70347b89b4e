// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// HTTP routing from outside the cluster to services.
public struct Ingress: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .ingress }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: IngressSpec
    /// The observed state, written by controllers.
    public var status: IngressStatus

    /// Creates a `Ingress`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: IngressSpec = IngressSpec(),
        status: IngressStatus = IngressStatus()
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
        self.spec = try container.decodeIfPresent(IngressSpec.self, forKey: .spec) ?? IngressSpec()
        self.status = try container.decodeIfPresent(IngressStatus.self, forKey: .status) ?? IngressStatus()
    }
}

extension Ingress: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? IngressSpec()
        self.status = try JSONTree.field(members, "status") ?? IngressStatus()
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

/// The desired state of an ingress.
public struct IngressSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `ingressClassName` field.
    public var ingressClassName: String?
    /// Kubernetes' `defaultBackend` field.
    public var defaultBackend: IngressBackend?
    /// Kubernetes' `tls` field.
    public var tls: [IngressTLS]?
    /// Kubernetes' `rules` field.
    public var rules: [IngressRule]?

    /// Creates a `IngressSpec`; every field defaults to empty.
    public init(
        ingressClassName: String? = nil,
        defaultBackend: IngressBackend? = nil,
        tls: [IngressTLS]? = nil,
        rules: [IngressRule]? = nil
    ) {
        self.ingressClassName = ingressClassName
        self.defaultBackend = defaultBackend
        self.tls = tls
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey {
        case ingressClassName
        case defaultBackend
        case tls
        case rules
    }
}

extension IngressSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ingressClassName = try JSONTree.field(members, "ingressClassName")
        self.defaultBackend = try JSONTree.field(members, "defaultBackend")
        self.tls = try JSONTree.field(members, "tls")
        self.rules = try JSONTree.field(members, "rules")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let ingressClassName { members["ingressClassName"] = ingressClassName.jsonTree() }
        if let defaultBackend { members["defaultBackend"] = defaultBackend.jsonTree() }
        if let tls { members["tls"] = tls.jsonTree() }
        if let rules { members["rules"] = rules.jsonTree() }
        return .object(members)
    }
}

/// Where matching traffic goes: a service or a resource.
public struct IngressBackend: Sendable, Codable, Hashable {
    /// Kubernetes' `service` field.
    public var service: IngressServiceBackend?
    /// Kubernetes' `resource` field.
    public var resource: TypedLocalObjectReference?

    /// Creates a `IngressBackend`; every field defaults to empty.
    public init(
        service: IngressServiceBackend? = nil,
        resource: TypedLocalObjectReference? = nil
    ) {
        self.service = service
        self.resource = resource
    }

    enum CodingKeys: String, CodingKey {
        case service
        case resource
    }
}

extension IngressBackend: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.service = try JSONTree.field(members, "service")
        self.resource = try JSONTree.field(members, "resource")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let service { members["service"] = service.jsonTree() }
        if let resource { members["resource"] = resource.jsonTree() }
        return .object(members)
    }
}

/// A service and port.
public struct IngressServiceBackend: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `port` field.
    public var port: ServiceBackendPort?

    /// Creates a `IngressServiceBackend`; every field defaults to empty.
    public init(
        name: String = "",
        port: ServiceBackendPort? = nil
    ) {
        self.name = name
        self.port = port
    }

    enum CodingKeys: String, CodingKey {
        case name
        case port
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.port = try container.decodeIfPresent(ServiceBackendPort.self, forKey: .port)
    }
}

extension IngressServiceBackend: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.port = try JSONTree.field(members, "port")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        if let port { members["port"] = port.jsonTree() }
        return .object(members)
    }
}

/// A service port by number or name.
public struct ServiceBackendPort: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Kubernetes' `number` field.
    public var number: Int?

    /// Creates a `ServiceBackendPort`; every field defaults to empty.
    public init(
        name: String? = nil,
        number: Int? = nil
    ) {
        self.name = name
        self.number = number
    }

    enum CodingKeys: String, CodingKey {
        case name
        case number
    }
}

extension ServiceBackendPort: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.number = try JSONTree.field(members, "number")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let number { members["number"] = number.jsonTree() }
        return .object(members)
    }
}

/// TLS for a set of hosts.
public struct IngressTLS: Sendable, Codable, Hashable {
    /// Kubernetes' `hosts` field.
    public var hosts: [String]?
    /// Kubernetes' `secretName` field.
    public var secretName: String?

    /// Creates a `IngressTLS`; every field defaults to empty.
    public init(
        hosts: [String]? = nil,
        secretName: String? = nil
    ) {
        self.hosts = hosts
        self.secretName = secretName
    }

    enum CodingKeys: String, CodingKey {
        case hosts
        case secretName
    }
}

extension IngressTLS: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.hosts = try JSONTree.field(members, "hosts")
        self.secretName = try JSONTree.field(members, "secretName")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let hosts { members["hosts"] = hosts.jsonTree() }
        if let secretName { members["secretName"] = secretName.jsonTree() }
        return .object(members)
    }
}

/// Routing for one host.
public struct IngressRule: Sendable, Codable, Hashable {
    /// Kubernetes' `host` field.
    public var host: String?
    /// Kubernetes' `http` field.
    public var http: HTTPIngressRuleValue?

    /// Creates a `IngressRule`; every field defaults to empty.
    public init(
        host: String? = nil,
        http: HTTPIngressRuleValue? = nil
    ) {
        self.host = host
        self.http = http
    }

    enum CodingKeys: String, CodingKey {
        case host
        case http
    }
}

extension IngressRule: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.host = try JSONTree.field(members, "host")
        self.http = try JSONTree.field(members, "http")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let host { members["host"] = host.jsonTree() }
        if let http { members["http"] = http.jsonTree() }
        return .object(members)
    }
}

/// The HTTP paths of a rule.
public struct HTTPIngressRuleValue: Sendable, Codable, Hashable {
    /// Kubernetes' `paths` field.
    public var paths: [HTTPIngressPath]

    /// Creates a `HTTPIngressRuleValue`; every field defaults to empty.
    public init(
        paths: [HTTPIngressPath] = []
    ) {
        self.paths = paths
    }

    enum CodingKeys: String, CodingKey {
        case paths
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.paths = try container.decodeIfPresent([HTTPIngressPath].self, forKey: .paths) ?? []
    }
}

extension HTTPIngressRuleValue: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.paths = try JSONTree.field(members, "paths") ?? []
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["paths"] = paths.jsonTree()
        return .object(members)
    }
}

/// A path and its backend.
public struct HTTPIngressPath: Sendable, Codable, Hashable {
    /// Kubernetes' `path` field.
    public var path: String?
    /// Exact, Prefix or ImplementationSpecific.
    public var pathType: String?
    /// Kubernetes' `backend` field.
    public var backend: IngressBackend

    /// Creates a `HTTPIngressPath`; every field defaults to empty.
    public init(
        path: String? = nil,
        pathType: String? = nil,
        backend: IngressBackend = IngressBackend()
    ) {
        self.path = path
        self.pathType = pathType
        self.backend = backend
    }

    enum CodingKeys: String, CodingKey {
        case path
        case pathType
        case backend
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try container.decodeIfPresent(String.self, forKey: .path)
        self.pathType = try container.decodeIfPresent(String.self, forKey: .pathType)
        self.backend = try container.decodeIfPresent(IngressBackend.self, forKey: .backend) ?? IngressBackend()
    }
}

extension HTTPIngressPath: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.path = try JSONTree.field(members, "path")
        self.pathType = try JSONTree.field(members, "pathType")
        self.backend = try JSONTree.field(members, "backend") ?? IngressBackend()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let path { members["path"] = path.jsonTree() }
        if let pathType { members["pathType"] = pathType.jsonTree() }
        members["backend"] = backend.jsonTree()
        return .object(members)
    }
}

/// The observed state of an ingress.
public struct IngressStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `loadBalancer` field.
    public var loadBalancer: IngressLoadBalancerStatus?

    /// Creates a `IngressStatus`; every field defaults to empty.
    public init(
        loadBalancer: IngressLoadBalancerStatus? = nil
    ) {
        self.loadBalancer = loadBalancer
    }

    enum CodingKeys: String, CodingKey {
        case loadBalancer
    }
}

extension IngressStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.loadBalancer = try JSONTree.field(members, "loadBalancer")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let loadBalancer { members["loadBalancer"] = loadBalancer.jsonTree() }
        return .object(members)
    }
}

/// The ingress points of an ingress.
public struct IngressLoadBalancerStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `ingress` field.
    public var ingress: [IngressLoadBalancerIngress]?

    /// Creates a `IngressLoadBalancerStatus`; every field defaults to empty.
    public init(
        ingress: [IngressLoadBalancerIngress]? = nil
    ) {
        self.ingress = ingress
    }

    enum CodingKeys: String, CodingKey {
        case ingress
    }
}

extension IngressLoadBalancerStatus: JSONTreeCodable {
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

/// One ingress point.
public struct IngressLoadBalancerIngress: Sendable, Codable, Hashable {
    /// Kubernetes' `ip` field.
    public var ip: String?
    /// Kubernetes' `hostname` field.
    public var hostname: String?
    /// Kubernetes' `ports` field.
    public var ports: [PortStatus]?

    /// Creates a `IngressLoadBalancerIngress`; every field defaults to empty.
    public init(
        ip: String? = nil,
        hostname: String? = nil,
        ports: [PortStatus]? = nil
    ) {
        self.ip = ip
        self.hostname = hostname
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey {
        case ip
        case hostname
        case ports
    }
}

extension IngressLoadBalancerIngress: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ip = try JSONTree.field(members, "ip")
        self.hostname = try JSONTree.field(members, "hostname")
        self.ports = try JSONTree.field(members, "ports")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let ip { members["ip"] = ip.jsonTree() }
        if let hostname { members["hostname"] = hostname.jsonTree() }
        if let ports { members["ports"] = ports.jsonTree() }
        return .object(members)
    }
}
