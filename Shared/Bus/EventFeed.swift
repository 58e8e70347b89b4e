/// Where a consumer of events takes them from: the broker's XPUB endpoint (`BusFeed`), or, in tests, an
/// in-process source that delivers the same messages without a broker.
public protocol EventFeed: Sendable {
    /// Delivers, in order, the messages whose topic starts with one of `topics`, until the subscription closes.
    func subscribe(topics: [String]) throws -> any EventSubscription
}

/// An open subscription of an `EventFeed`.
public protocol EventSubscription: Sendable {
    /// The messages, in order; iterate from one task.
    var messages: BusMessages { get }
    /// Stops delivery; `messages` ends.
    func close()
}

extension Subscriber: EventSubscription {}

/// The broker as an `EventFeed`: each subscription is a `Subscriber` on `endpoints`.
public struct BusFeed: EventFeed {
    public let context: ZMQContext
    public let endpoints: BusEndpoints

    public init(context: ZMQContext = .shared, endpoints: BusEndpoints) {
        self.context = context
        self.endpoints = endpoints
    }

    public func subscribe(topics: [String]) throws -> any EventSubscription {
        try Subscriber(context: context, endpoints: endpoints, topics: topics)
    }
}
