// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Scales a workload on observed metrics (autoscaling/v2).
public struct HorizontalPodAutoscaler: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .horizontalPodAutoscaler }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: HorizontalPodAutoscalerSpec
    /// The observed state, written by controllers.
    public var status: HorizontalPodAutoscalerStatus

    /// Creates a `HorizontalPodAutoscaler`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: HorizontalPodAutoscalerSpec = HorizontalPodAutoscalerSpec(),
        status: HorizontalPodAutoscalerStatus = HorizontalPodAutoscalerStatus()
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
        self.spec =
            try container.decodeIfPresent(HorizontalPodAutoscalerSpec.self, forKey: .spec)
            ?? HorizontalPodAutoscalerSpec()
        self.status =
            try container.decodeIfPresent(HorizontalPodAutoscalerStatus.self, forKey: .status)
            ?? HorizontalPodAutoscalerStatus()
    }
}

/// The desired state of an autoscaler.
public struct HorizontalPodAutoscalerSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `scaleTargetRef` field.
    public var scaleTargetRef: CrossVersionObjectReference
    /// Kubernetes' `minReplicas` field.
    public var minReplicas: Int?
    /// Kubernetes' `maxReplicas` field.
    public var maxReplicas: Int
    /// Kubernetes' `metrics` field.
    public var metrics: [MetricSpec]?
    /// Kubernetes' `behavior` field.
    public var behavior: HorizontalPodAutoscalerBehavior?

    /// Creates a `HorizontalPodAutoscalerSpec`; every field defaults to empty.
    public init(
        scaleTargetRef: CrossVersionObjectReference = CrossVersionObjectReference(),
        minReplicas: Int? = nil,
        maxReplicas: Int = 0,
        metrics: [MetricSpec]? = nil,
        behavior: HorizontalPodAutoscalerBehavior? = nil
    ) {
        self.scaleTargetRef = scaleTargetRef
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
    }

    enum CodingKeys: String, CodingKey {
        case scaleTargetRef
        case minReplicas
        case maxReplicas
        case metrics
        case behavior
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.scaleTargetRef =
            try container.decodeIfPresent(CrossVersionObjectReference.self, forKey: .scaleTargetRef)
            ?? CrossVersionObjectReference()
        self.minReplicas = try container.decodeIfPresent(Int.self, forKey: .minReplicas)
        self.maxReplicas = try container.decodeIfPresent(Int.self, forKey: .maxReplicas) ?? 0
        self.metrics = try container.decodeIfPresent([MetricSpec].self, forKey: .metrics)
        self.behavior = try container.decodeIfPresent(HorizontalPodAutoscalerBehavior.self, forKey: .behavior)
    }
}

/// The scaled object.
public struct CrossVersionObjectReference: Sendable, Codable, Hashable {
    /// Kubernetes' `kind` field.
    public var kind: String
    /// The name.
    public var name: String
    /// Kubernetes' `apiVersion` field.
    public var apiVersion: String?

    /// Creates a `CrossVersionObjectReference`; every field defaults to empty.
    public init(
        kind: String = "",
        name: String = "",
        apiVersion: String? = nil
    ) {
        self.kind = kind
        self.name = name
        self.apiVersion = apiVersion
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case name
        case apiVersion
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? ""
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
    }
}

/// One metric to scale on.
public struct MetricSpec: Sendable, Codable, Hashable {
    /// Resource, Pods, Object, External or ContainerResource.
    public var type: String
    /// Kubernetes' `resource` field.
    public var resource: ResourceMetricSource?
    /// Kubernetes' `containerResource` field.
    public var containerResource: ContainerResourceMetricSource?
    /// Kubernetes' `pods` field.
    public var pods: PodsMetricSource?
    /// Kubernetes' `object` field.
    public var object: ObjectMetricSource?
    /// Kubernetes' `external` field.
    public var external: ExternalMetricSource?

    /// Creates a `MetricSpec`; every field defaults to empty.
    public init(
        type: String = "",
        resource: ResourceMetricSource? = nil,
        containerResource: ContainerResourceMetricSource? = nil,
        pods: PodsMetricSource? = nil,
        object: ObjectMetricSource? = nil,
        external: ExternalMetricSource? = nil
    ) {
        self.type = type
        self.resource = resource
        self.containerResource = containerResource
        self.pods = pods
        self.object = object
        self.external = external
    }

    enum CodingKeys: String, CodingKey {
        case type
        case resource
        case containerResource
        case pods
        case object
        case external
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.resource = try container.decodeIfPresent(ResourceMetricSource.self, forKey: .resource)
        self.containerResource = try container.decodeIfPresent(
            ContainerResourceMetricSource.self, forKey: .containerResource)
        self.pods = try container.decodeIfPresent(PodsMetricSource.self, forKey: .pods)
        self.object = try container.decodeIfPresent(ObjectMetricSource.self, forKey: .object)
        self.external = try container.decodeIfPresent(ExternalMetricSource.self, forKey: .external)
    }
}

/// A resource metric of the pods.
public struct ResourceMetricSource: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `target` field.
    public var target: MetricTarget

    /// Creates a `ResourceMetricSource`; every field defaults to empty.
    public init(
        name: String = "",
        target: MetricTarget = MetricTarget()
    ) {
        self.name = name
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case name
        case target
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.target = try container.decodeIfPresent(MetricTarget.self, forKey: .target) ?? MetricTarget()
    }
}

/// A resource metric of one container of the pods.
public struct ContainerResourceMetricSource: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `container` field.
    public var container: String
    /// Kubernetes' `target` field.
    public var target: MetricTarget

    /// Creates a `ContainerResourceMetricSource`; every field defaults to empty.
    public init(
        name: String = "",
        container: String = "",
        target: MetricTarget = MetricTarget()
    ) {
        self.name = name
        self.container = container
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case name
        case container
        case target
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.container = try container.decodeIfPresent(String.self, forKey: .container) ?? ""
        self.target = try container.decodeIfPresent(MetricTarget.self, forKey: .target) ?? MetricTarget()
    }
}

/// A custom metric averaged over the pods.
public struct PodsMetricSource: Sendable, Codable, Hashable {
    /// Kubernetes' `metric` field.
    public var metric: MetricIdentifier
    /// Kubernetes' `target` field.
    public var target: MetricTarget

    /// Creates a `PodsMetricSource`; every field defaults to empty.
    public init(
        metric: MetricIdentifier = MetricIdentifier(),
        target: MetricTarget = MetricTarget()
    ) {
        self.metric = metric
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case target
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.metric = try container.decodeIfPresent(MetricIdentifier.self, forKey: .metric) ?? MetricIdentifier()
        self.target = try container.decodeIfPresent(MetricTarget.self, forKey: .target) ?? MetricTarget()
    }
}

/// A metric of another object.
public struct ObjectMetricSource: Sendable, Codable, Hashable {
    /// Kubernetes' `describedObject` field.
    public var describedObject: CrossVersionObjectReference
    /// Kubernetes' `metric` field.
    public var metric: MetricIdentifier
    /// Kubernetes' `target` field.
    public var target: MetricTarget

    /// Creates a `ObjectMetricSource`; every field defaults to empty.
    public init(
        describedObject: CrossVersionObjectReference = CrossVersionObjectReference(),
        metric: MetricIdentifier = MetricIdentifier(),
        target: MetricTarget = MetricTarget()
    ) {
        self.describedObject = describedObject
        self.metric = metric
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case describedObject
        case metric
        case target
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.describedObject =
            try container.decodeIfPresent(CrossVersionObjectReference.self, forKey: .describedObject)
            ?? CrossVersionObjectReference()
        self.metric = try container.decodeIfPresent(MetricIdentifier.self, forKey: .metric) ?? MetricIdentifier()
        self.target = try container.decodeIfPresent(MetricTarget.self, forKey: .target) ?? MetricTarget()
    }
}

/// A metric from outside the cluster.
public struct ExternalMetricSource: Sendable, Codable, Hashable {
    /// Kubernetes' `metric` field.
    public var metric: MetricIdentifier
    /// Kubernetes' `target` field.
    public var target: MetricTarget

    /// Creates a `ExternalMetricSource`; every field defaults to empty.
    public init(
        metric: MetricIdentifier = MetricIdentifier(),
        target: MetricTarget = MetricTarget()
    ) {
        self.metric = metric
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case target
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.metric = try container.decodeIfPresent(MetricIdentifier.self, forKey: .metric) ?? MetricIdentifier()
        self.target = try container.decodeIfPresent(MetricTarget.self, forKey: .target) ?? MetricTarget()
    }
}

/// A metric name and selector.
public struct MetricIdentifier: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Selects the pods this object manages.
    public var selector: LabelSelector?

    /// Creates a `MetricIdentifier`; every field defaults to empty.
    public init(
        name: String = "",
        selector: LabelSelector? = nil
    ) {
        self.name = name
        self.selector = selector
    }

    enum CodingKeys: String, CodingKey {
        case name
        case selector
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.selector = try container.decodeIfPresent(LabelSelector.self, forKey: .selector)
    }
}

/// A target value of a metric.
public struct MetricTarget: Sendable, Codable, Hashable {
    /// Utilization, Value or AverageValue.
    public var type: String
    /// The value.
    public var value: Quantity?
    /// Kubernetes' `averageValue` field.
    public var averageValue: Quantity?
    /// Kubernetes' `averageUtilization` field.
    public var averageUtilization: Int?

    /// Creates a `MetricTarget`; every field defaults to empty.
    public init(
        type: String = "",
        value: Quantity? = nil,
        averageValue: Quantity? = nil,
        averageUtilization: Int? = nil
    ) {
        self.type = type
        self.value = value
        self.averageValue = averageValue
        self.averageUtilization = averageUtilization
    }

    enum CodingKeys: String, CodingKey {
        case type
        case value
        case averageValue
        case averageUtilization
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.value = try container.decodeIfPresent(Quantity.self, forKey: .value)
        self.averageValue = try container.decodeIfPresent(Quantity.self, forKey: .averageValue)
        self.averageUtilization = try container.decodeIfPresent(Int.self, forKey: .averageUtilization)
    }
}

/// Scale-up and scale-down rules.
public struct HorizontalPodAutoscalerBehavior: Sendable, Codable, Hashable {
    /// Kubernetes' `scaleUp` field.
    public var scaleUp: HPAScalingRules?
    /// Kubernetes' `scaleDown` field.
    public var scaleDown: HPAScalingRules?

    /// Creates a `HorizontalPodAutoscalerBehavior`; every field defaults to empty.
    public init(
        scaleUp: HPAScalingRules? = nil,
        scaleDown: HPAScalingRules? = nil
    ) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }

    enum CodingKeys: String, CodingKey {
        case scaleUp
        case scaleDown
    }
}

/// Rules for one scaling direction.
public struct HPAScalingRules: Sendable, Codable, Hashable {
    /// Kubernetes' `stabilizationWindowSeconds` field.
    public var stabilizationWindowSeconds: Int?
    /// Kubernetes' `selectPolicy` field.
    public var selectPolicy: String?
    /// Kubernetes' `policies` field.
    public var policies: [HPAScalingPolicy]?

    /// Creates a `HPAScalingRules`; every field defaults to empty.
    public init(
        stabilizationWindowSeconds: Int? = nil,
        selectPolicy: String? = nil,
        policies: [HPAScalingPolicy]? = nil
    ) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
    }

    enum CodingKeys: String, CodingKey {
        case stabilizationWindowSeconds
        case selectPolicy
        case policies
    }
}

/// One scaling policy.
public struct HPAScalingPolicy: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// The value.
    public var value: Int
    /// Kubernetes' `periodSeconds` field.
    public var periodSeconds: Int

    /// Creates a `HPAScalingPolicy`; every field defaults to empty.
    public init(
        type: String = "",
        value: Int = 0,
        periodSeconds: Int = 0
    ) {
        self.type = type
        self.value = value
        self.periodSeconds = periodSeconds
    }

    enum CodingKeys: String, CodingKey {
        case type
        case value
        case periodSeconds
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.value = try container.decodeIfPresent(Int.self, forKey: .value) ?? 0
        self.periodSeconds = try container.decodeIfPresent(Int.self, forKey: .periodSeconds) ?? 0
    }
}

/// The observed state of an autoscaler.
public struct HorizontalPodAutoscalerStatus: Sendable, Codable, Hashable {
    /// The generation the controller last acted on.
    public var observedGeneration: Int64?
    /// Kubernetes' `lastScaleTime` field.
    public var lastScaleTime: Time?
    /// Kubernetes' `currentReplicas` field.
    public var currentReplicas: Int?
    /// Kubernetes' `desiredReplicas` field.
    public var desiredReplicas: Int
    /// Kubernetes' `currentMetrics` field.
    public var currentMetrics: [MetricStatus]?
    /// The latest observations of the object's state.
    public var conditions: [HorizontalPodAutoscalerCondition]?

    /// Creates a `HorizontalPodAutoscalerStatus`; every field defaults to empty.
    public init(
        observedGeneration: Int64? = nil,
        lastScaleTime: Time? = nil,
        currentReplicas: Int? = nil,
        desiredReplicas: Int = 0,
        currentMetrics: [MetricStatus]? = nil,
        conditions: [HorizontalPodAutoscalerCondition]? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.lastScaleTime = lastScaleTime
        self.currentReplicas = currentReplicas
        self.desiredReplicas = desiredReplicas
        self.currentMetrics = currentMetrics
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case observedGeneration
        case lastScaleTime
        case currentReplicas
        case desiredReplicas
        case currentMetrics
        case conditions
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.observedGeneration = try container.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        self.lastScaleTime = try container.decodeIfPresent(Time.self, forKey: .lastScaleTime)
        self.currentReplicas = try container.decodeIfPresent(Int.self, forKey: .currentReplicas)
        self.desiredReplicas = try container.decodeIfPresent(Int.self, forKey: .desiredReplicas) ?? 0
        self.currentMetrics = try container.decodeIfPresent([MetricStatus].self, forKey: .currentMetrics)
        self.conditions = try container.decodeIfPresent([HorizontalPodAutoscalerCondition].self, forKey: .conditions)
    }
}

/// The current value of one metric.
public struct MetricStatus: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// Kubernetes' `resource` field.
    public var resource: ResourceMetricStatus?
    /// Kubernetes' `pods` field.
    public var pods: PodsMetricStatus?
    /// Kubernetes' `object` field.
    public var object: ObjectMetricStatus?
    /// Kubernetes' `external` field.
    public var external: ExternalMetricStatus?

    /// Creates a `MetricStatus`; every field defaults to empty.
    public init(
        type: String = "",
        resource: ResourceMetricStatus? = nil,
        pods: PodsMetricStatus? = nil,
        object: ObjectMetricStatus? = nil,
        external: ExternalMetricStatus? = nil
    ) {
        self.type = type
        self.resource = resource
        self.pods = pods
        self.object = object
        self.external = external
    }

    enum CodingKeys: String, CodingKey {
        case type
        case resource
        case pods
        case object
        case external
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.resource = try container.decodeIfPresent(ResourceMetricStatus.self, forKey: .resource)
        self.pods = try container.decodeIfPresent(PodsMetricStatus.self, forKey: .pods)
        self.object = try container.decodeIfPresent(ObjectMetricStatus.self, forKey: .object)
        self.external = try container.decodeIfPresent(ExternalMetricStatus.self, forKey: .external)
    }
}

/// Current value of a resource metric.
public struct ResourceMetricStatus: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `current` field.
    public var current: MetricValueStatus

    /// Creates a `ResourceMetricStatus`; every field defaults to empty.
    public init(
        name: String = "",
        current: MetricValueStatus = MetricValueStatus()
    ) {
        self.name = name
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case name
        case current
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.current = try container.decodeIfPresent(MetricValueStatus.self, forKey: .current) ?? MetricValueStatus()
    }
}

/// Current value of a pods metric.
public struct PodsMetricStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `metric` field.
    public var metric: MetricIdentifier
    /// Kubernetes' `current` field.
    public var current: MetricValueStatus

    /// Creates a `PodsMetricStatus`; every field defaults to empty.
    public init(
        metric: MetricIdentifier = MetricIdentifier(),
        current: MetricValueStatus = MetricValueStatus()
    ) {
        self.metric = metric
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case current
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.metric = try container.decodeIfPresent(MetricIdentifier.self, forKey: .metric) ?? MetricIdentifier()
        self.current = try container.decodeIfPresent(MetricValueStatus.self, forKey: .current) ?? MetricValueStatus()
    }
}

/// Current value of an object metric.
public struct ObjectMetricStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `metric` field.
    public var metric: MetricIdentifier
    /// Kubernetes' `current` field.
    public var current: MetricValueStatus
    /// Kubernetes' `describedObject` field.
    public var describedObject: CrossVersionObjectReference

    /// Creates a `ObjectMetricStatus`; every field defaults to empty.
    public init(
        metric: MetricIdentifier = MetricIdentifier(),
        current: MetricValueStatus = MetricValueStatus(),
        describedObject: CrossVersionObjectReference = CrossVersionObjectReference()
    ) {
        self.metric = metric
        self.current = current
        self.describedObject = describedObject
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case current
        case describedObject
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.metric = try container.decodeIfPresent(MetricIdentifier.self, forKey: .metric) ?? MetricIdentifier()
        self.current = try container.decodeIfPresent(MetricValueStatus.self, forKey: .current) ?? MetricValueStatus()
        self.describedObject =
            try container.decodeIfPresent(CrossVersionObjectReference.self, forKey: .describedObject)
            ?? CrossVersionObjectReference()
    }
}

/// Current value of an external metric.
public struct ExternalMetricStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `metric` field.
    public var metric: MetricIdentifier
    /// Kubernetes' `current` field.
    public var current: MetricValueStatus

    /// Creates a `ExternalMetricStatus`; every field defaults to empty.
    public init(
        metric: MetricIdentifier = MetricIdentifier(),
        current: MetricValueStatus = MetricValueStatus()
    ) {
        self.metric = metric
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case current
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.metric = try container.decodeIfPresent(MetricIdentifier.self, forKey: .metric) ?? MetricIdentifier()
        self.current = try container.decodeIfPresent(MetricValueStatus.self, forKey: .current) ?? MetricValueStatus()
    }
}

/// A current metric value.
public struct MetricValueStatus: Sendable, Codable, Hashable {
    /// The value.
    public var value: Quantity?
    /// Kubernetes' `averageValue` field.
    public var averageValue: Quantity?
    /// Kubernetes' `averageUtilization` field.
    public var averageUtilization: Int?

    /// Creates a `MetricValueStatus`; every field defaults to empty.
    public init(
        value: Quantity? = nil,
        averageValue: Quantity? = nil,
        averageUtilization: Int? = nil
    ) {
        self.value = value
        self.averageValue = averageValue
        self.averageUtilization = averageUtilization
    }

    enum CodingKeys: String, CodingKey {
        case value
        case averageValue
        case averageUtilization
    }
}

/// A condition of a HorizontalPodAutoscaler: the common Kubernetes condition shape.
public typealias HorizontalPodAutoscalerCondition = StatusCondition
