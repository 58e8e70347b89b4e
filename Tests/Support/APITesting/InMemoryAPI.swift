public import APIServer
public import Bus
public import Client
import Foundation
public import Logging
public import Schema
import Store
public import StoreTesting
import Synchronization

/// The api in this process: the real `APIHandler` over a `MemoryBackend`, called without a bus, with the store's
/// watch events delivered without a broker by the store's own `ChangeTailer`.
///
/// It is an `APIClient` and an `EventFeed`, so anything written against those (every controller, the informers)
/// runs on it unchanged. It plays the part of client-go's fake clientset, with one difference that matters: the
/// answers are the api's own — validation, defaulting, admission, generation, subresources, finalizers, conflicts
/// — not a tracker's approximation. Like the fake clientset it records every request (`actions`) and lets a test
/// make chosen requests fail (`failNext`).
public final class InMemoryAPI: APIClient, EventFeed {
    public let backend: MemoryBackend
    public let handler: APIHandler
    private let tailer: ChangeTailer
    private let tailing: Task<Void, Never>
    private let subscribers = Subscribers()
    private let nextSubscriber = Atomic<Int>(0)
    private let recorded = Mutex<[APIAction]>([])
    private let failures = Mutex<[Failure]>([])

    private struct Failure {
        var verb: String
        var kind: String
        var error: APIError
        var remaining: Int
    }

    /// Starts an api over an empty store, with the system namespaces created as `kubus-api` creates them.
    public init(configuration: APIServerConfiguration = .init(), logger: Logger = Logger(label: "kubus.test.api"))
        async throws
    {
        let backend = MemoryBackend()
        let tailer = ChangeTailer(backend: backend, logger: logger)
        self.backend = backend
        self.tailer = tailer
        handler = APIHandler(
            store: BackendStoreAccess(backend: backend, written: { tailer.poke() }), configuration: configuration,
            logger: logger)
        let subscribers = self.subscribers
        tailing = Task {
            await tailer.run(from: 0) { topic, envelope, payload in
                let message = BusMessage(topic: topic, envelope: envelope, payload: payload)
                for subscriber in subscribers.all.withLock({ Array($0.values) })
                where subscriber.topics.contains(where: { topic.hasPrefix($0) }) {
                    subscriber.continuation.yield([message])
                }
            }
        }
        try await handler.bootstrap()
    }

    deinit { close() }

    /// Stops the event feed; every subscription ends.
    public func close() {
        tailer.stop()
        tailing.cancel()
        for subscriber in subscribers.all.withLock({ all in
            defer { all.removeAll() }
            return Array(all.values)
        }) {
            subscriber.continuation.finish()
        }
    }

    // MARK: APIClient

    public func call(_ verb: String, _ payload: JSONValue) async throws(APIError) -> APIReply {
        let action = APIAction(verb: verb, payload: payload)
        recorded.withLock { $0.append(action) }
        if let error = takeFailure(for: action) { throw error }
        let reply = await handler.handle(verb: verb, payload: payload.encoded(), requestID: UUID().uuidString)
        return try KubusClient.decode(
            code: reply.code, payload: reply.payload, warnings: reply.envelope.extra["warnings"])
    }

    // MARK: EventFeed

    public func subscribe(topics: [String]) throws -> any EventSubscription {
        let (stream, continuation) = AsyncStream.makeStream(of: [BusMessage].self)
        let id = nextSubscriber.add(1, ordering: .relaxed).newValue
        let subscription = Subscription(
            topics: topics, messages: BusMessages(batches: stream), continuation: continuation
        ) { [subscribers] in
            _ = subscribers.all.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.all.withLock { $0[id] = subscription }
        return subscription
    }

    final class Subscribers: Sendable {
        let all = Mutex<[Int: Subscription]>([:])
    }

    final class Subscription: EventSubscription {
        let topics: [String]
        let messages: BusMessages
        let continuation: AsyncStream<[BusMessage]>.Continuation
        private let removed: @Sendable () -> Void

        init(
            topics: [String], messages: BusMessages, continuation: AsyncStream<[BusMessage]>.Continuation,
            removed: @escaping @Sendable () -> Void
        ) {
            self.topics = topics
            self.messages = messages
            self.continuation = continuation
            self.removed = removed
        }

        func close() {
            continuation.finish()
            removed()
        }
    }

    // MARK: What tests look at

    /// Every request so far, in order.
    public var actions: [APIAction] { recorded.withLock { $0 } }

    /// The requests that wrote (create, update, patch, delete), in order.
    public var writes: [APIAction] { actions.filter(\.isWrite) }

    /// Forgets the requests so far.
    public func clearActions() { recorded.withLock { $0.removeAll() } }

    /// Makes the next `times` requests of `verb` on `kind` (`Pod`, as the kind is named in the request or its
    /// object; `*` for any) fail with `error` before they reach the api.
    public func failNext(_ verb: String, kind: String, times: Int = 1, with error: APIError) {
        failures.withLock { $0.append(Failure(verb: verb, kind: kind, error: error, remaining: times)) }
    }

    private func takeFailure(for action: APIAction) -> APIError? {
        failures.withLock { all in
            guard
                let index = all.firstIndex(where: {
                    $0.verb == action.verb && ($0.kind == "*" || $0.kind == action.kind) && $0.remaining > 0
                })
            else { return nil }
            all[index].remaining -= 1
            let error = all[index].error
            if all[index].remaining == 0 { all.remove(at: index) }
            return error
        }
    }

    /// The latest revision of `kind` the store holds (0 when none was ever written).
    public func kindRevision(_ kind: String) async throws(APIError) -> Int64 {
        try await list(kind: kind, limit: 1).kindRevision ?? 0
    }
}

/// One request the in-memory api received.
public struct APIAction: Sendable, CustomStringConvertible {
    /// `create`, `get`, `list`, `update`, `patch`, `delete`, `changes`, ...
    public var verb: String
    /// The kind as the request named it (or its object's kind).
    public var kind: String
    public var namespace: String?
    public var name: String?
    public var subresource: String?
    /// The whole payload.
    public var payload: JSONValue

    init(verb: String, payload: JSONValue) {
        self.verb = verb
        self.payload = payload
        let object = payload["object"]
        kind = payload["kind"]?.stringValue ?? object?["kind"]?.stringValue ?? ""
        namespace = payload["namespace"]?.stringValue ?? object?["metadata"]?["namespace"]?.stringValue
        name =
            payload["name"]?.stringValue ?? object?["metadata"]?["name"]?.stringValue
            ?? object?["metadata"]?["generateName"]?.stringValue
        subresource = payload["subresource"]?.stringValue
    }

    /// Whether the request writes.
    public var isWrite: Bool { ["create", "update", "patch", "delete"].contains(verb) }

    /// `verb kind namespace/name[/subresource]`, e.g. `create Pod default/web-`.
    public var description: String {
        let key = [namespace, name].compactMap { $0 }.joined(separator: "/")
        return "\(verb) \(kind) \(key)\(subresource.map { "/\($0)" } ?? "")"
    }
}
