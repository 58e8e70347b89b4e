// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Which traffic may reach and leave the pods it selects (networking.k8s.io/v1).
public struct NetworkPolicy: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .networkPolicy }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: NetworkPolicySpec

    /// Creates a `NetworkPolicy`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: NetworkPolicySpec = NetworkPolicySpec()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case spec
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.spec = try container.decodeIfPresent(NetworkPolicySpec.self, forKey: .spec) ?? NetworkPolicySpec()
    }
}

extension NetworkPolicy: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? NetworkPolicySpec()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        members["spec"] = spec.jsonTree()
        return .object(members)
    }
}

public struct NetworkPolicySpec: Sendable, Codable, Hashable {
    /// The pods of the policy's namespace it applies to; empty selects all.
    public var podSelector: LabelSelector
    /// `Ingress`, `Egress`, or both.
    public var policyTypes: [String]?
    public var ingress: [NetworkPolicyIngressRule]?
    public var egress: [NetworkPolicyEgressRule]?

    /// Creates a `NetworkPolicySpec`; every field defaults to empty.
    public init(
        podSelector: LabelSelector = LabelSelector(),
        policyTypes: [String]? = nil,
        ingress: [NetworkPolicyIngressRule]? = nil,
        egress: [NetworkPolicyEgressRule]? = nil
    ) {
        self.podSelector = podSelector
        self.policyTypes = policyTypes
        self.ingress = ingress
        self.egress = egress
    }

    enum CodingKeys: String, CodingKey {
        case podSelector
        case policyTypes
        case ingress
        case egress
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.podSelector = try container.decodeIfPresent(LabelSelector.self, forKey: .podSelector) ?? LabelSelector()
        self.policyTypes = try container.decodeIfPresent([String].self, forKey: .policyTypes)
        self.ingress = try container.decodeIfPresent([NetworkPolicyIngressRule].self, forKey: .ingress)
        self.egress = try container.decodeIfPresent([NetworkPolicyEgressRule].self, forKey: .egress)
    }
}

extension NetworkPolicySpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.podSelector = try JSONTree.field(members, "podSelector") ?? LabelSelector()
        self.policyTypes = try JSONTree.field(members, "policyTypes")
        self.ingress = try JSONTree.field(members, "ingress")
        self.egress = try JSONTree.field(members, "egress")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["podSelector"] = podSelector.jsonTree()
        if let policyTypes { members["policyTypes"] = policyTypes.jsonTree() }
        if let ingress { members["ingress"] = ingress.jsonTree() }
        if let egress { members["egress"] = egress.jsonTree() }
        return .object(members)
    }
}

public struct NetworkPolicyIngressRule: Sendable, Codable, Hashable {
    public var from: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    /// Creates a `NetworkPolicyIngressRule`; every field defaults to empty.
    public init(
        from: [NetworkPolicyPeer]? = nil,
        ports: [NetworkPolicyPort]? = nil
    ) {
        self.from = from
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey {
        case from
        case ports
    }
}

extension NetworkPolicyIngressRule: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.from = try JSONTree.field(members, "from")
        self.ports = try JSONTree.field(members, "ports")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let from { members["from"] = from.jsonTree() }
        if let ports { members["ports"] = ports.jsonTree() }
        return .object(members)
    }
}

public struct NetworkPolicyEgressRule: Sendable, Codable, Hashable {
    public var to: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    /// Creates a `NetworkPolicyEgressRule`; every field defaults to empty.
    public init(
        to: [NetworkPolicyPeer]? = nil,
        ports: [NetworkPolicyPort]? = nil
    ) {
        self.to = to
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey {
        case to
        case ports
    }
}

extension NetworkPolicyEgressRule: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.to = try JSONTree.field(members, "to")
        self.ports = try JSONTree.field(members, "ports")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let to { members["to"] = to.jsonTree() }
        if let ports { members["ports"] = ports.jsonTree() }
        return .object(members)
    }
}

public struct NetworkPolicyPeer: Sendable, Codable, Hashable {
    public var podSelector: LabelSelector?
    public var namespaceSelector: LabelSelector?
    public var ipBlock: IPBlock?

    /// Creates a `NetworkPolicyPeer`; every field defaults to empty.
    public init(
        podSelector: LabelSelector? = nil,
        namespaceSelector: LabelSelector? = nil,
        ipBlock: IPBlock? = nil
    ) {
        self.podSelector = podSelector
        self.namespaceSelector = namespaceSelector
        self.ipBlock = ipBlock
    }

    enum CodingKeys: String, CodingKey {
        case podSelector
        case namespaceSelector
        case ipBlock
    }
}

extension NetworkPolicyPeer: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.podSelector = try JSONTree.field(members, "podSelector")
        self.namespaceSelector = try JSONTree.field(members, "namespaceSelector")
        self.ipBlock = try JSONTree.field(members, "ipBlock")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let podSelector { members["podSelector"] = podSelector.jsonTree() }
        if let namespaceSelector { members["namespaceSelector"] = namespaceSelector.jsonTree() }
        if let ipBlock { members["ipBlock"] = ipBlock.jsonTree() }
        return .object(members)
    }
}

public struct IPBlock: Sendable, Codable, Hashable {
    public var cidr: String
    public var except: [String]?

    /// Creates a `IPBlock`; every field defaults to empty.
    public init(
        cidr: String = "",
        except: [String]? = nil
    ) {
        self.cidr = cidr
        self.except = except
    }

    enum CodingKeys: String, CodingKey {
        case cidr
        case except
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.cidr = try container.decodeIfPresent(String.self, forKey: .cidr) ?? ""
        self.except = try container.decodeIfPresent([String].self, forKey: .except)
    }
}

extension IPBlock: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.cidr = try JSONTree.field(members, "cidr") ?? ""
        self.except = try JSONTree.field(members, "except")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["cidr"] = cidr.jsonTree()
        if let except { members["except"] = except.jsonTree() }
        return .object(members)
    }
}

public struct NetworkPolicyPort: Sendable, Codable, Hashable {
    public var `protocol`: String?
    public var port: IntOrString?
    public var endPort: Int?

    /// Creates a `NetworkPolicyPort`; every field defaults to empty.
    public init(
        `protocol`: String? = nil,
        port: IntOrString? = nil,
        endPort: Int? = nil
    ) {
        self.protocol = `protocol`
        self.port = port
        self.endPort = endPort
    }

    enum CodingKeys: String, CodingKey {
        case `protocol`
        case port
        case endPort
    }
}

extension NetworkPolicyPort: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.protocol = try JSONTree.field(members, "protocol")
        self.port = try JSONTree.field(members, "port")
        self.endPort = try JSONTree.field(members, "endPort")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let `protocol` { members["protocol"] = `protocol`.jsonTree() }
        if let port { members["port"] = port.jsonTree() }
        if let endPort { members["endPort"] = endPort.jsonTree() }
        return .object(members)
    }
}
