import NIOCore

/// One half of a pair joining two TCP channels of one event loop (the client's and the endpoint's): what one reads,
/// the other writes. Back-pressure: a side reads only while its partner is writable. Half-close: end of input on one
/// side shuts the other's output once what was written before it is sent. Closing: when one side is gone the other
/// is closed once its pending writes are sent (or after `drainTimeout`); an error closes both at once.
final class SpliceHandler {
    private var partner: SpliceHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private let drainTimeout: TimeAmount

    private init(drainTimeout: TimeAmount) {
        self.drainTimeout = drainTimeout
    }

    /// Two handlers joined to each other, one for each channel.
    static func pair(drainTimeout: TimeAmount = .seconds(10)) -> (SpliceHandler, SpliceHandler) {
        let first = SpliceHandler(drainTimeout: drainTimeout)
        let second = SpliceHandler(drainTimeout: drainTimeout)
        first.partner = second
        second.partner = first
        return (first, second)
    }

    private func partnerWrite(_ data: NIOAny) {
        context?.write(data, promise: nil)
    }

    private func partnerFlush() {
        context?.flush()
    }

    /// The partner's input ended: shut this side's output after what is queued is written.
    private func partnerEndOfInput() {
        guard let context else { return }
        afterPendingWrites(context) { context in context.close(mode: .output, promise: nil) }
    }

    /// The partner is gone: close this side after what is queued is written, or after the drain timeout.
    private func partnerClosed() {
        guard let context else { return }
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(in: drainTimeout) {
            context.close(promise: nil)
        }
        afterPendingWrites(context) { context in
            timeout.cancel()
            context.close(promise: nil)
        }
    }

    private func partnerFailed() {
        context?.close(promise: nil)
    }

    private func partnerBecameWritable() {
        if pendingRead {
            pendingRead = false
            context?.read()
        }
    }

    private var isWritable: Bool { context?.channel.isWritable ?? false }

    /// Runs `body` once every write queued before it has gone out (writes complete in order).
    private func afterPendingWrites(_ context: ChannelHandlerContext, _ body: @escaping (ChannelHandlerContext) -> Void)
    {
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(capacity: 0)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in body(context) }
    }
}

extension SpliceHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.partnerWrite(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let partner = self.partner
        self.partner = nil
        partner?.partner = nil
        partner?.partnerClosed()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            partner?.partnerEndOfInput()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let partner = self.partner
        self.partner = nil
        partner?.partner = nil
        partner?.partnerFailed()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if partner?.isWritable ?? false {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
