import Foundation

/// Which traffic may reach and leave the pods it selects (networking.k8s.io/v1).
public struct NetworkPolicy: KubeObject {
    public static var kindInfo: KindInfo { .networkPolicy }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: NetworkPolicySpec

    public init(metadata: ObjectMeta = ObjectMeta(), spec: NetworkPolicySpec = NetworkPolicySpec()) {
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try container.decodeIfPresent(NetworkPolicySpec.self, forKey: .spec) ?? NetworkPolicySpec()
    }
}

public struct NetworkPolicySpec: Sendable, Codable, Hashable {
    /// The pods of the policy's namespace it applies to; empty selects all.
    public var podSelector: LabelSelector
    /// `Ingress`, `Egress`, or both.
    public var policyTypes: [String]?
    public var ingress: [NetworkPolicyIngressRule]?
    public var egress: [NetworkPolicyEgressRule]?

    public init(
        podSelector: LabelSelector = LabelSelector(), policyTypes: [String]? = nil,
        ingress: [NetworkPolicyIngressRule]? = nil, egress: [NetworkPolicyEgressRule]? = nil
    ) {
        self.podSelector = podSelector
        self.policyTypes = policyTypes
        self.ingress = ingress
        self.egress = egress
    }

    enum CodingKeys: String, CodingKey { case podSelector, policyTypes, ingress, egress }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        podSelector = try container.decodeIfPresent(LabelSelector.self, forKey: .podSelector) ?? LabelSelector()
        policyTypes = try container.decodeIfPresent([String].self, forKey: .policyTypes)
        ingress = try container.decodeIfPresent([NetworkPolicyIngressRule].self, forKey: .ingress)
        egress = try container.decodeIfPresent([NetworkPolicyEgressRule].self, forKey: .egress)
    }
}

public struct NetworkPolicyIngressRule: Sendable, Codable, Hashable {
    public var from: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    public init(from: [NetworkPolicyPeer]? = nil, ports: [NetworkPolicyPort]? = nil) {
        self.from = from
        self.ports = ports
    }
}

public struct NetworkPolicyEgressRule: Sendable, Codable, Hashable {
    public var to: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    public init(to: [NetworkPolicyPeer]? = nil, ports: [NetworkPolicyPort]? = nil) {
        self.to = to
        self.ports = ports
    }
}

public struct NetworkPolicyPeer: Sendable, Codable, Hashable {
    public var podSelector: LabelSelector?
    public var namespaceSelector: LabelSelector?
    public var ipBlock: IPBlock?

    public init(podSelector: LabelSelector? = nil, namespaceSelector: LabelSelector? = nil, ipBlock: IPBlock? = nil) {
        self.podSelector = podSelector
        self.namespaceSelector = namespaceSelector
        self.ipBlock = ipBlock
    }
}

public struct IPBlock: Sendable, Codable, Hashable {
    public var cidr: String
    public var except: [String]?

    public init(cidr: String = "", except: [String]? = nil) {
        self.cidr = cidr
        self.except = except
    }

    enum CodingKeys: String, CodingKey { case cidr, except }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cidr = try container.decodeIfPresent(String.self, forKey: .cidr) ?? ""
        except = try container.decodeIfPresent([String].self, forKey: .except)
    }
}

public struct NetworkPolicyPort: Sendable, Codable, Hashable {
    public var `protocol`: String?
    public var port: IntOrString?
    public var endPort: Int?

    public init(protocol: String? = nil, port: IntOrString? = nil, endPort: Int? = nil) {
        self.protocol = `protocol`
        self.port = port
        self.endPort = endPort
    }
}
