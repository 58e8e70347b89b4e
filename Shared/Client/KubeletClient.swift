public import Bus
import Foundation
public import Schema
import Wire

/// Calls the kubelet of one node over the bus (`kubelet.<node>`): logs and exec, as the api server's proxy to a
/// kubelet does in Kubernetes. Failures are `APIError`s carrying the kubelet's `Status`.
public struct KubeletClient: Sendable {
    public let bus: BusClient
    public let node: String
    public let timeout: Duration

    public init(bus: BusClient, node: String, timeout: Duration = .seconds(10)) {
        self.bus = bus
        self.node = node
        self.timeout = timeout
    }

    /// One request to the kubelet; `type` is `logs`, `exec.start` or `exec.io`.
    public func request<Request: Encodable, Reply: Decodable>(
        _ type: String, _ request: Request, as reply: Reply.Type
    ) async throws(APIError) -> Reply {
        let service = KubeletService.name(for: node)
        let payload: [UInt8]
        do {
            payload = try JSONValue(encoding: request).encoded()
        } catch {
            throw APIError.badRequest("cannot encode the \(type) request: \(error)")
        }
        let answer: BusReply
        do {
            answer = try await bus.request(service: service, type: type, payload: payload, timeout: timeout)
        } catch {
            throw KubusClient.unavailable(error, service: service)
        }
        let body = try KubusClient.decode(code: answer.code, payload: answer.payload, warnings: nil).body
        do {
            return try body.decode(as: Reply.self)
        } catch {
            throw APIError.internal("the kubelet of \(node) answered \(type) with an unexpected body: \(error)")
        }
    }

    /// What a finished command printed and how it ended.
    public struct ExecResult: Sendable, Hashable {
        public var stdout: String
        public var stderr: String
        /// nil when the command had not ended within the polls allowed.
        public var exitCode: Int?
    }

    /// Runs `command` in a container of a pod of this node and collects its output until it ends (at most
    /// `polls` long polls of `waitMillis` each).
    public func exec(
        namespace: String, pod: String, container: String? = nil, _ command: [String], polls: Int = 50,
        waitMillis: Int = 500
    ) async throws(APIError) -> ExecResult {
        let session = try await request(
            "exec.start",
            ExecStartRequest(namespace: namespace, pod: pod, container: container, command: command),
            as: ExecStartReply.self
        ).session
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var exitCode: Int?
        for _ in 0..<polls where exitCode == nil {
            let io = try await request(
                "exec.io", ExecIORequest(session: session, waitMillis: waitMillis), as: ExecIOReply.self)
            stdout += Array(Data(base64Encoded: io.stdout) ?? Data())
            stderr += Array(Data(base64Encoded: io.stderr) ?? Data())
            exitCode = io.exitCode
        }
        return ExecResult(
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
            exitCode: exitCode)
    }

    /// The log of a container as far as it goes now.
    public func logs(
        namespace: String, pod: String, container: String? = nil, previous: Bool = false
    ) async throws(APIError) -> String {
        try await request(
            "logs",
            LogsRequest(namespace: namespace, pod: pod, container: container, previous: previous ? true : nil),
            as: LogsReply.self
        ).text
    }
}
