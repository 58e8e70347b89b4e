import Foundation
public import Logging
public import Schema

/// What the host needs so that the kernel can carry service traffic between pods on the bridge: forwarding on the
/// bridge (only on it: `net.ipv4.conf.<bridge>.forwarding`, so nothing else of the host starts routing), bridged
/// traffic through netfilter (`net.bridge.bridge-nf-call-iptables`, so a reply from a pod to a pod on the same bridge
/// is un-NATed), `route_localnet` on the bridge (so traffic from 127.0.0.1 to a balancer address may be
/// masqueraded onto it), and a route for the service range through the bridge that takes precedence over the
/// kubelet's blackhole (so the host itself reaches cluster IPs; without the proxy's rules nothing answers there and
/// nothing leaves the machine either).
public struct HostRouting: Sendable {
    public var bridge: String
    public var serviceCIDR: CIDR
    /// The route's metric: below the kubelet's blackhole routes (4000000).
    public var metric = 1000

    public init(bridge: String, serviceCIDR: CIDR) {
        self.bridge = bridge
        self.serviceCIDR = serviceCIDR
    }

    /// Whether the bridge exists (the first kubelet creates it).
    public var bridgeExists: Bool { FileManager.default.fileExists(atPath: "/sys/class/net/\(bridge)") }

    /// Sets what is missing; returns what it could not, for the log.
    public func prepare(logger: Logger) async -> [String] {
        var problems: [String] = []
        for (path, value) in [
            ("/proc/sys/net/ipv4/conf/\(bridge)/forwarding", "1"),
            ("/proc/sys/net/ipv4/conf/\(bridge)/route_localnet", "1"),
            ("/proc/sys/net/bridge/bridge-nf-call-iptables", "1"),
        ] {
            let current = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            if current == value { continue }
            do {
                try value.write(toFile: path, atomically: false, encoding: .utf8)
            } catch {
                problems.append("cannot set \(path) to \(value): \(error)")
            }
        }
        guard let ip = HostProgram.locate("ip") else { return problems + ["ip (iproute2) not found"] }
        let route = await HostProgram.run(
            ip, ["route", "replace", serviceCIDR.description, "dev", bridge, "metric", String(metric)])
        if route.status != 0 { problems.append("cannot route \(serviceCIDR) through \(bridge): \(route.output)") }
        return problems
    }

    /// Removes the route (the bridge's settings go with the bridge).
    public func remove() async {
        guard let ip = HostProgram.locate("ip") else { return }
        _ = await HostProgram.run(
            ip, ["route", "del", serviceCIDR.description, "dev", bridge, "metric", String(metric)])
    }
}
