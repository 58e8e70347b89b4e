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

/// A condition of a DaemonSet: the common Kubernetes condition shape.
public typealias DaemonSetCondition = StatusCondition
