public import Bus
import Foundation
import Schema
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
public final class BusStoreAccess: StoreAccess {
    private let client: BusClient
    private let timeout: Duration

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
        // A retried write reaches the store with the same bus id, so the broker and the store dedupe it.
        try await call("write", request, id: request.requestID.map { "api-" + $0 })
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
        let reply: BusReply
        do {
            reply = try await client.request(service: "store", type: type, payload: payload, id: id, timeout: timeout)
        } catch {
            throw .unavailable("the store did not answer: \(error)")
        }
        switch reply.code {
        case 200..<300:
            return reply.payload
        case 410:
            throw .compacted(compactRevision: Self.compactRevision(in: reply.payload))
        case 503, 504:
            throw .unavailable(Self.message(in: reply.payload))
        default:
            throw .failed(Self.message(in: reply.payload))
        }
    }

    private static func message(in payload: [UInt8]) -> String {
        (try? JSONValue.parse(payload))?["message"]?.stringValue ?? String(decoding: payload, as: UTF8.self)
    }

    /// Reads C from the store's message `... (compact revision C) ...`.
    static func compactRevision(in payload: [UInt8]) -> Int64? {
        let text = message(in: payload)
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
