import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Opens the TCP connection a port forward carries: to `localhost:PORT` inside the pod's network namespace, as
/// the kubelet's runtimes do (so a server bound to 127.0.0.1 in the pod is reached too); to the pod's address in
/// `loopback` mode, where a pod's processes bind `POD_IP`; to the host's localhost for `hostNetwork` pods.
enum PodPortDialer {
    /// Where to connect.
    enum Target: Sendable, Hashable {
        /// `localhost:port` inside the namespace mounted at this path.
        case namespace(path: String)
        /// An address reachable from the host.
        case address(String)
    }

    struct DialError: Error, CustomStringConvertible {
        var description: String
    }

    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// A connected channel with half-closure on both sides, so either end can finish sending and still receive.
    static func connect(_ target: Target, port: Int) async throws -> Connection {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connectTimeout(.seconds(5))
        let wrap: @Sendable (any Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try Connection(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
        switch target {
        case .address(let host):
            do {
                return try await bootstrap.connect(host: host, port: port, channelInitializer: wrap)
            } catch {
                throw DialError(description: "failed to connect to \(host):\(port): \(reason(error))")
            }
        case .namespace(let path):
            let fd = try await connectInside(namespace: path, port: port)
            do {
                return try await bootstrap.withConnectedSocket(fd, channelInitializer: wrap)
            } catch {
                close(fd)
                throw error
            }
        }
    }

    /// Connects to 127.0.0.1, then ::1, from a thread that moves into the namespace and ends afterwards: no other
    /// work ever runs on a thread whose namespace was changed. The socket stays in the pod's namespace.
    static func connectInside(namespace path: String, port: Int) async throws -> Int32 {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try connectBlocking(namespace: path, port: port) })
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }

    private static func connectBlocking(namespace path: String, port: Int) throws -> Int32 {
        let nsFD = open(path, O_RDONLY | O_CLOEXEC)
        guard nsFD >= 0 else {
            throw DialError(
                description: "cannot open the network namespace \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(nsFD) }
        guard let setns = setnsFunction, setns(nsFD, cloneNewNet) == 0 else {
            throw DialError(
                description: "cannot enter the network namespace \(path): \(String(cString: strerror(errno)))")
        }
        var failures: [String] = []
        for family in [AF_INET, AF_INET6] {
            let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                failures.append(String(cString: strerror(errno)))
                continue
            }
            let result: Int32
            if family == AF_INET {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
                result = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            } else {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = in_port_t(UInt16(port).bigEndian)
                address.sin6_addr = in6addr_loopback
                result = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                    }
                }
            }
            if result == 0 { return fd }
            let name = family == AF_INET ? "IPv4: dial tcp4 127.0.0.1" : "IPv6: dial tcp6 [::1]"
            failures.append("\(name):\(port): connect: \(String(cString: strerror(errno)).lowercased())")
            close(fd)
        }
        throw DialError(
            description: "failed to connect to localhost:\(port) inside namespace \"\(path)\", "
                + failures.joined(separator: " "))
    }

    /// `connection refused` for NIO's connect errors, the error itself otherwise.
    static func reason(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let connect = error as? NIOConnectionError, let first = connect.connectionErrors.first {
            return reason(first.error)
        }
        return "\(error)"
    }

    private static let cloneNewNet: Int32 = 0x4000_0000  // CLONE_NEWNET

    private typealias SetnsFunction = @convention(c) (Int32, Int32) -> Int32

    // Glibc declares setns(2) only under _GNU_SOURCE, which Swift's Glibc module does not define.
    private static let setnsFunction: SetnsFunction? = dlsym(dlopen(nil, RTLD_NOW), "setns")
        .map { unsafeBitCast($0, to: SetnsFunction.self) }
}
