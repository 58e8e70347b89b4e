// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Pods with stable identities and storage.
public struct StatefulSet: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .statefulSet }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: StatefulSetSpec
    /// The observed state, written by controllers.
    public var status: StatefulSetStatus

    /// Creates a `StatefulSet`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: StatefulSetSpec = StatefulSetSpec(),
        status: StatefulSetStatus = StatefulSetStatus()
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
        self.spec = try container.decodeIfPresent(StatefulSetSpec.self, forKey: .spec) ?? StatefulSetSpec()
        self.status = try container.decodeIfPresent(StatefulSetStatus.self, forKey: .status) ?? StatefulSetStatus()
    }
}

extension StatefulSet: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? StatefulSetSpec()
        self.status = try JSONTree.field(members, "status") ?? StatefulSetStatus()
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

/// The desired state of a stateful set.
public struct StatefulSetSpec: Sendable, Codable, Hashable {
    /// The number of pods.
    public var replicas: Int?
    /// Selects the pods this object manages.
    public var selector: LabelSelector?
    /// The pod template used to create pods.
    public var template: PodTemplateSpec
    /// Kubernetes' `volumeClaimTemplates` field.
    public var volumeClaimTemplates: [PersistentVolumeClaimTemplate]?
    /// Kubernetes' `serviceName` field.
    public var serviceName: String?
    /// OrderedReady or Parallel.
    public var podManagementPolicy: String?
    /// Kubernetes' `updateStrategy` field.
    public var updateStrategy: StatefulSetUpdateStrategy?
    /// Kubernetes' `revisionHistoryLimit` field.
    public var revisionHistoryLimit: Int?
    /// Kubernetes' `minReadySeconds` field.
    public var minReadySeconds: Int?
    /// Kubernetes' `persistentVolumeClaimRetentionPolicy` field.
    public var persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy?
    /// Kubernetes' `ordinals` field.
    public var ordinals: StatefulSetOrdinals?

    /// Creates a `StatefulSetSpec`; every field defaults to empty.
    public init(
        replicas: Int? = nil,
        selector: LabelSelector? = nil,
        template: PodTemplateSpec = PodTemplateSpec(),
        volumeClaimTemplates: [PersistentVolumeClaimTemplate]? = nil,
        serviceName: String? = nil,
        podManagementPolicy: String? = nil,
        updateStrategy: StatefulSetUpdateStrategy? = nil,
        revisionHistoryLimit: Int? = nil,
        minReadySeconds: Int? = nil,
        persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy? = nil,
        ordinals: StatefulSetOrdinals? = nil
    ) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.volumeClaimTemplates = volumeClaimTemplates
        self.serviceName = serviceName
        self.podManagementPolicy = podManagementPolicy
        self.updateStrategy = updateStrategy
        self.revisionHistoryLimit = revisionHistoryLimit
        self.minReadySeconds = minReadySeconds
        self.persistentVolumeClaimRetentionPolicy = persistentVolumeClaimRetentionPolicy
        self.ordinals = ordinals
    }

    enum CodingKeys: String, CodingKey {
        case replicas
        case selector
        case template
        case volumeClaimTemplates
        case serviceName
        case podManagementPolicy
        case updateStrategy
        case revisionHistoryLimit
        case minReadySeconds
        case persistentVolumeClaimRetentionPolicy
        case ordinals
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.replicas = try container.decodeIfPresent(Int.self, forKey: .replicas)
        self.selector = try container.decodeIfPresent(LabelSelector.self, forKey: .selector)
        self.template = try container.decodeIfPresent(PodTemplateSpec.self, forKey: .template) ?? PodTemplateSpec()
        self.volumeClaimTemplates = try container.decodeIfPresent(
            [PersistentVolumeClaimTemplate].self, forKey: .volumeClaimTemplates)
        self.serviceName = try container.decodeIfPresent(String.self, forKey: .serviceName)
        self.podManagementPolicy = try container.decodeIfPresent(String.self, forKey: .podManagementPolicy)
        self.updateStrategy = try container.decodeIfPresent(StatefulSetUpdateStrategy.self, forKey: .updateStrategy)
        self.revisionHistoryLimit = try container.decodeIfPresent(Int.self, forKey: .revisionHistoryLimit)
        self.minReadySeconds = try container.decodeIfPresent(Int.self, forKey: .minReadySeconds)
        self.persistentVolumeClaimRetentionPolicy = try container.decodeIfPresent(
            StatefulSetPersistentVolumeClaimRetentionPolicy.self, forKey: .persistentVolumeClaimRetentionPolicy)
        self.ordinals = try container.decodeIfPresent(StatefulSetOrdinals.self, forKey: .ordinals)
    }
}

extension StatefulSetSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.replicas = try JSONTree.field(members, "replicas")
        self.selector = try JSONTree.field(members, "selector")
        self.template = try JSONTree.field(members, "template") ?? PodTemplateSpec()
        self.volumeClaimTemplates = try JSONTree.field(members, "volumeClaimTemplates")
        self.serviceName = try JSONTree.field(members, "serviceName")
        self.podManagementPolicy = try JSONTree.field(members, "podManagementPolicy")
        self.updateStrategy = try JSONTree.field(members, "updateStrategy")
        self.revisionHistoryLimit = try JSONTree.field(members, "revisionHistoryLimit")
        self.minReadySeconds = try JSONTree.field(members, "minReadySeconds")
        self.persistentVolumeClaimRetentionPolicy = try JSONTree.field(members, "persistentVolumeClaimRetentionPolicy")
        self.ordinals = try JSONTree.field(members, "ordinals")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let replicas { members["replicas"] = replicas.jsonTree() }
        if let selector { members["selector"] = selector.jsonTree() }
        members["template"] = template.jsonTree()
        if let volumeClaimTemplates { members["volumeClaimTemplates"] = volumeClaimTemplates.jsonTree() }
        if let serviceName { members["serviceName"] = serviceName.jsonTree() }
        if let podManagementPolicy { members["podManagementPolicy"] = podManagementPolicy.jsonTree() }
        if let updateStrategy { members["updateStrategy"] = updateStrategy.jsonTree() }
        if let revisionHistoryLimit { members["revisionHistoryLimit"] = revisionHistoryLimit.jsonTree() }
        if let minReadySeconds { members["minReadySeconds"] = minReadySeconds.jsonTree() }
        if let persistentVolumeClaimRetentionPolicy {
            members["persistentVolumeClaimRetentionPolicy"] = persistentVolumeClaimRetentionPolicy.jsonTree()
        }
        if let ordinals { members["ordinals"] = ordinals.jsonTree() }
        return .object(members)
    }
}

/// How pods of a stateful set are updated.
public struct StatefulSetUpdateStrategy: Sendable, Codable, Hashable {
    /// RollingUpdate or OnDelete.
    public var type: String?
    /// Kubernetes' `rollingUpdate` field.
    public var rollingUpdate: RollingUpdateStatefulSetStrategy?

    /// Creates a `StatefulSetUpdateStrategy`; every field defaults to empty.
    public init(
        type: String? = nil,
        rollingUpdate: RollingUpdateStatefulSetStrategy? = nil
    ) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }

    enum CodingKeys: String, CodingKey {
        case type
        case rollingUpdate
    }
}

extension StatefulSetUpdateStrategy: JSONTreeCodable {
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

/// Bounds of a stateful set rolling update.
public struct RollingUpdateStatefulSetStrategy: Sendable, Codable, Hashable {
    /// Kubernetes' `partition` field.
    public var partition: Int?
    /// Kubernetes' `maxUnavailable` field.
    public var maxUnavailable: IntOrString?

    /// Creates a `RollingUpdateStatefulSetStrategy`; every field defaults to empty.
    public init(
        partition: Int? = nil,
        maxUnavailable: IntOrString? = nil
    ) {
        self.partition = partition
        self.maxUnavailable = maxUnavailable
    }

    enum CodingKeys: String, CodingKey {
        case partition
        case maxUnavailable
    }
}

extension RollingUpdateStatefulSetStrategy: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.partition = try JSONTree.field(members, "partition")
        self.maxUnavailable = try JSONTree.field(members, "maxUnavailable")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let partition { members["partition"] = partition.jsonTree() }
        if let maxUnavailable { members["maxUnavailable"] = maxUnavailable.jsonTree() }
        return .object(members)
    }
}

/// What happens to claims when pods go away.
public struct StatefulSetPersistentVolumeClaimRetentionPolicy: Sendable, Codable, Hashable {
    /// Retain or Delete.
    public var whenDeleted: String?
    /// Kubernetes' `whenScaled` field.
    public var whenScaled: String?

    /// Creates a `StatefulSetPersistentVolumeClaimRetentionPolicy`; every field defaults to empty.
    public init(
        whenDeleted: String? = nil,
        whenScaled: String? = nil
    ) {
        self.whenDeleted = whenDeleted
        self.whenScaled = whenScaled
    }

    enum CodingKeys: String, CodingKey {
        case whenDeleted
        case whenScaled
    }
}

extension StatefulSetPersistentVolumeClaimRetentionPolicy: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.whenDeleted = try JSONTree.field(members, "whenDeleted")
        self.whenScaled = try JSONTree.field(members, "whenScaled")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let whenDeleted { members["whenDeleted"] = whenDeleted.jsonTree() }
        if let whenScaled { members["whenScaled"] = whenScaled.jsonTree() }
        return .object(members)
    }
}

/// The first ordinal of a stateful set.
public struct StatefulSetOrdinals: Sendable, Codable, Hashable {
    /// Kubernetes' `start` field.
    public var start: Int

    /// Creates a `StatefulSetOrdinals`; every field defaults to empty.
    public init(
        start: Int = 0
    ) {
        self.start = start
    }

    enum CodingKeys: String, CodingKey {
        case start
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.start = try container.decodeIfPresent(Int.self, forKey: .start) ?? 0
    }
}

extension StatefulSetOrdinals: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.start = try JSONTree.field(members, "start") ?? 0
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["start"] = start.jsonTree()
        return .object(members)
    }
}

/// The observed state of a stateful set.
public struct StatefulSetStatus: Sendable, Codable, Hashable {
    /// The generation the controller last acted on.
    public var observedGeneration: Int64?
    /// The number of pods.
    public var replicas: Int
    /// Kubernetes' `readyReplicas` field.
    public var readyReplicas: Int?
    /// Kubernetes' `currentReplicas` field.
    public var currentReplicas: Int?
    /// Kubernetes' `updatedReplicas` field.
    public var updatedReplicas: Int?
    /// Kubernetes' `availableReplicas` field.
    public var availableReplicas: Int?
    /// Kubernetes' `currentRevision` field.
    public var currentRevision: String?
    /// Kubernetes' `updateRevision` field.
    public var updateRevision: String?
    /// Kubernetes' `collisionCount` field.
    public var collisionCount: Int?
    /// The latest observations of the object's state.
    public var conditions: [StatefulSetCondition]?

    /// Creates a `StatefulSetStatus`; every field defaults to empty.
    public init(
        observedGeneration: Int64? = nil,
        replicas: Int = 0,
        readyReplicas: Int? = nil,
        currentReplicas: Int? = nil,
        updatedReplicas: Int? = nil,
        availableReplicas: Int? = nil,
        currentRevision: String? = nil,
        updateRevision: String? = nil,
        collisionCount: Int? = nil,
        conditions: [StatefulSetCondition]? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.currentReplicas = currentReplicas
        self.updatedReplicas = updatedReplicas
        self.availableReplicas = availableReplicas
        self.currentRevision = currentRevision
        self.updateRevision = updateRevision
        self.collisionCount = collisionCount
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case observedGeneration
        case replicas
        case readyReplicas
        case currentReplicas
        case updatedReplicas
        case availableReplicas
        case currentRevision
        case updateRevision
        case collisionCount
        case conditions
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.observedGeneration = try container.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        self.replicas = try container.decodeIfPresent(Int.self, forKey: .replicas) ?? 0
        self.readyReplicas = try container.decodeIfPresent(Int.self, forKey: .readyReplicas)
        self.currentReplicas = try container.decodeIfPresent(Int.self, forKey: .currentReplicas)
        self.updatedReplicas = try container.decodeIfPresent(Int.self, forKey: .updatedReplicas)
        self.availableReplicas = try container.decodeIfPresent(Int.self, forKey: .availableReplicas)
        self.currentRevision = try container.decodeIfPresent(String.self, forKey: .currentRevision)
        self.updateRevision = try container.decodeIfPresent(String.self, forKey: .updateRevision)
        self.collisionCount = try container.decodeIfPresent(Int.self, forKey: .collisionCount)
        self.conditions = try container.decodeIfPresent([StatefulSetCondition].self, forKey: .conditions)
    }
}

extension StatefulSetStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.observedGeneration = try JSONTree.field(members, "observedGeneration")
        self.replicas = try JSONTree.field(members, "replicas") ?? 0
        self.readyReplicas = try JSONTree.field(members, "readyReplicas")
        self.currentReplicas = try JSONTree.field(members, "currentReplicas")
        self.updatedReplicas = try JSONTree.field(members, "updatedReplicas")
        self.availableReplicas = try JSONTree.field(members, "availableReplicas")
        self.currentRevision = try JSONTree.field(members, "currentRevision")
        self.updateRevision = try JSONTree.field(members, "updateRevision")
        self.collisionCount = try JSONTree.field(members, "collisionCount")
        self.conditions = try JSONTree.field(members, "conditions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let observedGeneration { members["observedGeneration"] = observedGeneration.jsonTree() }
        members["replicas"] = replicas.jsonTree()
        if let readyReplicas { members["readyReplicas"] = readyReplicas.jsonTree() }
        if let currentReplicas { members["currentReplicas"] = currentReplicas.jsonTree() }
        if let updatedReplicas { members["updatedReplicas"] = updatedReplicas.jsonTree() }
        if let availableReplicas { members["availableReplicas"] = availableReplicas.jsonTree() }
        if let currentRevision { members["currentRevision"] = currentRevision.jsonTree() }
        if let updateRevision { members["updateRevision"] = updateRevision.jsonTree() }
        if let collisionCount { members["collisionCount"] = collisionCount.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        return .object(members)
    }
}

/// A condition of a StatefulSet: the common Kubernetes condition shape.
public typealias StatefulSetCondition = StatusCondition
