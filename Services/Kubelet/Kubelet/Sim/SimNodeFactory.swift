import Foundation
public import Schema

/// The simulated address ranges: node addresses from 198.18.0.0/15 (RFC 2544, benchmarking) and one /24 of
/// 100.64.0.0/10 per node for its pods, so simulated addresses never collide with a real cluster's 10.244/16.
public enum SimAddresses {
    /// How many nodes the pod range has room for.
    public static let maxNodes = 16_384

    /// The InternalIP of the node with global index `index`.
    public static func nodeIP(_ index: Int) -> String {
        let n = index + 1
        return "198.\(18 + n / 65_536).\((n / 256) % 256).\(n % 256)"
    }

    /// The pod range of the node with global index `index`.
    public static func podCIDR(_ index: Int) -> String {
        "100.\(64 + index / 256).\(index % 256).0/24"
    }

    /// Address `slot` (1…254) of the node's pod range.
    public static func podIP(_ index: Int, slot: Int) -> String {
        "100.\(64 + index / 256).\(index % 256).\(slot)"
    }

    /// The slot of `ip` when it lies in the pod range of node `index`.
    public static func slot(of ip: String, node index: Int) -> Int? {
        let prefix = "100.\(64 + index / 256).\(index % 256)."
        guard ip.hasPrefix(prefix), let slot = Int(ip.dropFirst(prefix.count)), (1...254).contains(slot) else {
            return nil
        }
        return slot
    }
}

/// Builds the Node and Lease objects of a simulated kubelet.
public struct SimNodeFactory: Sendable {
    /// The namespace of node Leases.
    public static let leaseNamespace = "kube-node-lease"
    /// The label every simulated node carries (KWOK's `type=kwok`).
    public static let simLabel = "kubus.io/sim"

    public let configuration: SimKubeletConfiguration

    /// Creates a factory for `configuration`.
    public init(configuration: SimKubeletConfiguration) {
        self.configuration = configuration
    }

    /// The node `index` (0-based within this process) as it registers.
    public func node(_ index: Int, now: Time = .now()) -> Node {
        let name = configuration.nodeName(index)
        let global = configuration.indexOffset + index
        let cidr = SimAddresses.podCIDR(global)
        return Node(
            apiVersion: "v1", kind: "Node",
            metadata: ObjectMeta(
                name: name,
                labels: [
                    "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                    Self.simLabel: "true",
                ],
                annotations: ["kubus.io/sim-kubelet": configuration.prefix, "node.alpha.kubernetes.io/ttl": "0"]),
            spec: NodeSpec(podCIDR: cidr, podCIDRs: [cidr], providerID: "kubus-sim://\(name)"),
            status: status(index, now: now))
    }

    /// The node's status: capacity, the four kubelet conditions with Ready=True, addresses, system info.
    public func status(_ index: Int, now: Time = .now()) -> NodeStatus {
        let name = configuration.nodeName(index)
        let resources: [String: Quantity] = [
            "cpu": configuration.cpu, "memory": configuration.memory, "pods": configuration.pods,
            "ephemeral-storage": "100Gi",
        ]
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> NodeCondition {
            NodeCondition(
                type: type, status: status, lastHeartbeatTime: now, lastTransitionTime: now, reason: reason,
                message: message)
        }
        return NodeStatus(
            capacity: resources, allocatable: resources, phase: nil,
            conditions: [
                condition(
                    "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status (simulated)"),
            ],
            addresses: [
                NodeAddress(type: "InternalIP", address: SimAddresses.nodeIP(configuration.indexOffset + index)),
                NodeAddress(type: "Hostname", address: name),
            ],
            daemonEndpoints: NodeDaemonEndpoints(kubeletEndpoint: DaemonEndpoint(port: 10250)),
            nodeInfo: NodeSystemInfo(
                machineID: "sim-\(name)", systemUUID: "sim-\(name)", bootID: "sim", kernelVersion: "sim",
                osImage: "Kubus simulated node", containerRuntimeVersion: "sim://1.0",
                kubeletVersion: configuration.kubeletVersion, kubeProxyVersion: "", operatingSystem: "linux",
                architecture: "amd64"))
    }

    /// The node's Lease, held by the node and owned by it (so it goes when the node goes).
    public func lease(_ index: Int, nodeUID: String?, now: MicroTime = .now()) -> Lease {
        let name = configuration.nodeName(index)
        let owners = nodeUID.map { [OwnerReference(apiVersion: "v1", kind: "Node", name: name, uid: $0)] }
        return Lease(
            apiVersion: "coordination.k8s.io/v1", kind: "Lease",
            metadata: ObjectMeta(name: name, namespace: Self.leaseNamespace, ownerReferences: owners),
            spec: LeaseSpec(
                holderIdentity: name, leaseDurationSeconds: configuration.leaseDurationSeconds, renewTime: now))
    }

    /// Which nodes to renew in round `slot` of `slots` per interval: the nodes are spread evenly over the slots.
    public func nodes(inSlot slot: Int, of slots: Int) -> Range<Int> {
        let n = configuration.nodeCount
        let lower = n * slot / slots
        let upper = n * (slot + 1) / slots
        return lower..<upper
    }
}
