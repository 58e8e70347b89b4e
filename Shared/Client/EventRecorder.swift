import Foundation
public import Logging
public import Schema

/// Records Events about any object, folding repeats of the same reason and message into one Event's `count`,
/// as client-go's event recorder does. Shared by the scheduler, the kubelet and the controllers.
public actor EventRecorder {
    private let client: any APIClient
    private let component: String
    private let host: String?
    private let logger: Logger
    private var recent: RecentEvents
    /// Events handed over by `emit`, written in order by one task.
    private nonisolated let queued: AsyncStream<@Sendable () async -> Void>.Continuation
    /// How many events `emit` may hold before it drops new ones (client-go's broadcaster holds 1,000).
    public static let queueCapacity = 1000

    /// - Parameters:
    ///   - component: `source.component` and `reportingComponent` (`default-scheduler`, `kubelet`, ...).
    ///   - host: `source.host`, the node name for a kubelet.
    ///   - capacity: how many distinct events are remembered for folding (client-go's correlator keeps 4096).
    public init(
        client: any APIClient, component: String, host: String? = nil, capacity: Int = RecentEvents.defaultCapacity,
        logger: Logger
    ) {
        self.client = client
        self.recent = RecentEvents(capacity: capacity)
        self.component = component
        self.host = host
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(
            of: (@Sendable () async -> Void).self, bufferingPolicy: .bufferingOldest(Self.queueCapacity))
        queued = continuation
        Task {
            for await write in stream { await write() }
        }
    }

    deinit { queued.finish() }

    /// Records one Event as `record` does, without waiting for it: the write happens in order behind the ones
    /// emitted before, on a task of the recorder's, as client-go's recorder hands events to its broadcaster. For
    /// paths that must not wait for the api, such as a kubelet starting a container; when `queueCapacity` events are
    /// already waiting, this one is dropped and logged.
    public nonisolated func emit<T: KubeObject>(
        _ object: T, type: String, reason: String, message: String, action: String, fieldPath: String? = nil
    ) {
        let result = queued.yield { [self] in
            await record(object, type: type, reason: reason, message: message, action: action, fieldPath: fieldPath)
        }
        if case .dropped = result {
            logger.warning(
                "event queue full: an event was dropped",
                metadata: [
                    "kubus.object":
                        "\(T.kindInfo.kind) \(object.metadata.namespace ?? "")/\(object.metadata.name ?? "")",
                    "kubus.reason": "\(reason)",
                ])
        }
    }

    /// Records one Event about `object`; `fieldPath` names a container (`spec.containers{web}`) as the kubelet does.
    public func record<T: KubeObject>(
        _ object: T, type: String, reason: String, message: String, action: String, fieldPath: String? = nil
    ) async {
        // Events about cluster-scoped objects (Nodes) live in `default`, as in Kubernetes.
        let namespace = object.metadata.namespace ?? "default"
        let name = object.metadata.name ?? ""
        let key = "\(object.metadata.uid ?? "\(namespace)/\(name)")|\(fieldPath ?? "")|\(reason)|\(message)"
        let now = Time.now()
        if var event = recent.get(key) {
            event.count = (event.count ?? 1) + 1
            event.lastTimestamp = now
            if let stored = try? await client.update(event) {
                recent.put(key, stored)
                return
            }
        }
        var event = Event()
        event.metadata.namespace = namespace
        event.metadata.name = "\(name).\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))"
        event.involvedObject = ObjectReference(
            kind: T.kindInfo.kind, namespace: T.kindInfo.namespaced ? namespace : nil, name: name,
            uid: object.metadata.uid, apiVersion: T.kindInfo.apiVersion,
            resourceVersion: object.metadata.resourceVersion, fieldPath: fieldPath)
        event.reason = reason
        event.message = message
        event.type = type
        event.action = action
        event.source = EventSource(component: component, host: host)
        event.reportingComponent = component
        event.reportingInstance = host
        event.firstTimestamp = now
        event.lastTimestamp = now
        event.count = 1
        do {
            let stored = try await client.create(event)
            recent.put(key, stored)
        } catch {
            logger.warning(
                "could not record an event",
                metadata: [
                    "kubus.object": "\(T.kindInfo.kind) \(namespace)/\(name)", "kubus.reason": "\(reason)",
                    "kubus.error": "\(error)",
                ])
        }
    }
}

/// The events an `EventRecorder` remembers to fold repeats into, least recently used first out: a kubelet that
/// runs thousands of short-lived pods keeps at most `capacity` of them (each a whole Event), as client-go's
/// event correlator keeps an LRU cache of 4096.
public struct RecentEvents: Sendable {
    public static let defaultCapacity = 4096
    public let capacity: Int
    private var entries: [String: (event: Event, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public var count: Int { entries.count }

    /// The event remembered under `key`, now the most recently used.
    public mutating func get(_ key: String) -> Event? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.event, clock)
        return entry.event
    }

    /// Remembers `event` under `key`; over capacity, the least recently used quarter is forgotten at once
    /// (one sort per `capacity / 4` insertions, so the cost per insertion stays small).
    public mutating func put(_ key: String, _ event: Event) {
        clock += 1
        entries[key] = (event, clock)
        guard entries.count > capacity else { return }
        let keep = max(1, capacity - capacity / 4)
        let oldest = entries.sorted { $0.value.used < $1.value.used }.prefix(entries.count - keep)
        for (key, _) in oldest { entries.removeValue(forKey: key) }
    }
}
