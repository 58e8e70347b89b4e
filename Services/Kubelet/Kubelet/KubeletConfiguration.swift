public import Foundation
public import Schema

/// How a kubelet runs: its node, folders, capacity and timings.
public struct KubeletConfiguration: Sendable {
    /// The Node's name.
    public var nodeName: String
    /// The kubelet's state folder (absolute): pods, volumes, logs, the runtime's and the network's state.
    public var stateDirectory: String
    /// The node's slice of the pod range.
    public var podCIDR = ""
    /// The cluster's service range; the cluster DNS address is its tenth address.
    public var serviceCIDR = "10.96.0.0/12"
    /// The cluster domain for search paths.
    public var clusterDomain = "cluster.local"
    public var maxPods = 110
    /// Capacity overrides; nil reads the host.
    public var cpu: Quantity?
    public var memory: Quantity?
    /// Labels added to the Node, and taints it registers with.
    public var nodeLabels: [String: String] = [:]
    public var registerWithTaints: [Taint] = []
    /// How often the Node's status is written.
    public var nodeStatusUpdateFrequency: Duration = .seconds(10)
    /// The node Lease's duration; it is renewed every quarter of it.
    public var nodeLeaseDuration: Duration = .seconds(40)
    /// How often each active pod is re-examined (container exits, back-offs), as the kubelet's PLEG relists.
    public var podResyncInterval: Duration = .seconds(1)
    /// How often orphaned containers, addresses and folders are cleaned up.
    public var housekeepingInterval: Duration = .seconds(2)
    /// How often ConfigMap, Secret and downward API volumes are refreshed.
    public var volumeRefreshInterval: TimeInterval = 10
    /// Container restart back-off: first delay and cap.
    public var initialBackOff: TimeInterval = 10
    public var maximumBackOff: TimeInterval = 300
    /// Concurrent pod workers.
    public var workers = 8
    /// The folder of the bus's request socket for pods and its shared anonymous key (`kubus-bus --pod-bus`),
    /// mounted at `podBusMountPath` in every container that mounts its ServiceAccount token; nil mounts nothing.
    public var podBusDirectory: String?
    /// Where containers find the pods' bus folder.
    public static let podBusMountPath = "/var/run/kubus"

    public init(nodeName: String, stateDirectory: String) {
        self.nodeName = nodeName
        self.stateDirectory = stateDirectory
    }

    /// The folder of a pod's container logs: `<state>/pods/<namespace>_<name>_<uid>`.
    public func podLogDirectory(namespace: String, name: String, uid: String) -> String {
        "\(stateDirectory)/pods/\(namespace)_\(name)_\(uid)"
    }

    /// A container instance's CRI log file.
    public func logPath(namespace: String, name: String, uid: String, container: String, attempt: Int) -> String {
        "\(podLogDirectory(namespace: namespace, name: name, uid: uid))/\(container)/\(attempt).log"
    }

    /// The cluster DNS service address: the tenth address of the service range (10.96.0.10 by default).
    public var clusterDNS: String {
        let base = serviceCIDR.split(separator: "/").first.map(String.init) ?? "10.96.0.0"
        var octets = base.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return "10.96.0.10" }
        octets[3] += 10
        return octets.map(String.init).joined(separator: ".")
    }
}
