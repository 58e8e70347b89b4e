import Bus
import Client
import ControllerKit
import Foundation
import Logging
import Schema
import Synchronization
import Testing

/// A source that lists a fixed set of ConfigMaps and never changes.
struct FixedSource: InformerSource {
    let items: [JSONValue]

    func informerList(kind: String, namespace: String?) async throws -> InformerList {
        InformerList(items: kind == "ConfigMap" ? items : [], revision: 7, kindRevision: 7)
    }

    func informerChanges(kind: String, namespace: String?, after revision: Int64) async throws -> WatchChanges {
        WatchChanges(changes: [], revision: revision, more: false)
    }
}

/// One shared informer per kind; every handler sees every event; the runner's sync wait returns.
@Suite(.timeLimit(.minutes(1)))
struct InformerFactoryTests {
    static func configMap(_ name: String, namespace: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "resourceVersion": "7"],
        ]
    }

    @Test func informersAreSharedAndFanOutToEveryHandler() async throws {
        // No broker listens here: the informers work from the source's list alone.
        let dir = "/tmp/kubus-ct-\(BusClock.randomID().prefix(8))"
        let endpoints = try BusEndpoints(base: "ipc://\(dir)/bus")
        let bus = try BusClient(endpoints: endpoints)
        defer { bus.close() }
        let source = FixedSource(items: [
            Self.configMap("a", namespace: "default"), Self.configMap("b", namespace: "default"),
            Self.configMap("c", namespace: "other"),
        ])
        let context = ControllerContext(
            name: "test", client: KubusClient(bus: bus), source: source, feed: BusFeed(endpoints: endpoints),
            logger: Logger(label: "test"))
        let first = context.informers.informer(ConfigMap.self)
        let second = context.informers.informer(ConfigMap.self)
        #expect(first === second)
        let seen = Mutex<[String]>([])
        first.addEventHandler { event in seen.withLock { $0.append("one:\(ObjectKey.of(event.object))") } }
        second.addEventHandler { event in
            seen.withLock { $0.append("two:\(ObjectKey.of(event.object))") }
            await context.enqueue(ObjectKey.of(event.object))
        }
        let run = Task { try await context.informers.run() }
        defer { run.cancel() }
        await context.informers.waitForSync()

        #expect(context.informers.kinds == ["ConfigMap"])
        #expect(
            Set(seen.withLock { $0 }) == [
                "one:default/a", "one:default/b", "one:other/c", "two:default/a", "two:default/b", "two:other/c",
            ])
        #expect(first.list(namespace: "default").count == 2)
        #expect(first.get(key: "other/c")?.metadata.name == "c")
        #expect(await context.queue.count == 3)
    }
}
