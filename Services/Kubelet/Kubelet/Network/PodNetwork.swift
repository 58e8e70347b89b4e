import Foundation

/// How pods get addresses: `netns` (own network namespace, veth to the bridge `kubus0`) or `loopback`.
public enum NetworkMode: String, Sendable, Hashable, Codable, CaseIterable {
    case netns
    case loopback
}

/// A pod's place on the network.
public struct PodNetworkAttachment: Sendable, Hashable, Codable {
    public var podUID: String
    /// The pod's IP.
    public var ip: String
    /// The network namespace its containers join (`/run/netns/kubus-<uid>`); nil in `loopback` mode.
    public var networkNamespacePath: String?

    public init(podUID: String, ip: String, networkNamespacePath: String?) {
        self.podUID = podUID
        self.ip = ip
        self.networkNamespacePath = networkNamespacePath
    }
}

/// Gives pods addresses and namespaces from the node's slice of the pod range, and takes them back.
///
/// Allocations persist in the kubelet's state folder, so a restarted kubelet finds the attachments of the pods
/// it re-adopts and never hands one address out twice.
public protocol PodNetwork: Sendable {
    var mode: NetworkMode { get }
    /// The node's address (its `InternalIP`, the pods' `hostIP`).
    var nodeIP: String { get }
    /// The node's slice of the pod range (`10.244.1.0/24`).
    var podCIDR: String { get }

    /// Prepares the node: bridge, node address, forwarding, blackhole routes. Idempotent.
    func prepare() async throws

    /// Gives the pod an address (and a namespace in `netns` mode); returns the existing attachment if it has one.
    func setUp(podUID: String, namespace: String, name: String) async throws -> PodNetworkAttachment

    /// Frees the pod's address and namespace; succeeds if there is nothing to free.
    func tearDown(podUID: String) async throws

    /// The attachments that exist now, for re-adoption.
    func attachments() async -> [PodNetworkAttachment]
}
