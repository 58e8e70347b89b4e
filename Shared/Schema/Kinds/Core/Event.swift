// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A report of something that happened to an object (core/v1).
public struct Event: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .event }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Kubernetes' `involvedObject` field.
    public var involvedObject: ObjectReference
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?
    /// Kubernetes' `source` field.
    public var source: EventSource?
    /// Kubernetes' `firstTimestamp` field.
    public var firstTimestamp: Time?
    /// Kubernetes' `lastTimestamp` field.
    public var lastTimestamp: Time?
    /// Kubernetes' `count` field.
    public var count: Int?
    /// Normal or Warning.
    public var type: String?
    /// Kubernetes' `eventTime` field.
    public var eventTime: MicroTime?
    /// Kubernetes' `series` field.
    public var series: EventSeries?
    /// Kubernetes' `action` field.
    public var action: String?
    /// Kubernetes' `related` field.
    public var related: ObjectReference?
    /// Kubernetes' `reportingComponent` field.
    public var reportingComponent: String?
    /// Kubernetes' `reportingInstance` field.
    public var reportingInstance: String?

    /// Creates a `Event`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        involvedObject: ObjectReference = ObjectReference(),
        reason: String? = nil,
        message: String? = nil,
        source: EventSource? = nil,
        firstTimestamp: Time? = nil,
        lastTimestamp: Time? = nil,
        count: Int? = nil,
        type: String? = nil,
        eventTime: MicroTime? = nil,
        series: EventSeries? = nil,
        action: String? = nil,
        related: ObjectReference? = nil,
        reportingComponent: String? = nil,
        reportingInstance: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        self.type = type
        self.eventTime = eventTime
        self.series = series
        self.action = action
        self.related = related
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case involvedObject
        case reason
        case message
        case source
        case firstTimestamp
        case lastTimestamp
        case count
        case type
        case eventTime
        case series
        case action
        case related
        case reportingComponent
        case reportingInstance
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.involvedObject =
            try container.decodeIfPresent(ObjectReference.self, forKey: .involvedObject) ?? ObjectReference()
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
        self.source = try container.decodeIfPresent(EventSource.self, forKey: .source)
        self.firstTimestamp = try container.decodeIfPresent(Time.self, forKey: .firstTimestamp)
        self.lastTimestamp = try container.decodeIfPresent(Time.self, forKey: .lastTimestamp)
        self.count = try container.decodeIfPresent(Int.self, forKey: .count)
        self.type = try container.decodeIfPresent(String.self, forKey: .type)
        self.eventTime = try container.decodeIfPresent(MicroTime.self, forKey: .eventTime)
        self.series = try container.decodeIfPresent(EventSeries.self, forKey: .series)
        self.action = try container.decodeIfPresent(String.self, forKey: .action)
        self.related = try container.decodeIfPresent(ObjectReference.self, forKey: .related)
        self.reportingComponent = try container.decodeIfPresent(String.self, forKey: .reportingComponent)
        self.reportingInstance = try container.decodeIfPresent(String.self, forKey: .reportingInstance)
    }
}

extension Event: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.involvedObject = try JSONTree.field(members, "involvedObject") ?? ObjectReference()
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
        self.source = try JSONTree.field(members, "source")
        self.firstTimestamp = try JSONTree.field(members, "firstTimestamp")
        self.lastTimestamp = try JSONTree.field(members, "lastTimestamp")
        self.count = try JSONTree.field(members, "count")
        self.type = try JSONTree.field(members, "type")
        self.eventTime = try JSONTree.field(members, "eventTime")
        self.series = try JSONTree.field(members, "series")
        self.action = try JSONTree.field(members, "action")
        self.related = try JSONTree.field(members, "related")
        self.reportingComponent = try JSONTree.field(members, "reportingComponent")
        self.reportingInstance = try JSONTree.field(members, "reportingInstance")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        members["involvedObject"] = involvedObject.jsonTree()
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        if let source { members["source"] = source.jsonTree() }
        if let firstTimestamp { members["firstTimestamp"] = firstTimestamp.jsonTree() }
        if let lastTimestamp { members["lastTimestamp"] = lastTimestamp.jsonTree() }
        if let count { members["count"] = count.jsonTree() }
        if let type { members["type"] = type.jsonTree() }
        if let eventTime { members["eventTime"] = eventTime.jsonTree() }
        if let series { members["series"] = series.jsonTree() }
        if let action { members["action"] = action.jsonTree() }
        if let related { members["related"] = related.jsonTree() }
        if let reportingComponent { members["reportingComponent"] = reportingComponent.jsonTree() }
        if let reportingInstance { members["reportingInstance"] = reportingInstance.jsonTree() }
        return .object(members)
    }
}

/// The component that reported an event.
public struct EventSource: Sendable, Codable, Hashable {
    /// Kubernetes' `component` field.
    public var component: String?
    /// Kubernetes' `host` field.
    public var host: String?

    /// Creates a `EventSource`; every field defaults to empty.
    public init(
        component: String? = nil,
        host: String? = nil
    ) {
        self.component = component
        self.host = host
    }

    enum CodingKeys: String, CodingKey {
        case component
        case host
    }
}

extension EventSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.component = try JSONTree.field(members, "component")
        self.host = try JSONTree.field(members, "host")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let component { members["component"] = component.jsonTree() }
        if let host { members["host"] = host.jsonTree() }
        return .object(members)
    }
}

/// Repetitions of an event.
public struct EventSeries: Sendable, Codable, Hashable {
    /// Kubernetes' `count` field.
    public var count: Int?
    /// Kubernetes' `lastObservedTime` field.
    public var lastObservedTime: MicroTime?

    /// Creates a `EventSeries`; every field defaults to empty.
    public init(
        count: Int? = nil,
        lastObservedTime: MicroTime? = nil
    ) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }

    enum CodingKeys: String, CodingKey {
        case count
        case lastObservedTime
    }
}

extension EventSeries: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.count = try JSONTree.field(members, "count")
        self.lastObservedTime = try JSONTree.field(members, "lastObservedTime")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let count { members["count"] = count.jsonTree() }
        if let lastObservedTime { members["lastObservedTime"] = lastObservedTime.jsonTree() }
        return .object(members)
    }
}
