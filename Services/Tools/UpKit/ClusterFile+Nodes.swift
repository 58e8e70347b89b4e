public import Foundation

extension ClusterFile {
    /// The name of the cluster file's kubelet entry, which `--nodes` scales.
    public static let kubeletService = "kubelet"
    /// The name of the simulated kubelet entry `--sim-nodes` adds.
    public static let simKubeletService = "kubelet-sim"

    /// The cluster with `nodes` kubelets (0 removes the entry) and, when `simNodes` is set, one simulated kubelet
    /// registering that many nodes, placed right after the kubelets.
    /// - Throws: `UpError` when `nodes` is asked for and the file has no `kubelet` entry, or a count is invalid.
    public func withNodes(_ nodes: Int?, simNodes: Int?) throws(UpError) -> ClusterFile {
        var copy = self
        var insertAt = copy.services.count
        if let nodes {
            guard nodes >= 0, nodes <= 253 else { throw .clusterFile("--nodes: must be between 0 and 253") }
            guard let i = copy.services.firstIndex(where: { $0.name == Self.kubeletService }) else {
                throw .clusterFile(
                    "--nodes: the cluster file has no service named \"\(Self.kubeletService)\"; add one "
                        + "(see compose/kubus.yaml)")
            }
            if nodes == 0 {
                copy.services.remove(at: i)
                insertAt = i
            } else {
                copy.services[i].replicas = nodes
                copy.services[i].indexed = true
                insertAt = i + 1
            }
        } else if let i = copy.services.firstIndex(where: { $0.name == Self.kubeletService }) {
            insertAt = i + 1
        }
        if let simNodes {
            guard simNodes >= 1 else { throw .clusterFile("--sim-nodes: must be at least 1") }
            copy.services.removeAll { $0.name == Self.simKubeletService }
            insertAt = min(insertAt, copy.services.count)
            copy.services.insert(
                ServiceEntry(
                    name: Self.simKubeletService, command: "kubus-kubelet",
                    args: ["--runtime", "sim", "--sim-nodes", String(simNodes), "--node-name", "${KUBUS_HOSTNAME}-sim"]),
                at: insertAt)
        }
        return copy
    }

    /// This machine's name as a node name: the first label, lower case, letters, digits and '-'.
    public static func nodeHostname(_ raw: String = ProcessInfo.processInfo.hostName) -> String {
        let first = raw.split(separator: ".").first.map(String.init) ?? raw
        var out = String(first.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "-" })
        while out.hasPrefix("-") { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "node" : String(out.prefix(50))
    }
}
