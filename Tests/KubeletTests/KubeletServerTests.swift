import Bus
import Foundation
import Logging
import Schema
import Testing
import Wire

@testable import Kubelet

@Suite struct KubeletServerTests {
    let runtime = FakeRuntime()

    func server(_ pods: [Pod]) throws -> KubeletServer {
        let byKey = Dictionary(
            uniqueKeysWithValues: pods.map { ("\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")", $0) })
        return KubeletServer(
            endpoints: try BusEndpoints(base: "ipc:///tmp/kubus-unused"), nodeName: "node-1", runtime: runtime,
            pods: { ns, name in byKey["\(ns)/\(name)"] }, logger: Logger(label: "test"))
    }

    func request<T: Encodable>(_ type: String, _ body: T) throws -> BusRequest {
        BusRequest(envelope: Envelope(type: type), payload: Array(try JSONEncoder().encode(body)))
    }

    func message(_ reply: BusReply) -> String {
        (try? JSONValue.parse(reply.payload))?["message"]?.stringValue ?? ""
    }

    @Test func unknownPodIs404() async throws {
        let reply = try await server([]).handle(try request("logs", LogsRequest(namespace: "default", pod: "web")))
        #expect(reply.code == 404)
        #expect(message(reply) == "pods \"web\" not found")
    }

    @Test func waitingContainerIs400WithItsReason() async throws {
        var pod = Fixtures.pod()
        pod.status.containerStatuses = [
            ContainerStatus(
                name: "app", state: ContainerState(waiting: ContainerStateWaiting(reason: "ImagePullBackOff")),
                ready: false,
                restartCount: 0, image: "busybox", imageID: "")
        ]
        let reply = try await server([pod]).handle(try request("logs", LogsRequest(namespace: "default", pod: "web")))
        #expect(reply.code == 400)
        #expect(message(reply) == "container \"app\" in pod \"web\" is waiting to start: ImagePullBackOff")
    }

    @Test func podWithSeveralContainersNeedsAName() async throws {
        let pod = Fixtures.pod(containers: [Container(name: "a"), Container(name: "b")])
        let reply = try await server([pod]).handle(try request("logs", LogsRequest(namespace: "default", pod: "web")))
        #expect(message(reply) == "a container name must be specified for pod web, choose one of: [a b]")
    }

    @Test func logsReadTheCRIFileAndFinishWhenTheContainerExited() async throws {
        let path = NSTemporaryDirectory() + "kubus-srv-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "2026-11-25T12:00:00Z stdout F one\n2026-11-25T12:00:01Z stderr F two\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        var exited = Fixtures.exited("app", code: 0)
        exited.logPath = path
        runtime.add(exited)
        let reply = try await server([Fixtures.pod()]).handle(
            try request("logs", LogsRequest(namespace: "default", pod: "web", tailLines: 1)))
        let logs = try JSONDecoder().decode(LogsReply.self, from: Data(reply.payload))
        #expect(logs.text == "two\n")
        #expect(logs.done)
    }

    @Test func previousWithoutAnEarlierInstanceIs400() async throws {
        runtime.add(Fixtures.running("app"))
        let reply = try await server([Fixtures.pod()]).handle(
            try request("logs", LogsRequest(namespace: "default", pod: "web", previous: true)))
        #expect(message(reply) == "previous terminated container \"app\" in pod \"web\" not found")
    }

    @Test func execCollectsOutputAndExitCode() async throws {
        runtime.add(Fixtures.running("app"))
        let server = try server([Fixtures.pod()])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await server.sessions.run() }
            let start = await server.handle(
                try request("exec.start", ExecStartRequest(namespace: "default", pod: "web", command: ["x"])))
            let session = try JSONDecoder().decode(ExecStartReply.self, from: Data(start.payload)).session
            var out = Data()
            var err = Data()
            var code: Int?
            for _ in 0..<20 where code == nil {
                let io = await server.handle(try request("exec.io", ExecIORequest(session: session, waitMillis: 200)))
                let reply = try JSONDecoder().decode(ExecIOReply.self, from: Data(io.payload))
                out += Data(base64Encoded: reply.stdout) ?? Data()
                err += Data(base64Encoded: reply.stderr) ?? Data()
                code = reply.exitCode
            }
            #expect(String(decoding: out, as: UTF8.self) == "out\n")
            #expect(String(decoding: err, as: UTF8.self) == "err\n")
            #expect(code == 3)
            let gone = await server.handle(try request("exec.io", ExecIORequest(session: session)))
            #expect(gone.code == 404)
            server.sessions.finish()
            group.cancelAll()
        }
    }
}

/// `portforward.start` and `portforward.io` against a real TCP server on 127.0.0.1 (a pod in loopback mode).
@Suite(.timeLimit(.minutes(1))) struct KubeletServerPortForwardTests {
    /// Accepts one connection, reads until the client half-closes, answers with the bytes upper-cased, closes.
    final class UppercaseServer: @unchecked Sendable {
        let fd: Int32
        let port: Int

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            fd = listener
            port = KubeletServerPortForwardTests.bind(listener)
            listen(listener, 4)
            Thread.detachNewThread {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let n = read(connection, &buffer, buffer.count)
                    if n <= 0 { break }
                    received += buffer[0..<n]
                }
                let answer = Array(String(decoding: received, as: UTF8.self).uppercased().utf8)
                var written = 0
                while written < answer.count {
                    let n = answer[written...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                    if n <= 0 { break }
                    written += n
                }
                close(connection)
            }
        }

        deinit { close(fd) }
    }

    /// A port nothing listens on: bound, read, and closed again.
    static func unusedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        return bind(fd)
    }

    /// Binds `fd` to a free port of 127.0.0.1; returns the port.
    static func bind(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func server(podIP: String) throws -> KubeletServer {
        var pod = Fixtures.pod()
        pod.status.phase = "Running"
        pod.status.podIP = podIP
        let running = pod
        return KubeletServer(
            endpoints: try BusEndpoints(base: "ipc:///tmp/kubus-unused"), nodeName: "node-1", runtime: FakeRuntime(),
            pods: { ns, name in ns == "default" && name == "web" ? running : nil }, logger: Logger(label: "test"))
    }

    func call<T: Encodable, R: Decodable>(_ server: KubeletServer, _ type: String, _ body: T, as: R.Type) async throws
        -> R
    {
        let reply = await server.handle(
            BusRequest(envelope: Envelope(type: type), payload: Array(try JSONEncoder().encode(body))))
        try #require(reply.code == 200, "\(type): \(String(decoding: reply.payload, as: UTF8.self))")
        return try JSONDecoder().decode(R.self, from: Data(reply.payload))
    }

    @Test func bytesGoBothWaysWithHalfCloseAndEOF() async throws {
        let backend = try UppercaseServer()
        let server = try server(podIP: "127.0.0.1")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.forwards.run() }
            defer { server.forwards.finish() }
            let start = try await call(
                server, "portforward.start",
                PortForwardStartRequest(namespace: "default", pod: "web", port: backend.port),
                as: PortForwardStartReply.self)
            let body = String(repeating: "hello pod ", count: 50_000)
            let bytes = Array(body.utf8)
            // Two sends, the second retried (same offset) and closing the write side.
            let half = bytes.count / 2
            for (offset, chunk, closeWrite) in [
                (0, Array(bytes[..<half]), false), (half, Array(bytes[half...]), true),
                (half, Array(bytes[half...]), true),
            ] {
                _ = try await call(
                    server, "portforward.io",
                    PortForwardIORequest(
                        session: start.session, send: Data(chunk).base64EncodedString(), sendOffset: Int64(offset),
                        closeWrite: closeWrite),
                    as: PortForwardIOReply.self)
            }
            var received: [UInt8] = []
            var eof = false
            while !eof {
                let reply = try await call(
                    server, "portforward.io",
                    PortForwardIORequest(session: start.session, received: Int64(received.count), waitMillis: 1000),
                    as: PortForwardIOReply.self)
                received += Data(base64Encoded: reply.data) ?? Data()
                eof = reply.eof
                #expect(reply.error == nil)
            }
            #expect(String(decoding: received, as: UTF8.self) == body.uppercased())
            _ = try await call(
                server, "portforward.io", PortForwardIORequest(session: start.session, close: true),
                as: PortForwardIOReply.self)
            #expect(server.forwards.count == 0)
            let gone = await server.handle(
                BusRequest(
                    envelope: Envelope(type: "portforward.io"),
                    payload: Array(try JSONEncoder().encode(PortForwardIORequest(session: start.session, received: 0))))
            )
            #expect(gone.code == 404)
            group.cancelAll()
        }
    }

    @Test func aClosedPortIsAnErrorNamingThePort() async throws {
        let server = try server(podIP: "127.0.0.1")
        let port = Self.unusedPort()
        let reply = await server.handle(
            BusRequest(
                envelope: Envelope(type: "portforward.start"),
                payload: Array(
                    try JSONEncoder().encode(PortForwardStartRequest(namespace: "default", pod: "web", port: port)))))
        #expect(reply.code == 500)
        let message = (try? JSONValue.parse(reply.payload))?["message"]?.stringValue ?? ""
        #expect(
            message.hasPrefix(
                "error forwarding port \(port) to pod web, uid uid-web: failed to connect to 127.0.0.1:\(port)"))
        #expect(message.contains("refused"))
    }

    @Test func aPodThatIsNotRunningIsRefused() async throws {
        let server = KubeletServer(
            endpoints: try BusEndpoints(base: "ipc:///tmp/kubus-unused"), nodeName: "node-1", runtime: FakeRuntime(),
            pods: { _, _ in Fixtures.pod() }, logger: Logger(label: "test"))
        let reply = await server.handle(
            BusRequest(
                envelope: Envelope(type: "portforward.start"),
                payload: Array(
                    try JSONEncoder().encode(PortForwardStartRequest(namespace: "default", pod: "web", port: 80)))))
        #expect(reply.code == 400)
        #expect(
            (try? JSONValue.parse(reply.payload))?["message"]?.stringValue
                == "unable to forward port because pod is not running. Current status=Pending")
    }
}
