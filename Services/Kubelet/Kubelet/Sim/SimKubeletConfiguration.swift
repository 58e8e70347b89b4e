public import Schema

/// How a simulated kubelet behaves: how many nodes it registers, how big they are, how fast pods start.
public struct SimKubeletConfiguration: Sendable, Hashable {
    /// Node names are `<prefix>-0` … `<prefix>-<nodeCount-1>`.
    public var prefix: String = "sim"
    /// How many nodes this process simulates.
    public var nodeCount: Int = 1
    /// The first node's index into the address ranges, so several sim kubelets can run without sharing addresses.
    public var indexOffset: Int = 0
    /// How long a bound pod waits before it is reported Running.
    public var startupDelay: Duration = .zero
    /// Each node's capacity and allocatable.
    public var cpu: Quantity = "32"
    public var memory: Quantity = "256Gi"
    public var pods: Quantity = "110"
    /// Every node's Lease in `kube-node-lease` is renewed this often; renewals are spread over the interval.
    public var leaseRenewInterval: Duration = .seconds(10)
    /// The `leaseDurationSeconds` written into each Lease (kubelet's default is 40).
    public var leaseDurationSeconds: Int = 40
    /// How often the Ready condition's heartbeat is written even when nothing changed (kubelet: 5 minutes).
    public var nodeStatusReportInterval: Duration = .seconds(300)
    /// Concurrent api requests while registering nodes and renewing leases.
    public var registerConcurrency: Int = 64
    /// Workers writing pod status.
    public var workers: Int = 32
    /// The version reported in `status.nodeInfo.kubeletVersion`.
    public var kubeletVersion: String = "v1.34.0-kubus"

    /// Creates a configuration with the defaults above.
    public init() {}

    /// The name of node `index` (0-based, within this process).
    public func nodeName(_ index: Int) -> String { "\(prefix)-\(index)" }

    /// The index of `nodeName` when this process simulates it.
    public func index(of nodeName: String) -> Int? {
        guard nodeName.hasPrefix(prefix + "-"), let i = Int(nodeName.dropFirst(prefix.count + 1)),
            i >= 0, i < nodeCount, nodeName == self.nodeName(i)
        else { return nil }
        return i
    }
}
