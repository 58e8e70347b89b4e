import Foundation
public import Logging
public import Schema

/// The network mode a kubelet is asked for: `auto` picks `netns` where the host allows it, else `loopback`.
public enum NetworkModeSetting: String, Sendable, Hashable, Codable, CaseIterable {
    case auto
    case netns
    case loopback
}

/// Where pods get their addresses and how they reach each other on this node.
public struct PodNetworkConfiguration: Sendable, Hashable {
    /// The default pod range of the cluster (Flannel's and kubeadm's usual one).
    public static let defaultClusterCIDR = CIDR("10.244.0.0/16")!
    /// The default service range (Kubernetes' `--service-cluster-ip-range` default).
    public static let defaultServiceCIDR = CIDR("10.96.0.0/12")!
    /// The default bridge every pod of every node on this machine is attached to.
    public static let defaultBridgeName = "kubus0"

    /// The pod range of the whole cluster; every node's `podCIDR` is a slice of it.
    public var clusterCIDR: CIDR
    /// The range service virtual IPs come from; pods route it to their node's address.
    public var serviceCIDR: CIDR
    /// This node's slice of `clusterCIDR` (`10.244.1.0/24`); nil until given (`--pod-cidr`) or allocated
    /// (`PodCIDRAllocator`).
    public var podCIDR: CIDR?
    /// The Linux bridge pods attach to in `netns` mode (at most 15 characters).
    public var bridgeName: String
    /// The kubelet's state folder; the network keeps its files under `<stateDirectory>/network/`.
    public var stateDirectory: String
    /// The mode asked for.
    public var mode: NetworkModeSetting

    public init(
        stateDirectory: String, mode: NetworkModeSetting = .auto, clusterCIDR: CIDR = defaultClusterCIDR,
        serviceCIDR: CIDR = defaultServiceCIDR, podCIDR: CIDR? = nil, bridgeName: String = defaultBridgeName
    ) {
        self.stateDirectory = stateDirectory
        self.mode = mode
        self.clusterCIDR = clusterCIDR
        self.serviceCIDR = serviceCIDR
        self.podCIDR = podCIDR
        self.bridgeName = bridgeName
    }

    /// The folder the network keeps its files in.
    public var networkDirectory: String { "\(stateDirectory)/network" }

    /// The mode, when it is decided (`netns` or `loopback`); nil for `auto`.
    public var networkMode: NetworkMode? { NetworkMode(rawValue: mode.rawValue) }

    /// Decides `auto`, checks that a forced mode can run here, and moves the ranges into 127.0.0.0/8 for
    /// `loopback`; logs the mode and why. The result's `mode` is `netns` or `loopback`.
    public func resolved(logger: Logger) async throws -> PodNetworkConfiguration {
        var resolved = self
        let mode: NetworkMode
        switch self.mode {
        case .auto:
            let detection = await NetworkMode.detect()
            mode = detection.mode
            logger.info(
                "pod network mode \(mode.rawValue): \(detection.reason)", metadata: ["kubus.network.mode": "\(mode)"])
        case .netns:
            if let reason = await NetworkMode.netnsUnavailableReason() {
                throw PodNetworkError.modeUnavailable(
                    "network mode netns cannot run on this host: \(reason); run the kubelet as root on Linux with "
                        + "iproute2 installed, or use --network loopback")
            }
            mode = .netns
            logger.info("pod network mode netns: asked for", metadata: ["kubus.network.mode": "netns"])
        case .loopback:
            mode = .loopback
            logger.info("pod network mode loopback: asked for", metadata: ["kubus.network.mode": "loopback"])
        }
        resolved.mode = mode == .netns ? .netns : .loopback
        if mode == .loopback { resolved = try resolved.movedToLoopback() }
        try resolved.validate()
        return resolved
    }

    /// The same configuration with every range outside 127.0.0.0/8 moved into it by replacing its first octet
    /// (`10.244.0.0/16` becomes `127.244.0.0/16`, `10.96.0.0/12` becomes `127.96.0.0/12`).
    public func movedToLoopback() throws -> PodNetworkConfiguration {
        var moved = self
        moved.clusterCIDR = try Self.loopback(clusterCIDR, what: "cluster CIDR")
        moved.serviceCIDR = try Self.loopback(serviceCIDR, what: "service CIDR")
        moved.podCIDR = try podCIDR.map { try Self.loopback($0, what: "pod CIDR") }
        return moved
    }

    /// Checks the ranges and names fit together; the error says which flag to change.
    public func validate() throws {
        if bridgeName.isEmpty || bridgeName.utf8.count > 15
            || bridgeName.contains(where: { $0 == "/" || $0.isWhitespace || $0 == ":" })
        {
            throw PodNetworkError.invalidConfiguration(
                "bridge name \"\(bridgeName)\" is not a valid interface name: use 1 to 15 characters without "
                    + "spaces, \"/\" or \":\"")
        }
        if clusterCIDR.overlaps(serviceCIDR) {
            throw PodNetworkError.invalidConfiguration(
                "the cluster CIDR \(clusterCIDR) overlaps the service CIDR \(serviceCIDR): give them separate ranges")
        }
        if clusterCIDR.prefix > 30 {
            throw PodNetworkError.invalidConfiguration("the cluster CIDR \(clusterCIDR) is too small: use /30 or wider")
        }
        if let podCIDR {
            if !clusterCIDR.contains(podCIDR) {
                throw PodNetworkError.invalidConfiguration(
                    "the pod CIDR \(podCIDR) is outside the cluster CIDR \(clusterCIDR): pass a --pod-cidr inside "
                        + "--cluster-cidr, or leave it out to have one allocated")
            }
            if podCIDR.prefix > 30 {
                throw PodNetworkError.invalidConfiguration(
                    "the pod CIDR \(podCIDR) is too small: a node's range needs at least /30")
            }
        }
        let loopbackRange = CIDR("127.0.0.0/8")!
        if mode == .netns, loopbackRange.overlaps(clusterCIDR) || loopbackRange.overlaps(serviceCIDR) {
            throw PodNetworkError.invalidConfiguration(
                "network mode netns cannot use ranges in 127.0.0.0/8 (cluster \(clusterCIDR), service "
                    + "\(serviceCIDR)): those never leave the loopback interface; use 10.244.0.0/16 and 10.96.0.0/12")
        }
    }

    private static func loopback(_ cidr: CIDR, what: String) throws -> CIDR {
        let loopbackRange = CIDR("127.0.0.0/8")!
        if loopbackRange.contains(cidr) { return cidr }
        guard cidr.prefix >= 8 else {
            throw PodNetworkError.invalidConfiguration(
                "the \(what) \(cidr) cannot move into 127.0.0.0/8 for network mode loopback: use a /8 or narrower range"
            )
        }
        return CIDR(address: IPv4(127 << 24 | cidr.network.value & 0x00FF_FFFF), prefix: cidr.prefix)!
    }
}
