import Bus
import BusTesting
import Client
import Foundation
import Logging
import Schema
import Testing

/// A store stand-in: keeps a change log, answers list and changes like the api, and publishes watch events
/// on a real broker — or deliberately does not, to make gaps.
actor FakeStore: InformerSource {
    private var log: [WatchChange] = []
    private var compactedThrough: Int64 = 0
    private let publisher: Publisher

    init(endpoints: BusEndpoints) throws { publisher = try Publisher(endpoints: endpoints, streamPrefix: "fake-store") }

    func close() { publisher.close() }

    var revision: Int64 { Int64(log.count) }

    private func prevRevision() -> Int64 { log.last?.revision ?? 0 }

    /// Commits a change; publishes it unless `publish` is false (a lost event).
    @discardableResult
    func commit(_ type: WatchEventType, name: String, data: String = "v", publish: Bool = true) -> Int64 {
        let prev = prevRevision()
        let rev = revision + 1
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "namespace": "default", "resourceVersion": .string(String(rev))],
            "data": ["k": .string(data)],
        ]
        log.append(WatchChange(type: type, object: object, revision: rev))
        if publish {
            publisher.publish(
                topic: "event/ConfigMap/default/\(name)",
                envelope: Envelope(type: "WatchEvent", rev: rev, prev: prev, event: type.rawValue),
                payload: object.encoded())
        }
        return rev
    }

    func beacon() {
        let body =
            #"{"revision":\#(revision),"compactRevision":\#(compactedThrough),"published":\#(revision),"kinds":{"ConfigMap":\#(prevRevision())}}"#
        publisher.publish(
            topic: "sync/store", envelope: Envelope(type: "Sync", rev: revision), payload: Array(body.utf8))
    }

    /// Publishes a probe event the informer ignores (old revision), to get past the slow-joiner window.
    func probe() {
        publisher.publish(topic: "event/ConfigMap/probe", envelope: Envelope(type: "Probe"), payload: [])
    }

    func compact() { compactedThrough = revision }

    nonisolated func informerList(kind: String, namespace: String?) async throws -> InformerList {
        await listNow()
    }

    private func listNow() -> InformerList {
        var live: [String: JSONValue] = [:]
        for c in log {
            let name = c.object["metadata"]?["name"]?.stringValue ?? ""
            live[name] = c.type == .deleted ? nil : c.object
        }
        return InformerList(items: Array(live.values), revision: revision, kindRevision: prevRevision())
    }

    nonisolated func informerChanges(kind: String, namespace: String?, after revision: Int64) async throws
        -> WatchChanges
    {
        try await changesNow(after: revision)
    }

    private func changesNow(after r: Int64) throws -> WatchChanges {
        if r < compactedThrough { throw HistoryCompacted() }
        return WatchChanges(changes: log.filter { $0.revision > r }, revision: revision, more: false)
    }
}

/// Collects what the informer hands its handler.
actor Seen {
    var events: [(WatchEventType, String)] = []
    func add(_ e: InformerEvent<ConfigMap>) { events.append((e.type, e.object.metadata.name ?? "")) }
    var names: [String] { events.map { "\($0.0.rawValue) \($0.1)" } }
}

@Suite(.timeLimit(.minutes(1)))
struct InformerTests {
    func withInformer(
        predicate: @escaping @Sendable (ConfigMap) -> Bool = { _ in true },
        _ body: (FakeStore, Informer<ConfigMap>, Seen) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        try await withBroker(logLevel: .warning) { endpoints, _ in
            let store = try FakeStore(endpoints: endpoints)
            let seen = Seen()
            let informer = Informer<ConfigMap>(
                source: store, endpoints: endpoints, logger: logger, handler: { await seen.add($0) },
                predicate: predicate)
            let running = Task { try await informer.run() }
            defer { running.cancel() }
            await informer.waitForSync()
            // Wait until the informer's subscription is live: probes are ignored but counted as received.
            try await Task.sleep(for: .milliseconds(200))
            try await body(store, informer, seen)
            await store.close()
        }
    }

    @Test func followsEventsAfterTheList() async throws {
        try await withInformer { store, informer, seen in
            await store.commit(.added, name: "a")
            await store.commit(.modified, name: "a", data: "v2")
            await store.commit(.added, name: "b")
            #expect(
                await eventually {
                    informer.list().count == 2 && informer.get(namespace: "default", name: "a")?.data?["k"] == "v2"
                })
            #expect(await seen.names == ["ADDED a", "MODIFIED a", "ADDED b"])
            #expect(informer.stats.catchUps == 0)
        }
    }

    @Test func aPredicateKeepsOnlyMatchingObjects() async throws {
        try await withInformer(predicate: { $0.data?["k"] == "keep" }) { store, informer, seen in
            await store.commit(.added, name: "a", data: "keep")
            await store.commit(.added, name: "b", data: "other")
            await store.commit(.modified, name: "a", data: "other")
            await store.commit(.added, name: "c", data: "keep")
            #expect(await eventually { informer.get(namespace: "default", name: "c") != nil })
            #expect(informer.list().map { $0.metadata.name ?? "" } == ["c"])
            // An object that stops matching is reported as deleted; one that never matched is never reported.
            #expect(await seen.names == ["ADDED a", "DELETED a", "ADDED c"])
        }
    }

    @Test func lostEventsAreDetectedFromTheChainAndCaughtUp() async throws {
        try await withInformer { store, informer, _ in
            await store.commit(.added, name: "a")
            await store.commit(.added, name: "lost1", publish: false)
            await store.commit(.added, name: "lost2", publish: false)
            await store.commit(.added, name: "c")
            #expect(await eventually { informer.list().count == 4 })
            #expect(informer.stats.catchUps >= 1)
            #expect(informer.get(namespace: "default", name: "lost2") != nil)
        }
    }

    @Test func aLostLastEventIsNoticedFromTheSyncBeacon() async throws {
        try await withInformer { store, informer, _ in
            await store.commit(.added, name: "only", publish: false)
            await store.beacon()
            #expect(await eventually { informer.get(namespace: "default", name: "only") != nil })
            #expect(informer.stats.catchUps == 1)
        }
    }

    @Test func compactedHistoryLeadsToARelistThatReportsDeletions() async throws {
        try await withInformer { store, informer, seen in
            await store.commit(.added, name: "keep")
            await store.commit(.added, name: "gone")
            #expect(await eventually { informer.list().count == 2 })
            await store.commit(.deleted, name: "gone", publish: false)
            await store.commit(.modified, name: "keep", data: "v2", publish: false)
            await store.compact()
            await store.commit(.added, name: "new")
            #expect(
                await eventually {
                    informer.list().count == 2 && informer.get(namespace: "default", name: "new") != nil
                })
            #expect(informer.get(namespace: "default", name: "gone") == nil)
            #expect(informer.get(namespace: "default", name: "keep")?.data?["k"] == "v2")
            #expect(informer.stats.lists == 2)
            #expect(await seen.names.contains("DELETED gone"))
        }
    }
}
