import Foundation

/// The network mode `auto` settled on, and why.
public struct NetworkModeDetection: Sendable, Hashable {
    public var mode: NetworkMode
    /// Why, in a sentence for the kubelet's log.
    public var reason: String
}

extension NetworkMode {
    /// Picks `netns` when this process is root and can create a network namespace with a veth pair and a bridge,
    /// else `loopback`.
    public static func detect() async -> NetworkModeDetection {
        if let reason = await netnsUnavailableReason() {
            return NetworkModeDetection(mode: .loopback, reason: "\(reason), so pods get loopback addresses")
        }
        return NetworkModeDetection(
            mode: .netns, reason: "running as root and able to create network namespaces, veth pairs and bridges")
    }

    /// Why `netns` mode cannot run here, or nil when it can: probes a throw-away namespace.
    public static func netnsUnavailableReason() async -> String? {
        #if os(Linux)
            guard geteuid() == 0 else { return "not running as root" }
            guard let ip = NetworkCommand.locate("ip") else { return "the ip command (iproute2) is not installed" }
            let probe = "kubus-probe-\(UInt32.random(in: 0...UInt32.max))"
            do {
                try await NetworkCommand.run(ip, ["netns", "add", probe])
            } catch {
                return "cannot create a network namespace (\(error))"
            }
            var reason: String?
            do {
                try await NetworkCommand.run(
                    ip, ["-n", probe, "-batch", "-"],
                    input: "link add kbp0 type veth peer name kbp1\nlink add kbpbr type bridge\n")
            } catch {
                reason = "cannot create veth pairs or bridges (\(error))"
            }
            _ = try? await NetworkCommand.status(ip, ["netns", "del", probe])
            return reason
        #else
            return "network namespaces exist only on Linux"
        #endif
    }
}
