public import Schema

/// Picks a node's slice of the cluster's pod range when the kubelet is not given `--pod-cidr`.
///
/// The first slice of the range is reserved (as `10.244.0.0/24` is left alone by the usual Kubernetes setups), so
/// the first node gets `10.244.1.0/24`, the next one `10.244.2.0/24`, and so on, skipping every slice that
/// overlaps a `spec.podCIDR` another Node already holds.
public struct PodCIDRAllocator: Sendable, Hashable {
    /// The cluster's pod range (`10.244.0.0/16`).
    public var clusterCIDR: CIDR
    /// The length of one node's slice; 24 gives 253 pods per node.
    public var nodePrefix: Int

    public init(clusterCIDR: CIDR, nodePrefix: Int = 24) {
        self.clusterCIDR = clusterCIDR
        self.nodePrefix = nodePrefix
    }

    /// The first free slice, given the pod CIDRs other Nodes hold (text that does not parse is ignored).
    public func allocate(taken: [String]) throws -> CIDR {
        try allocate(taken: taken.compactMap { CIDR($0) })
    }

    /// The first free slice, given the pod CIDRs other Nodes hold.
    public func allocate(taken: [CIDR]) throws -> CIDR {
        guard nodePrefix >= clusterCIDR.prefix, nodePrefix <= 30 else {
            throw PodNetworkError.invalidConfiguration(
                "a node's pod range must be between /\(clusterCIDR.prefix) and /30 inside \(clusterCIDR), "
                    + "not /\(nodePrefix)")
        }
        var index: UInt64 = 1
        while let slice = clusterCIDR.subnet(prefix: nodePrefix, index: index) {
            if !taken.contains(where: { $0.overlaps(slice) }) { return slice }
            index += 1
        }
        throw PodNetworkError.exhausted(
            "no pod CIDR available in range \(clusterCIDR): every /\(nodePrefix) is held by a node "
                + "(the first is reserved); delete unused Nodes or give the cluster a wider --cluster-cidr")
    }
}
