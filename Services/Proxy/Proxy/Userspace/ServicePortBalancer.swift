public import Schema

/// Endpoint choice for one service port in the userspace proxy, without I/O: round-robin over the endpoints the
/// traffic may go to, `sessionAffinity: ClientIP` (a client goes back to its endpoint while it came within the
/// timeout, measured from its last connection or flow, as the kernel's timed sets measure it), and the `Local`
/// traffic policies as far as one machine gives them meaning:
///
/// - `externalTrafficPolicy: Local`: node-port traffic goes only to endpoints of the node whose address it came to
///   (none there: dropped, as in Kubernetes). External and balancer addresses belong to every node of this machine,
///   so they use every endpoint. The client's address is never kept: the backend sees a connection from the proxy.
/// - `internalTrafficPolicy: Local`: cluster-IP traffic from a node's pod range goes only to that node's endpoints
///   (none: dropped). In loopback mode a pod's connection comes from 127.0.0.1 unless it binds its `POD_IP`, so
///   only such clients are recognised; others use every endpoint.
public struct ServicePortBalancer: Sendable {
    public private(set) var port: ProxyModel.ServicePort
    public private(set) var nodes: [ProxyModel.Node]
    /// The next position per scope: "" for every endpoint, else a node's name.
    private var cursors: [String: Int] = [:]
    private var sticky: [IPv4: Sticky] = [:]
    private var picksSincePrune = 0

    struct Sticky: Sendable {
        var endpoint: ProxyModel.Endpoint
        var lastUsed: ContinuousClock.Instant
    }

    public init(port: ProxyModel.ServicePort, nodes: [ProxyModel.Node]) {
        self.port = port
        self.nodes = nodes
    }

    /// Takes a new version of the service port: cursors stay, clients stuck to endpoints that are gone are released,
    /// and without affinity no client is stuck any more.
    public mutating func update(port: ProxyModel.ServicePort, nodes: [ProxyModel.Node]) {
        let endpoints = Set(port.endpoints)
        self.port = port
        self.nodes = nodes
        if port.affinityTimeout == nil {
            sticky.removeAll()
        } else {
            sticky = sticky.filter { endpoints.contains($0.value.endpoint) }
        }
    }

    /// How many clients are stuck to an endpoint now (expired ones included until pruned).
    public var stickyClients: Int { sticky.count }

    /// The endpoints traffic through `frontend` from `client` may go to, and the scope their round-robin cursor
    /// belongs to.
    public func candidates(for frontend: Frontend.Kind, client: IPv4?) -> (
        scope: String, endpoints: [ProxyModel.Endpoint]
    ) {
        switch frontend {
        case .nodePort(let node) where port.externalLocal:
            return (node, port.endpoints.filter { $0.nodeName == node })
        case .clusterIP where port.internalLocal:
            if let client, let node = nodes.first(where: { $0.podCIDR?.contains(client) ?? false }) {
                return (node.name, port.endpoints.filter { $0.nodeName == node.name })
            }
            return ("", port.endpoints)
        default:
            return ("", port.endpoints)
        }
    }

    /// The endpoint for a new connection or flow, or nil when there is none; `excluding` are endpoints that already
    /// refused this connection.
    public mutating func pick(
        frontend: Frontend.Kind, client: IPv4?, now: ContinuousClock.Instant, excluding: Set<ProxyModel.Endpoint> = []
    ) -> ProxyModel.Endpoint? {
        let (scope, all) = candidates(for: frontend, client: client)
        let candidates = excluding.isEmpty ? all : all.filter { !excluding.contains($0) }
        guard !candidates.isEmpty else { return nil }
        let timeout = port.affinityTimeout.map { Duration.seconds($0) }
        if let timeout, let client, let entry = sticky[client], now - entry.lastUsed <= timeout,
            candidates.contains(entry.endpoint)
        {
            sticky[client]?.lastUsed = now
            return entry.endpoint
        }
        let cursor = cursors[scope, default: 0]
        let chosen = candidates[Int(cursor.magnitude % UInt(candidates.count))]
        cursors[scope] = cursor &+ 1
        if timeout != nil, let client {
            sticky[client] = Sticky(endpoint: chosen, lastUsed: now)
            picksSincePrune += 1
            if picksSincePrune >= 1024 { prune(now: now) }
        }
        return chosen
    }

    /// Forgets clients whose affinity expired.
    public mutating func prune(now: ContinuousClock.Instant) {
        picksSincePrune = 0
        guard let seconds = port.affinityTimeout else {
            sticky.removeAll()
            return
        }
        let timeout = Duration.seconds(seconds)
        sticky = sticky.filter { now - $0.value.lastUsed <= timeout }
    }
}
