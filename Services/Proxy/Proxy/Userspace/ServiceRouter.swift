import Schema
import Synchronization

/// The routes of the userspace proxy, shared by every event loop: which service port each listener serves and each
/// service port's balancer. Listeners look their route up per new connection or flow, so a model change takes effect
/// at once without touching sockets, and connections already made keep their endpoint.
final class ServiceRouter: Sendable {
    private let state = Mutex(State())

    struct State {
        var frontends: [ListenerKey: Frontend] = [:]
        var balancers: [String: ServicePortBalancer] = [:]
    }

    /// What a new connection or flow gets.
    enum Choice: Equatable {
        case endpoint(ProxyModel.Endpoint)
        /// The service port has no endpoint this traffic may go to.
        case noEndpoint
        /// The listener serves nothing now (it is about to close).
        case noRoute
    }

    /// Takes a new plan: balancers of service ports that stay keep their cursors and affinity.
    func update(_ plan: UserspacePlan, nodes: [ProxyModel.Node]) {
        state.withLock { state in
            var balancers: [String: ServicePortBalancer] = [:]
            for (key, port) in plan.servicePorts {
                if var balancer = state.balancers[key] {
                    balancer.update(port: port, nodes: nodes)
                    balancers[key] = balancer
                } else {
                    balancers[key] = ServicePortBalancer(port: port, nodes: nodes)
                }
            }
            state.balancers = balancers
            state.frontends = plan.frontends
        }
    }

    func pick(
        _ listener: ListenerKey, client: IPv4?, excluding: Set<ProxyModel.Endpoint> = [],
        now: ContinuousClock.Instant = .now
    ) -> Choice {
        state.withLock { state in
            guard let frontend = state.frontends[listener] else { return .noRoute }
            guard
                let endpoint = state.balancers[frontend.servicePort]?.pick(
                    frontend: frontend.kind, client: client, now: now, excluding: excluding)
            else { return .noEndpoint }
            return .endpoint(endpoint)
        }
    }

    /// The service port a listener serves, for logs.
    func servicePort(of listener: ListenerKey) -> String? {
        state.withLock { $0.frontends[listener]?.servicePort }
    }

    /// Drops clients whose affinity expired.
    func prune(now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            for key in state.balancers.keys { state.balancers[key]?.prune(now: now) }
        }
    }

    var stickyClients: Int { state.withLock { $0.balancers.values.reduce(0) { $0 + $1.stickyClients } } }
}
