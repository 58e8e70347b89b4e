public import Schema

/// What the proxy serves, computed from Services, EndpointSlices and Nodes without I/O: one entry per service
/// port, with every address it answers on and the endpoints it may send to (kube-proxy's ServicePort and
/// endpoint selection).
public struct ProxyModel: Sendable, Hashable {
    /// A node of the cluster as the proxy needs it: its address (for NodePorts) and pod range (for
    /// `internalTrafficPolicy: Local`).
    public struct Node: Sendable, Hashable {
        public var name: String
        public var address: IPv4?
        public var podCIDR: CIDR?

        public init(name: String, address: IPv4?, podCIDR: CIDR?) {
            self.name = name
            self.address = address
            self.podCIDR = podCIDR
        }
    }

    /// One backend of a service port.
    public struct Endpoint: Sendable, Hashable {
        public var ip: IPv4
        public var port: Int
        public var nodeName: String?
    }

    /// One port of one service.
    public struct ServicePort: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var portName: String
        /// `tcp`, `udp` or `sctp`, as nftables spells them.
        public var proto: String
        public var clusterIP: IPv4?
        public var port: Int
        public var nodePort: Int?
        public var externalIPs: [IPv4]
        public var loadBalancerIPs: [IPv4]
        /// The endpoints traffic may go to: ready ones, else serving terminating ones (kube's fallback).
        public var endpoints: [Endpoint]
        /// Seconds a client sticks to its endpoint, with `sessionAffinity: ClientIP`.
        public var affinityTimeout: Int?
        /// `externalTrafficPolicy: Local`: NodePort traffic only to endpoints on the node it arrived at, without
        /// masquerading.
        public var externalLocal: Bool
        /// `internalTrafficPolicy: Local`: traffic from a node's pods only to endpoints on that node.
        public var internalLocal: Bool

        /// `namespace/name:port`, as kube-proxy names service ports in comments.
        public var id: String { "\(namespace)/\(name):\(portName)" }
    }

    public var ports: [ServicePort]
    public var nodes: [Node]

    public init(ports: [ServicePort], nodes: [Node]) {
        self.ports = ports
        self.nodes = nodes
    }

    /// The model of `services` with the endpoints of `slices` (only slices labelled with their service name).
    public static func build(services: [Service], slices: [EndpointSlice], nodes: [Schema.Node]) -> ProxyModel {
        var slicesByService: [String: [EndpointSlice]] = [:]
        for slice in slices where slice.addressType == "IPv4" {
            guard let service = slice.metadata.labels?[EndpointSlice.serviceNameLabel] else { continue }
            slicesByService["\(slice.metadata.namespace ?? "")/\(service)", default: []].append(slice)
        }
        var ports: [ServicePort] = []
        for service in services {
            let type = service.spec.type ?? "ClusterIP"
            guard type != "ExternalName" else { continue }
            let namespace = service.metadata.namespace ?? "default"
            let name = service.metadata.name ?? ""
            let clusterIP = service.spec.clusterIP.flatMap(IPv4.init)
            let externalIPs = (service.spec.externalIPs ?? []).compactMap(IPv4.init)
            let balancerIPs =
                type == "LoadBalancer"
                ? (service.status.loadBalancer?.ingress ?? []).compactMap { $0.ip.flatMap(IPv4.init) } : []
            // A headless service has no virtual address; only node ports, external and balancer addresses remain.
            guard clusterIP != nil || !externalIPs.isEmpty || !balancerIPs.isEmpty else { continue }
            let serviceSlices = slicesByService["\(namespace)/\(name)"] ?? []
            for port in service.spec.ports ?? [] {
                let proto = (port.protocol ?? "TCP").lowercased()
                let portName = port.name ?? ""
                var ready: [Endpoint] = []
                var terminating: [Endpoint] = []
                var seen = Set<IPv4>()
                for slice in serviceSlices {
                    guard
                        let slicePort = (slice.ports ?? []).first(where: {
                            ($0.name ?? "") == portName && ($0.protocol ?? "TCP").lowercased() == proto
                        }), let number = slicePort.port
                    else { continue }
                    for endpoint in slice.endpoints ?? [] {
                        guard let ip = endpoint.addresses.first.flatMap(IPv4.init), !seen.contains(ip) else { continue }
                        let conditions = endpoint.conditions
                        let entry = Endpoint(ip: ip, port: number, nodeName: endpoint.nodeName)
                        if conditions?.ready ?? true {
                            ready.append(entry)
                            seen.insert(ip)
                        } else if conditions?.serving == true && conditions?.terminating == true {
                            terminating.append(entry)
                        }
                    }
                }
                ports.append(
                    ServicePort(
                        namespace: namespace, name: name, portName: portName, proto: proto, clusterIP: clusterIP,
                        port: port.port,
                        nodePort: (type == "NodePort" || type == "LoadBalancer") ? port.nodePort : nil,
                        externalIPs: externalIPs, loadBalancerIPs: balancerIPs,
                        endpoints: (ready.isEmpty ? terminating : ready).sorted { $0.ip < $1.ip },
                        affinityTimeout: service.spec.sessionAffinity == "ClientIP"
                            ? (service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : nil,
                        externalLocal: service.spec.externalTrafficPolicy == "Local",
                        internalLocal: service.spec.internalTrafficPolicy == "Local"))
            }
        }
        let nodeModels = nodes.map { node in
            Node(
                name: node.metadata.name ?? "",
                address: node.status.addresses?.first { $0.type == "InternalIP" }.flatMap { IPv4($0.address) },
                podCIDR: node.spec.podCIDR.flatMap { CIDR($0) })
        }
        return ProxyModel(
            ports: ports.sorted { $0.id < $1.id || ($0.id == $1.id && $0.proto < $1.proto) },
            nodes: nodeModels.sorted { $0.name < $1.name })
    }
}
