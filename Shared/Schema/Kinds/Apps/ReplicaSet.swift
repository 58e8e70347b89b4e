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

/// A condition of a ReplicaSet: the common Kubernetes condition shape.
public typealias ReplicaSetCondition = StatusCondition
