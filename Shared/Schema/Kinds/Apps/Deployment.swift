// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Declarative updates for pods through replica sets.
public struct Deployment: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .deployment }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: DeploymentSpec
    /// The observed state, written by controllers.
    public var status: DeploymentStatus

    /// Creates a `Deployment`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: DeploymentSpec = DeploymentSpec(),
        status: DeploymentStatus = DeploymentStatus()
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
        self.spec = try container.decodeIfPresent(DeploymentSpec.self, forKey: .spec) ?? DeploymentSpec()
        self.status = try container.decodeIfPresent(DeploymentStatus.self, forKey: .status) ?? DeploymentStatus()
    }
}

extension Deployment: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? DeploymentSpec()
        self.status = try JSONTree.field(members, "status") ?? DeploymentStatus()
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

/// The desired state of a deployment.
public struct DeploymentSpec: Sendable, Codable, Hashable {
    /// The number of pods.
    public var replicas: Int?
    /// Selects the pods this object manages.
    public var selector: LabelSelector?
    /// The pod template used to create pods.
    public var template: PodTemplateSpec
    /// Kubernetes' `strategy` field.
    public var strategy: DeploymentStrategy?
    /// Kubernetes' `minReadySeconds` field.
    public var minReadySeconds: Int?
    /// Kubernetes' `revisionHistoryLimit` field.
    public var revisionHistoryLimit: Int?
    /// Kubernetes' `paused` field.
    public var paused: Bool?
    /// Kubernetes' `progressDeadlineSeconds` field.
    public var progressDeadlineSeconds: Int?

    /// Creates a `DeploymentSpec`; every field defaults to empty.
    public init(
        replicas: Int? = nil,
        selector: LabelSelector? = nil,
        template: PodTemplateSpec = PodTemplateSpec(),
        strategy: DeploymentStrategy? = nil,
        minReadySeconds: Int? = nil,
        revisionHistoryLimit: Int? = nil,
        paused: Bool? = nil,
        progressDeadlineSeconds: Int? = nil
    ) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.strategy = strategy
        self.minReadySeconds = minReadySeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        self.paused = paused
        self.progressDeadlineSeconds = progressDeadlineSeconds
    }

    enum CodingKeys: String, CodingKey {
        case replicas
        case selector
        case template
        case strategy
        case minReadySeconds
        case revisionHistoryLimit
        case paused
        case progressDeadlineSeconds
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.replicas = try container.decodeIfPresent(Int.self, forKey: .replicas)
        self.selector = try container.decodeIfPresent(LabelSelector.self, forKey: .selector)
        self.template = try container.decodeIfPresent(PodTemplateSpec.self, forKey: .template) ?? PodTemplateSpec()
        self.strategy = try container.decodeIfPresent(DeploymentStrategy.self, forKey: .strategy)
        self.minReadySeconds = try container.decodeIfPresent(Int.self, forKey: .minReadySeconds)
        self.revisionHistoryLimit = try container.decodeIfPresent(Int.self, forKey: .revisionHistoryLimit)
        self.paused = try container.decodeIfPresent(Bool.self, forKey: .paused)
        self.progressDeadlineSeconds = try container.decodeIfPresent(Int.self, forKey: .progressDeadlineSeconds)
    }
}

extension DeploymentSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.replicas = try JSONTree.field(members, "replicas")
        self.selector = try JSONTree.field(members, "selector")
        self.template = try JSONTree.field(members, "template") ?? PodTemplateSpec()
        self.strategy = try JSONTree.field(members, "strategy")
        self.minReadySeconds = try JSONTree.field(members, "minReadySeconds")
        self.revisionHistoryLimit = try JSONTree.field(members, "revisionHistoryLimit")
        self.paused = try JSONTree.field(members, "paused")
        self.progressDeadlineSeconds = try JSONTree.field(members, "progressDeadlineSeconds")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let replicas { members["replicas"] = replicas.jsonTree() }
        if let selector { members["selector"] = selector.jsonTree() }
        members["template"] = template.jsonTree()
        if let strategy { members["strategy"] = strategy.jsonTree() }
        if let minReadySeconds { members["minReadySeconds"] = minReadySeconds.jsonTree() }
        if let revisionHistoryLimit { members["revisionHistoryLimit"] = revisionHistoryLimit.jsonTree() }
        if let paused { members["paused"] = paused.jsonTree() }
        if let progressDeadlineSeconds { members["progressDeadlineSeconds"] = progressDeadlineSeconds.jsonTree() }
        return .object(members)
    }
}

/// How old pods are replaced by new ones.
public struct DeploymentStrategy: Sendable, Codable, Hashable {
    /// Recreate or RollingUpdate.
    public var type: String?
    /// Kubernetes' `rollingUpdate` field.
    public var rollingUpdate: RollingUpdateDeployment?

    /// Creates a `DeploymentStrategy`; every field defaults to empty.
    public init(
        type: String? = nil,
        rollingUpdate: RollingUpdateDeployment? = nil
    ) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }

    enum CodingKeys: String, CodingKey {
        case type
        case rollingUpdate
    }
}

extension DeploymentStrategy: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type")
        self.rollingUpdate = try JSONTree.field(members, "rollingUpdate")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let type { members["type"] = type.jsonTree() }
        if let rollingUpdate { members["rollingUpdate"] = rollingUpdate.jsonTree() }
        return .object(members)
    }
}

/// Bounds of a rolling update.
public struct RollingUpdateDeployment: Sendable, Codable, Hashable {
    /// Kubernetes' `maxUnavailable` field.
    public var maxUnavailable: IntOrString?
    /// Kubernetes' `maxSurge` field.
    public var maxSurge: IntOrString?

    /// Creates a `RollingUpdateDeployment`; every field defaults to empty.
    public init(
        maxUnavailable: IntOrString? = nil,
        maxSurge: IntOrString? = nil
    ) {
        self.maxUnavailable = maxUnavailable
        self.maxSurge = maxSurge
    }

    enum CodingKeys: String, CodingKey {
        case maxUnavailable
        case maxSurge
    }
}

extension RollingUpdateDeployment: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.maxUnavailable = try JSONTree.field(members, "maxUnavailable")
        self.maxSurge = try JSONTree.field(members, "maxSurge")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let maxUnavailable { members["maxUnavailable"] = maxUnavailable.jsonTree() }
        if let maxSurge { members["maxSurge"] = maxSurge.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a deployment.
public struct DeploymentStatus: Sendable, Codable, Hashable {
    /// The generation the controller last acted on.
    public var observedGeneration: Int64?
    /// The number of pods.
    public var replicas: Int?
    /// Kubernetes' `updatedReplicas` field.
    public var updatedReplicas: Int?
    /// Kubernetes' `readyReplicas` field.
    public var readyReplicas: Int?
    /// Kubernetes' `availableReplicas` field.
    public var availableReplicas: Int?
    /// Kubernetes' `unavailableReplicas` field.
    public var unavailableReplicas: Int?
    /// Kubernetes' `terminatingReplicas` field.
    public var terminatingReplicas: Int?
    /// The latest observations of the object's state.
    public var conditions: [DeploymentCondition]?
    /// Kubernetes' `collisionCount` field.
    public var collisionCount: Int?

    /// Creates a `DeploymentStatus`; every field defaults to empty.
    public init(
        observedGeneration: Int64? = nil,
        replicas: Int? = nil,
        updatedReplicas: Int? = nil,
        readyReplicas: Int? = nil,
        availableReplicas: Int? = nil,
        unavailableReplicas: Int? = nil,
        terminatingReplicas: Int? = nil,
        conditions: [DeploymentCondition]? = nil,
        collisionCount: Int? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.updatedReplicas = updatedReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.unavailableReplicas = unavailableReplicas
        self.terminatingReplicas = terminatingReplicas
        self.conditions = conditions
        self.collisionCount = collisionCount
    }

    enum CodingKeys: String, CodingKey {
        case observedGeneration
        case replicas
        case updatedReplicas
        case readyReplicas
        case availableReplicas
        case unavailableReplicas
        case terminatingReplicas
        case conditions
        case collisionCount
    }
}

extension DeploymentStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.observedGeneration = try JSONTree.field(members, "observedGeneration")
        self.replicas = try JSONTree.field(members, "replicas")
        self.updatedReplicas = try JSONTree.field(members, "updatedReplicas")
        self.readyReplicas = try JSONTree.field(members, "readyReplicas")
        self.availableReplicas = try JSONTree.field(members, "availableReplicas")
        self.unavailableReplicas = try JSONTree.field(members, "unavailableReplicas")
        self.terminatingReplicas = try JSONTree.field(members, "terminatingReplicas")
        self.conditions = try JSONTree.field(members, "conditions")
        self.collisionCount = try JSONTree.field(members, "collisionCount")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let observedGeneration { members["observedGeneration"] = observedGeneration.jsonTree() }
        if let replicas { members["replicas"] = replicas.jsonTree() }
        if let updatedReplicas { members["updatedReplicas"] = updatedReplicas.jsonTree() }
        if let readyReplicas { members["readyReplicas"] = readyReplicas.jsonTree() }
        if let availableReplicas { members["availableReplicas"] = availableReplicas.jsonTree() }
        if let unavailableReplicas { members["unavailableReplicas"] = unavailableReplicas.jsonTree() }
        if let terminatingReplicas { members["terminatingReplicas"] = terminatingReplicas.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        if let collisionCount { members["collisionCount"] = collisionCount.jsonTree() }
        return .object(members)
    }
}

/// A condition of a deployment (Available, Progressing, ReplicaFailure).
public struct DeploymentCondition: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// The observed state, written by controllers.
    public var status: String
    /// Kubernetes' `lastUpdateTime` field.
    public var lastUpdateTime: Time?
    /// When the condition last changed status.
    public var lastTransitionTime: Time?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?

    /// Creates a `DeploymentCondition`; every field defaults to empty.
    public init(
        type: String = "",
        status: String = "",
        lastUpdateTime: Time? = nil,
        lastTransitionTime: Time? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastUpdateTime = lastUpdateTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type
        case status
        case lastUpdateTime
        case lastTransitionTime
        case reason
        case message
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        self.lastUpdateTime = try container.decodeIfPresent(Time.self, forKey: .lastUpdateTime)
        self.lastTransitionTime = try container.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
    }
}

extension DeploymentCondition: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.status = try JSONTree.field(members, "status") ?? ""
        self.lastUpdateTime = try JSONTree.field(members, "lastUpdateTime")
        self.lastTransitionTime = try JSONTree.field(members, "lastTransitionTime")
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        members["status"] = status.jsonTree()
        if let lastUpdateTime { members["lastUpdateTime"] = lastUpdateTime.jsonTree() }
        if let lastTransitionTime { members["lastTransitionTime"] = lastTransitionTime.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        return .object(members)
    }
}
