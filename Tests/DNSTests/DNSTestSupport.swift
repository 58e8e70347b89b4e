import CNIOLinux
import Foundation
import Logging
import NIOCore
import NIOPosix
import Schema
import Synchronization

@testable import DNS

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking DNS client over real sockets, for tests: one query per call, with a receive timeout.
enum TestDNSClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `bytes` over UDP to 127.0.0.1:`port`, returns the reply.
    static func udp(_ bytes: [UInt8], port: Int, timeout: Double = 3) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        setTimeout(fd, timeout)
        var address = loopback(port: port)
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == bytes.count else { throw Failure(description: "sendto: \(errno)") }
        var reply = [UInt8](repeating: 0, count: 65_536)
        let n = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n >= 0 else { throw Failure(description: "no UDP reply within \(timeout) s (errno \(errno))") }
        return Array(reply.prefix(n))
    }

    /// Sends each of `queries` over one TCP connection, returns the replies in the order they came.
    static func tcp(_ queries: [[UInt8]], port: Int, timeout: Double = 3) throws -> [[UInt8]] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        setTimeout(fd, timeout)
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(errno)") }
        var out: [UInt8] = []
        for q in queries { out += [UInt8(q.count >> 8), UInt8(q.count & 0xFF)] + q }
        _ = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var replies: [[UInt8]] = []
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while replies.count < queries.count {
            if pending.count >= 2 {
                let length = Int(pending[0]) << 8 | Int(pending[1])
                if pending.count >= 2 + length {
                    replies.append(Array(pending[2..<(2 + length)]))
                    pending.removeFirst(2 + length)
                    continue
                }
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else {
                throw Failure(description: "TCP connection ended after \(replies.count) replies (errno \(errno))")
            }
            pending += chunk.prefix(n)
        }
        return replies
    }

    private static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func query(_ name: String, _ type: DNSType, id: UInt16 = 0x1234, edns: EDNS? = nil) throws -> [UInt8] {
        try DNSMessage.query(id: id, name: DNSName(name)!, type: type, edns: edns).encoded()
    }
}

/// A fake upstream resolver on 127.0.0.1 (UDP and TCP on one port) that answers with `answer`, counting questions.
final class FakeUpstream: Sendable {
    let group: MultiThreadedEventLoopGroup
    let udp: any Channel
    let tcp: any Channel
    let counters: Counters
    var port: Int { udp.localAddress!.port! }

    /// `answer(query, overTCP)` returns the response, or nil to stay silent.
    init(answer: @escaping @Sendable (DNSMessage, Bool) -> DNSMessage?) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counters = Counters()
        let udp = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPResponder(answer: answer, counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = udp.localAddress!.port!
        let tcp = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(TCPResponder(answer: answer, counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        self.group = group
        self.udp = udp
        self.tcp = tcp
        self.counters = counters
    }

    final class Counters: Sendable {
        let udp = Atomic<Int>(0)
        let tcp = Atomic<Int>(0)
    }

    func stop() async {
        try? await udp.close()
        try? await tcp.close()
        try? await group.shutdownGracefully()
    }

    private final class UDPResponder: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let answer: @Sendable (DNSMessage, Bool) -> DNSMessage?
        let counters: Counters

        init(answer: @escaping @Sendable (DNSMessage, Bool) -> DNSMessage?, counters: Counters) {
            self.answer = answer
            self.counters = counters
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            counters.udp.add(1, ordering: .relaxed)
            guard let query = try? DNSMessage(bytes: Array(buffer: envelope.data)), let reply = answer(query, false),
                let bytes = try? reply.encoded()
            else { return }
            context.writeAndFlush(
                wrapOutboundOut(
                    AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: bytes))),
                promise: nil)
        }
    }

    private final class TCPResponder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: @Sendable (DNSMessage, Bool) -> DNSMessage?
        let counters: Counters

        init(answer: @escaping @Sendable (DNSMessage, Bool) -> DNSMessage?, counters: Counters) {
            self.answer = answer
            self.counters = counters
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            counters.tcp.add(1, ordering: .relaxed)
            guard let query = try? DNSMessage(bytes: Array(buffer: unwrapInboundIn(data))),
                let reply = answer(query, true),
                let bytes = try? reply.encoded()
            else { return }
            context.writeAndFlush(
                wrapOutboundOut(.dnsTCPFrame(bytes, allocator: context.channel.allocator)), promise: nil)
        }
    }
}

/// A DNS server on 127.0.0.1 with a random port, answering `zone` (and forwarding to `upstreams`), stopped after
/// `body` also when it throws.
func withTestServer<T>(
    zone: ClusterZoneData? = ZoneFixtures.data, upstreams: [SocketAddress] = [],
    attemptTimeout: TimeAmount = .milliseconds(300),
    _ body: (_ port: Int, _ stats: DNSStats) async throws -> T
) async throws -> T {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let stats = DNSStats()
    let logger = Logger(label: "test.dns")
    let forwarder =
        upstreams.isEmpty
        ? nil
        : Forwarder(
            upstreams: upstreams, eventLoop: group.next(), attemptTimeout: attemptTimeout, stats: stats, logger: logger)
    let holder = ZoneHolder(configuration: ClusterZoneConfiguration(), data: zone)
    let responder = DNSResponder(zones: holder, forwarder: forwarder, stats: stats)
    let server = DNSServer(
        configuration: .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)]), responder: responder, group: group,
        logger: logger)
    do {
        try await forwarder?.start()
        try await server.start()
        let port = server.boundAddresses.first!.port!
        let result = try await body(port, stats)
        await server.stop()
        await forwarder?.stop()
        try await group.shutdownGracefully()
        return result
    } catch {
        await server.stop()
        await forwarder?.stop()
        try? await group.shutdownGracefully()
        throw error
    }
}

extension ZoneFixtures {
    static var data: ClusterZoneData {
        ClusterZoneData(
            services: services + [big], slices: slices + [bigSlice], domain: DNSName("cluster.local")!, serial: 1234)
    }

    /// A headless service with 40 endpoints: its A answer does not fit 512 bytes.
    static var big: Service { service("big", clusterIP: "None") }

    static var bigSlice: EndpointSlice {
        slice("big-1", service: "big", endpoints: (1...40).map { endpoint("10.244.7.\($0)", hostname: "big-\($0)") })
    }
}
