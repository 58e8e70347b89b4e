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

extension HorizontalPodAutoscaler: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? HorizontalPodAutoscalerSpec()
        self.status = try JSONTree.field(members, "status") ?? HorizontalPodAutoscalerStatus()
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

extension HorizontalPodAutoscalerSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.scaleTargetRef = try JSONTree.field(members, "scaleTargetRef") ?? CrossVersionObjectReference()
        self.minReplicas = try JSONTree.field(members, "minReplicas")
        self.maxReplicas = try JSONTree.field(members, "maxReplicas") ?? 0
        self.metrics = try JSONTree.field(members, "metrics")
        self.behavior = try JSONTree.field(members, "behavior")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["scaleTargetRef"] = scaleTargetRef.jsonTree()
        if let minReplicas { members["minReplicas"] = minReplicas.jsonTree() }
        members["maxReplicas"] = maxReplicas.jsonTree()
        if let metrics { members["metrics"] = metrics.jsonTree() }
        if let behavior { members["behavior"] = behavior.jsonTree() }
        return .object(members)
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

extension CrossVersionObjectReference: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.kind = try JSONTree.field(members, "kind") ?? ""
        self.name = try JSONTree.field(members, "name") ?? ""
        self.apiVersion = try JSONTree.field(members, "apiVersion")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["kind"] = kind.jsonTree()
        members["name"] = name.jsonTree()
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        return .object(members)
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

extension MetricSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.resource = try JSONTree.field(members, "resource")
        self.containerResource = try JSONTree.field(members, "containerResource")
        self.pods = try JSONTree.field(members, "pods")
        self.object = try JSONTree.field(members, "object")
        self.external = try JSONTree.field(members, "external")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        if let resource { members["resource"] = resource.jsonTree() }
        if let containerResource { members["containerResource"] = containerResource.jsonTree() }
        if let pods { members["pods"] = pods.jsonTree() }
        if let object { members["object"] = object.jsonTree() }
        if let external { members["external"] = external.jsonTree() }
        return .object(members)
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

extension ResourceMetricSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.target = try JSONTree.field(members, "target") ?? MetricTarget()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        members["target"] = target.jsonTree()
        return .object(members)
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

extension ContainerResourceMetricSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.container = try JSONTree.field(members, "container") ?? ""
        self.target = try JSONTree.field(members, "target") ?? MetricTarget()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        members["container"] = container.jsonTree()
        members["target"] = target.jsonTree()
        return .object(members)
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

extension PodsMetricSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metric = try JSONTree.field(members, "metric") ?? MetricIdentifier()
        self.target = try JSONTree.field(members, "target") ?? MetricTarget()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metric"] = metric.jsonTree()
        members["target"] = target.jsonTree()
        return .object(members)
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

extension ObjectMetricSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.describedObject = try JSONTree.field(members, "describedObject") ?? CrossVersionObjectReference()
        self.metric = try JSONTree.field(members, "metric") ?? MetricIdentifier()
        self.target = try JSONTree.field(members, "target") ?? MetricTarget()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["describedObject"] = describedObject.jsonTree()
        members["metric"] = metric.jsonTree()
        members["target"] = target.jsonTree()
        return .object(members)
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

extension ExternalMetricSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metric = try JSONTree.field(members, "metric") ?? MetricIdentifier()
        self.target = try JSONTree.field(members, "target") ?? MetricTarget()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metric"] = metric.jsonTree()
        members["target"] = target.jsonTree()
        return .object(members)
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

extension MetricIdentifier: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.selector = try JSONTree.field(members, "selector")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        if let selector { members["selector"] = selector.jsonTree() }
        return .object(members)
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

extension MetricTarget: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.value = try JSONTree.field(members, "value")
        self.averageValue = try JSONTree.field(members, "averageValue")
        self.averageUtilization = try JSONTree.field(members, "averageUtilization")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        if let value { members["value"] = value.jsonTree() }
        if let averageValue { members["averageValue"] = averageValue.jsonTree() }
        if let averageUtilization { members["averageUtilization"] = averageUtilization.jsonTree() }
        return .object(members)
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

extension HorizontalPodAutoscalerBehavior: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.scaleUp = try JSONTree.field(members, "scaleUp")
        self.scaleDown = try JSONTree.field(members, "scaleDown")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let scaleUp { members["scaleUp"] = scaleUp.jsonTree() }
        if let scaleDown { members["scaleDown"] = scaleDown.jsonTree() }
        return .object(members)
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

extension HPAScalingRules: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.stabilizationWindowSeconds = try JSONTree.field(members, "stabilizationWindowSeconds")
        self.selectPolicy = try JSONTree.field(members, "selectPolicy")
        self.policies = try JSONTree.field(members, "policies")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let stabilizationWindowSeconds {
            members["stabilizationWindowSeconds"] = stabilizationWindowSeconds.jsonTree()
        }
        if let selectPolicy { members["selectPolicy"] = selectPolicy.jsonTree() }
        if let policies { members["policies"] = policies.jsonTree() }
        return .object(members)
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

extension HPAScalingPolicy: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.value = try JSONTree.field(members, "value") ?? 0
        self.periodSeconds = try JSONTree.field(members, "periodSeconds") ?? 0
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        members["value"] = value.jsonTree()
        members["periodSeconds"] = periodSeconds.jsonTree()
        return .object(members)
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

extension HorizontalPodAutoscalerStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.observedGeneration = try JSONTree.field(members, "observedGeneration")
        self.lastScaleTime = try JSONTree.field(members, "lastScaleTime")
        self.currentReplicas = try JSONTree.field(members, "currentReplicas")
        self.desiredReplicas = try JSONTree.field(members, "desiredReplicas") ?? 0
        self.currentMetrics = try JSONTree.field(members, "currentMetrics")
        self.conditions = try JSONTree.field(members, "conditions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let observedGeneration { members["observedGeneration"] = observedGeneration.jsonTree() }
        if let lastScaleTime { members["lastScaleTime"] = lastScaleTime.jsonTree() }
        if let currentReplicas { members["currentReplicas"] = currentReplicas.jsonTree() }
        members["desiredReplicas"] = desiredReplicas.jsonTree()
        if let currentMetrics { members["currentMetrics"] = currentMetrics.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        return .object(members)
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

extension MetricStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.resource = try JSONTree.field(members, "resource")
        self.pods = try JSONTree.field(members, "pods")
        self.object = try JSONTree.field(members, "object")
        self.external = try JSONTree.field(members, "external")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        if let resource { members["resource"] = resource.jsonTree() }
        if let pods { members["pods"] = pods.jsonTree() }
        if let object { members["object"] = object.jsonTree() }
        if let external { members["external"] = external.jsonTree() }
        return .object(members)
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

extension ResourceMetricStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.current = try JSONTree.field(members, "current") ?? MetricValueStatus()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        members["current"] = current.jsonTree()
        return .object(members)
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

extension PodsMetricStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metric = try JSONTree.field(members, "metric") ?? MetricIdentifier()
        self.current = try JSONTree.field(members, "current") ?? MetricValueStatus()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metric"] = metric.jsonTree()
        members["current"] = current.jsonTree()
        return .object(members)
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

extension ObjectMetricStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metric = try JSONTree.field(members, "metric") ?? MetricIdentifier()
        self.current = try JSONTree.field(members, "current") ?? MetricValueStatus()
        self.describedObject = try JSONTree.field(members, "describedObject") ?? CrossVersionObjectReference()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metric"] = metric.jsonTree()
        members["current"] = current.jsonTree()
        members["describedObject"] = describedObject.jsonTree()
        return .object(members)
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

extension ExternalMetricStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metric = try JSONTree.field(members, "metric") ?? MetricIdentifier()
        self.current = try JSONTree.field(members, "current") ?? MetricValueStatus()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metric"] = metric.jsonTree()
        members["current"] = current.jsonTree()
        return .object(members)
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

extension MetricValueStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.value = try JSONTree.field(members, "value")
        self.averageValue = try JSONTree.field(members, "averageValue")
        self.averageUtilization = try JSONTree.field(members, "averageUtilization")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let value { members["value"] = value.jsonTree() }
        if let averageValue { members["averageValue"] = averageValue.jsonTree() }
        if let averageUtilization { members["averageUtilization"] = averageUtilization.jsonTree() }
        return .object(members)
    }
}

/// A condition of a HorizontalPodAutoscaler: the common Kubernetes condition shape.
public typealias HorizontalPodAutoscalerCondition = StatusCondition
