public import Schema

/// A host port a container asks for: protocol, host IP (`0.0.0.0` for all) and port.
public struct HostPort: Sendable, Hashable {
    public var `protocol`: String
    public var ip: String
    public var port: Int

    public init(protocol: String = "TCP", ip: String = "0.0.0.0", port: Int) {
        self.protocol = `protocol`
        self.ip = ip
        self.port = port
    }

    /// Whether two requests collide: same protocol and port, and the same IP or either one is the wildcard.
    public func conflicts(with other: HostPort) -> Bool {
        guard port == other.port, `protocol` == other.protocol else { return false }
        return ip == other.ip || ip == HostPort.wildcard || other.ip == HostPort.wildcard
    }

    static let wildcard = "0.0.0.0"

    /// The host ports of `pod`'s containers (those with `hostPort` > 0).
    public static func of(_ pod: Pod) -> [HostPort] {
        var ports: [HostPort] = []
        for container in pod.spec.containers {
            for port in container.ports ?? [] {
                guard let hostPort = port.hostPort, hostPort > 0 else { continue }
                let ip = port.hostIP.flatMap { $0.isEmpty ? nil : $0 } ?? wildcard
                ports.append(HostPort(protocol: port.protocol ?? "TCP", ip: ip, port: hostPort))
            }
        }
        return ports
    }
}
