package import Bus
import JSONCore
package import Logging
import Schema
import Synchronization
import Wire

/// Publishes the store's committed changes under `/registry/` as watch events, strictly in revision order.
///
/// A backend that observes its commits (`StoreBackend.observeCommits`) hands each commit's changes to the tailer on
/// its writer, which publishes them there, in commit order, without reading them back. Whatever that path cannot
/// publish in order — changes committed before this process started and not yet published, a commit whose changes
/// the backend could not hand over, another store process's writes on a shared backend — the tailer reads from the
/// change log (when told of the gap, and every 250 ms), so nothing committed is skipped. Once a second it also
/// publishes `sync/store` with each kind's latest revision, so a subscriber that missed the last events of a kind
/// notices.
package final class ChangeTailer: Sendable {
    private let backend: any StoreBackend
    private let logger: Logger
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation
    private let head: PublishHead
    /// The backend hands over its commits; writes need not poke.
    private let observed: Bool

    /// What the tailer publishes to: the bus's `Publisher`, or an in-process feed in tests.
    package typealias Publish = @Sendable (_ topic: String, _ envelope: Envelope, _ payload: [UInt8]) -> Void

    /// The last published revision and where to publish, shared by the backend's writer and the log reader; events
    /// are published only under its lock, each after the one before.
    private final class PublishHead: Sendable {
        struct State {
            var published: Int64 = 0
            /// Set while `run` runs.
            var publish: Publish?
            var fromCommits = 0
            var fromLog = 0
        }
        let state = Mutex(State())
    }

    package init(backend: any StoreBackend, logger: Logger) {
        self.backend = backend
        self.logger = logger
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.signals = signals
        self.signal = signal
        let head = PublishHead()
        self.head = head
        observed = backend.observeCommits { commit in
            let gap = head.state.withLock { state -> Bool in
                guard let publish = state.publish, let changes = commit.changes, state.published >= commit.after
                else { return true }
                for change in changes where change.kv.modRevision > state.published {
                    if Self.publish(change, to: publish) { state.fromCommits += 1 }
                }
                state.published = max(state.published, commit.revision)
                return false
            }
            if gap { signal.yield() }
        }
    }

    /// Tells the tailer a write committed; pokes coalesce. Needed only when the backend does not observe commits.
    package func poke() {
        if !observed { signal.yield() }
    }

    /// Ends `run`.
    package func stop() { signal.finish() }

    /// Events published so far as handed over by the backend's commits, and as read from the log.
    package var published: (fromCommits: Int, fromLog: Int) {
        head.state.withLock { ($0.fromCommits, $0.fromLog) }
    }

    /// Publishes changes after `revision` until `stop()`; a restarted store passes the last revision it published.
    func run(from revision: Int64, publisher: Publisher) async {
        await run(from: revision) { topic, envelope, payload in
            publisher.publish(topic: topic, envelope: envelope, payload: payload)
        }
    }

    /// Publishes changes after `revision` through `publish` until `stop()`.
    package func run(from revision: Int64, publish: @escaping Publish) async {
        head.state.withLock {
            $0.published = revision
            $0.publish = publish
        }
        defer { head.state.withLock { $0.publish = nil } }
        var lastSync: Int64 = 0
        let signal = self.signal
        signal.yield()
        await withDiscardingTaskGroup { group in
            group.addTask {
                // A slow tick catches writes made by another store process on a shared backend, and drives Sync.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    signal.yield()
                }
            }
            for await _ in signals {
                await publishFromLog()
                let published = head.state.withLock { $0.published }
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
        // Stopped or cancelled between publishing and recording: what was published is recorded (the backend
        // persists it with its close), so a clean stop is not followed by publishing the same events again.
        await backend.recordPublished(head.state.withLock { $0.published })
    }

    /// Publishes what the log holds after the last published revision.
    private func publishFromLog() async {
        while true {
            let after = head.state.withLock { $0.published }
            let result: ChangesResult
            do {
                result = try await backend.changes(prefix: RegistryKey.root, after: after, limit: 1000)
            } catch {
                if error.isCompacted {
                    logger.warning(
                        "watch events skipped: history compacted past the last published revision",
                        metadata: ["kubus.revision": "\(after)"])
                    if let revision = try? await backend.status().revision {
                        head.state.withLock { $0.published = max($0.published, revision) }
                    }
                } else {
                    logger.error("reading the change log failed", metadata: ["kubus.error": "\(error)"])
                }
                return
            }
            head.state.withLock { state in
                // The writer may have published some of these since they were read.
                if let publish = state.publish {
                    for change in result.changes where change.kv.modRevision > state.published {
                        if Self.publish(change, to: publish) { state.fromLog += 1 }
                        state.published = change.kv.modRevision
                    }
                }
                // Non-registry writes advance the revision too: with the whole log read, skip past them.
                if !result.more { state.published = max(state.published, result.revision) }
            }
            if !result.more { return }
        }
    }

    /// Publishes `change` when its key is an object's; returns whether it did.
    @discardableResult
    private static func publish(_ change: Change, to publish: Publish) -> Bool {
        guard let topic = RegistryKey.topic(forKey: change.kv.key) else { return false }
        let event: String
        switch change.type {
        case .delete: event = "DELETED"
        case .put: event = change.kv.version == 1 ? "ADDED" : "MODIFIED"
        }
        let value = ResourceVersionSplice.apply(change.kv.value, revision: change.kv.modRevision)
        publish(
            topic,
            Envelope(type: "WatchEvent", rev: change.kv.modRevision, prev: change.bucketPrevRevision, event: event),
            Array(value.utf8))
        return true
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
