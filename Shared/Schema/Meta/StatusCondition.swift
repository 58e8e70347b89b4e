/// A condition in an object's status, in the shape most Kubernetes kinds share (ReplicaSet, StatefulSet,
/// DaemonSet, HorizontalPodAutoscaler, Namespace): type, status, lastTransitionTime, reason, message.
/// Conditions that are probed (Pod, Job, PersistentVolumeClaim) are `ProbedCondition`; Node and Deployment
/// conditions carry a field of their own and have their own type.
public struct StatusCondition: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// The observed state, written by controllers.
    public var status: String
    /// When the condition last changed status.
    public var lastTransitionTime: Time?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?

    /// Creates a condition; every field defaults to empty.
    public init(
        type: String = "", status: String = "", lastTransitionTime: Time? = nil, reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type, status, lastTransitionTime, reason, message
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        lastTransitionTime = try container.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        message = try container.decodeIfPresent(String.self, forKey: .message)
    }
}

/// A condition that is also probed (Pod, Job, PersistentVolumeClaim): `StatusCondition`'s fields plus
/// `lastProbeTime`.
public struct ProbedCondition: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// The observed state, written by controllers.
    public var status: String
    /// When the condition was last probed.
    public var lastProbeTime: Time?
    /// When the condition last changed status.
    public var lastTransitionTime: Time?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?

    /// Creates a condition; every field defaults to empty.
    public init(
        type: String = "", status: String = "", lastProbeTime: Time? = nil, lastTransitionTime: Time? = nil,
        reason: String? = nil, message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type, status, lastProbeTime, lastTransitionTime, reason, message
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        lastProbeTime = try container.decodeIfPresent(Time.self, forKey: .lastProbeTime)
        lastTransitionTime = try container.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        message = try container.decodeIfPresent(String.self, forKey: .message)
    }
}
