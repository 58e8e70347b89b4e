import NIOCore
import NIOPosix
import Schema
import Synchronization

/// The first handler of an accepted TCP connection: picks an endpoint, connects to it on the same event loop (trying
/// the next endpoint when one refuses, up to `attempts`), then joins the two channels with a `SpliceHandler` pair and
/// leaves. Without an endpoint the connection is reset at once (SO_LINGER 0), as kube-proxy rejects it.
final class TCPFrontendHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let listener: ListenerKey
    private let router: ServiceRouter
    private let counters: UserspaceCounters
    private let connectTimeout: TimeAmount
    private let attempts: Int
    private var clientGone = false

    init(
        listener: ListenerKey, router: ServiceRouter, counters: UserspaceCounters, connectTimeout: TimeAmount,
        attempts: Int
    ) {
        self.listener = listener
        self.router = router
        self.counters = counters
        self.connectTimeout = connectTimeout
        self.attempts = attempts
    }

    func channelActive(context: ChannelHandlerContext) {
        counters.accepted.add(1, ordering: .relaxed)
        counters.active.add(1, ordering: .relaxed)
        let counters = self.counters
        context.channel.closeFuture.whenComplete { _ in counters.active.subtract(1, ordering: .relaxed) }
        connect(context, client: UserspaceProxy.ipv4(context.channel.remoteAddress), excluding: [])
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        clientGone = true
        context.fireChannelInactive()
    }

    private func connect(_ context: ChannelHandlerContext, client: IPv4?, excluding: Set<ProxyModel.Endpoint>) {
        guard case .endpoint(let endpoint) = router.pick(listener, client: client, excluding: excluding) else {
            if excluding.isEmpty { counters.refused.add(1, ordering: .relaxed) }
            reset(context)
            return
        }
        ClientBootstrap(group: context.eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.autoRead, value: false)
            .connect(host: endpoint.ip.description, port: endpoint.port)
            .assumeIsolated()
            .whenComplete { [self] result in
                switch result {
                case .success(let backend):
                    guard !clientGone else {
                        backend.close(promise: nil)
                        return
                    }
                    splice(context, backend)
                case .failure:
                    counters.backendFailures.add(1, ordering: .relaxed)
                    guard !clientGone else { return }
                    let tried = excluding.union([endpoint])
                    if tried.count < attempts {
                        connect(context, client: client, excluding: tried)
                    } else {
                        reset(context)
                    }
                }
            }
    }

    private func splice(_ context: ChannelHandlerContext, _ backend: any Channel) {
        let (front, back) = SpliceHandler.pair()
        do {
            try backend.pipeline.syncOperations.addHandler(back)
            try context.pipeline.syncOperations.addHandler(front, position: .after(self))
        } catch {
            backend.close(promise: nil)
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        channel.setOption(.autoRead, value: true).whenFailure { _ in channel.close(promise: nil) }
        backend.setOption(.autoRead, value: true).whenFailure { _ in backend.close(promise: nil) }
    }

    /// Closes with a reset, so the client learns at once that nothing serves here.
    private func reset(_ context: ChannelHandlerContext) {
        let channel = context.channel
        if let provider = channel as? any SocketOptionProvider {
            provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            channel.close(promise: nil)
        }
    }
}
