import Foundation
import Logging
import NIOCore
import NIOPosix
import Schema
import Testing

@testable import Proxy

#if canImport(Glibc)
    import Glibc
#endif

/// The userspace data path in one process: SwiftNIO backends on 127.0.0.1, the proxy listening on private loopback
/// addresses, and plain blocking sockets as clients.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct UserspaceProxyTests {
    /// A private address and port per test, so tests never meet each other or anything else on the machine.
    let frontend = IPv4("127.\(Int.random(in: 50...90)).\(Int.random(in: 1...254)).\(Int.random(in: 1...254))")!
    let port = Int.random(in: 20000...40000)

    static func model(
        clusterIP: IPv4, port: Int, proto: String = "tcp", endpoints: [(IPv4, Int)], affinity: Int? = nil
    ) -> ProxyModel {
        var servicePort = UserspacePlanTests.port("web", proto: proto, clusterIP: clusterIP.description, port: port)
        servicePort.endpoints = endpoints.map { ProxyModel.Endpoint(ip: $0.0, port: $0.1, nodeName: nil) }
        servicePort.affinityTimeout = affinity
        return ProxyModel(ports: [servicePort], nodes: [])
    }

    func withProxy(retry: Duration = .seconds(5), _ body: (UserspaceProxy) async throws -> Void) async throws {
        var configuration = UserspaceProxyConfiguration()
        configuration.threads = 2
        configuration.retryPeriod = retry
        configuration.udpIdleTimeout = .milliseconds(400)
        let proxy = UserspaceProxy(configuration: configuration, logger: Logger(label: "test"))
        do {
            try await body(proxy)
        } catch {
            await proxy.shutdown()
            throw error
        }
        await proxy.shutdown()
    }

    @Test func tcpIsSplicedToEndpointsInTurnWithHalfClose() async throws {
        let one = try await TCPBackend.start(name: "one")
        let two = try await TCPBackend.start(name: "two")
        defer {
            one.stop()
            two.stop()
        }
        try await withProxy { proxy in
            await proxy.apply(
                Self.model(clusterIP: frontend, port: port, endpoints: [(one.ip, one.port), (two.ip, two.port)]))
            #expect(proxy.failures.isEmpty, "\(proxy.failures)")
            var names: [String] = []
            for _ in 0..<4 {
                let client = try BlockingSocket.connect(frontend, port)
                defer { client.close() }
                let greeting = try client.readLine()
                names.append(greeting)
                try client.send("hello\n")
                #expect(try client.readLine() == "hello")
                // Half-close: the backend still answers after our end of input, then ends.
                client.shutdownWrite()
                #expect(try client.readLine() == "end")
                #expect(try client.readToEnd() == "")
            }
            #expect(names == ["one", "two", "one", "two"])
            let status = proxy.status()
            #expect(status["connectionsAccepted"] == .int(4))
        }
    }

    @Test func largeTransfersKeepBackPressureAndArriveWhole() async throws {
        let backend = try await TCPBackend.start(name: "big")
        defer { backend.stop() }
        try await withProxy { proxy in
            await proxy.apply(Self.model(clusterIP: frontend, port: port, endpoints: [(backend.ip, backend.port)]))
            let client = try BlockingSocket.connect(frontend, port)
            defer { client.close() }
            _ = try client.readLine()
            let payload = String(repeating: "0123456789abcdef", count: 1 << 16) + "\n"  // 1 MiB
            let writer = Thread { try? client.send(payload) }
            writer.start()
            let echoed = try client.readLine()
            #expect(echoed.count == payload.count - 1)
        }
    }

    @Test func noEndpointResetsAtOnce() async throws {
        try await withProxy { proxy in
            await proxy.apply(Self.model(clusterIP: frontend, port: port, endpoints: []))
            let started = ContinuousClock.now
            let client = try BlockingSocket.connect(frontend, port)
            defer { client.close() }
            #expect(throws: BlockingSocket.Failure.reset) { try client.readLine() }
            #expect(ContinuousClock.now - started < .seconds(1))
            #expect(proxy.status()["connectionsRefused"] == .int(1))
        }
    }

    @Test func anEndpointThatRefusesIsPassedOver() async throws {
        let alive = try await TCPBackend.start(name: "alive")
        defer { alive.stop() }
        let dead = try BlockingSocket.unusedPort()
        try await withProxy { proxy in
            await proxy.apply(
                Self.model(
                    clusterIP: frontend, port: port, endpoints: [(IPv4("127.0.0.1")!, dead), (alive.ip, alive.port)]))
            for _ in 0..<2 {
                let client = try BlockingSocket.connect(frontend, port)
                defer { client.close() }
                #expect(try client.readLine() == "alive")
            }
        }
    }

    @Test func connectionsInFlightSurviveTheirListenerGoing() async throws {
        let backend = try await TCPBackend.start(name: "stay")
        defer { backend.stop() }
        try await withProxy { proxy in
            await proxy.apply(Self.model(clusterIP: frontend, port: port, endpoints: [(backend.ip, backend.port)]))
            let client = try BlockingSocket.connect(frontend, port)
            defer { client.close() }
            #expect(try client.readLine() == "stay")
            await proxy.apply(ProxyModel(ports: [], nodes: []))
            #expect(proxy.listening.isEmpty)
            #expect(throws: BlockingSocket.Failure.self) { try BlockingSocket.connect(frontend, port).close() }
            try client.send("still here\n")
            #expect(try client.readLine() == "still here")
        }
    }

    @Test func aListenerThatCannotOpenIsReportedAndRetried() async throws {
        let holder = try BlockingSocket.listen(frontend, port)
        try await withProxy(retry: .milliseconds(300)) { proxy in
            await proxy.apply(Self.model(clusterIP: frontend, port: port, endpoints: []))
            let key = ListenerKey(.tcp, frontend, port)
            #expect(proxy.failures[key]?.contains("address already in use") == true, "\(proxy.failures)")
            let failures = proxy.status()["listenFailures"]
            #expect(
                failures
                    == .array([
                        .object([
                            "listener": .string(key.description), "servicePort": "default/web:http/tcp",
                            "error": .string(proxy.failures[key] ?? ""),
                        ])
                    ]))
            holder.close()
            // The retry waits for its time; an apply after it opens the listener.
            await proxy.apply(Self.model(clusterIP: frontend, port: port, endpoints: []))
            #expect(proxy.listening[key] == nil)
            try await Task.sleep(for: .milliseconds(350))
            await proxy.apply(Self.model(clusterIP: frontend, port: port, endpoints: []))
            #expect(proxy.listening[key] != nil)
            #expect(proxy.failures.isEmpty)
        }
        holder.close()
    }

    @Test func udpFlowsGetRepliesFromTheServiceAddress() async throws {
        let one = try await UDPBackend.start(name: "one")
        let two = try await UDPBackend.start(name: "two")
        defer {
            one.stop()
            two.stop()
        }
        try await withProxy { proxy in
            await proxy.apply(
                Self.model(
                    clusterIP: frontend, port: port, proto: "udp", endpoints: [(one.ip, one.port), (two.ip, two.port)]))
            #expect(proxy.failures.isEmpty, "\(proxy.failures)")
            let first = try BlockingSocket.udp()
            let second = try BlockingSocket.udp()
            defer {
                first.close()
                second.close()
            }
            // One flow per client: the same endpoint for every datagram of a client.
            for i in 0..<3 {
                let (reply, from) = try first.exchange("ping\(i)", to: frontend, port)
                #expect(reply == "one:ping\(i)")
                #expect(from == "\(frontend):\(port)")
            }
            #expect(try second.exchange("x", to: frontend, port).reply == "two:x")
            #expect(proxy.status()["udpFlows"] == .int(2))
            // Idle flows end; the next datagram starts a new flow, balanced again.
            try await Task.sleep(for: .milliseconds(900))
            #expect(proxy.status()["udpFlows"] == .int(0))
            #expect(try first.exchange("again", to: frontend, port).reply == "one:again")
        }
    }

    @Test func udpWithoutEndpointsIsDropped() async throws {
        try await withProxy { proxy in
            await proxy.apply(Self.model(clusterIP: frontend, port: port, proto: "udp", endpoints: []))
            let client = try BlockingSocket.udp(timeoutMillis: 300)
            defer { client.close() }
            #expect(throws: BlockingSocket.Failure.self) { try client.exchange("x", to: frontend, port) }
            #expect(proxy.status()["udpDropped"] == .int(1))
        }
    }
}

// MARK: - Backends

/// A TCP backend: greets with its name, echoes lines, says "end" when the client's input ends.
final class TCPBackend: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    let ip = IPv4("127.0.0.1")!
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.group = group
        self.channel = channel
    }

    static func start(name: String) async throws -> TCPBackend {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(name: name))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TCPBackend(group: group, channel: channel)
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let name: String
        init(name: String) { self.name = name }

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: name + "\n")), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.write(data, promise: nil)
        }

        func channelReadComplete(context: ChannelHandlerContext) { context.flush() }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, case .inputClosed = event {
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "end\n")))
                    .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        }
    }
}

/// A UDP backend answering `name:payload`.
final class UDPBackend: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    let ip = IPv4("127.0.0.1")!
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.group = group
        self.channel = channel
    }

    static func start(name: String) async throws -> UDPBackend {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(name: name))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return UDPBackend(group: group, channel: channel)
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let name: String
        init(name: String) { self.name = name }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let text = name + ":" + String(buffer: envelope.data)
            let reply = AddressedEnvelope(
                remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(string: text))
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        }
    }
}

// MARK: - Blocking clients

/// A plain socket with a receive timeout, as a client program would use one.
final class BlockingSocket: @unchecked Sendable {
    enum Failure: Error, Equatable {
        case reset
        case timeout
        case refused
        case other(Int32)
    }

    let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    private init(fd: Int32) { self.fd = fd }

    static func address(_ ip: IPv4, _ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = ip.value.bigEndian
        return addr
    }

    static func make(_ type: Int32, timeoutMillis: Int) throws -> BlockingSocket {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw Failure.other(errno) }
        var timeout = timeval(tv_sec: timeoutMillis / 1000, tv_usec: (timeoutMillis % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return BlockingSocket(fd: fd)
    }

    static func connect(_ ip: IPv4, _ port: Int) throws -> BlockingSocket {
        let socket = try make(Int32(SOCK_STREAM.rawValue), timeoutMillis: 3000)
        var addr = address(ip, port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let error = errno
            socket.close()
            throw error == ECONNREFUSED ? Failure.refused : Failure.other(error)
        }
        return socket
    }

    static func listen(_ ip: IPv4, _ port: Int) throws -> BlockingSocket {
        let socket = try make(Int32(SOCK_STREAM.rawValue), timeoutMillis: 1000)
        var addr = address(ip, port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0, Glibc.listen(socket.fd, 1) == 0 else {
            socket.close()
            throw Failure.other(errno)
        }
        return socket
    }

    /// A port on 127.0.0.1 nothing listens on now.
    static func unusedPort() throws -> Int {
        let socket = try listen(IPv4("127.0.0.1")!, 0)
        defer { socket.close() }
        var addr = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket.fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func udp(timeoutMillis: Int = 2000) throws -> BlockingSocket {
        try make(Int32(SOCK_DGRAM.rawValue), timeoutMillis: timeoutMillis)
    }

    func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure.other(errno) }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Reads more bytes; false at the end of input.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[..<n])
            return true
        }
        if n == 0 { return false }
        switch errno {
        case ECONNRESET: throw Failure.reset
        case EAGAIN: throw Failure.timeout
        default: throw Failure.other(errno)
        }
    }

    func readLine() throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard try fill() else { throw Failure.other(0) }
        }
    }

    func readToEnd() throws -> String {
        while try fill() {}
        defer { buffer.removeAll() }
        return String(decoding: buffer, as: UTF8.self)
    }

    func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    /// Sends a datagram and waits for one back: its text and where it came from.
    @discardableResult
    func exchange(_ text: String, to ip: IPv4, _ port: Int) throws -> (reply: String, from: String) {
        var addr = Self.address(ip, port)
        let bytes = Array(text.utf8)
        let sent = withUnsafePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bytes.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, 0, address, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == bytes.count else { throw Failure.other(errno) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &from) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                chunk.withUnsafeMutableBytes { recvfrom(fd, $0.baseAddress, $0.count, 0, address, &length) }
            }
        }
        guard n >= 0 else { throw errno == EAGAIN ? Failure.timeout : Failure.other(errno) }
        let source = IPv4(UInt32(bigEndian: from.sin_addr.s_addr))
        return (String(decoding: chunk[..<n], as: UTF8.self), "\(source):\(UInt16(bigEndian: from.sin_port))")
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(fd)
    }
}
