import Foundation
import NIOCore
import NIOPosix
import Schema
import Synchronization
import Wire

/// Listens on local ports and carries each accepted connection over the bus to a pod's kubelet
/// (`portforward.start`, then `portforward.io` long polls), as `kubectl port-forward` does over its stream.
final class PortForwarder: Sendable {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>
    typealias Listener = NIOAsyncChannel<Connection, Never>

    let call: KubeletCall
    let namespace: String
    let pod: String
    /// Sessions still open, closed on the way out.
    let open = Mutex<Set<String>>([])

    init(call: KubeletCall, namespace: String, pod: String) {
        self.call = call
        self.namespace = namespace
        self.pod = pod
    }

    /// A listener bound for one forwarded port.
    struct Bound: Sendable {
        var listener: Listener
        var port: PortForwardSpec.Port
    }

    /// Binds every port on every address, printing kubectl's `Forwarding from 127.0.0.1:8080 -> 80`; a port nobody
    /// could listen on is reported and skipped. Throws when no port could listen at all.
    func bind(_ ports: [PortForwardSpec.Port], addresses: [PortForwardSpec.Address]) async throws -> [Bound] {
        var bound: [Bound] = []
        var failedPorts: [PortForwardSpec.Port] = []
        for var port in ports {
            var errors: [String] = []
            var listeners: [Listener] = []
            var required = false
            for address in addresses {
                do {
                    let listener = try await Self.listen(host: address.host, port: port.local)
                    if port.local == 0, let actual = listener.channel.localAddress?.port { port.local = actual }
                    Console.line("Forwarding from \(PortForwardSpec.join(address.host, port.local)) -> \(port.remote)")
                    listeners.append(listener)
                } catch {
                    let family = address.host.contains(":") ? "tcp6" : "tcp4"
                    let listenAddress = PortForwardSpec.join(address.host, port.local)
                    errors.append(
                        "unable to create listener: Error listen \(family) \(listenAddress): bind: \(Self.reason(error))"
                    )
                    if !address.optional { required = true }
                }
            }
            if listeners.isEmpty || required {
                Console.err(
                    "Unable to listen on port \(port.local): Listeners failed to create with the following errors: "
                        + "[\(errors.joined(separator: " "))]")
                for listener in listeners { try? await listener.channel.close() }
                failedPorts.append(port)
                continue
            }
            bound += listeners.map { Bound(listener: $0, port: port) }
        }
        if bound.isEmpty {
            let list = failedPorts.map { "{\($0.local) \($0.remote)}" }.joined(separator: " ")
            throw CtlError("unable to listen on any of the requested ports: [\(list)]")
        }
        return bound
    }

    /// Accepts and forwards connections until cancelled; then closes every session still open.
    func serve(_ bound: [Bound]) async {
        await withDiscardingTaskGroup { group in
            for entry in bound {
                group.addTask {
                    try? await entry.listener.executeThenClose { inbound in
                        try await withThrowingDiscardingTaskGroup { connections in
                            for try await connection in inbound {
                                connections.addTask { await self.forward(connection, port: entry.port) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Closes the kubelet sessions still open (after an interrupt).
    func closeAll() async {
        for session in open.withLock({ $0 }) {
            _ = try? await call.request(
                "portforward.io", PortForwardIORequest(session: session, close: true), as: PortForwardIOReply.self)
        }
    }

    /// One connection: bytes from the local side are sent in order (then the write side is closed); the pod's bytes
    /// are polled and written locally until the pod closes its side, which ends the connection as in kubectl.
    func forward(_ connection: Connection, port: PortForwardSpec.Port) async {
        Console.line("Handling connection for \(port.local)")
        let session: String
        do {
            session = try await call.request(
                "portforward.start", PortForwardStartRequest(namespace: namespace, pod: pod, port: port.remote),
                as: PortForwardStartReply.self
            ).session
        } catch {
            Console.err("an error occurred forwarding \(port.local) -> \(port.remote): \(Self.message(error))")
            try? await connection.channel.close()
            return
        }
        open.withLock { _ = $0.insert(session) }
        defer { open.withLock { _ = $0.remove(session) } }
        let call = self.call
        try? await connection.executeThenClose { inbound, outbound in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var offset: Int64 = 0
                    do {
                        for try await buffer in inbound {
                            let bytes = Data(buffer.readableBytesView)
                            _ = try await call.request(
                                "portforward.io",
                                PortForwardIORequest(
                                    session: session, send: bytes.base64EncodedString(), sendOffset: offset),
                                as: PortForwardIOReply.self)
                            offset += Int64(bytes.count)
                        }
                        _ = try await call.request(
                            "portforward.io",
                            PortForwardIORequest(session: session, sendOffset: offset, closeWrite: true),
                            as: PortForwardIOReply.self)
                    } catch {
                        if !Task.isCancelled {
                            Console.err(
                                "error copying from local connection to remote stream: \(Self.message(error))")
                        }
                    }
                }
                var received: Int64 = 0
                do {
                    while !Task.isCancelled {
                        let reply = try await call.request(
                            "portforward.io",
                            PortForwardIORequest(session: session, received: received, waitMillis: 2_000),
                            as: PortForwardIOReply.self)
                        if let data = Data(base64Encoded: reply.data), !data.isEmpty {
                            try await outbound.write(ByteBuffer(bytes: data))
                            received += Int64(data.count)
                        }
                        if let error = reply.error {
                            Console.err("an error occurred forwarding \(port.local) -> \(port.remote): \(error)")
                            break
                        }
                        if reply.eof { break }
                    }
                } catch {
                    if !Task.isCancelled {
                        Console.err("error copying from remote stream to local connection: \(Self.message(error))")
                    }
                }
                group.cancelAll()
            }
        }
        _ = try? await call.request(
            "portforward.io", PortForwardIORequest(session: session, close: true), as: PortForwardIOReply.self)
    }

    static func listen(host: String, port: Int) async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Connection(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
    }

    /// `address already in use` for a failed bind.
    static func reason(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        return "\(error)"
    }

    /// The text of an error without kubectl's `error: ` or `Error from server` prefix.
    static func message(_ error: any Error) -> String {
        if let api = error as? APIError { return api.status.message ?? "\(api)" }
        return "\(error)"
    }
}
