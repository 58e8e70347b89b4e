public import Logging
public import NIOCore
import NIOPosix
import Schema
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Why the server could not start.
public struct DNSServerError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A `HOST:PORT` the server listens on, over UDP and TCP.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `ADDRESS:PORT` or `[IPv6]:PORT`; the port defaults to 53.
    public init?(_ text: String) {
        var host = text
        var port = 53
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let p = Int(rest.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = text.lastIndex(of: ":"), text.filter({ $0 == ":" }).count == 1 {
            host = String(text[..<colon])
            guard let p = Int(text[text.index(after: colon)...]) else { return nil }
            port = p
        }
        guard (0...65_535).contains(port), IPv4(host) != nil || IPv6(host) != nil else { return nil }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The DNS server on SwiftNIO: UDP and TCP on every listen address, answering through a `DNSResponder`.
///
/// UDP answers are cut to 512 bytes or the client's EDNS(0) size with TC set, so the client asks again over TCP.
/// TCP connections carry any number of queries (RFC 7766), answered in any order, and close after `tcpIdleTimeout`
/// without a query; at most `maxTCPConnections` are open at once.
public final class DNSServer: Sendable {
    public struct Configuration: Sendable {
        public var listen: [ListenAddress]
        public var tcpIdleTimeout: TimeAmount = .seconds(10)
        public var maxTCPConnections = 1_000
        /// UDP sockets per address (SO_REUSEPORT), each on its own event loop.
        public var udpSocketsPerAddress = 1

        public init(listen: [ListenAddress]) {
            self.listen = listen
        }
    }

    let configuration: Configuration
    let responder: DNSResponder
    let group: any EventLoopGroup
    let logger: Logger
    private let channels = Mutex<[any Channel]>([])
    private let tcpConnections = Atomic<Int>(0)

    public init(configuration: Configuration, responder: DNSResponder, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.group = group
        self.logger = logger
    }

    /// The addresses actually bound (the real port when 0 was asked for), UDP first per address.
    public var boundAddresses: [SocketAddress] {
        channels.withLock { $0.compactMap(\.localAddress) }
    }

    /// Binds every address; on any failure closes what was bound and throws an error naming the address.
    public func start() async throws {
        do {
            for address in configuration.listen {
                // With port 0 the kernel picks the UDP port and TCP must get the same number, which another
                // TCP socket (an outgoing connection's ephemeral port) may hold: pick again a few times.
                for attempt in 1...(address.port == 0 ? 8 : 1) {
                    var bound: [any Channel] = []
                    do {
                        try await bind(address, into: &bound)
                        channels.withLock { $0.append(contentsOf: bound) }
                        break
                    } catch {
                        for channel in bound { try? await channel.close() }
                        if attempt == 8 || address.port != 0 { throw error }
                    }
                }
            }
        } catch {
            await stop()
            throw error
        }
    }

    /// Binds the UDP sockets and the TCP listener of one address, appending each to `bound` as it is made.
    private func bind(_ address: ListenAddress, into bound: inout [any Channel]) async throws {
        var port = address.port
        for i in 0..<max(1, configuration.udpSocketsPerAddress) {
            let udp = try await bindUDP(
                host: address.host, port: port, reusePort: configuration.udpSocketsPerAddress > 1)
            bound.append(udp)
            // With port 0 the kernel picked one: the other sockets and TCP use the same.
            if i == 0, port == 0 { port = udp.localAddress?.port ?? 0 }
        }
        bound.append(try await bindTCP(host: address.host, port: port))
        logger.info("listening", metadata: ["kubus.listen": "\(ListenAddress(host: address.host, port: port))"])
    }

    /// Closes every socket.
    public func stop() async {
        let all = channels.withLock { channels in
            defer { channels.removeAll() }
            return channels
        }
        for channel in all { try? await channel.close() }
    }

    private func bindUDP(host: String, port: Int, reusePort: Bool) async throws -> any Channel {
        let responder = self.responder
        var bootstrap = DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelOption(.datagramVectorReadMessageCount, value: 32)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 4096))
        if reusePort {
            bootstrap = bootstrap.channelOption(
                ChannelOptions.Types.SocketOption(level: .socket, name: NIOBSDSocket.Option(rawValue: SO_REUSEPORT)),
                value: 1)
        }
        do {
            return
                try await bootstrap
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DNSUDPHandler(responder: responder))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw DNSServerError(
                "cannot listen on \(ListenAddress(host: host, port: port))/udp: \(error)\(Self.hint(port: port, error: error))"
            )
        }
    }

    private func bindTCP(host: String, port: Int) async throws -> any Channel {
        let responder = self.responder
        let idle = configuration.tcpIdleTimeout
        let maxConnections = configuration.maxTCPConnections
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { [self] channel in
                    guard tcpConnections.add(1, ordering: .relaxed).newValue <= maxConnections else {
                        tcpConnections.subtract(1, ordering: .relaxed)
                        return channel.close()
                    }
                    channel.closeFuture.whenComplete { [self] _ in tcpConnections.subtract(1, ordering: .relaxed) }
                    return channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(IdleStateHandler(readTimeout: idle))
                        try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                        try sync.addHandler(DNSTCPHandler(responder: responder))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw DNSServerError(
                "cannot listen on \(ListenAddress(host: host, port: port))/tcp: \(error)\(Self.hint(port: port, error: error))"
            )
        }
    }

    private static func hint(port: Int, error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Permission denied") || text.contains("EACCES"), port < 1024 {
            return " (ports below 1024 need root or CAP_NET_BIND_SERVICE; use --listen 127.0.0.1:10053 otherwise)"
        }
        if text.contains("Address already in use") { return " (another process listens there)" }
        if text.contains("Cannot assign requested address") { return " (no interface has that address)" }
        return ""
    }
}

/// Answers datagrams; replies go out in a batch when a read burst ends.
final class DNSUDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let responder: DNSResponder

    init(responder: DNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let outcome = envelope.data.withUnsafeReadableBytes { responder.respond(to: $0, transport: .udp) }
        switch outcome {
        case .drop:
            return
        case .reply(let bytes):
            let buffer = context.channel.allocator.buffer(bytes: bytes)
            context.write(
                wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
        case .later(let future):
            let remote = envelope.remoteAddress
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            future.hop(to: context.eventLoop).whenSuccess { bytes in
                let context = bound.value
                let buffer = context.channel.allocator.buffer(bytes: bytes)
                context.writeAndFlush(
                    NIOAny(AddressedEnvelope(remoteAddress: remote, data: buffer)), promise: nil)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // One bad datagram or an ICMP error must not close the socket every client shares.
    }
}

/// Answers the messages of one TCP connection, and closes it when idle.
final class DNSTCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let responder: DNSResponder

    init(responder: DNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let outcome = frame.withUnsafeReadableBytes { responder.respond(to: $0, transport: .tcp) }
        switch outcome {
        case .drop:
            return
        case .reply(let bytes):
            context.writeAndFlush(
                wrapOutboundOut(.dnsTCPFrame(bytes, allocator: context.channel.allocator)), promise: nil)
        case .later(let future):
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            future.hop(to: context.eventLoop).whenSuccess { bytes in
                let context = bound.value
                context.writeAndFlush(
                    NIOAny(ByteBuffer.dnsTCPFrame(bytes, allocator: context.channel.allocator)), promise: nil)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
