// Generated from the Kubus schema spec; edit the spec, not this file.

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

    /// Creates a `StatusCondition`; every field defaults to empty.
    public init(
        type: String = "",
        status: String = "",
        lastTransitionTime: Time? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type
        case status
        case lastTransitionTime
        case reason
        case message
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        self.lastTransitionTime = try container.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
    }
}

extension StatusCondition: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.status = try JSONTree.field(members, "status") ?? ""
        self.lastTransitionTime = try JSONTree.field(members, "lastTransitionTime")
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        members["status"] = status.jsonTree()
        if let lastTransitionTime { members["lastTransitionTime"] = lastTransitionTime.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        return .object(members)
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

    /// Creates a `ProbedCondition`; every field defaults to empty.
    public init(
        type: String = "",
        status: String = "",
        lastProbeTime: Time? = nil,
        lastTransitionTime: Time? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type
        case status
        case lastProbeTime
        case lastTransitionTime
        case reason
        case message
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        self.lastProbeTime = try container.decodeIfPresent(Time.self, forKey: .lastProbeTime)
        self.lastTransitionTime = try container.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
    }
}

extension ProbedCondition: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.status = try JSONTree.field(members, "status") ?? ""
        self.lastProbeTime = try JSONTree.field(members, "lastProbeTime")
        self.lastTransitionTime = try JSONTree.field(members, "lastTransitionTime")
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        members["status"] = status.jsonTree()
        if let lastProbeTime { members["lastProbeTime"] = lastProbeTime.jsonTree() }
        if let lastTransitionTime { members["lastTransitionTime"] = lastTransitionTime.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        return .object(members)
    }
}
