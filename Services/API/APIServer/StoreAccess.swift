public import Bus
import Foundation
import Schema
import Synchronization
public import Wire

/// A failure talking to the store.
public enum StoreAccessError: Error, Sendable {
    /// The requested revision was compacted away; `compactRevision` when known.
    case compacted(compactRevision: Int64?)
    /// The store is not reachable or did not answer in time.
    case unavailable(String)
    /// The store answered with an error.
    case failed(String)
}

/// What the api needs from the store: reads, one conditional write, and history. Objects in replies carry
/// `metadata.resourceVersion` (the key's modRevision), as the store service hands them out.
public protocol StoreAccess: Sendable {
    func get(_ key: String) async throws(StoreAccessError) -> StoreRequest.GetResult
    func range(_ request: StoreRequest.Range) async throws(StoreAccessError) -> RangeResult
    func write(_ request: WriteRequest) async throws(StoreAccessError) -> WriteResult
    func changes(_ request: StoreRequest.Changes) async throws(StoreAccessError) -> ChangesResult
}

/// `StoreAccess` over the bus: requests to the `store` service.
///
/// Writes are batched while the store is busy: one request at a time carries writes to the store; a write made while
/// it is out waits for it to come back and goes with every other write that waited, in one `writes` request (docs/architecture.md, "Batched store writes"). An idle api sends each write
/// alone and at once, so batching adds no latency; a busy one crosses the bus once per batch instead of once per
/// write.
public final class BusStoreAccess: StoreAccess {
    private let client: BusClient
    private let timeout: Duration
    private let waiting = Mutex(WriteQueue())

    /// Writes waiting for a request to carry them, and whether one is out.
    private struct WriteQueue {
        var carrying = false
        var writes: [WaitingWrite] = []
    }

    private struct WaitingWrite {
        var request: WriteRequest
        var continuation: CheckedContinuation<WriteTurn, Never>
    }

    /// What a write's caller is told: send it yourself (a request was free), or its outcome (it went in a batch).
    private enum WriteTurn {
        case send
        case done(Result<WriteResult, StoreAccessError>)
    }

    /// Most bytes of values in one batch (far below the bus's message limit).
    static let maxBatchBytes = 8 << 20

    public init(client: BusClient, timeout: Duration = .seconds(10)) {
        self.client = client
        self.timeout = timeout
    }

    public func get(_ key: String) async throws(StoreAccessError) -> StoreRequest.GetResult {
        try await call("get", StoreRequest.Get(key: key), id: nil)
    }

    public func range(_ request: StoreRequest.Range) async throws(StoreAccessError) -> RangeResult {
        try await call("range", request, id: nil)
    }

    public func write(_ request: WriteRequest) async throws(StoreAccessError) -> WriteResult {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<WriteTurn, Never>) in
            let free = waiting.withLock { queue in
                if !queue.carrying {
                    queue.carrying = true
                    return true
                }
                queue.writes.append(WaitingWrite(request: request, continuation: continuation))
                return false
            }
            if free { continuation.resume(returning: .send) }
        }
        switch turn {
        case .done(let outcome):
            return try outcome.get()
        case .send:
            let outcome = await writeOne(request)
            // This request is back: it carries whatever waited meanwhile, in a task of its own so this caller
            // returns now.
            if let batch = nextBatch() { Task { await self.carry(batch) } }
            return try outcome.get()
        }
    }

    /// One write in a `write` request. A retried write reaches the store with the same bus id, so the broker and
    /// the store dedupe it.
    private func writeOne(_ request: WriteRequest) async -> Result<WriteResult, StoreAccessError> {
        do throws(StoreAccessError) {
            return .success(try await call("write", request, id: request.requestID.map { "api-" + $0 }))
        } catch {
            return .failure(error)
        }
    }

    /// Sends batches until none waits, then frees its request.
    private func carry(_ first: [WaitingWrite]) async {
        var batch = first
        while true {
            if batch.count == 1 {
                batch[0].continuation.resume(returning: .done(await writeOne(batch[0].request)))
            } else {
                let outcomes = await writeBatch(batch.map(\.request))
                for (write, outcome) in zip(batch, outcomes) { write.continuation.resume(returning: .done(outcome)) }
            }
            guard let next = nextBatch() else { return }
            batch = next
        }
    }

    /// The writes that waited (up to the batch bounds), or nil after freeing the caller's request when none did.
    private func nextBatch() -> [WaitingWrite]? {
        waiting.withLock { queue -> [WaitingWrite]? in
            guard !queue.writes.isEmpty else {
                queue.carrying = false
                return nil
            }
            var count = 0
            var bytes = 0
            for write in queue.writes {
                guard count < StoreRequest.Writes.maxCount else { break }
                if case .put(let value) = write.request.operation { bytes += value.utf8.count }
                if count > 0 && bytes > Self.maxBatchBytes { break }
                count += 1
            }
            let batch = Array(queue.writes.prefix(count))
            queue.writes.removeFirst(count)
            return batch
        }
    }

    /// Several writes in one `writes` request: each one's outcome, in order (the request's failure for each when the
    /// request as a whole failed). A store that answers the request 400 (a build from before `writes`, while the
    /// cluster is being upgraded) gets the writes one by one.
    private func writeBatch(_ writes: [WriteRequest]) async -> [Result<WriteResult, StoreAccessError>] {
        let answer: BusReply
        do throws(StoreAccessError) {
            answer = try await send("writes", StoreRequest.Writes(writes: writes).jsonBytes(), id: nil)
        } catch {
            return Array(repeating: .failure(error), count: writes.count)
        }
        if answer.code == 400 {
            var outcomes: [Result<WriteResult, StoreAccessError>] = []
            for write in writes { outcomes.append(await writeOne(write)) }
            return outcomes
        }
        guard (200..<300).contains(answer.code) else {
            let error = Self.error(code: answer.code, message: Self.message(in: answer.payload))
            return Array(repeating: .failure(error), count: writes.count)
        }
        let reply: StoreRequest.WritesResult
        do throws(SchemaError) {
            reply = try StoreRequest.WritesResult(json: answer.payload)
        } catch {
            return Array(repeating: .failure(.failed("malformed store writes reply: \(error)")), count: writes.count)
        }
        guard reply.results.count == writes.count else {
            let error = StoreAccessError.failed(
                "malformed store writes reply: \(reply.results.count) results for \(writes.count) writes")
            return Array(repeating: .failure(error), count: writes.count)
        }
        return reply.results.map { outcome in
            switch outcome {
            case .done(let result):
                return .success(result)
            case .failed(let code, _, let message):
                return .failure(Self.error(code: code, message: message))
            }
        }
    }

    public func changes(_ request: StoreRequest.Changes) async throws(StoreAccessError) -> ChangesResult {
        try await call("changes", request, id: nil)
    }

    /// One request and its reply, read and written straight between bytes and values (StoreMessagesJSON.swift).
    private func call<Reply: JSONMessage>(_ type: String, _ request: some JSONMessage, id: String?)
        async throws(StoreAccessError) -> Reply
    {
        let reply = try await exchange(type, request.jsonBytes(), id: id)
        do {
            return try Reply(json: reply)
        } catch {
            throw .failed("malformed store \(type) reply: \(error)")
        }
    }

    /// Sends one request to the store; the payload of a 2xx reply, the error of any other.
    private func exchange(_ type: String, _ payload: [UInt8], id: String?) async throws(StoreAccessError) -> [UInt8] {
        let reply = try await send(type, payload, id: id)
        guard (200..<300).contains(reply.code) else {
            throw Self.error(code: reply.code, message: Self.message(in: reply.payload))
        }
        return reply.payload
    }

    /// Sends one request to the store; its reply, whatever its code.
    private func send(_ type: String, _ payload: [UInt8], id: String?) async throws(StoreAccessError) -> BusReply {
        do {
            return try await client.request(service: "store", type: type, payload: payload, id: id, timeout: timeout)
        } catch {
            throw .unavailable("the store did not answer: \(error)")
        }
    }

    /// The error of a store answer with `code` ≥ 300.
    private static func error(code: Int, message: String) -> StoreAccessError {
        switch code {
        case 410: .compacted(compactRevision: compactRevision(in: message))
        case 503, 504: .unavailable(message)
        default: .failed(message)
        }
    }

    private static func message(in payload: [UInt8]) -> String {
        (try? JSONValue.parse(payload))?["message"]?.stringValue ?? String(decoding: payload, as: UTF8.self)
    }

    /// Reads C from the store's message `... (compact revision C) ...`.
    static func compactRevision(in text: String) -> Int64? {
        guard let range = text.range(of: "compact revision ") else { return nil }
        return Int64(text[range.upperBound...].prefix { $0.isNumber })
    }
}

/// The JSON encoder shared by the api (configured once; safe to use from many tasks).
enum WireCoding {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }()
}
