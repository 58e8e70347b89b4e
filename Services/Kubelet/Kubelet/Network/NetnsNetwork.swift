import Foundation
public import Logging
import Schema

/// The `netns` pod network: each pod gets a network namespace and a veth pair to a bridge shared by every node on
/// this machine; needs root.
///
/// Every node adds its address (`.1` of its pod CIDR) to the bridge with the cluster prefix, so the bridge holds a
/// connected route for the whole cluster range and pods of every node on this machine share one L2 segment. Pods
/// get routes for the cluster range (on-link via `eth0`) and for the service range (via their node's address), and
/// no default route. The host gets blackhole routes for both ranges with a high metric, and forwarding and NAT are
/// left alone: no packet for a cluster address leaves the machine, and no pod packet can be routed off it.
///
/// Calls for one pod must not overlap (the kubelet works on a pod from one task at a time); calls for different pods
/// may run at once, since addresses are claimed with `O_EXCL`.
public struct NetnsNetwork: PodNetwork {
    /// The blackhole routes' metric: far above the bridge's connected route (metric 0), which wins while it exists.
    public static let blackholeMetric = 4_000_000

    public let configuration: PodNetworkConfiguration
    public var mode: NetworkMode { .netns }
    public let nodeIP: String
    public let podCIDR: String
    private let range: CIDR
    private let ipam: IPAM
    private let ip: String
    private let logger: Logger

    /// A network for the node whose slice is `configuration.podCIDR`; call `prepare()` before the first pod.
    public init(configuration: PodNetworkConfiguration, logger: Logger) throws {
        var configuration = configuration
        configuration.mode = .netns
        try configuration.validate()
        guard let range = configuration.podCIDR else {
            throw PodNetworkError.invalidConfiguration(
                "the pod network needs this node's pod CIDR: pass --pod-cidr, or allocate one with PodCIDRAllocator")
        }
        guard let ip = NetworkCommand.locate("ip") else {
            throw PodNetworkError.modeUnavailable(
                "network mode netns needs the ip command: install iproute2, or use --network loopback")
        }
        self.configuration = configuration
        self.range = range
        self.ipam = try IPAM(range: range, networkDirectory: configuration.networkDirectory)
        self.nodeIP = ipam.gateway.description
        self.podCIDR = range.description
        self.ip = ip
        self.logger = logger
    }

    /// The node's address on the bridge, with the cluster prefix (`10.244.1.1/16`).
    public var bridgeAddress: String { "\(nodeIP)/\(configuration.clusterCIDR.prefix)" }

    public func prepare() async throws {
        let bridge = configuration.bridgeName
        if !Self.linkExists(bridge) {
            let output = try await NetworkCommand.status(
                ip, ["-batch", "-"],
                input: "link add name \(bridge) type bridge\nlink set dev \(bridge) address \(bridgeMAC)\n")
            // Another node on this machine may have created it at the same moment; that is fine.
            if output.status != 0, !Self.linkExists(bridge) {
                throw NetworkCommand.failure(ip, ["-batch", "-"], input: nil, output: output)
            }
            logger.info("created the pod bridge", metadata: ["kubus.network.bridge": "\(bridge)"])
        }
        try PodNamespace.prepareFolder()
        // Without it, deleting the first address of the bridge would delete every other node's address with it.
        try? "1\n".write(
            toFile: "/proc/sys/net/ipv4/conf/\(bridge)/promote_secondaries", atomically: false, encoding: .utf8)
        try await NetworkCommand.run(
            ip, ["-batch", "-"],
            input: """
                link set dev \(bridge) up
                addr replace \(bridgeAddress) dev \(bridge)
                route replace blackhole \(configuration.clusterCIDR) metric \(Self.blackholeMetric)
                route replace blackhole \(configuration.serviceCIDR) metric \(Self.blackholeMetric)

                """)
        try NodeNetworkRecord(
            mode: .netns, podCIDR: range, clusterCIDR: configuration.clusterCIDR,
            serviceCIDR: configuration.serviceCIDR, bridgeName: bridge
        ).write(configuration.networkDirectory)
        if let value = try? String(contentsOfFile: "/proc/sys/net/bridge/bridge-nf-call-iptables", encoding: .utf8),
            value.hasPrefix("1")
        {
            let hint =
                "bridged pod traffic passes the host's iptables FORWARD chain (bridge-nf-call-iptables=1); if pods "
                + "cannot reach each other, allow the bridge: iptables -I FORWARD -i \(bridge) -o \(bridge) -j ACCEPT"
            logger.notice("\(hint)")
        }
        logger.info(
            "pod network ready",
            metadata: [
                "kubus.network.bridge": "\(bridge)", "kubus.network.nodeIP": "\(bridgeAddress)",
                "kubus.network.podCIDR": "\(podCIDR)",
            ])
    }

    public func setUp(podUID: String, namespace: String, name: String) async throws -> PodNetworkAttachment {
        let start = ContinuousClock.now
        let netns = PodNetworkNames.namespace(podUID: podUID)
        let path = PodNetworkNames.namespacePath(podUID: podUID)
        let link = PodNetworkNames.hostLink(podUID: podUID)
        let held = ipam.lookup(podUID: podUID)
        let record = records.read(podUID: podUID)
        if let held, record?.ready == true, Self.exists(path), Self.linkExists(link) {
            return PodNetworkAttachment(podUID: podUID, ip: held.description, networkNamespacePath: path)
        }
        if record == nil, Self.exists(path) || Self.linkExists(link) {
            throw PodNetworkError.conflict(
                "network namespace \(netns) or link \(link) of pod \(namespace)/\(name) already exists but was not "
                    + "created by this kubelet (a pod whose uid starts the same, or a leftover): remove it with "
                    + "`ip netns del \(netns)` and `ip link del \(link)` if no pod uses it")
        }
        let address = try held ?? ipam.allocate(podUID: podUID)
        do {
            try records.write(
                PodNetworkRecord(
                    podUID: podUID, namespace: namespace, name: name, ip: address.description, ready: false))
            // A pending record means an earlier set-up was cut short: start again from nothing.
            if Self.exists(path) || Self.linkExists(link) {
                try await deleteLinkAndNamespace(link: link, netns: netns)
            }
            try await PodNamespace.create(
                PodNamespace.Plan(
                    netns: netns, hostLink: link, bridge: configuration.bridgeName, address: address,
                    prefix: configuration.clusterCIDR.prefix, serviceCIDR: configuration.serviceCIDR,
                    gateway: ipam.gateway))
            try records.write(
                PodNetworkRecord(podUID: podUID, namespace: namespace, name: name, ip: address.description, ready: true)
            )
        } catch {
            if held == nil {
                try? await deleteLinkAndNamespace(link: link, netns: netns)
                records.remove(podUID: podUID)
                _ = try? ipam.release(podUID: podUID)
            }
            throw error
        }
        logger.debug(
            "pod network set up",
            metadata: [
                "kubus.pod": "\(namespace)/\(name)", "kubus.pod.uid": "\(podUID)", "kubus.pod.ip": "\(address)",
                "kubus.network.netns": "\(netns)", "kubus.duration": "\(ContinuousClock.now - start)",
            ])
        return PodNetworkAttachment(podUID: podUID, ip: address.description, networkNamespacePath: path)
    }

    public func tearDown(podUID: String) async throws {
        let record = records.read(podUID: podUID)
        let released = ipam.lookup(podUID: podUID)
        // Only remove what this kubelet created: it holds an address or a record for the pod.
        if record != nil || released != nil {
            try await deleteLinkAndNamespace(
                link: PodNetworkNames.hostLink(podUID: podUID), netns: PodNetworkNames.namespace(podUID: podUID))
        }
        records.remove(podUID: podUID)
        try ipam.release(podUID: podUID)
        logger.debug(
            "pod network torn down",
            metadata: ["kubus.pod.uid": "\(podUID)", "kubus.pod.ip": "\(released.map { "\($0)" } ?? "none")"])
    }

    public func attachments() async -> [PodNetworkAttachment] {
        ipam.list().filter { !$0.podUID.isEmpty }.map { allocation in
            let path = PodNetworkNames.namespacePath(podUID: allocation.podUID)
            return PodNetworkAttachment(
                podUID: allocation.podUID, ip: allocation.ip.description,
                networkNamespacePath: Self.exists(path) ? path : nil)
        }
    }

    /// Deletes every namespace, veth pair, address and record this state folder holds (whatever pod CIDR they
    /// came from), and with `removeNodeAddress` the node's address on the bridge; the bridge and the blackhole
    /// routes go too when no address is left on the bridge. For tests and `kubelet cleanup`.
    ///
    /// The node's address, bridge and ranges are the ones `prepare()` recorded in the state folder; the
    /// configuration's are used when it recorded none.
    public static func removeAll(configuration: PodNetworkConfiguration, removeNodeAddress: Bool = false) async throws {
        let directory = configuration.networkDirectory
        let records = PodNetworkRecords(directory: directory)
        var uids = Set(records.all().map(\.podUID))
        let ipamFolder = "\(directory)/ipam"
        var ranges: [IPAM] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: ipamFolder)) ?? [] {
            guard let range = CIDR(name.replacingOccurrences(of: "_", with: "/")),
                let ipam = try? IPAM(range: range, networkDirectory: directory)
            else { continue }
            ranges.append(ipam)
            uids.formUnion(ipam.list().map(\.podUID).filter { !$0.isEmpty })
        }
        // Go on past a pod that fails, so one stuck namespace does not keep the rest; report the first failure.
        var failure: (any Error)?
        for uid in uids.sorted() {
            do {
                try await PodNamespace.delete(
                    netns: PodNetworkNames.namespace(podUID: uid), hostLink: PodNetworkNames.hostLink(podUID: uid))
                records.remove(podUID: uid)
                for ipam in ranges { try ipam.release(podUID: uid) }
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        for ipam in ranges { try ipam.removeAll() }
        try? FileManager.default.removeItem(atPath: records.directory)
        let node = NodeNetworkRecord.read(directory)
        guard removeNodeAddress else { return }
        var host = configuration
        if let node {
            host.podCIDR = node.podCIDR
            host.clusterCIDR = node.clusterCIDR
            host.serviceCIDR = node.serviceCIDR
            host.bridgeName = node.bridgeName
        }
        unlink(NodeNetworkRecord.path(directory))
        if node?.mode == .loopback { return }
        guard let ip = NetworkCommand.locate("ip"), let gateway = host.podCIDR?.host(1), linkExists(host.bridgeName)
        else { return }
        let bridge = host.bridgeName
        let address = "\(gateway)/\(host.clusterCIDR.prefix)"
        let shown = try await NetworkCommand.run(ip, ["-4", "-o", "addr", "show", "dev", bridge])
        if shown.contains(" \(address) ") {
            try await NetworkCommand.run(ip, ["addr", "del", address, "dev", bridge])
        }
        let remaining = try await NetworkCommand.run(ip, ["-4", "-o", "addr", "show", "dev", bridge])
        if !remaining.contains(" inet ") {
            try await removeBridge(configuration: host)
        }
    }

    /// Deletes the bridge and the blackhole routes of the configuration's ranges, whoever still uses them.
    public static func removeBridge(configuration: PodNetworkConfiguration) async throws {
        guard let ip = NetworkCommand.locate("ip") else { return }
        var batch = ""
        if linkExists(configuration.bridgeName) { batch += "link del dev \(configuration.bridgeName)\n" }
        let routes = try await NetworkCommand.run(ip, ["-4", "route", "show", "type", "blackhole"])
        for cidr in [configuration.clusterCIDR, configuration.serviceCIDR]
        where routes.contains("blackhole \(cidr) metric \(blackholeMetric)") {
            batch += "route del blackhole \(cidr) metric \(blackholeMetric)\n"
        }
        if !batch.isEmpty { try await NetworkCommand.run(ip, ["-force", "-batch", "-"], input: batch) }
    }

    private var records: PodNetworkRecords { PodNetworkRecords(directory: configuration.networkDirectory) }

    /// A fixed, locally administered MAC for the bridge: left to itself a bridge takes the lowest MAC of its ports,
    /// which changes as pods come and go and leaves stale ARP entries in the pods.
    private var bridgeMAC: String {
        let value = StableHash.fnv1a64(configuration.bridgeName.utf8)
        let bytes = [0x02] + (0..<5).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        return bytes.map { String(format: "%02x", $0) }.joined(separator: ":")
    }

    private func deleteLinkAndNamespace(link: String, netns: String) async throws {
        try await PodNamespace.delete(netns: netns, hostLink: link)
    }

    static func linkExists(_ name: String) -> Bool { exists("/sys/class/net/\(name)") }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
