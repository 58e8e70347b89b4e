public import Bus
public import Client
public import Logging
import Schema

/// What a controller gets from its runner: the api client, shared informers, the work queue, an event
/// recorder and a logger.
public final class ControllerContext: Sendable {
    /// The controller's name (`replicaset`).
    public let name: String
    /// The api client: the api over the bus, or the in-memory api of tests.
    public let client: any APIClient
    /// Where the controller takes its informers from (in its `init`).
    public let informers: InformerFactory
    /// The de-duplicating queue of keys the workers reconcile.
    public let queue: WorkQueue<String>
    /// Records Events as `<name>-controller`.
    public let events: EventRecorder
    /// The controller's logger.
    public let logger: Logger
    /// How the controller runs.
    public let configuration: ControllerConfiguration

    /// Creates a context for the controller `name`; its informers list from `source` (the client unless given)
    /// and follow `feed` (the broker, or an in-process feed in tests).
    public init(
        name: String, client: any APIClient, source: (any InformerSource)? = nil, feed: any EventFeed,
        configuration: ControllerConfiguration = ControllerConfiguration(), logger: Logger
    ) {
        self.name = name
        self.client = client
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "kubus.controller"] = "\(name)"
        self.logger = logger
        informers = InformerFactory(source: source ?? client, feed: feed, logger: logger)
        queue = WorkQueue<String>(baseDelay: configuration.baseRetryDelay, maxDelay: configuration.maxRetryDelay)
        events = EventRecorder(client: client, component: "\(name)-controller", logger: logger)
    }

    /// Queues `key` for reconciling.
    public func enqueue(_ key: String) async { await queue.add(key) }

    /// Queues `key` after `delay` (e.g. when `minReadySeconds` will have passed).
    public func enqueue(_ key: String, after delay: Duration) async { await queue.add(key, after: delay) }
}
