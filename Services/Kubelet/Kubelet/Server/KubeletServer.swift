public import Bus
import Foundation
public import Logging
public import Schema
import Wire

/// The kubelet's bus service `kubelet.<node>`: `logs`, `exec.start`, `exec.io`, `portforward.start` and
/// `portforward.io` for the pods of this node.
///
/// Streams are long polls: a request waits up to `waitMillis` (at most `maxWaitMillis`, below the bus client's
/// retry interval) for new output. Errors are Kubernetes Status replies (`pods "web" not found`).
public final class KubeletServer: Sendable {
    /// The longest a request waits for output; shorter than `BusClient`'s 3 s attempt timeout, so no retry fires.
    public static let maxWaitMillis = 2_000

    private let endpoints: BusEndpoints
    private let nodeName: String
    private let runtime: any ContainerRuntime
    private let pods: @Sendable (String, String) -> Pod?
    private let attachment: @Sendable (String) async -> PodNetworkAttachment?
    private let logger: Logger
    /// Authorizes callers on an authenticated bus; nil on an insecure one, which names no caller.
    private let authorizer: KubeletAuthorizer?
    public let sessions: ExecSessions
    public let forwards: PortForwardSessions

    public init(
        endpoints: BusEndpoints, nodeName: String, runtime: any ContainerRuntime,
        pods: @escaping @Sendable (String, String) -> Pod?,
        attachment: @escaping @Sendable (String) async -> PodNetworkAttachment? = { _ in nil }, logger: Logger,
        authorizer: KubeletAuthorizer? = nil, execIdleTimeout: Duration = .seconds(60)
    ) {
        self.authorizer = authorizer
        self.endpoints = endpoints
        self.nodeName = nodeName
        self.runtime = runtime
        self.pods = pods
        self.attachment = attachment
        self.logger = logger
        sessions = ExecSessions(idleTimeout: execIdleTimeout)
        forwards = PortForwardSessions(idleTimeout: execIdleTimeout)
    }

    /// Serves until cancelled.
    public func run() async throws {
        let worker = try Worker(endpoints: endpoints, service: Wire.KubeletService.name(for: nodeName), capacity: 256)
        defer { worker.close() }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.sessions.run() }
            group.addTask { await self.forwards.run() }
            group.addTask {
                await withTaskCancellationHandler {
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                } onCancel: {
                    self.sessions.finish()
                    self.forwards.finish()
                }
            }
            await worker.run { request in await self.handle(request) }
            group.cancelAll()
        }
    }

    struct Failure: Error {
        var code: Int
        var reason: String
        var message: String

        static func badRequest(_ m: String) -> Failure { Failure(code: 400, reason: "BadRequest", message: m) }
        static func notFound(_ m: String) -> Failure { Failure(code: 404, reason: "NotFound", message: m) }
    }

    /// Answers one request. On an authenticated bus, starting one — logs, exec, port-forward — is authorized for
    /// the caller by RBAC at the api; the `.io` calls that follow name a session only its starter was told.
    public func handle(_ request: BusRequest) async -> BusReply {
        do {
            switch request.type {
            case "logs":
                let logsRequest = try decode(LogsRequest.self, request)
                try await authorize(request, "get", "log", logsRequest.namespace, logsRequest.pod)
                return try reply(await logs(logsRequest))
            case "exec.start":
                let start = try decode(ExecStartRequest.self, request)
                try await authorize(request, "create", "exec", start.namespace, start.pod)
                return try reply(await execStart(start))
            case "exec.io": return try reply(await execIO(try decode(ExecIORequest.self, request)))
            case "portforward.start":
                let start = try decode(PortForwardStartRequest.self, request)
                try await authorize(request, "create", "portforward", start.namespace, start.pod)
                return try reply(await portForwardStart(start))
            case "portforward.io":
                return try reply(await portForwardIO(try decode(PortForwardIORequest.self, request)))
            default:
                throw Failure.badRequest(
                    "unknown operation \"\(request.type)\": use logs, exec.start, exec.io, portforward.start or "
                        + "portforward.io")
            }
        } catch let failure as Failure {
            return BusReply.failure(code: failure.code, reason: failure.reason, message: failure.message)
        } catch {
            return BusReply.failure(code: 500, reason: "InternalError", message: "\(error)")
        }
    }

    /// Refuses (403) a caller RBAC does not allow, and anyone when the api cannot be asked (503).
    private func authorize(
        _ request: BusRequest, _ verb: String, _ subresource: String, _ namespace: String, _ pod: String
    ) async throws {
        guard let authorizer else { return }
        guard let caller = request.caller else {
            throw Failure(code: 401, reason: "Unauthorized", message: "the request carries no authenticated caller")
        }
        let decision: KubeletAuthorizer.Decision
        do {
            decision = try await authorizer.authorize(
                user: caller, groups: request.callerGroups + ["system:authenticated"],
                KubeletAuthorizer.Attributes(verb: verb, subresource: subresource, namespace: namespace, name: pod))
        } catch {
            throw Failure(
                code: 503, reason: "ServiceUnavailable",
                message: "cannot authorize \(caller) at the api: \(error.status.message ?? "\(error)")")
        }
        if case .denied(let message) = decision {
            logger.notice(
                "refused", metadata: ["kubus.caller": "\(caller)", "kubus.operation": "\(request.type)"])
            throw Failure(code: 403, reason: "Forbidden", message: message)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: BusRequest) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(request.payload))
        } catch {
            throw Failure.badRequest("cannot decode the \(request.type) request: \(error)")
        }
    }

    private func reply<T: Encodable>(_ value: T) throws -> BusReply {
        BusReply(code: 200, payload: Array(try JSONEncoder().encode(value)))
    }

    // MARK: Resolving the container

    private func resolve(namespace: String, pod name: String, container: String?) throws -> (Pod, Container) {
        guard let pod = pods(namespace, name) else { throw Failure.notFound("pods \"\(name)\" not found") }
        let all = (pod.spec.initContainers ?? []) + pod.spec.containers
        if let container, !container.isEmpty {
            guard let c = all.first(where: { $0.name == container }) else {
                throw Failure.badRequest("container \(container) is not valid for pod \(name)")
            }
            return (pod, c)
        }
        guard pod.spec.containers.count == 1 else {
            let names = pod.spec.containers.map(\.name).joined(separator: " ")
            throw Failure.badRequest("a container name must be specified for pod \(name), choose one of: [\(names)]")
        }
        return (pod, pod.spec.containers[0])
    }

    private func instances(of pod: Pod, container: String) async -> [RuntimeContainerStatus] {
        await runtime.listContainers().filter { $0.podUID == pod.metadata.uid && $0.name == container }
            .sorted { $0.attempt < $1.attempt }
    }

    private func waitingReason(_ pod: Pod, _ container: String) -> String {
        let statuses = (pod.status.initContainerStatuses ?? []) + (pod.status.containerStatuses ?? [])
        return statuses.first { $0.name == container }?.state?.waiting?.reason ?? "ContainerCreating"
    }

    // MARK: logs

    func logs(_ request: LogsRequest) async throws -> LogsReply {
        let (pod, c) = try resolve(namespace: request.namespace, pod: request.pod, container: request.container)
        let all = await instances(of: pod, container: c.name)
        let instance: RuntimeContainerStatus
        if request.previous == true {
            guard let latest = all.last, let previous = all.last(where: { $0.attempt < latest.attempt }) else {
                throw Failure.badRequest(
                    "previous terminated container \"\(c.name)\" in pod \"\(request.pod)\" not found")
            }
            instance = previous
        } else {
            guard let latest = all.last else {
                throw Failure.badRequest(
                    "container \"\(c.name)\" in pod \"\(request.pod)\" is waiting to start: \(waitingReason(pod, c.name))"
                )
            }
            instance = latest
        }
        let timestamps = request.timestamps == true
        let path = instance.logPath
        var exited = instance.state == .exited
        func read(_ offset: Int64, tail: Int?) throws -> CRILog.Chunk {
            do {
                return try CRILog.read(path: path, from: offset, tailLines: tail, flushPartial: exited)
            } catch {
                throw Failure(code: 500, reason: "InternalError", message: "\(error)")
            }
        }
        var chunk = try read(request.offset ?? 0, tail: request.offset == nil ? request.tailLines : nil)
        let wait = min(max(0, request.waitMillis ?? 0), Self.maxWaitMillis)
        if chunk.lines.isEmpty && wait > 0 && !exited {
            let deadline = ContinuousClock.now + .milliseconds(wait)
            while ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                if Self.size(path) > chunk.nextOffset {
                    chunk = try read(chunk.nextOffset, tail: nil)
                    if !chunk.lines.isEmpty { break }
                }
                if await runtime.containerStatus(instance.id)?.state == .exited {
                    exited = true
                    break
                }
            }
        }
        if !exited { exited = await runtime.containerStatus(instance.id)?.state != .running }
        if exited && chunk.lines.isEmpty {
            // Catch what it wrote just before it ended.
            chunk = try read(chunk.nextOffset, tail: nil)
        }
        let done = exited && chunk.nextOffset >= Self.size(path)
        return LogsReply(text: chunk.text(timestamps: timestamps), offset: chunk.nextOffset, done: done)
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    // MARK: exec

    func execStart(_ request: ExecStartRequest) async throws -> ExecStartReply {
        let (pod, c) = try resolve(namespace: request.namespace, pod: request.pod, container: request.container)
        guard !request.command.isEmpty else {
            throw Failure.badRequest("you must specify at least one command for the container")
        }
        guard let running = await instances(of: pod, container: c.name).last, running.state == .running else {
            if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
                throw Failure.badRequest(
                    "cannot exec into a container in a completed pod; current phase is \(pod.status.phase ?? "")")
            }
            throw Failure.badRequest(
                "container \"\(c.name)\" in pod \"\(request.pod)\" is waiting to start: \(waitingReason(pod, c.name))")
        }
        let process: any ExecProcess
        do {
            process = try await runtime.exec(
                running.id, command: request.command, tty: request.tty, stdin: request.stdin)
        } catch {
            throw Failure(code: 500, reason: "InternalError", message: "exec in container \(c.name) failed: \(error)")
        }
        if let rows = request.rows, let cols = request.cols { await process.resize(rows: rows, cols: cols) }
        let id = sessions.add(process)
        logger.debug(
            "exec session started",
            metadata: [
                "kubus.pod": "\(request.namespace)/\(request.pod)", "kubus.container": "\(c.name)",
                "kubus.session": "\(id)",
            ])
        return ExecStartReply(session: id)
    }

    func execIO(_ request: ExecIORequest) async throws -> ExecIOReply {
        var stdin: [UInt8]?
        if let text = request.stdin, !text.isEmpty {
            guard let data = Data(base64Encoded: text) else { throw Failure.badRequest("stdin: not valid base64") }
            stdin = Array(data)
        }
        let wait = min(max(0, request.waitMillis ?? 0), Self.maxWaitMillis)
        guard
            let output = try await sessions.poll(
                request.session, stdin: stdin, closeStdin: request.closeStdin == true, rows: request.rows,
                cols: request.cols, wait: .milliseconds(wait))
        else {
            throw Failure.notFound("exec session \"\(request.session)\" not found: it ended or was idle for 60s")
        }
        return ExecIOReply(
            stdout: Data(output.stdout).base64EncodedString(), stderr: Data(output.stderr).base64EncodedString(),
            exitCode: output.exitCode.map(Int.init))
    }

    // MARK: port-forward

    func portForwardStart(_ request: PortForwardStartRequest) async throws -> PortForwardStartReply {
        guard let pod = pods(request.namespace, request.pod) else {
            throw Failure.notFound("pods \"\(request.pod)\" not found")
        }
        guard (1...65_535).contains(request.port) else {
            throw Failure.badRequest("invalid port \(request.port): must be 1-65535")
        }
        guard pod.status.phase == "Running" else {
            throw Failure.badRequest(
                "unable to forward port because pod is not running. Current status=\(pod.status.phase ?? "Pending")")
        }
        let uid = pod.metadata.uid ?? ""
        let target: PodPortDialer.Target
        if pod.spec.hostNetwork == true {
            target = .address("127.0.0.1")
        } else if let attached = await attachment(uid) {
            target = attached.networkNamespacePath.map { .namespace(path: $0) } ?? .address(attached.ip)
        } else if let ip = pod.status.podIP, !ip.isEmpty {
            target = .address(ip)
        } else {
            throw Failure.badRequest("pod \(request.pod) has no network yet")
        }
        let connection: PodPortDialer.Connection
        do {
            connection = try await PodPortDialer.connect(target, port: request.port)
        } catch {
            throw Failure(
                code: 500, reason: "InternalError",
                message: "error forwarding port \(request.port) to pod \(request.pod), uid \(uid): \(error)")
        }
        let id = forwards.add(connection)
        logger.debug(
            "port-forward session started",
            metadata: [
                "kubus.pod": "\(request.namespace)/\(request.pod)", "kubus.port": "\(request.port)",
                "kubus.session": "\(id)",
            ])
        return PortForwardStartReply(session: id)
    }

    func portForwardIO(_ request: PortForwardIORequest) async throws -> PortForwardIOReply {
        var send: [UInt8] = []
        if let text = request.send, !text.isEmpty {
            guard let data = Data(base64Encoded: text) else { throw Failure.badRequest("send: not valid base64") }
            send = Array(data)
        }
        let wait = min(max(0, request.waitMillis ?? 0), Self.maxWaitMillis)
        let output: PortForwardSessions.Output?
        do {
            output = try await forwards.io(
                request.session, send: send, sendOffset: request.sendOffset ?? 0,
                closeWrite: request.closeWrite == true, received: request.received, wait: .milliseconds(wait),
                close: request.close == true)
        } catch let gap as PortForwardSessions.Gap {
            throw Failure.badRequest(gap.description)
        }
        guard let output else {
            if request.close == true { return PortForwardIOReply(data: "", eof: true) }
            throw Failure.notFound(
                "portforward session \"\(request.session)\" not found: it was closed or idle for 60s")
        }
        return PortForwardIOReply(
            data: Data(output.bytes).base64EncodedString(), eof: output.eof, error: output.error)
    }
}
