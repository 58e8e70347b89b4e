// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Keeps a number of identical pods running.
public struct ReplicaSet: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .replicaSet }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: ReplicaSetSpec
    /// The observed state, written by controllers.
    public var status: ReplicaSetStatus

    /// Creates a `ReplicaSet`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: ReplicaSetSpec = ReplicaSetSpec(),
        status: ReplicaSetStatus = ReplicaSetStatus()
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
        self.spec = try container.decodeIfPresent(ReplicaSetSpec.self, forKey: .spec) ?? ReplicaSetSpec()
        self.status = try container.decodeIfPresent(ReplicaSetStatus.self, forKey: .status) ?? ReplicaSetStatus()
    }
}

extension ReplicaSet: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? ReplicaSetSpec()
        self.status = try JSONTree.field(members, "status") ?? ReplicaSetStatus()
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

/// The desired state of a replica set.
public struct ReplicaSetSpec: Sendable, Codable, Hashable {
    /// The number of pods.
    public var replicas: Int?
    /// Kubernetes' `minReadySeconds` field.
    public var minReadySeconds: Int?
    /// Selects the pods this object manages.
    public var selector: LabelSelector?
    /// The pod template used to create pods.
    public var template: PodTemplateSpec?

    /// Creates a `ReplicaSetSpec`; every field defaults to empty.
    public init(
        replicas: Int? = nil,
        minReadySeconds: Int? = nil,
        selector: LabelSelector? = nil,
        template: PodTemplateSpec? = nil
    ) {
        self.replicas = replicas
        self.minReadySeconds = minReadySeconds
        self.selector = selector
        self.template = template
    }

    enum CodingKeys: String, CodingKey {
        case replicas
        case minReadySeconds
        case selector
        case template
    }
}

extension ReplicaSetSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.replicas = try JSONTree.field(members, "replicas")
        self.minReadySeconds = try JSONTree.field(members, "minReadySeconds")
        self.selector = try JSONTree.field(members, "selector")
        self.template = try JSONTree.field(members, "template")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let replicas { members["replicas"] = replicas.jsonTree() }
        if let minReadySeconds { members["minReadySeconds"] = minReadySeconds.jsonTree() }
        if let selector { members["selector"] = selector.jsonTree() }
        if let template { members["template"] = template.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a replica set.
public struct ReplicaSetStatus: Sendable, Codable, Hashable {
    /// The number of pods.
    public var replicas: Int
    /// Kubernetes' `fullyLabeledReplicas` field.
    public var fullyLabeledReplicas: Int?
    /// Kubernetes' `readyReplicas` field.
    public var readyReplicas: Int?
    /// Kubernetes' `availableReplicas` field.
    public var availableReplicas: Int?
    /// The generation the controller last acted on.
    public var observedGeneration: Int64?
    /// The latest observations of the object's state.
    public var conditions: [ReplicaSetCondition]?

    /// Creates a `ReplicaSetStatus`; every field defaults to empty.
    public init(
        replicas: Int = 0,
        fullyLabeledReplicas: Int? = nil,
        readyReplicas: Int? = nil,
        availableReplicas: Int? = nil,
        observedGeneration: Int64? = nil,
        conditions: [ReplicaSetCondition]? = nil
    ) {
        self.replicas = replicas
        self.fullyLabeledReplicas = fullyLabeledReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case replicas
        case fullyLabeledReplicas
        case readyReplicas
        case availableReplicas
        case observedGeneration
        case conditions
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.replicas = try container.decodeIfPresent(Int.self, forKey: .replicas) ?? 0
        self.fullyLabeledReplicas = try container.decodeIfPresent(Int.self, forKey: .fullyLabeledReplicas)
        self.readyReplicas = try container.decodeIfPresent(Int.self, forKey: .readyReplicas)
        self.availableReplicas = try container.decodeIfPresent(Int.self, forKey: .availableReplicas)
        self.observedGeneration = try container.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        self.conditions = try container.decodeIfPresent([ReplicaSetCondition].self, forKey: .conditions)
    }
}

extension ReplicaSetStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.replicas = try JSONTree.field(members, "replicas") ?? 0
        self.fullyLabeledReplicas = try JSONTree.field(members, "fullyLabeledReplicas")
        self.readyReplicas = try JSONTree.field(members, "readyReplicas")
        self.availableReplicas = try JSONTree.field(members, "availableReplicas")
        self.observedGeneration = try JSONTree.field(members, "observedGeneration")
        self.conditions = try JSONTree.field(members, "conditions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["replicas"] = replicas.jsonTree()
        if let fullyLabeledReplicas { members["fullyLabeledReplicas"] = fullyLabeledReplicas.jsonTree() }
        if let readyReplicas { members["readyReplicas"] = readyReplicas.jsonTree() }
        if let availableReplicas { members["availableReplicas"] = availableReplicas.jsonTree() }
        if let observedGeneration { members["observedGeneration"] = observedGeneration.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        return .object(members)
    }
}

/// A condition of a ReplicaSet: the common Kubernetes condition shape.
public typealias ReplicaSetCondition = StatusCondition
