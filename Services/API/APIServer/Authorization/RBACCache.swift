public import Bus
import Client
public import Logging
import Schema

/// Keeps `Authorization`'s policy in step with the cluster's Roles, ClusterRoles, RoleBindings and
/// ClusterRoleBindings: one informer per kind, listing through this api instance's own handler (not authorized,
/// as kube-apiserver's loopback client is not) and following the store's watch events on the bus.
public final class RBACCache: Sendable {
    let roles: Informer<Role>
    let clusterRoles: Informer<ClusterRole>
    let roleBindings: Informer<RoleBinding>
    let clusterRoleBindings: Informer<ClusterRoleBinding>
    let authorization: Authorization
    /// Yields after any informer's cache changed; the policy is then rebuilt from all four caches.
    private let changed: AsyncStream<Void>

    public init(handler: APIHandler, authorization: Authorization, feed: any EventFeed, logger: Logger) {
        let source = LocalAPIClient(handler: handler)
        self.authorization = authorization
        let (changed, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.changed = changed
        roles = Informer(source: source, feed: feed, logger: logger) { _ in signal.yield() }
        clusterRoles = Informer(source: source, feed: feed, logger: logger) { _ in signal.yield() }
        roleBindings = Informer(source: source, feed: feed, logger: logger) { _ in signal.yield() }
        clusterRoleBindings = Informer(source: source, feed: feed, logger: logger) { _ in signal.yield() }
    }

    /// Rebuilds the policy from the four caches.
    func rebuild() {
        authorization.update(
            RBACPolicy(
                roles: roles.list(), clusterRoles: clusterRoles.list(), roleBindings: roleBindings.list(),
                clusterRoleBindings: clusterRoleBindings.list()))
    }

    /// Runs the informers until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { try? await self.roles.run() }
            group.addTask { try? await self.clusterRoles.run() }
            group.addTask { try? await self.roleBindings.run() }
            group.addTask { try? await self.clusterRoleBindings.run() }
            group.addTask { for await _ in self.changed { self.rebuild() } }
        }
    }

    /// Returns once every informer has listed, with the policy built from the lists.
    public func waitForSync() async {
        await roles.waitForSync()
        await clusterRoles.waitForSync()
        await roleBindings.waitForSync()
        await clusterRoleBindings.waitForSync()
        rebuild()
    }
}

/// An `APIClient` that calls an `APIHandler` in this process, as the api itself (no user: not authorized).
struct LocalAPIClient: APIClient {
    let handler: APIHandler

    func call(_ verb: String, _ payload: JSONValue) async throws(APIError) -> APIReply {
        let reply = await handler.handle(verb: verb, payload: payload.encoded(), requestID: "")
        return try KubusClient.decode(
            code: reply.code, payload: reply.payload, warnings: reply.envelope.extra["warnings"])
    }
}
