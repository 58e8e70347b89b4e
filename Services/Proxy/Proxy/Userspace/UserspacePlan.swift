public import Schema

/// One socket the userspace proxy listens on: an address, a port and a transport.
public struct ListenerKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable, Comparable {
        case tcp
        case udp

        public static func < (lhs: Transport, rhs: Transport) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var transport: Transport
    public var ip: IPv4
    public var port: Int

    public init(_ transport: Transport, _ ip: IPv4, _ port: Int) {
        self.transport = transport
        self.ip = ip
        self.port = port
    }

    /// `127.96.0.10:53/udp`.
    public var description: String { "\(ip):\(port)/\(transport.rawValue)" }

    public static func < (lhs: ListenerKey, rhs: ListenerKey) -> Bool {
        (lhs.ip, lhs.port, lhs.transport) < (rhs.ip, rhs.port, rhs.transport)
    }
}

/// What traffic arriving on one listener is: which service port, and through which kind of address (the kind decides
/// which traffic policy applies).
public struct Frontend: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The cluster IP (`internalTrafficPolicy` applies).
        case clusterIP
        /// A node port on the address of the node named (`externalTrafficPolicy` applies).
        case nodePort(node: String)
        /// An external IP or a balancer address (`externalTrafficPolicy` applies; every node is this machine).
        case external
    }

    /// The service port's key in `UserspacePlan.servicePorts`: `namespace/name:port/proto`.
    public var servicePort: String
    public var kind: Kind

    public init(servicePort: String, kind: Kind) {
        self.servicePort = servicePort
        self.kind = kind
    }
}

/// Every socket the userspace proxy should listen on for a `ProxyModel`, without I/O: each frontend of each TCP and
/// UDP service port (cluster IP, every node's address with the node port, external and balancer addresses). Two
/// service ports wanting one socket is a conflict: the first by name keeps it, and the plan says so. SCTP has no
/// userspace path (SwiftNIO has no SCTP sockets), and the plan says that too.
public struct UserspacePlan: Sendable, Equatable {
    public var frontends: [ListenerKey: Frontend]
    /// The service ports by key, for the balancers.
    public var servicePorts: [String: ProxyModel.ServicePort]
    /// Sockets two service ports want, in words.
    public var conflicts: [String]
    /// Service ports with no userspace path, in words.
    public var unsupported: [String]

    public init(
        frontends: [ListenerKey: Frontend] = [:], servicePorts: [String: ProxyModel.ServicePort] = [:],
        conflicts: [String] = [], unsupported: [String] = []
    ) {
        self.frontends = frontends
        self.servicePorts = servicePorts
        self.conflicts = conflicts
        self.unsupported = unsupported
    }

    /// The key of a service port: `namespace/name:port/proto`.
    public static func key(_ port: ProxyModel.ServicePort) -> String { "\(port.id)/\(port.proto)" }

    public static func build(_ model: ProxyModel) -> UserspacePlan {
        var plan = UserspacePlan()
        for port in model.ports {
            guard let transport = ListenerKey.Transport(rawValue: port.proto) else {
                plan.unsupported.append("\(port.id)/\(port.proto): \(port.proto) is not served in userspace mode")
                continue
            }
            let key = key(port)
            plan.servicePorts[key] = port
            var wanted: [(ListenerKey, Frontend.Kind)] = []
            if let ip = port.clusterIP { wanted.append((ListenerKey(transport, ip, port.port), .clusterIP)) }
            for ip in port.externalIPs + port.loadBalancerIPs {
                wanted.append((ListenerKey(transport, ip, port.port), .external))
            }
            if let nodePort = port.nodePort {
                for node in model.nodes {
                    guard let address = node.address else { continue }
                    wanted.append((ListenerKey(transport, address, nodePort), .nodePort(node: node.name)))
                }
            }
            for (listener, kind) in wanted {
                if let holder = plan.frontends[listener] {
                    if holder.servicePort != key {
                        plan.conflicts.append(
                            "\(listener) is wanted by \(holder.servicePort) and \(key); \(holder.servicePort) keeps it")
                    }
                    continue
                }
                plan.frontends[listener] = Frontend(servicePort: key, kind: kind)
            }
        }
        return plan
    }
}

/// Which listeners to open and close so that the open ones are the wanted ones: pure, so the driver only does the
/// I/O. A listener that failed to open is tried again once its retry time has come.
public enum ListenerReconcile {
    public struct Plan: Sendable, Equatable {
        public var open: [ListenerKey]
        public var close: [ListenerKey]

        public init(open: [ListenerKey], close: [ListenerKey]) {
            self.open = open
            self.close = close
        }

        public var isEmpty: Bool { open.isEmpty && close.isEmpty }
    }

    /// `failed` holds, for each listener that could not be opened, when to try it again.
    public static func plan<Instant: Comparable>(
        wanted: Set<ListenerKey>, open: Set<ListenerKey>, failed: [ListenerKey: Instant], now: Instant
    ) -> Plan {
        let toOpen = wanted.subtracting(open).filter { key in failed[key].map { $0 <= now } ?? true }
        return Plan(open: toOpen.sorted(), close: open.subtracting(wanted).sorted())
    }
}
