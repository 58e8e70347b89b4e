public import Bus
public import Schema

/// Calls the `api` service over the bus; every verb is `APIClient`'s.
///
/// Every call has a random request id; the bus client retries with the same id, which the api treats as one
/// request. Failures are `APIError`s carrying the server's `Status`.
public final class KubusClient: APIClient {
    /// The bus this client sends through.
    public let bus: BusClient
    /// How long one call may take, retries included.
    public let timeout: Duration
    /// The service name requests go to.
    public let service: String
    /// Envelope fields every request carries, e.g. `impersonate-user` (docs/protocol.md).
    public let extra: [String: String]

    /// Creates a client over an open bus connection.
    public init(
        bus: BusClient, timeout: Duration = .seconds(15), service: String = "api", extra: [String: String] = [:]
    ) {
        self.bus = bus
        self.timeout = timeout
        self.service = service
        self.extra = extra
    }

    // MARK: Wire

    /// Sends one request to the api over the bus.
    public func call(_ verb: String, _ payload: JSONValue) async throws(APIError) -> APIReply {
        let bytes = payload.encoded()
        // The bus client would refuse it too (BusError.tooLarge); refusing here gives the api's own 413 at once.
        if bytes.count > Self.maxRequestBytes { throw Self.tooLarge(verb, bytes: bytes.count) }
        let reply: BusReply
        do {
            reply = try await bus.request(service: service, type: verb, payload: bytes, timeout: timeout, extra: extra)
        } catch {
            if Self.isTooLarge(error) { throw Self.tooLarge(verb, bytes: bytes.count) }
            throw Self.unavailable(error, service: service)
        }
        return try Self.decode(code: reply.code, payload: reply.payload, warnings: reply.envelope.extra["warnings"])
    }

    /// Turns a reply into a body and warnings, or the `APIError` its Status describes; any Kubus service's reply.
    public static func decode(code: Int, payload: [UInt8], warnings: String?) throws(APIError) -> APIReply {
        let body = try? JSONValue.parse(payload)
        if code >= 400 {
            if let body, body["kind"]?.stringValue == "Status", var status = try? body.decode(as: Status.self) {
                if status.code == nil { status.code = code }
                throw APIError(status: status)
            }
            let text = String(decoding: payload, as: UTF8.self)
            throw APIError(
                status: Status(
                    status: "Failure", message: text.isEmpty ? "the server answered \(code)" : text,
                    reason: reason(forCode: code), code: code))
        }
        let lines = (warnings ?? "").split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return APIReply(body: body ?? .null, warnings: lines)
    }

    /// The largest payload a request may have: a bus message less room for the routing frames and envelope.
    public static let maxRequestBytes = Int(WireProtocol.maxMessageBytes) - 64 * 1024

    /// 413 for a request the bus cannot carry, as kube-apiserver answers a body over its limit.
    static func tooLarge(_ verb: String, bytes: Int) -> APIError {
        APIError(
            status: Status(
                status: "Failure",
                message:
                    "Request entity too large: limit is \(maxRequestBytes): the \(verb) request is \(bytes) bytes, "
                    + "more than one bus message carries; objects are limited far below that (a ConfigMap's data to "
                    + "1048576 bytes, annotations to 262144 bytes)",
                reason: "RequestEntityTooLarge", code: 413))
    }

    /// Whether the bus refused a message for its size.
    static func isTooLarge(_ error: BusError) -> Bool { error.isTooLarge }

    /// The error for a bus failure: the api is not answering, and how to check.
    static func unavailable(_ error: BusError, service: String) -> APIError {
        // The bus said why it will not talk to this client: that is the whole story.
        if error.isHandshake { return .serviceUnavailable("cannot reach the \(service) service: \(error.message)") }
        let hint =
            "the \(service) service is not answering on the bus (\(error.message)); "
            + "check the cluster with `kubus-up status`, and that this client has a key the bus admits "
            + "(--bus-key or KUBUS_BUS_KEY; a connection without one gets no answer at all)"
        return error.isTimeout ? .timeout(hint) : .serviceUnavailable(hint)
    }

    static func reason(forCode code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 413: return "RequestEntityTooLarge"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "InternalError"
        }
    }
}
