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
