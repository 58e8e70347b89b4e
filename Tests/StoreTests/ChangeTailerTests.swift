import Bus
import Foundation
import Logging
import Schema
import Synchronization
import Testing
import Wire

@testable import Store

/// The change tailer: every committed registry change becomes one watch event, in revision order, whether the
/// backend hands the commit over (SQLite) or the tailer reads it from the log (the in-memory backend, a gap).
@Suite(.timeLimit(.minutes(1)))
struct ChangeTailerTests {
    struct Event: Sendable, Equatable {
        var topic: String
        var revision: Int64
        var event: String
        var payload: String
    }

    /// Collects the watch events the tailer publishes (not its Sync beacons).
    final class Feed: Sendable {
        let events = Mutex<[Event]>([])

        var publish: ChangeTailer.Publish {
            { topic, envelope, payload in
                guard topic.hasPrefix("event/") else { return }
                let event = Event(
                    topic: topic, revision: envelope.rev ?? -1, event: envelope.event ?? "",
                    payload: String(decoding: payload, as: UTF8.self))
                self.events.withLock { $0.append(event) }
            }
        }

        var snapshot: [Event] { events.withLock { $0 } }
    }

    static var logger: Logger {
        var logger = Logger(label: "test.tailer")
        logger.logLevel = .warning
        return logger
    }

    /// Waits (up to 10 s) until `done` holds.
    static func waitFor(_ done: () -> Bool) async throws {
        for _ in 0..<1000 where !done() { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Changes made before the tailer runs and changes racing it from many writers — puts, updates, deletes and
    /// writes outside `/registry/` — are each published once, in revision order, as ADDED, MODIFIED or DELETED with
    /// the resourceVersion spliced in. With SQLite, the racing ones come from the commits, not from reading the log.
    @Test(arguments: BackendKind.allCases)
    func everyRegistryChangeIsPublishedOnceInOrder(kind: BackendKind) async throws {
        try await withBackend(kind) { backend in
            for index in 0..<30 {
                try await backend.put(
                    "/registry/ConfigMap/early/c\(index)", #"{"metadata":{"name":"c"},"n":\#(index)}"#)
            }
            _ = try await backend.put("/leases/outside", "x")
            let tailer = ChangeTailer(backend: backend, logger: Self.logger)
            let feed = Feed()
            let running = Task { await tailer.run(from: 0, publish: feed.publish) }
            // The racing writes start once the tailer runs (it has published what was there before it).
            try await Self.waitFor { feed.snapshot.count == 30 }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for index in 0..<40 {
                            let key = "/registry/ConfigMap/w\(writer)/c\(index % 10)"
                            switch index % 4 {
                            case 3: _ = try await backend.delete(key)
                            case 2: _ = try await backend.put("/leases/w\(writer)", "\(index)")
                            default: _ = try await backend.put(key, #"{"metadata":{},"i":\#(index)}"#)
                            }
                            tailer.poke()  // as the store service does after each write
                        }
                    }
                }
                try await group.waitForAll()
            }
            let expected = try await backend.changes(prefix: "/registry/", after: 0, limit: nil).changes
            let last = expected.last?.kv.modRevision ?? 0
            try await Self.waitFor { feed.snapshot.last?.revision == last }
            tailer.stop()
            await running.value

            let events = feed.snapshot
            #expect(events.map(\.revision) == expected.map(\.kv.modRevision))
            #expect(
                events.map(\.event)
                    == expected.map { $0.type == .delete ? "DELETED" : $0.kv.version == 1 ? "ADDED" : "MODIFIED" })
            #expect(events.allSatisfy { $0.topic.hasPrefix("event/ConfigMap/") })
            #expect(events.allSatisfy { $0.payload.contains(#""resourceVersion":"\#($0.revision)""#) })
            #expect(events.contains { $0.event == "DELETED" })
            let (fromCommits, fromLog) = tailer.published
            #expect(fromCommits + fromLog == events.count)
            #expect(fromLog >= 30)  // what was committed before the tailer ran is read from the log
            if kind == .sqlite {
                #expect(fromCommits > 0)
            } else {
                #expect(fromCommits == 0)
            }
        }
    }

    /// Secrets are sealed in the file but published opened, from the commit and from the log alike.
    @Test func aSealedBackendPublishesSecretsOpened() async throws {
        try await withTemporaryDirectory { directory in
            let keys = try EncryptionKeys.load(
                path: directory.appendingPathComponent("keys.json").path, create: true)
            let backend = SealedBackend(
                base: try SQLiteBackend(path: directory.appendingPathComponent("store.db").path),
                sealer: SecretSealer(keys: keys))
            let value = #"{"kind":"Secret","data":{"password":"czNjcjN0"}}"#
            _ = try await backend.put("/registry/Secret/default/before", value)
            let tailer = ChangeTailer(backend: backend, logger: Self.logger)
            let feed = Feed()
            let running = Task { await tailer.run(from: 0, publish: feed.publish) }
            try await Self.waitFor { feed.snapshot.count == 1 }
            _ = try await backend.put("/registry/Secret/default/after", value)
            try await Self.waitFor { feed.snapshot.count == 2 }
            tailer.stop()
            await running.value
            let events = feed.snapshot
            #expect(events.map(\.topic) == ["event/Secret/default/before", "event/Secret/default/after"])
            #expect(events.allSatisfy { $0.payload.contains(#""password":"czNjcjN0""#) })
            // The first from the log (written before the tailer ran), the second almost always from its commit.
            #expect(tailer.published.fromCommits + tailer.published.fromLog == 2)
            await backend.close()
        }
    }

    /// Regression: the backend kept its commit observer directly in a `Mutex`, and every commit wrapped it in two more
    /// reabstraction thunks (after some thousands of the api's creates the store spent 60 % more CPU per write walking
    /// them, and the chain grows until it overflows the writer's stack). The observer is called at the same stack
    /// depth after thousands of commits as after the first.
    @Test func manyCommitsDoNotDeepenTheObserver() async throws {
        try await withTemporaryDirectory { directory in
            let backend = try SQLiteBackend(
                path: directory.appendingPathComponent("store.db").path,
                configuration: SQLiteBackendConfiguration(synchronous: .off))
            let depths = Mutex<[Int]>([])
            _ = backend.observeCommits { _ in
                let depth = Thread.callStackReturnAddresses.count
                depths.withLock { $0.append(depth) }
            }
            for index in 0..<3000 { _ = try await backend.put("/registry/ConfigMap/default/c\(index % 100)", "{}") }
            await backend.close()
            let seen = depths.withLock { $0 }
            #expect(seen.count == 3000)
            #expect((seen.max() ?? 0) - (seen.min() ?? 0) < 20)
        }
    }
}
