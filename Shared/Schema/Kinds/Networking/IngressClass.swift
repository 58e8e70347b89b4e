import Foundation

/// Which controller implements the Ingresses of a class (networking.k8s.io/v1).
public struct IngressClass: KubeObject {
    public static var kindInfo: KindInfo { .ingressClass }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: IngressClassSpec

    public init(metadata: ObjectMeta = ObjectMeta(), spec: IngressClassSpec = IngressClassSpec()) {
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try container.decodeIfPresent(IngressClassSpec.self, forKey: .spec) ?? IngressClassSpec()
    }

    /// The annotation that marks the class Ingresses without `ingressClassName` get.
    public static let defaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class"
}

public struct IngressClassSpec: Sendable, Codable, Hashable {
    /// The controller's name, e.g. `kubus.dev/ingress-nginx`.
    public var controller: String?
    public var parameters: IngressClassParametersReference?

    public init(controller: String? = nil, parameters: IngressClassParametersReference? = nil) {
        self.controller = controller
        self.parameters = parameters
    }
}

public struct IngressClassParametersReference: Sendable, Codable, Hashable {
    public var apiGroup: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var scope: String?

    public init(
        apiGroup: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil,
        scope: String? = nil
    ) {
        self.apiGroup = apiGroup
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.scope = scope
    }
}
