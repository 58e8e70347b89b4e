public import Logging
public import NIOCore
import NIOPosix
import Synchronization

/// Why a question could not be answered upstream.
public struct ForwardError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Asks the host's resolvers what the cluster zone does not answer: UDP first, TCP when the answer comes truncated,
/// each upstream in turn with a timeout per attempt; answers are cached briefly (`ForwardCache`).
///
/// Each attempt uses a fresh random id, and an answer is taken only from the address it was asked of and only for the
/// question asked, so a stray or spoofed datagram is ignored. All in-flight state lives on one event loop.
public final class Forwarder: Sendable {
    public let upstreams: [SocketAddress]
    let eventLoop: any EventLoop
    let attemptTimeout: TimeAmount
    let attempts: Int
    let stats: DNSStats
    let logger: Logger
    private let cache: Mutex<ForwardCache>
    private let state: LoopState

    /// The in-flight questions and the UDP channels, touched only on `eventLoop`.
    final class LoopState: @unchecked Sendable {
        struct Pending {
            var question: DNSQuestion
            var query: DNSMessage
            var attempt: Int
            var upstream: SocketAddress
            var promise: EventLoopPromise<DNSMessage>
            var timeout: Scheduled<Void>?
        }

        var pending: [UInt16: Pending] = [:]
        var channels: [Int32: any Channel] = [:]
        /// TCP retries in flight, so stopping can fail them too.
        var tcpReplies: [Int: EventLoopPromise<ByteBuffer>] = [:]
        var nextTCP = 0
        var closed = false
    }

    /// - Parameters:
    ///   - attemptTimeout: how long one upstream gets to answer one attempt.
    ///   - cacheCapacity: answers kept at most (0: no cache).
    public init(
        upstreams: [SocketAddress], eventLoop: any EventLoop, attemptTimeout: TimeAmount = .seconds(2),
        cacheCapacity: Int = 10_000, stats: DNSStats, logger: Logger
    ) {
        self.upstreams = upstreams
        self.eventLoop = eventLoop
        self.attemptTimeout = attemptTimeout
        // Every upstream once, and with a single upstream a second try, as a stub resolver retries.
        attempts = max(2, upstreams.count)
        self.stats = stats
        self.logger = logger
        cache = Mutex(ForwardCache(capacity: cacheCapacity))
        state = LoopState()
    }

    /// Opens the UDP sockets the questions go out on (one per address family the upstreams use).
    public func start() async throws {
        var families = Set<Int32>()
        for upstream in upstreams { families.insert(upstream.protocol.rawValue) }
        for family in families {
            let host = family == NIOBSDSocket.ProtocolFamily.inet6.rawValue ? "::" : "0.0.0.0"
            let channel = try await DatagramBootstrap(group: eventLoop)
                .channelOption(.socketOption(.so_rcvbuf), value: 1 << 20)
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(UpstreamHandler(forwarder: self))
                    }
                }
                .bind(host: host, port: 0).get()
            try await eventLoop.submit { [state] in state.channels[family] = channel }.get()
        }
    }

    /// Fails whatever is in flight and closes the sockets.
    public func stop() async {
        let channels = try? await eventLoop.submit { [state] () -> [any Channel] in
            state.closed = true
            for (_, p) in state.pending {
                p.timeout?.cancel()
                p.promise.fail(ForwardError("the DNS server is stopping"))
            }
            state.pending.removeAll()
            for (_, reply) in state.tcpReplies { reply.fail(ForwardError("the DNS server is stopping")) }
            state.tcpReplies.removeAll()
            defer { state.channels.removeAll() }
            return Array(state.channels.values)
        }.get()
        for channel in channels ?? [] { try? await channel.close() }
    }

    /// How many answers the cache holds.
    public var cacheSize: Int { cache.withLock { $0.count } }

    /// The upstream answer to `question` (from the cache when fresh), asked with RD, DO and CD as the client asked.
    public func resolve(
        _ question: DNSQuestion, recursionDesired: Bool = true, dnssecOK: Bool = false, checkingDisabled: Bool = false
    ) -> EventLoopFuture<DNSMessage> {
        let key = ForwardCache.Key(
            name: question.name, type: question.type, class: question.class, dnssecOK: dnssecOK,
            checkingDisabled: checkingDisabled)
        if let cached = cache.withLock({ $0.get(key, now: .now) }) {
            stats.cacheHits.add(1, ordering: .relaxed)
            return eventLoop.makeSucceededFuture(cached)
        }
        guard !upstreams.isEmpty else {
            return eventLoop.makeFailedFuture(
                ForwardError("no upstream resolvers (none in /etc/resolv.conf, no --upstream)"))
        }
        stats.forwarded.add(1, ordering: .relaxed)
        var query = DNSMessage.query(
            id: 0, name: question.name, type: question.type, edns: EDNS(udpPayloadSize: 1232, dnssecOK: dnssecOK))
        query.questions[0].class = question.class
        query.recursionDesired = recursionDesired
        query.checkingDisabled = checkingDisabled
        let promise = eventLoop.makePromise(of: DNSMessage.self)
        let message = query
        eventLoop.execute { [self] in
            send(message, question: question, attempt: 0, promise: promise)
        }
        return promise.futureResult.map { [self] message in
            cache.withLock { $0.put(key, message, now: .now) }
            return message
        }.flatMapErrorThrowing { [stats] error in
            stats.forwardFailures.add(1, ordering: .relaxed)
            throw error
        }
    }

    // MARK: On the event loop

    private func send(_ query: DNSMessage, question: DNSQuestion, attempt: Int, promise: EventLoopPromise<DNSMessage>) {
        eventLoop.preconditionInEventLoop()
        guard !state.closed else {
            promise.fail(ForwardError("the DNS server is stopping"))
            return
        }
        guard attempt < attempts else {
            let list = upstreams.map(Self.text).joined(separator: ", ")
            promise.fail(
                ForwardError("no answer from \(list) for \(question.name) \(question.type) within \(attempts) tries"))
            return
        }
        let upstream = upstreams[attempt % upstreams.count]
        guard let channel = state.channels[upstream.protocol.rawValue] else {
            promise.fail(ForwardError("the forwarder is not started"))
            return
        }
        guard state.pending.count < 60_000 else {
            promise.fail(ForwardError("too many questions in flight upstream"))
            return
        }
        var fresh = UInt16.random(in: 0...UInt16.max)
        while state.pending[fresh] != nil { fresh = UInt16.random(in: 0...UInt16.max) }
        let id = fresh
        var query = query
        query.id = id
        guard let bytes = try? query.encoded() else {
            promise.fail(ForwardError("cannot encode the question \(question.name)"))
            return
        }
        let timeout = eventLoop.scheduleTask(in: attemptTimeout) { [self] in
            guard let p = state.pending.removeValue(forKey: id) else { return }
            logger.debug(
                "upstream did not answer in time",
                metadata: ["kubus.upstream": "\(Self.text(upstream))", "kubus.name": "\(question.name)"])
            send(p.query, question: p.question, attempt: p.attempt + 1, promise: p.promise)
        }
        state.pending[id] = LoopState.Pending(
            question: question, query: query, attempt: attempt, upstream: upstream, promise: promise, timeout: timeout)
        let envelope = AddressedEnvelope(remoteAddress: upstream, data: channel.allocator.buffer(bytes: bytes))
        channel.writeAndFlush(envelope).whenFailure { [self] error in
            // Sending failed outright (no route): move on to the next try at once.
            guard let p = state.pending.removeValue(forKey: id) else { return }
            p.timeout?.cancel()
            logger.debug(
                "sending upstream failed",
                metadata: ["kubus.upstream": "\(Self.text(upstream))", "kubus.error": "\(error)"])
            send(p.query, question: p.question, attempt: p.attempt + 1, promise: p.promise)
        }
    }

    /// A datagram from an upstream.
    fileprivate func received(_ bytes: [UInt8], from address: SocketAddress) {
        eventLoop.preconditionInEventLoop()
        guard let message = try? DNSMessage(bytes: bytes), message.isResponse,
            let p = state.pending[message.id], Self.sameEndpoint(p.upstream, address),
            message.questions.count == 1, message.questions[0] == p.question
        else { return }
        state.pending[message.id] = nil
        p.timeout?.cancel()
        if message.truncated {
            retryOverTCP(p)
        } else {
            p.promise.succeed(message)
        }
    }

    /// Asks the same upstream again over TCP, for an answer too large for UDP.
    private func retryOverTCP(_ p: LoopState.Pending) {
        let promise = p.promise
        let question = p.question
        let query = p.query
        let upstream = p.upstream
        let reply = eventLoop.makePromise(of: ByteBuffer.self)
        let token = state.nextTCP
        state.nextTCP += 1
        state.tcpReplies[token] = reply
        reply.futureResult.whenComplete { [state] _ in state.tcpReplies[token] = nil }
        let timeout = attemptTimeout
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(TCPReplyHandler(reply: reply))
                }
            }
            .connect(to: upstream)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    reply.fail(error)
                case .success(let channel):
                    let bytes = (try? query.encoded()) ?? []
                    channel.writeAndFlush(ByteBuffer.dnsTCPFrame(bytes, allocator: channel.allocator), promise: nil)
                    let timer = channel.eventLoop.scheduleTask(in: timeout) {
                        reply.fail(ForwardError("no TCP answer from \(Self.text(upstream)) within \(timeout)"))
                    }
                    reply.futureResult.whenComplete { _ in
                        timer.cancel()
                        channel.close(promise: nil)
                    }
                }
            }
        reply.futureResult.flatMapThrowing { buffer -> DNSMessage in
            let message = try buffer.withUnsafeReadableBytes { try DNSMessage(buffer: $0) }
            guard message.id == query.id, message.questions.count == 1, message.questions[0] == question else {
                throw ForwardError("the TCP answer from \(Self.text(upstream)) is for another question")
            }
            return message
        }.cascade(to: promise)
    }

    static func sameEndpoint(_ a: SocketAddress, _ b: SocketAddress) -> Bool {
        a.port == b.port && a.ipAddress == b.ipAddress
    }

    static func text(_ address: SocketAddress) -> String {
        let ip = address.ipAddress ?? "?"
        return address.protocol == .inet6 ? "[\(ip)]:\(address.port ?? 53)" : "\(ip):\(address.port ?? 53)"
    }
}

/// Hands upstream datagrams to the forwarder.
private final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let forwarder: Forwarder

    init(forwarder: Forwarder) {
        self.forwarder = forwarder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        forwarder.received(Array(buffer: envelope.data), from: envelope.remoteAddress)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP error for one datagram must not close the socket every question shares.
    }
}

/// Completes `reply` with the first message of a TCP connection, or fails it when the connection ends first.
private final class TCPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let reply: EventLoopPromise<ByteBuffer>

    init(reply: EventLoopPromise<ByteBuffer>) {
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reply.succeed(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        reply.fail(ForwardError("the upstream closed the TCP connection without answering"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reply.fail(error)
        context.close(promise: nil)
    }
}
