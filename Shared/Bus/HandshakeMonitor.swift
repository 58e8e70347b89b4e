import CZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the ZMTP handshakes of one connecting socket through libzmq's socket monitor, so a client can say why the
/// bus will not talk to it instead of waiting for replies that cannot come.
///
/// libzmq gives up on a connection whose handshake failed for a protocol reason — the two sides disagree on the
/// security mechanism (one uses CurveZMQ, the other plain text), or the broker's ZAP handler refused the key — and
/// never reconnects it (a protocol error ends the session: `session_base_t::engine_error`); sends then queue on a
/// socket with no connection. A connection the peer
/// closed during the handshake (a broker that cannot decrypt the client's HELLO because the client names another
/// bus's public key, or a broker restarting) is retried by libzmq on its own.
package final class HandshakeMonitor {
    /// What one handshake came to.
    package enum Outcome: Equatable {
        case succeeded
        /// libzmq will not retry this connection: the socket must be replaced to try again.
        case refused(String)
        /// The connection closed during the handshake; libzmq reconnects by itself.
        case interrupted(String)
    }

    /// The PAIR socket the monitor's events arrive on; poll it for input.
    package let socket: ZMQSocket
    private let watched: ZMQSocket
    private let endpoint: String
    private let hasKey: Bool

    /// Starts monitoring `watched` (before it connects, so its first handshake is seen). `endpoint` and whether the
    /// client has a key only shape the messages.
    package init(context: ZMQContext, watching watched: ZMQSocket, endpoint: String, hasKey: Bool) throws(BusError) {
        let name = "inproc://kubus-handshake-\(BusClock.randomID().prefix(12))"
        let events =
            ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
            | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
        guard zmq_socket_monitor(watched.handle, name, events) == 0 else {
            throw BusError.zmq("zmq_socket_monitor")
        }
        let pair = try ZMQSocket(context: context, type: ZMQ_PAIR)
        do throws(BusError) {
            try pair.connect(name)
        } catch {
            pair.close()
            zmq_socket_monitor(watched.handle, nil, 0)
            throw error
        }
        socket = pair
        self.watched = watched
        self.endpoint = endpoint
        self.hasKey = hasKey
    }

    /// The handshakes finished since the last call, oldest first.
    package func drain() -> [Outcome] {
        var outcomes: [Outcome] = []
        while let frames = try? socket.receive() {
            guard frames.count == 2, frames[0].count == 6 else { continue }
            let event = Int32(frames[0][0]) | Int32(frames[0][1]) << 8
            let value = frames[0][2...5].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if let outcome = describe(event: event, value: value) { outcomes.append(outcome) }
        }
        return outcomes
    }

    /// A socket of `type` with `configure` applied, watched from before it connects to `endpoint` (as a CurveZMQ client
    /// when `credentials` are given); both are closed again when any step fails.
    package static func connect(
        context: ZMQContext, type: Int32, endpoint: String, credentials: BusCredentials?,
        configure: (ZMQSocket) throws(BusError) -> Void
    ) throws(BusError) -> (socket: ZMQSocket, monitor: HandshakeMonitor) {
        let socket = try ZMQSocket(context: context, type: type)
        do throws(BusError) {
            try configure(socket)
            let monitor = try HandshakeMonitor(
                context: context, watching: socket, endpoint: endpoint, hasKey: credentials != nil)
            do throws(BusError) {
                try socket.connect(endpoint, as: credentials)
            } catch {
                monitor.close()
                throw error
            }
            return (socket, monitor)
        } catch {
            socket.close()
            throw error
        }
    }

    /// Stops monitoring and closes the monitor's socket; call before closing the watched socket.
    package func close() {
        guard !socket.isClosed else { return }
        if !watched.isClosed { zmq_socket_monitor(watched.handle, nil, 0) }
        socket.close()
    }

    func describe(event: Int32, value: UInt32) -> Outcome? {
        let bus = "the bus at \(endpoint)"
        switch event {
        case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
            return .succeeded
        case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
        where Int32(bitPattern: value) == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH:
            return .refused(
                hasKey
                    ? "\(bus) does not use CurveZMQ (it runs with --insecure) but this client has a key (--bus-key, "
                        + "KUBUS_BUS_KEY or .kubus/keys/admin.key in the current folder): run it without one against this bus"
                    : "\(bus) requires CurveZMQ and this client has no key: give it one with --bus-key or KUBUS_BUS_KEY "
                        + "(kubus-up writes them to STATE/keys)")
        case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
            return .refused("the handshake with \(bus) failed: ZMTP protocol error 0x\(String(value, radix: 16))")
        case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
            return .refused(
                value == 400
                    ? "\(bus) refused this client's key: its public key is not in the bus's key registry (or was revoked)"
                    : "\(bus) refused this client's key (ZAP status \(value))")
        case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
            return .interrupted(
                "\(bus) closed the connection during the handshake (\(String(cString: strerror(Int32(bitPattern: value))))); "
                    + (hasKey
                        ? "if this persists, the serverKey in this client's key file is another bus's public key"
                        : "is it a ZeroMQ bus?"))
        default:
            return nil
        }
    }
}

/// A socket to the broker whose handshakes are watched: refused, it is closed at once and made again a second later
/// (libzmq would never retry it), and why is kept. What `BusClient` and `Subscriber` connect with.
package final class BrokerConnection {
    /// The socket; nil for a second after a refused handshake.
    package private(set) var socket: ZMQSocket?
    private var monitor: HandshakeMonitor?
    /// Why the last handshake did not succeed, nil once one does. A refusal stands over a later interruption: after
    /// refusing, the broker may close the next attempt before saying why.
    package private(set) var problem: String?
    private var refusedBefore = false
    private var reconnectAt: Int64 = 0
    private let make: () throws(BusError) -> (socket: ZMQSocket, monitor: HandshakeMonitor)

    /// Connects a socket of `type` with `configure` applied, as `HandshakeMonitor.connect` does.
    package init(
        context: ZMQContext, type: Int32, endpoint: String, credentials: BusCredentials?,
        configure: @escaping (ZMQSocket) throws(BusError) -> Void
    ) throws(BusError) {
        make = { () throws(BusError) in
            try HandshakeMonitor.connect(
                context: context, type: type, endpoint: endpoint, credentials: credentials, configure: configure)
        }
        let made = try make()
        (socket, monitor) = (made.socket, made.monitor)
    }

    /// The socket and then the monitor's socket while connected (poll index 1 is the monitor); none meanwhile.
    package var pollSockets: [ZMQSocket] {
        guard let socket, let monitor else { return [] }
        return [socket, monitor.socket]
    }

    /// Reads the monitor's events; returns the reason when a handshake was refused (the socket is closed then).
    package func readHandshakes() -> String? {
        guard let monitor else { return nil }
        for outcome in monitor.drain() {
            switch outcome {
            case .succeeded:
                refusedBefore = false
                problem = nil
            case .interrupted(let reason):
                if !refusedBefore { problem = reason }
            case .refused(let reason):
                refusedBefore = true
                problem = reason
                close()
                reconnectAt = BusClock.nowMs() + 1000
                return reason
            }
        }
        return nil
    }

    /// Makes the socket again once a refusal's second has passed: the new socket when it did, and the milliseconds
    /// until the next try while there is none (-1 while connected).
    package func reconnectIfDue() -> (made: ZMQSocket?, wait: Int) {
        guard socket == nil else { return (nil, -1) }
        let now = BusClock.nowMs()
        if now >= reconnectAt {
            if let made = try? make() {
                (socket, monitor) = (made.socket, made.monitor)
                return (made.socket, -1)
            }
            reconnectAt = now + 1000
        }
        return (nil, Int(max(1, reconnectAt - now)))
    }

    package func close() {
        monitor?.close()
        socket?.close()
        (socket, monitor) = (nil, nil)
    }
}
