// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A generic status condition (meta/v1 Condition).
public struct Condition: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// "True", "False" or "Unknown".
    public var status: String
    /// The generation the controller last acted on.
    public var observedGeneration: Int64?
    /// When the condition last changed status.
    public var lastTransitionTime: Time?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?

    /// Creates a `Condition`; every field defaults to empty.
    public init(
        type: String = "",
        status: String = "",
        observedGeneration: Int64? = nil,
        lastTransitionTime: Time? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type
        case status
        case observedGeneration
        case lastTransitionTime
        case reason
        case message
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        self.observedGeneration = try container.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        self.lastTransitionTime = try container.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
    }
}

extension Condition: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.status = try JSONTree.field(members, "status") ?? ""
        self.observedGeneration = try JSONTree.field(members, "observedGeneration")
        self.lastTransitionTime = try JSONTree.field(members, "lastTransitionTime")
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        members["status"] = status.jsonTree()
        if let observedGeneration { members["observedGeneration"] = observedGeneration.jsonTree() }
        if let lastTransitionTime { members["lastTransitionTime"] = lastTransitionTime.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        return .object(members)
    }
}
