public import Bus
public import Client
public import Logging
public import Schema
import Synchronization

/// One informer per kind for a controller, shared by all its handlers, as client-go's `SharedInformerFactory`.
///
/// Informers are created on first request (in the controller's `init`) and started together by the runner.
public final class InformerFactory: Sendable {
    private let source: any InformerSource
    private let feed: any EventFeed
    private let logger: Logger
    private let informers = Mutex<[String: any StartableInformer]>([:])
    private let started = Atomic<Bool>(false)

    /// Creates a factory that lists from `source` and follows `feed`.
    public init(source: any InformerSource, feed: any EventFeed, logger: Logger) {
        self.source = source
        self.feed = feed
        self.logger = logger
    }

    /// The shared informer of `type`, created on first use; create every informer before the runner starts.
    public func informer<T: KubeObject>(_ type: T.Type) -> SharedInformer<T> {
        precondition(!started.load(ordering: .relaxed), "informers must be created before the controller starts")
        return informers.withLock { all in
            if let existing = all[T.kindInfo.kind] as? SharedInformer<T> { return existing }
            let informer = SharedInformer<T>(source: source, feed: feed, logger: logger)
            all[T.kindInfo.kind] = informer
            return informer
        }
    }

    /// The kinds with an informer.
    public var kinds: [String] { informers.withLock { Array($0.keys).sorted() } }

    /// Runs every informer until cancelled; an informer that fails (the api not up yet, the bus restarting)
    /// starts again after a pause, keeping its cache.
    public func run() async throws {
        started.store(true, ordering: .relaxed)
        let all = informers.withLock { Array($0.values) }
        let logger = self.logger
        await withDiscardingTaskGroup { group in
            for informer in all {
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await informer.run()
                            return
                        } catch is CancellationError {
                            return
                        } catch {
                            logger.warning(
                                "informer failed; starting it again",
                                metadata: ["kubus.kind": "\(informer.kind)", "kubus.error": "\(error)"])
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
            }
        }
        try Task.checkCancellation()
    }

    /// Each informer's kind and the latest change of it every handler has seen (`Informer.deliveredRevision`).
    public var deliveredRevisions: [String: Int64] {
        informers.withLock { all in all.mapValues { $0.deliveredRevision } }
    }

    /// Returns once every informer has applied its first list.
    public func waitForSync() async {
        let all = informers.withLock { Array($0.values) }
        for informer in all { await informer.waitForSync() }
    }
}

/// What the factory needs of an informer, whatever its kind.
protocol StartableInformer: Sendable {
    var kind: String { get }
    var deliveredRevision: Int64 { get }
    func run() async throws
    func waitForSync() async
}

/// An informer whose events go to any number of handlers added after creation.
public final class SharedInformer<T: KubeObject>: StartableInformer, Sendable {
    /// The cache: `get` and `list` read it.
    public let informer: Informer<T>
    private let handlers: HandlerList<T>

    init(source: any InformerSource, feed: any EventFeed, logger: Logger) {
        let handlers = HandlerList<T>()
        self.handlers = handlers
        informer = Informer<T>(source: source, feed: feed, logger: logger) { event in
            await handlers.dispatch(event)
        }
    }

    /// Adds a handler called, in order with the others, for every change after the cache was updated.
    public func addEventHandler(_ handler: @escaping @Sendable (InformerEvent<T>) async -> Void) {
        handlers.add(handler)
    }

    /// The cached object `namespace/name` (or `name` for cluster-scoped kinds).
    public func get(namespace: String?, name: String) -> T? { informer.get(namespace: namespace, name: name) }

    /// The cached object with `key` (`namespace/name`).
    public func get(key: String) -> T? {
        let (namespace, name) = ObjectKey.split(key)
        return informer.get(namespace: namespace, name: name)
    }

    /// Cached objects, optionally only those in `namespace`.
    public func list(namespace: String? = nil) -> [T] {
        let all = informer.list()
        guard let namespace else { return all }
        return all.filter { $0.metadata.namespace == namespace }
    }

    /// Whether the first list has been applied.
    public var hasSynced: Bool { informer.hasSynced }

    var kind: String { informer.kind }
    var deliveredRevision: Int64 { informer.deliveredRevision }
    func run() async throws { try await informer.run() }
    func waitForSync() async { await informer.waitForSync() }
}

final class HandlerList<T: KubeObject>: Sendable {
    private let handlers = Mutex<[@Sendable (InformerEvent<T>) async -> Void]>([])

    func add(_ handler: @escaping @Sendable (InformerEvent<T>) async -> Void) {
        handlers.withLock { $0.append(handler) }
    }

    func dispatch(_ event: InformerEvent<T>) async {
        for handler in handlers.withLock({ $0 }) { await handler(event) }
    }
}
