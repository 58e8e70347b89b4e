// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Which controller implements the Ingresses of a class (networking.k8s.io/v1).
public struct IngressClass: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .ingressClass }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: IngressClassSpec

    /// Creates a `IngressClass`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: IngressClassSpec = IngressClassSpec()
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
        self.spec = try container.decodeIfPresent(IngressClassSpec.self, forKey: .spec) ?? IngressClassSpec()
    }
}

extension IngressClass: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? IngressClassSpec()
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

extension IngressClass {
    /// The annotation that marks the class Ingresses without `ingressClassName` get.
    public static let defaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class"
}

public struct IngressClassSpec: Sendable, Codable, Hashable {
    /// The controller's name, e.g. `kubus.dev/ingress-nginx`.
    public var controller: String?
    public var parameters: IngressClassParametersReference?

    /// Creates a `IngressClassSpec`; every field defaults to empty.
    public init(
        controller: String? = nil,
        parameters: IngressClassParametersReference? = nil
    ) {
        self.controller = controller
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case controller
        case parameters
    }
}

extension IngressClassSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.controller = try JSONTree.field(members, "controller")
        self.parameters = try JSONTree.field(members, "parameters")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let controller { members["controller"] = controller.jsonTree() }
        if let parameters { members["parameters"] = parameters.jsonTree() }
        return .object(members)
    }
}

public struct IngressClassParametersReference: Sendable, Codable, Hashable {
    public var apiGroup: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var scope: String?

    /// Creates a `IngressClassParametersReference`; every field defaults to empty.
    public init(
        apiGroup: String? = nil,
        kind: String? = nil,
        name: String? = nil,
        namespace: String? = nil,
        scope: String? = nil
    ) {
        self.apiGroup = apiGroup
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case apiGroup
        case kind
        case name
        case namespace
        case scope
    }
}

extension IngressClassParametersReference: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiGroup = try JSONTree.field(members, "apiGroup")
        self.kind = try JSONTree.field(members, "kind")
        self.name = try JSONTree.field(members, "name")
        self.namespace = try JSONTree.field(members, "namespace")
        self.scope = try JSONTree.field(members, "scope")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiGroup { members["apiGroup"] = apiGroup.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        if let name { members["name"] = name.jsonTree() }
        if let namespace { members["namespace"] = namespace.jsonTree() }
        if let scope { members["scope"] = scope.jsonTree() }
        return .object(members)
    }
}
