import Foundation
public import Logging
import Schema

/// The `loopback` pod network: pod addresses from 127.0.0.0/8 and no namespaces; needs no privileges.
///
/// Linux routes all of 127.0.0.0/8 to the loopback interface, so every such address works at once with nothing to
/// set up: a pod's processes get `POD_IP` (the kubelet sets it) and bind it. Pods share the host's network
/// namespace, so two pods must not bind the same port on the wildcard address. Addresses come from the node's
/// slice (`127.244.1.0/24` gives node IP `127.244.1.1`) through the same `IPAM` the netns network uses.
public struct LoopbackNetwork: PodNetwork {
    public let configuration: PodNetworkConfiguration
    public var mode: NetworkMode { .loopback }
    public let nodeIP: String
    public let podCIDR: String
    private let ipam: IPAM
    private let logger: Logger

    /// A network for the node whose slice is `configuration.podCIDR`, moved into 127.0.0.0/8 when it is outside.
    public init(configuration: PodNetworkConfiguration, logger: Logger) throws {
        var configuration = try configuration.movedToLoopback()
        configuration.mode = .loopback
        try configuration.validate()
        guard let range = configuration.podCIDR else {
            throw PodNetworkError.invalidConfiguration(
                "the pod network needs this node's pod CIDR: pass --pod-cidr, or allocate one with PodCIDRAllocator")
        }
        self.configuration = configuration
        self.ipam = try IPAM(range: range, networkDirectory: configuration.networkDirectory)
        self.nodeIP = ipam.gateway.description
        self.podCIDR = range.description
        self.logger = logger
    }

    public func prepare() async throws {
        try NodeNetworkRecord(
            mode: .loopback, podCIDR: ipam.range, clusterCIDR: configuration.clusterCIDR,
            serviceCIDR: configuration.serviceCIDR, bridgeName: configuration.bridgeName
        ).write(configuration.networkDirectory)
        logger.info(
            "pod network ready: loopback addresses, nothing to set up",
            metadata: ["kubus.network.nodeIP": "\(nodeIP)", "kubus.network.podCIDR": "\(podCIDR)"])
    }

    public func setUp(podUID: String, namespace: String, name: String) async throws -> PodNetworkAttachment {
        let address = try ipam.allocate(podUID: podUID)
        logger.debug(
            "pod address allocated",
            metadata: ["kubus.pod": "\(namespace)/\(name)", "kubus.pod.uid": "\(podUID)", "kubus.pod.ip": "\(address)"])
        return PodNetworkAttachment(podUID: podUID, ip: address.description, networkNamespacePath: nil)
    }

    public func tearDown(podUID: String) async throws {
        try ipam.release(podUID: podUID)
    }

    public func attachments() async -> [PodNetworkAttachment] {
        ipam.list().filter { !$0.podUID.isEmpty }.map {
            PodNetworkAttachment(podUID: $0.podUID, ip: $0.ip.description, networkNamespacePath: nil)
        }
    }

    /// Frees every address this state folder holds.
    public static func removeAll(configuration: PodNetworkConfiguration) throws {
        if NodeNetworkRecord.read(configuration.networkDirectory)?.mode == .loopback {
            unlink(NodeNetworkRecord.path(configuration.networkDirectory))
        }
        let ipamFolder = "\(configuration.networkDirectory)/ipam"
        guard FileManager.default.fileExists(atPath: ipamFolder) else { return }
        do {
            try FileManager.default.removeItem(atPath: ipamFolder)
        } catch {
            throw PodNetworkError.invalidConfiguration("cannot remove \(ipamFolder): \(error)")
        }
    }
}
