import NIOCore
import NIOPosix
import Schema
import Synchronization

/// A UDP listener of the userspace proxy: each client address is a flow with a connected socket of its own to the
/// endpoint chosen when the flow began; the endpoint's replies go back out of the listener's socket, so they come
/// from the service address. A flow ends after `idleTimeout` without a datagram either way. Without an endpoint,
/// datagrams are dropped.
final class UDPFrontendHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let listener: ListenerKey
    private let router: ServiceRouter
    private let counters: UserspaceCounters
    private let idleTimeout: TimeAmount
    /// Datagrams a flow holds while its socket connects.
    private let maxPending = 64
    private var flows: [SocketAddress: Flow] = [:]
    private var sweep: Scheduled<Void>?

    final class Flow {
        var backend: (any Channel)?
        var pending: [ByteBuffer] = []
        var lastActive = NIODeadline.now()
    }

    init(listener: ListenerKey, router: ServiceRouter, counters: UserspaceCounters, idleTimeout: TimeAmount) {
        self.listener = listener
        self.router = router
        self.counters = counters
        self.idleTimeout = idleTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleSweep(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        sweep?.cancel()
        for flow in flows.values { flow.backend?.close(promise: nil) }
        counters.udpFlows.subtract(flows.count, ordering: .relaxed)
        flows.removeAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let client = envelope.remoteAddress
        if let flow = flows[client] {
            flow.lastActive = .now()
            if let backend = flow.backend {
                backend.writeAndFlush(envelope.data, promise: nil)
            } else if flow.pending.count < maxPending {
                flow.pending.append(envelope.data)
            } else {
                counters.udpDropped.add(1, ordering: .relaxed)
            }
            return
        }
        guard case .endpoint(let endpoint) = router.pick(listener, client: UserspaceProxy.ipv4(client)) else {
            counters.udpDropped.add(1, ordering: .relaxed)
            return
        }
        let flow = Flow()
        flow.pending.append(envelope.data)
        flows[client] = flow
        counters.udpFlows.add(1, ordering: .relaxed)
        let listenerChannel = context.channel
        DatagramBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPReplyHandler(listener: listenerChannel, client: client))
                }
            }
            .connect(host: endpoint.ip.description, port: endpoint.port)
            .assumeIsolated()
            .whenComplete { [self] result in
                switch result {
                case .success(let backend):
                    guard flows[client] === flow else {
                        backend.close(promise: nil)
                        return
                    }
                    flow.backend = backend
                    for datagram in flow.pending { backend.write(datagram, promise: nil) }
                    flow.pending.removeAll()
                    backend.flush()
                    backend.closeFuture.assumeIsolated().whenComplete { [self] _ in
                        if flows[client] === flow {
                            flows[client] = nil
                            counters.udpFlows.subtract(1, ordering: .relaxed)
                        }
                    }
                case .failure:
                    counters.backendFailures.add(1, ordering: .relaxed)
                    if flows[client] === flow {
                        flows[client] = nil
                        counters.udpFlows.subtract(1, ordering: .relaxed)
                    }
                }
            }
    }

    /// Ends flows idle for longer than the timeout, every quarter of it.
    private func scheduleSweep(_ context: ChannelHandlerContext) {
        let period = TimeAmount.nanoseconds(max(idleTimeout.nanoseconds / 4, TimeAmount.milliseconds(50).nanoseconds))
        sweep = context.eventLoop.assumeIsolated().scheduleTask(in: period) { [self] in
            let now = NIODeadline.now()
            for (client, flow) in flows {
                let last = max(flow.lastActive, lastReplyTime(flow) ?? flow.lastActive)
                if now - last > idleTimeout {
                    flows[client] = nil
                    counters.udpFlows.subtract(1, ordering: .relaxed)
                    flow.backend?.close(promise: nil)
                }
            }
            scheduleSweep(context)
        }
    }

    private func lastReplyTime(_ flow: Flow) -> NIODeadline? {
        guard let backend = flow.backend,
            let handler = try? backend.pipeline.syncOperations.handler(type: UDPReplyHandler.self)
        else { return nil }
        return handler.lastActive
    }
}

/// Sends an endpoint's replies on a flow back to the client from the listener's socket.
final class UDPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let listener: any Channel
    private let client: SocketAddress
    private(set) var lastActive = NIODeadline.now()

    init(listener: any Channel, client: SocketAddress) {
        self.listener = listener
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        lastActive = .now()
        listener.write(AddressedEnvelope(remoteAddress: client, data: envelope.data), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        listener.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP error (nothing listens at the endpoint) ends the flow; the next datagram starts a new one.
        context.close(promise: nil)
    }
}
