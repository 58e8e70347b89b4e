public import Bus
import Foundation
public import Logging
import Schema
public import ServiceLifecycle
import Synchronization
public import Wire

/// The `store` service: answers the store protocol on the bus from a `StoreBackend`, and publishes every
/// committed change under `/registry/` as a typed watch event, in revision order.
public final class StoreService: ServiceLifecycle.Service, Sendable {
    private let backend: any StoreBackend
    private let endpoints: BusEndpoints
    private let context: ZMQContext
    private let logger: Logger
    private let tailer: ChangeTailer

    public init(backend: any StoreBackend, endpoints: BusEndpoints, context: ZMQContext = .shared, logger: Logger) {
        self.backend = backend
        self.endpoints = endpoints
        self.context = context
        self.logger = logger
        tailer = ChangeTailer(backend: backend, logger: logger)
    }

    public func run() async throws {
        let publisher = try Publisher(context: context, endpoints: endpoints, streamPrefix: "store")
        let backend = self.backend
        let tailer = self.tailer
        let logger = self.logger
        // Writes go from the worker's socket thread to the group commit and are answered from the commit: no task.
        let worker = try Worker(
            context: context, endpoints: endpoints, service: "store", capacity: 2048,
            direct: { request, reply in
                switch request.type {
                case "write":
                    StoreService.write(request, backend: backend, tailer: tailer, logger: logger) { reply.send($0) }
                case "writes":
                    StoreService.writes(request, backend: backend, tailer: tailer, logger: logger) { reply.send($0) }
                default:
                    return false
                }
                return true
            },
            refused: { reason in
                logger.error("the bus refused the store's connection", metadata: ["kubus.reason": "\(reason)"])
            })
        let start = try await backend.status()
        // Changes committed before a crash but never published are published now, at least once.
        let from = min(await backend.publishedRevision() ?? start.revision, start.revision)
        logger.info(
            "store serving",
            metadata: [
                "kubus.revision": "\(start.revision)", "kubus.published": "\(from)",
                "kubus.backend": "\(start.backend)",
            ])
        await withDiscardingTaskGroup { group in
            group.addTask {
                await worker.run { request in
                    await StoreService.handle(request, backend: backend, tailer: tailer, logger: logger)
                }
            }
            group.addTask { await tailer.run(from: from, publisher: publisher) }
            group.addTask {
                try? await gracefulShutdown()
                worker.close()
                tailer.stop()
            }
        }
        publisher.close()
        await backend.close()
        logger.info("store stopped")
    }

    /// Most objects in one range reply.
    static let maxPageCount = 500

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }()

    static func handle(_ request: BusRequest, backend: any StoreBackend, tailer: ChangeTailer, logger: Logger) async
        -> BusReply
    {
        do {
            switch request.type {
            // get, range, write and changes are the api's: read and written straight between bytes and values
            // (StoreMessagesJSON.swift).
            case "get":
                let r = try StoreRequest.Get(json: request.payload)
                let (kv, rev) = try await backend.get(r.key, revision: r.revision)
                return reply(StoreRequest.GetResult(kv: kv.map(ResourceVersionSplice.apply), revision: rev))
            case "range":
                let r = try StoreRequest.Range(json: request.payload)
                // A page is bounded by count here and by bytes in the backend; `more` tells the caller to go on.
                let limit = min(r.limit.flatMap { $0 > 0 ? $0 : nil } ?? maxPageCount, maxPageCount)
                var result = try await backend.range(
                    prefix: r.prefix, revision: r.revision, startAfter: r.startAfter, limit: limit)
                result.kvs = result.kvs.map(ResourceVersionSplice.apply)
                return reply(result)
            case "write":
                return await withCheckedContinuation { continuation in
                    write(request, backend: backend, tailer: tailer, logger: logger) {
                        continuation.resume(returning: $0)
                    }
                }
            case "writes":
                return await withCheckedContinuation { continuation in
                    writes(request, backend: backend, tailer: tailer, logger: logger) {
                        continuation.resume(returning: $0)
                    }
                }
            case "changes":
                let r = try StoreRequest.Changes(json: request.payload)
                var result = try await backend.changes(prefix: r.prefix, after: r.after, limit: r.limit)
                result.changes = result.changes.map(ChangeTailer.splice)
                return reply(result)
            case "compact":
                let r = try JSONDecoder().decode(StoreRequest.Compact.self, from: Data(request.payload))
                try await backend.compact(revision: r.revision)
                return BusReply(code: 200, payload: Array("{}".utf8))
            case "status":
                return try ok(try await backend.status())
            default:
                return failure(
                    400, "BadRequest",
                    "the store does not know the operation \"\(request.type)\"; it answers get, range, write, writes, changes, compact, status"
                )
            }
        } catch let error as StoreError {
            return failure(error, request: request, logger: logger)
        } catch let error as SchemaError {
            return failure(400, "BadRequest", "malformed \(request.type) request: \(error)")
        } catch let error as DecodingError {
            return failure(400, "BadRequest", "malformed \(request.type) request: \(describe(error))")
        } catch {
            return failure(500, "InternalError", "\(error)")
        }
    }

    /// A write: its reply is handed to `answer` on the backend's writer, right after the commit (a malformed request
    /// is answered at once).
    static func write(
        _ request: BusRequest, backend: any StoreBackend, tailer: ChangeTailer, logger: Logger,
        answer: @escaping @Sendable (BusReply) -> Void
    ) {
        var w: WriteRequest
        do throws(SchemaError) {
            w = try WriteRequest(json: request.payload)
        } catch {
            return answer(failure(400, "BadRequest", "malformed write request: \(error)"))
        }
        if w.requestID == nil { w.requestID = request.id.isEmpty ? nil : request.id }
        apply(w, backend: backend, tailer: tailer, logger: logger) { outcome in
            switch outcome {
            case .done(let result): answer(reply(result))
            case .failed(let code, let reason, let message): answer(failure(code, reason, message))
            }
        }
    }

    /// Several writes: each handed to the backend in order (so they share group commits), the reply handed to
    /// `answer` once the last one is committed. A write without a requestID gets the bus id and its index, so a
    /// retried batch is deduplicated write by write.
    static func writes(
        _ request: BusRequest, backend: any StoreBackend, tailer: ChangeTailer, logger: Logger,
        answer: @escaping @Sendable (BusReply) -> Void
    ) {
        let batch: StoreRequest.Writes
        do throws(SchemaError) {
            batch = try StoreRequest.Writes(json: request.payload)
        } catch {
            return answer(failure(400, "BadRequest", "malformed writes request: \(error)"))
        }
        let count = batch.writes.count
        guard (1...StoreRequest.Writes.maxCount).contains(count) else {
            return answer(
                failure(
                    400, "BadRequest",
                    "malformed writes request: writes: must hold 1 to \(StoreRequest.Writes.maxCount) writes, not \(count)"
                ))
        }
        let outcomes = WriteOutcomes(count: count) { answer(reply(StoreRequest.WritesResult(results: $0))) }
        for (index, var w) in batch.writes.enumerated() {
            if w.requestID == nil, !request.id.isEmpty { w.requestID = "\(request.id)/\(index)" }
            apply(w, backend: backend, tailer: tailer, logger: logger) { outcomes.settle(index, $0) }
        }
    }

    /// A backend's result as the write's reply carries it: values with their resourceVersion spliced in, and the
    /// value from before the write only when the request asked (`prevKV`, etcd's prev_kv: for an update it is a whole
    /// object).
    public static func answer(_ result: WriteResult, to request: WriteRequest) -> WriteResult {
        var result = result
        result.kv = result.kv.map(ResourceVersionSplice.apply)
        result.previous = request.prevKV ? result.previous.map(ResourceVersionSplice.apply) : nil
        return result
    }

    /// Hands one write to the backend; `done` gets its outcome (resourceVersion spliced) right after the commit.
    private static func apply(
        _ w: WriteRequest, backend: any StoreBackend, tailer: ChangeTailer, logger: Logger,
        done: @escaping @Sendable (StoreRequest.WriteOutcome) -> Void
    ) {
        backend.write(w) { outcome in
            switch outcome {
            case .success(let result):
                if result.succeeded { tailer.poke() }
                done(.done(answer(result, to: w)))
            case .failure(let error):
                let status = failureStatus(error, op: "write", logger: logger)
                done(.failed(code: status.code, reason: status.reason, message: status.message))
            }
        }
    }

    /// A store failure: 410 for a compacted revision, else 500, logged.
    static func failure(_ error: StoreError, request: BusRequest, logger: Logger) -> BusReply {
        let status = failureStatus(error, op: request.type, logger: logger)
        return failure(status.code, status.reason, status.message)
    }

    private static func failureStatus(_ error: StoreError, op: String, logger: Logger) -> (
        code: Int, reason: String, message: String
    ) {
        if error.isCompacted { return (410, "Gone", error.description) }
        logger.error("store operation failed", metadata: ["kubus.op": "\(op)", "kubus.error": "\(error)"])
        return (500, "InternalError", error.description)
    }

    static func reply(_ value: some JSONMessage) -> BusReply {
        BusReply(code: 200, payload: value.jsonBytes())
    }

    static func ok<T: Encodable>(_ value: T) throws -> BusReply {
        BusReply(code: 200, payload: Array(try encoder.encode(value)))
    }

    static func failure(_ code: Int, _ reason: String, _ message: String) -> BusReply {
        BusReply.failure(code: code, reason: reason, message: message)
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let ctx):
            return "missing field \((ctx.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? ctx.debugDescription : "field \(path): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The outcomes of one `writes` batch as its writes commit (on the backend's writer, in any order); the last one
/// hands them all, in the request's order, to `finish`.
private final class WriteOutcomes: Sendable {
    private struct State {
        var outcomes: [StoreRequest.WriteOutcome?]
        var remaining: Int
    }

    private let state: Mutex<State>
    private let finish: @Sendable ([StoreRequest.WriteOutcome]) -> Void

    init(count: Int, finish: @escaping @Sendable ([StoreRequest.WriteOutcome]) -> Void) {
        state = Mutex(State(outcomes: Array(repeating: nil, count: count), remaining: count))
        self.finish = finish
    }

    func settle(_ index: Int, _ outcome: StoreRequest.WriteOutcome) {
        let all = state.withLock { state -> [StoreRequest.WriteOutcome]? in
            guard state.outcomes[index] == nil else { return nil }
            state.outcomes[index] = outcome
            state.remaining -= 1
            return state.remaining == 0 ? state.outcomes.compactMap { $0 } : nil
        }
        if let all { finish(all) }
    }
}
