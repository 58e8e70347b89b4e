import Client
import Foundation
import Kubelet
import Logging
import Schema

/// Picks this node's pod CIDR when `--pod-cidr` is not given: the Node's own `spec.podCIDR` when it has one inside
/// the cluster range, else the first slice no other Node holds.
enum PodCIDRChoice {
    static func choose(client: KubusClient, nodeName: String, clusterCIDR: CIDR, logger: Logger) async throws -> CIDR {
        var delay: Duration = .milliseconds(200)
        var nodes: [Node] = []
        while true {
            do {
                nodes = try await client.list(Node.self).items
                break
            } catch {
                logger.warning("cannot list nodes to pick a pod CIDR; retrying", metadata: ["kubus.error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        if let mine = nodes.first(where: { $0.metadata.name == nodeName })?.spec.podCIDR, let cidr = CIDR(mine),
            clusterCIDR.contains(cidr)
        {
            return cidr
        }
        let taken = nodes.filter { $0.metadata.name != nodeName }.flatMap {
            ($0.spec.podCIDRs ?? []) + [$0.spec.podCIDR ?? ""]
        }
        let cidr = try PodCIDRAllocator(clusterCIDR: clusterCIDR).allocate(taken: taken)
        logger.info("pod CIDR allocated", metadata: ["kubus.podCIDR": "\(cidr)"])
        return cidr
    }
}
