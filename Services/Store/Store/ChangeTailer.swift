package import Bus
import JSONCore
package import Logging
import Schema
import Wire

/// Publishes the store's committed changes under `/registry/` as watch events, strictly in revision order.
///
/// It reads the change log itself (after each write and once a second) rather than publishing from the
/// write path, so the order on the bus is the commit order even though writes complete concurrently, and
/// nothing committed is skipped. Once a second it also publishes `sync/store` with each kind's latest
/// revision, so a subscriber that missed the last events of a kind notices.
package final class ChangeTailer: Sendable {
    private let backend: any StoreBackend
    private let logger: Logger
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    package init(backend: any StoreBackend, logger: Logger) {
        self.backend = backend
        self.logger = logger
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the tailer a write committed; pokes coalesce.
    package func poke() { signal.yield() }

    /// Ends `run`.
    package func stop() { signal.finish() }

    /// What the tailer publishes to: the bus's `Publisher`, or an in-process feed in tests.
    package typealias Publish = @Sendable (_ topic: String, _ envelope: Envelope, _ payload: [UInt8]) -> Void

    /// Publishes changes after `revision` until `stop()`; a restarted store passes the last revision it published.
    func run(from revision: Int64, publisher: Publisher) async {
        await run(from: revision) { topic, envelope, payload in
            publisher.publish(topic: topic, envelope: envelope, payload: payload)
        }
    }

    /// Publishes changes after `revision` through `publish` until `stop()`.
    package func run(from revision: Int64, publish: Publish) async {
        var published = revision
        var lastSync: Int64 = 0
        let signal = self.signal
        await withDiscardingTaskGroup { group in
            group.addTask {
                // A slow tick catches writes made by another store process on a shared backend, and drives Sync.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    signal.yield()
                }
            }
            for await _ in signals {
                await publishNew(after: &published, publish: publish)
                // Persisted so that a restart publishes what was committed but not yet published; called on every
                // tick too, so a mark held back by the backend's rate limit is written soon after the last event.
                await backend.recordPublished(published)
                let now = BusClock.nowMs()
                if now - lastSync >= 1000 {
                    lastSync = now
                    await publishSync(published: published, publish: publish)
                }
            }
            group.cancelAll()
        }
    }

    private func publishNew(after published: inout Int64, publish: Publish) async {
        while true {
            let result: ChangesResult
            do {
                result = try await backend.changes(prefix: RegistryKey.root, after: published, limit: 1000)
            } catch {
                if error.isCompacted {
                    logger.warning(
                        "watch events skipped: history compacted past the last published revision",
                        metadata: ["kubus.revision": "\(published)"])
                    published = (try? await backend.status().revision) ?? published
                } else {
                    logger.error("reading the change log failed", metadata: ["kubus.error": "\(error)"])
                }
                return
            }
            for change in result.changes {
                guard let topic = RegistryKey.topic(forKey: change.kv.key) else { continue }
                let event: String
                switch change.type {
                case .delete: event = "DELETED"
                case .put: event = change.kv.version == 1 ? "ADDED" : "MODIFIED"
                }
                let value = ResourceVersionSplice.apply(change.kv.value, revision: change.kv.modRevision)
                publish(
                    topic,
                    Envelope(
                        type: "WatchEvent", rev: change.kv.modRevision, prev: change.bucketPrevRevision, event: event),
                    Array(value.utf8))
            }
            // Non-registry writes advance the revision too; skip past them.
            published = max(published, result.changes.last?.kv.modRevision ?? published)
            if !result.more {
                if result.revision > published && result.changes.isEmpty { published = result.revision }
                return
            }
        }
    }

    private func publishSync(published: Int64, publish: Publish) async {
        guard let status = try? await backend.status() else { return }
        var payload: [UInt8] = Array(
            #"{"revision":\#(status.revision),"compactRevision":\#(status.compactRevision),"published":\#(published),"kinds":{"#
                .utf8)
        var first = true
        for (bucket, rev) in status.buckets.sorted(by: { $0.key < $1.key }) {
            if !first { payload.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendString(bucket, to: &payload)
            payload += Array(":\(rev)".utf8)
        }
        payload += Array("}}".utf8)
        publish("sync/store", Envelope(type: "Sync", rev: min(status.revision, published)), payload)
    }

    /// A change whose object carries its resourceVersion.
    static func splice(_ change: Change) -> Change {
        var c = change
        c.kv = ResourceVersionSplice.apply(change.kv)
        c.previous = change.previous.map(ResourceVersionSplice.apply)
        return c
    }
}
