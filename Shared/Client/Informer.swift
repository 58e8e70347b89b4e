public import Bus
public import Logging
public import Schema
import Synchronization

/// What an informer lists and catches up from: any `APIClient` (the api over the bus, or the in-memory one of
/// tests).
public protocol InformerSource: Sendable {
    /// Every object of `kind` (in `namespace`, or all), with the revision the list was read at and the
    /// revision of the kind's latest change at or before it.
    func informerList(kind: String, namespace: String?) async throws -> InformerList
    /// Every change of `kind` after `revision`; throws `HistoryCompacted` when that history is gone.
    func informerChanges(kind: String, namespace: String?, after revision: Int64) async throws -> WatchChanges
}

extension APIClient {
    public func informerList(kind: String, namespace: String?) async throws -> InformerList {
        var items: [JSONValue] = []
        var next: String?
        var first: ListResult?
        repeat {
            // One consistent snapshot: later pages are read at the first page's revision (the continue token).
            let page = try await list(kind: kind, namespace: namespace, limit: 500, continue: next)
            if first == nil { first = page }
            items += page.items
            next = page.continue
        } while next != nil
        let revision = Int64(first?.resourceVersion ?? "") ?? 0
        return InformerList(items: items, revision: revision, kindRevision: first?.kindRevision ?? revision)
    }

    public func informerChanges(kind: String, namespace: String?, after revision: Int64) async throws -> WatchChanges {
        do {
            return try await changes(kind: kind, namespace: namespace, since: String(revision), limit: 1000)
        } catch {
            if error.code == 410 { throw HistoryCompacted() }
            throw error
        }
    }
}

public struct InformerList: Sendable {
    public var items: [JSONValue]
    public var revision: Int64
    public var kindRevision: Int64

    public init(items: [JSONValue], revision: Int64, kindRevision: Int64) {
        self.items = items
        self.revision = revision
        self.kindRevision = kindRevision
    }
}

public struct WatchChange: Sendable {
    public var type: WatchEventType
    public var object: JSONValue
    public var revision: Int64

    public init(type: WatchEventType, object: JSONValue, revision: Int64) {
        self.type = type
        self.object = object
        self.revision = revision
    }
}

public struct WatchChanges: Sendable {
    public var changes: [WatchChange]
    public var revision: Int64
    public var more: Bool

    public init(changes: [WatchChange], revision: Int64, more: Bool) {
        self.changes = changes
        self.revision = revision
        self.more = more
    }
}

/// The history asked for was compacted away: relist.
public struct HistoryCompacted: Error, Sendable {
    public init() {}
}

public enum WatchEventType: String, Sendable, Codable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// A change an informer hands to its handler, after its cache was updated.
public struct InformerEvent<T: KubeObject>: Sendable {
    public var type: WatchEventType
    public var object: T
    /// The previous state, for modifications and deletions.
    public var old: T?
}

/// Keeps a local cache of one kind in step with the cluster: list, then watch on the bus.
///
/// It never acts on a partial view. Watch events of a kind form a chain (each carries the revision of the
/// kind's previous change); a broken chain, or a store `Sync` beacon showing a newer revision than the
/// cache has, means events were lost (high-water mark, restart, slow joiner), and the informer catches up
/// from the store's history; when that history was compacted, it relists and reports the difference.
public final class Informer<T: KubeObject>: Sendable {
    public struct Stats: Sendable {
        public var lists = 0
        public var catchUps = 0
        public var applied = 0
        public var undecodable = 0
    }

    private struct State {
        var cache: [String: T] = [:]
        var revision: Int64 = 0
        var kindRevision: Int64 = 0
        /// The kind revision through which every change has been handed to the handler.
        var delivered: Int64 = 0
        var synced = false
        var stats = Stats()
    }

    public let kind: String
    public let namespace: String?
    private let source: any InformerSource
    private let feed: any EventFeed
    private let logger: Logger
    private let handler: @Sendable (InformerEvent<T>) async -> Void
    private let predicate: @Sendable (T) -> Bool
    private let state = Mutex(State())
    private let syncedSignal: AsyncStream<Void>.Continuation
    private let syncedStream: AsyncStream<Void>

    /// Creates an informer that lists from `source` and follows `feed`; `predicate` keeps only the objects it
    /// accepts in the cache (an object that stops matching is reported as deleted), e.g. a kubelet's pods by
    /// `spec.nodeName`.
    public init(
        source: any InformerSource, feed: any EventFeed, namespace: String? = nil, logger: Logger,
        handler: @escaping @Sendable (InformerEvent<T>) async -> Void = { _ in },
        predicate: @escaping @Sendable (T) -> Bool = { _ in true }
    ) {
        kind = T.kindInfo.kind
        self.predicate = predicate
        self.namespace = namespace
        self.source = source
        self.feed = feed
        self.logger = logger
        self.handler = handler
        (syncedStream, syncedSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Creates an informer that follows the broker at `endpoints`.
    public convenience init(
        source: any InformerSource, endpoints: BusEndpoints, namespace: String? = nil, context: ZMQContext = .shared,
        logger: Logger, handler: @escaping @Sendable (InformerEvent<T>) async -> Void = { _ in },
        predicate: @escaping @Sendable (T) -> Bool = { _ in true }
    ) {
        self.init(
            source: source, feed: BusFeed(context: context, endpoints: endpoints), namespace: namespace,
            logger: logger, handler: handler, predicate: predicate)
    }

    // MARK: Reading the cache

    /// The cached object `namespace/name` (or `name` for cluster-scoped kinds).
    public func get(namespace: String? = nil, name: String) -> T? {
        state.withLock { $0.cache[Self.key(namespace: namespace, name: name)] }
    }

    /// Every cached object, optionally only those whose labels match `selector`.
    public func list(selector: LabelSelector? = nil) -> [T] {
        let all = state.withLock { Array($0.cache.values) }
        guard let selector else { return all }
        return all.filter { selector.matches($0.metadata.labels ?? [:]) }
    }

    /// The revision the cache reflects.
    public var revision: Int64 { state.withLock { $0.revision } }
    /// The latest change of the kind that the handler has been called for (or that it skipped, as not cached):
    /// once it reaches the kind's latest revision, every handler has seen every change.
    public var deliveredRevision: Int64 { state.withLock { $0.delivered } }
    public var hasSynced: Bool { state.withLock { $0.synced } }
    public var stats: Stats { state.withLock { $0.stats } }

    /// Returns once the first list has been applied.
    public func waitForSync() async {
        if hasSynced { return }
        for await _ in syncedStream {
            if hasSynced { return }
        }
    }

    public static func key(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }

    static func key(of object: T) -> String {
        key(namespace: object.metadata.namespace, name: object.metadata.name ?? "")
    }

    // MARK: Running

    /// Lists, then follows the feed until the task is cancelled.
    public func run() async throws {
        let subscriber = try feed.subscribe(topics: ["event/\(kind)/", "sync/store"])
        defer { subscriber.close() }
        try await relist()
        for await message in subscriber.messages {
            if Task.isCancelled { break }
            do {
                try await receive(message)
            } catch is CancellationError {
                break
            } catch {
                // The api may be restarting: keep the cache, try again on the next event or beacon.
                logger.warning(
                    "informer could not catch up", metadata: ["kubus.kind": "\(kind)", "kubus.error": "\(error)"])
            }
        }
    }

    private func receive(_ message: BusMessage) async throws {
        let env = message.envelope
        let (revision, kindRevision) = state.withLock { ($0.revision, $0.kindRevision) }
        if env.type == "Sync" {
            // {"revision":R,"compactRevision":C,"published":P,"kinds":{"Pod":r}}
            guard let body = try? JSONValue.parse(message.payload),
                let published = body["published"]?.intValue,
                let latest = body["kinds"]?[kind]?.intValue
            else { return }
            if latest > kindRevision && latest <= published && latest > revision {
                try await catchUp(reason: "sync beacon shows revision \(latest), cache has \(kindRevision)")
            }
            return
        }
        guard env.type == "WatchEvent", let rev = env.rev, let prev = env.prev else { return }
        if rev <= revision { return }  // already in the cache (from the list or a catch-up)
        guard prev == kindRevision else {
            try await catchUp(reason: "event rev \(rev) follows \(prev), cache has \(kindRevision)")
            return
        }
        let type = WatchEventType(rawValue: env.event ?? "") ?? .modified
        guard let object = try? JSONValue.parse(message.payload) else {
            state.withLock { $0.stats.undecodable += 1 }
            return
        }
        await apply([WatchChange(type: type, object: object, revision: rev)], through: rev)
    }

    private func catchUp(reason: String) async throws {
        logger.debug("informer catching up", metadata: ["kubus.kind": "\(kind)", "kubus.reason": "\(reason)"])
        state.withLock { $0.stats.catchUps += 1 }
        while true {
            let from = state.withLock { $0.revision }
            let result: WatchChanges
            do {
                result = try await source.informerChanges(kind: kind, namespace: namespace, after: from)
            } catch is HistoryCompacted {
                try await relist()
                return
            }
            await apply(result.changes, through: result.revision)
            if !result.more { return }
        }
    }

    /// Applies changes in revision order, then notes that the cache reflects `revision`.
    private func apply(_ changes: [WatchChange], through revision: Int64) async {
        for change in changes {
            guard let object = decode(change.object), namespace == nil || object.metadata.namespace == namespace else {
                // Not cached, but the kind's chain still moves on.
                state.withLock {
                    $0.kindRevision = max($0.kindRevision, change.revision)
                    $0.revision = max($0.revision, change.revision)
                    $0.delivered = max($0.delivered, change.revision)
                }
                continue
            }
            let key = Self.key(of: object)
            // An object that stops matching the predicate leaves the cache as if deleted.
            let matches = predicate(object)
            let old = state.withLock { s -> T? in
                let old = s.cache[key]
                if change.type == .deleted || !matches { s.cache[key] = nil } else { s.cache[key] = object }
                s.kindRevision = max(s.kindRevision, change.revision)
                s.revision = max(s.revision, change.revision)
                s.stats.applied += 1
                return old
            }
            if matches || old != nil {
                let gone = change.type == .deleted || !matches
                let type: WatchEventType = gone ? .deleted : (old == nil ? .added : .modified)
                await handler(InformerEvent(type: type, object: object, old: old))
            }
            state.withLock { $0.delivered = max($0.delivered, change.revision) }
        }
        state.withLock { $0.revision = max($0.revision, revision) }
    }

    /// Replaces the cache with a fresh list and tells the handler what changed.
    private func relist() async throws {
        let list = try await source.informerList(kind: kind, namespace: namespace)
        var fresh: [String: T] = [:]
        for item in list.items {
            if let object = decode(item), predicate(object) { fresh[Self.key(of: object)] = object }
        }
        let old = state.withLock { s -> [String: T] in
            let old = s.cache
            s.cache = fresh
            s.revision = list.revision
            s.kindRevision = list.kindRevision
            s.stats.lists += 1
            return old
        }
        for (key, object) in fresh.sorted(by: { $0.key < $1.key }) {
            if let before = old[key] {
                if before != object { await handler(InformerEvent(type: .modified, object: object, old: before)) }
            } else {
                await handler(InformerEvent(type: .added, object: object, old: nil))
            }
        }
        for (key, object) in old where fresh[key] == nil {
            await handler(InformerEvent(type: .deleted, object: object, old: object))
        }
        state.withLock { $0.delivered = max($0.delivered, list.kindRevision) }
        if !state.withLock({ $0.synced }) {
            state.withLock { $0.synced = true }
            syncedSignal.yield()
        }
    }

    private func decode(_ value: JSONValue) -> T? {
        do {
            return try value.decode(as: T.self)
        } catch {
            state.withLock { $0.stats.undecodable += 1 }
            logger.warning(
                "informer skipped an object it could not decode",
                metadata: ["kubus.kind": "\(kind)", "kubus.error": "\(error)"])
            return nil
        }
    }
}
