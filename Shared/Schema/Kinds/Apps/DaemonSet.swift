// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// One pod on every eligible node.
public struct DaemonSet: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .daemonSet }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: DaemonSetSpec
    /// The observed state, written by controllers.
    public var status: DaemonSetStatus

    /// Creates a `DaemonSet`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: DaemonSetSpec = DaemonSetSpec(),
        status: DaemonSetStatus = DaemonSetStatus()
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
        self.spec = try container.decodeIfPresent(DaemonSetSpec.self, forKey: .spec) ?? DaemonSetSpec()
        self.status = try container.decodeIfPresent(DaemonSetStatus.self, forKey: .status) ?? DaemonSetStatus()
    }
}

extension DaemonSet: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? DaemonSetSpec()
        self.status = try JSONTree.field(members, "status") ?? DaemonSetStatus()
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

/// The desired state of a daemon set.
public struct DaemonSetSpec: Sendable, Codable, Hashable {
    /// Selects the pods this object manages.
    public var selector: LabelSelector?
    /// The pod template used to create pods.
    public var template: PodTemplateSpec
    /// Kubernetes' `updateStrategy` field.
    public var updateStrategy: DaemonSetUpdateStrategy?
    /// Kubernetes' `minReadySeconds` field.
    public var minReadySeconds: Int?
    /// Kubernetes' `revisionHistoryLimit` field.
    public var revisionHistoryLimit: Int?

    /// Creates a `DaemonSetSpec`; every field defaults to empty.
    public init(
        selector: LabelSelector? = nil,
        template: PodTemplateSpec = PodTemplateSpec(),
        updateStrategy: DaemonSetUpdateStrategy? = nil,
        minReadySeconds: Int? = nil,
        revisionHistoryLimit: Int? = nil
    ) {
        self.selector = selector
        self.template = template
        self.updateStrategy = updateStrategy
        self.minReadySeconds = minReadySeconds
        self.revisionHistoryLimit = revisionHistoryLimit
    }

    enum CodingKeys: String, CodingKey {
        case selector
        case template
        case updateStrategy
        case minReadySeconds
        case revisionHistoryLimit
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.selector = try container.decodeIfPresent(LabelSelector.self, forKey: .selector)
        self.template = try container.decodeIfPresent(PodTemplateSpec.self, forKey: .template) ?? PodTemplateSpec()
        self.updateStrategy = try container.decodeIfPresent(DaemonSetUpdateStrategy.self, forKey: .updateStrategy)
        self.minReadySeconds = try container.decodeIfPresent(Int.self, forKey: .minReadySeconds)
        self.revisionHistoryLimit = try container.decodeIfPresent(Int.self, forKey: .revisionHistoryLimit)
    }
}

extension DaemonSetSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.selector = try JSONTree.field(members, "selector")
        self.template = try JSONTree.field(members, "template") ?? PodTemplateSpec()
        self.updateStrategy = try JSONTree.field(members, "updateStrategy")
        self.minReadySeconds = try JSONTree.field(members, "minReadySeconds")
        self.revisionHistoryLimit = try JSONTree.field(members, "revisionHistoryLimit")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let selector { members["selector"] = selector.jsonTree() }
        members["template"] = template.jsonTree()
        if let updateStrategy { members["updateStrategy"] = updateStrategy.jsonTree() }
        if let minReadySeconds { members["minReadySeconds"] = minReadySeconds.jsonTree() }
        if let revisionHistoryLimit { members["revisionHistoryLimit"] = revisionHistoryLimit.jsonTree() }
        return .object(members)
    }
}

/// How pods of a daemon set are updated.
public struct DaemonSetUpdateStrategy: Sendable, Codable, Hashable {
    /// RollingUpdate or OnDelete.
    public var type: String?
    /// Kubernetes' `rollingUpdate` field.
    public var rollingUpdate: RollingUpdateDaemonSet?

    /// Creates a `DaemonSetUpdateStrategy`; every field defaults to empty.
    public init(
        type: String? = nil,
        rollingUpdate: RollingUpdateDaemonSet? = nil
    ) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }

    enum CodingKeys: String, CodingKey {
        case type
        case rollingUpdate
    }
}

extension DaemonSetUpdateStrategy: JSONTreeCodable {
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

/// Bounds of a daemon set rolling update.
public struct RollingUpdateDaemonSet: Sendable, Codable, Hashable {
    /// Kubernetes' `maxUnavailable` field.
    public var maxUnavailable: IntOrString?
    /// Kubernetes' `maxSurge` field.
    public var maxSurge: IntOrString?

    /// Creates a `RollingUpdateDaemonSet`; every field defaults to empty.
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

extension RollingUpdateDaemonSet: JSONTreeCodable {
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

/// The observed state of a daemon set.
public struct DaemonSetStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `currentNumberScheduled` field.
    public var currentNumberScheduled: Int
    /// Kubernetes' `numberMisscheduled` field.
    public var numberMisscheduled: Int
    /// Kubernetes' `desiredNumberScheduled` field.
    public var desiredNumberScheduled: Int
    /// Kubernetes' `numberReady` field.
    public var numberReady: Int
    /// The generation the controller last acted on.
    public var observedGeneration: Int64?
    /// Kubernetes' `updatedNumberScheduled` field.
    public var updatedNumberScheduled: Int?
    /// Kubernetes' `numberAvailable` field.
    public var numberAvailable: Int?
    /// Kubernetes' `numberUnavailable` field.
    public var numberUnavailable: Int?
    /// Kubernetes' `collisionCount` field.
    public var collisionCount: Int?
    /// The latest observations of the object's state.
    public var conditions: [DaemonSetCondition]?

    /// Creates a `DaemonSetStatus`; every field defaults to empty.
    public init(
        currentNumberScheduled: Int = 0,
        numberMisscheduled: Int = 0,
        desiredNumberScheduled: Int = 0,
        numberReady: Int = 0,
        observedGeneration: Int64? = nil,
        updatedNumberScheduled: Int? = nil,
        numberAvailable: Int? = nil,
        numberUnavailable: Int? = nil,
        collisionCount: Int? = nil,
        conditions: [DaemonSetCondition]? = nil
    ) {
        self.currentNumberScheduled = currentNumberScheduled
        self.numberMisscheduled = numberMisscheduled
        self.desiredNumberScheduled = desiredNumberScheduled
        self.numberReady = numberReady
        self.observedGeneration = observedGeneration
        self.updatedNumberScheduled = updatedNumberScheduled
        self.numberAvailable = numberAvailable
        self.numberUnavailable = numberUnavailable
        self.collisionCount = collisionCount
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case currentNumberScheduled
        case numberMisscheduled
        case desiredNumberScheduled
        case numberReady
        case observedGeneration
        case updatedNumberScheduled
        case numberAvailable
        case numberUnavailable
        case collisionCount
        case conditions
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.currentNumberScheduled = try container.decodeIfPresent(Int.self, forKey: .currentNumberScheduled) ?? 0
        self.numberMisscheduled = try container.decodeIfPresent(Int.self, forKey: .numberMisscheduled) ?? 0
        self.desiredNumberScheduled = try container.decodeIfPresent(Int.self, forKey: .desiredNumberScheduled) ?? 0
        self.numberReady = try container.decodeIfPresent(Int.self, forKey: .numberReady) ?? 0
        self.observedGeneration = try container.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        self.updatedNumberScheduled = try container.decodeIfPresent(Int.self, forKey: .updatedNumberScheduled)
        self.numberAvailable = try container.decodeIfPresent(Int.self, forKey: .numberAvailable)
        self.numberUnavailable = try container.decodeIfPresent(Int.self, forKey: .numberUnavailable)
        self.collisionCount = try container.decodeIfPresent(Int.self, forKey: .collisionCount)
        self.conditions = try container.decodeIfPresent([DaemonSetCondition].self, forKey: .conditions)
    }
}

extension DaemonSetStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.currentNumberScheduled = try JSONTree.field(members, "currentNumberScheduled") ?? 0
        self.numberMisscheduled = try JSONTree.field(members, "numberMisscheduled") ?? 0
        self.desiredNumberScheduled = try JSONTree.field(members, "desiredNumberScheduled") ?? 0
        self.numberReady = try JSONTree.field(members, "numberReady") ?? 0
        self.observedGeneration = try JSONTree.field(members, "observedGeneration")
        self.updatedNumberScheduled = try JSONTree.field(members, "updatedNumberScheduled")
        self.numberAvailable = try JSONTree.field(members, "numberAvailable")
        self.numberUnavailable = try JSONTree.field(members, "numberUnavailable")
        self.collisionCount = try JSONTree.field(members, "collisionCount")
        self.conditions = try JSONTree.field(members, "conditions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["currentNumberScheduled"] = currentNumberScheduled.jsonTree()
        members["numberMisscheduled"] = numberMisscheduled.jsonTree()
        members["desiredNumberScheduled"] = desiredNumberScheduled.jsonTree()
        members["numberReady"] = numberReady.jsonTree()
        if let observedGeneration { members["observedGeneration"] = observedGeneration.jsonTree() }
        if let updatedNumberScheduled { members["updatedNumberScheduled"] = updatedNumberScheduled.jsonTree() }
        if let numberAvailable { members["numberAvailable"] = numberAvailable.jsonTree() }
        if let numberUnavailable { members["numberUnavailable"] = numberUnavailable.jsonTree() }
        if let collisionCount { members["collisionCount"] = collisionCount.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        return .object(members)
    }
}

/// A condition of a DaemonSet: the common Kubernetes condition shape.
public typealias DaemonSetCondition = StatusCondition
