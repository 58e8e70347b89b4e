import Bus
import BusTesting
import Foundation
import Logging
import Schema
import Testing
import Wire

@testable import Store

/// The store service on a real broker: what a plain subscriber sees.
@Suite(.timeLimit(.minutes(1)))
struct StoreServiceTests {
    /// Issue 10, item 3: changes committed but not yet published when the store dies are published after restart.
    @Test func changesCommittedBeforeACrashArePublishedAfterRestart() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            // The store commits five creates and dies (kill -9) before its publisher ran.
            let store = try SQLiteBackend(path: path)
            for index in 1...5 { try await store.put("/registry/ConfigMap/ns/c\(index)", #"{"n":\#(index)}"#) }
            let crashed = try crashCopy(path, into: directory)
            await store.close()

            var logger = Logger(label: "test.store")
            logger.logLevel = .warning
            let restarted = try SQLiteBackend(path: crashed)
            let revisions = try await withBroker(logLevel: .warning) { endpoints, _ in
                let subscriber = try Subscriber(endpoints: endpoints, topics: ["event/"])
                defer { subscriber.close() }
                try await Task.sleep(for: .milliseconds(300))

                let service = StoreService(backend: restarted, endpoints: endpoints, logger: logger)
                let running = Task { try await service.run() }
                let received = Task {
                    var revisions: [Int64] = []
                    for await message in subscriber.messages {
                        revisions.append(message.envelope.rev ?? 0)
                        if revisions.count == 5 { break }
                    }
                    return revisions
                }
                let timeout = Task {
                    try await Task.sleep(for: .seconds(5))
                    received.cancel()
                    subscriber.close()
                }
                let revisions = await received.value
                timeout.cancel()
                running.cancel()
                _ = try? await running.value
                return revisions
            }
            #expect(revisions == [1, 2, 3, 4, 5])
            #expect(await restarted.publishedRevision() == 0)
            // The service closed the backend; what it persisted says all five were published.
            let reopened = try SQLiteBackend(path: crashed)
            #expect(await reopened.publishedRevision() == 5)
            await reopened.close()
        }
    }

    /// Issue 10, item 1: a range over the bus answers at most 500 keys, whatever `limit` asks, and says `more`.
    @Test func aRangeReplyIsAtMost500Keys() async throws {
        try await withBackend(.sqlite) { backend in
            for index in 0..<600 { try await backend.put("/registry/ConfigMap/ns/\(1000 + index)", "v") }
            var logger = Logger(label: "test.store")
            logger.logLevel = .warning
            let tailer = ChangeTailer(backend: backend, logger: logger)
            var keys: [String] = []
            var after: String?
            for limit in [nil, 1000] as [Int?] {
                keys = []
                after = nil
                var pages: [Int] = []
                while true {
                    let range = StoreRequest.Range(prefix: "/registry/ConfigMap/", startAfter: after, limit: limit)
                    let request = BusRequest(
                        envelope: Envelope(type: "range", id: "r"), payload: Array(try JSONEncoder().encode(range)))
                    let reply = await StoreService.handle(request, backend: backend, tailer: tailer, logger: logger)
                    #expect(reply.code == 200)
                    let page = try JSONDecoder().decode(RangeResult.self, from: Data(reply.payload))
                    keys += page.kvs.map(\.key)
                    pages.append(page.kvs.count)
                    guard page.more, let last = page.kvs.last else { break }
                    after = last.key
                }
                #expect(pages == [500, 100])
                #expect(Set(keys).count == 600)
            }
        }
    }

    /// Issue 12, item 2: a `writes` request applies its writes in order, each on its own, answers one outcome per
    /// write in the request's order, and a retry of it (same bus id) writes nothing again.
    @Test func aBatchOfWritesIsAnsweredWriteByWriteAndARetryWritesNothingTwice() async throws {
        try await withBackend(.sqlite) { backend in
            let store = Handler(backend)
            let key = "/registry/ConfigMap/ns/a"
            let batch = StoreRequest.Writes(writes: [
                WriteRequest(key: key, operation: .put(value: #"{"n":1}"#), precondition: .absent),
                // The same create again: its precondition fails, the others still happen.
                WriteRequest(key: key, operation: .put(value: #"{"n":2}"#), precondition: .absent),
                WriteRequest(key: "/registry/ConfigMap/ns/b", operation: .put(value: #"{"metadata":{"name":"b"}}"#)),
                WriteRequest(key: key, operation: .delete, precondition: .modRevision(1)),
            ])
            func send(_ id: String) async throws -> [StoreRequest.WriteOutcome] {
                let reply = await store.answer("writes", id: id, payload: batch.jsonBytes())
                #expect(reply.code == 200)
                return try StoreRequest.WritesResult(json: reply.payload).results
            }
            let first = try await send("batch-1")
            guard first.count == 4, case .done(let created) = first[0], case .done(let refused) = first[1],
                case .done(let other) = first[2], case .done(let deleted) = first[3]
            else {
                Issue.record("expected four results, got \(first)")
                return
            }
            #expect(created.succeeded && created.revision == 1)
            #expect(!refused.succeeded && refused.kv?.modRevision == 1)
            #expect(other.succeeded && other.revision == 2)
            #expect(deleted.succeeded && deleted.revision == 3)
            // The replies carry resourceVersion spliced in, as a single write's do.
            #expect(other.kv?.value.contains(#""resourceVersion":"2""#) == true)

            // Retried with the same bus id (a lost reply): the same outcomes, and the store's revision stays 3.
            let retried = try await send("batch-1")
            #expect(retried == first)
            #expect(try await backend.status().revision == 3)
            // Another batch of the same writes is new writes: the first create lands again (the key was deleted), the
            // second is refused, the put lands, the delete's modRevision is stale now.
            let again = try await send("batch-2")
            #expect(
                again.map { outcome -> Bool in
                    if case .done(let result) = outcome { return result.succeeded }
                    return false
                } == [true, false, true, false])
            #expect(try await backend.status().revision == 5)

            for (payload, expected) in [
                (#"{"writes":[]}"#, "writes: must hold 1 to 1024 writes, not 0"),
                (#"{"writes":[{"key":"k","op":"frob"}]}"#, "op"),
                (#"{}"#, "writes"),
            ] {
                let reply = await store.answer("writes", id: "bad", payload: Array(payload.utf8))
                #expect(reply.code == 400)
                let message = String(decoding: reply.payload, as: UTF8.self)
                #expect(message.contains("malformed writes request") && message.contains(expected), "\(message)")
            }
        }
    }

    /// A write's reply carries the value from before the write only when the request asks (`prevKV`, etcd's
    /// `prev_kv`); by default an update's reply holds the new value alone, and a refused write's the current one once.
    @Test func aWriteRepliesWithThePreviousValueOnlyWhenAsked() async throws {
        try await withBackend(.sqlite) { backend in
            let store = Handler(backend)
            let key = "/registry/ConfigMap/ns/p"
            func write(_ w: WriteRequest, id: String) async throws -> WriteResult {
                let reply = await store.answer("write", id: id, payload: w.jsonBytes())
                #expect(reply.code == 200)
                let text = String(decoding: reply.payload, as: UTF8.self)
                #expect(text.contains(#""previous""#) == w.prevKV, "\(text)")
                return try WriteResult(json: reply.payload)
            }
            let created = try await write(
                WriteRequest(key: key, operation: .put(value: #"{"n":1}"#), precondition: .absent), id: "w1")
            #expect(created.succeeded && created.previous == nil)
            let updated = try await write(
                WriteRequest(key: key, operation: .put(value: #"{"n":2}"#), precondition: .modRevision(1)), id: "w2")
            #expect(updated.succeeded && updated.previous == nil && updated.kv?.value.contains(#""n":2"#) == true)
            let refused = try await write(
                WriteRequest(key: key, operation: .put(value: #"{"n":3}"#), precondition: .modRevision(1)), id: "w3")
            #expect(!refused.succeeded && refused.previous == nil && refused.kv?.modRevision == 2)
            let asked = try await write(
                WriteRequest(
                    key: key, operation: .put(value: #"{"n":4}"#), precondition: .modRevision(2), prevKV: true),
                id: "w4")
            #expect(asked.succeeded && asked.previous?.modRevision == 2)
            #expect(asked.previous?.value.contains(#""n":2"#) == true)
            // The flag goes on the wire only when set, and both readers of a write request know it.
            let request = WriteRequest(key: key, operation: .delete, prevKV: true)
            #expect(String(decoding: request.jsonBytes(), as: UTF8.self).hasSuffix(#","prevKV":true}"#))
            #expect(try WriteRequest(json: request.jsonBytes()) == request)
            #expect(try JSONDecoder().decode(WriteRequest.self, from: Data(request.jsonBytes())) == request)
            #expect(
                !String(decoding: WriteRequest(key: key, operation: .delete).jsonBytes(), as: UTF8.self).contains(
                    "prevKV"))
        }
    }

    /// The store service's request handling over `backend`, without a bus, logging only what is critical.
    struct Handler {
        let backend: any StoreBackend
        let logger: Logger
        let tailer: ChangeTailer

        init(_ backend: any StoreBackend) {
            var logger = Logger(label: "test.store")
            logger.logLevel = .critical
            self.backend = backend
            self.logger = logger
            tailer = ChangeTailer(backend: backend, logger: logger)
        }

        func answer(_ type: String, id: String, payload: [UInt8]) async -> BusReply {
            let request = BusRequest(envelope: Envelope(type: type, id: id), payload: payload)
            return await StoreService.handle(request, backend: backend, tailer: tailer, logger: logger)
        }
    }
}
