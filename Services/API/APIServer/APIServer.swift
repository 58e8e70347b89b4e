public import Bus
public import Logging
import Schema
public import ServiceLifecycle

/// The `api` service: registers as worker `api` on the bus, answers requests with an `APIHandler` that reaches
/// the store over the bus, and creates the system namespaces on start.
public final class APIServer: ServiceLifecycle.Service, Sendable {
    private let endpoints: BusEndpoints
    private let context: ZMQContext
    private let configuration: APIServerConfiguration
    private let logger: Logger
    private let audit: AuditLog?

    public init(
        endpoints: BusEndpoints, context: ZMQContext = .shared, configuration: APIServerConfiguration = .init(),
        audit: AuditLog? = nil, logger: Logger
    ) {
        self.audit = audit
        self.endpoints = endpoints
        self.context = context
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let client = try BusClient(context: context, endpoints: endpoints)
        // RBAC needs to know who calls: only a bus that authenticates (CurveZMQ) says so.
        let authorization = endpoints.credentials == nil || !configuration.enforceRBAC ? nil : Authorization()
        if endpoints.credentials == nil {
            logger.warning(
                "the bus is insecure: requests carry no identity, so RBAC is not enforced and every request is allowed")
        } else if authorization == nil {
            logger.warning("--authorization-mode AlwaysAllow: RBAC is not enforced, every request is allowed")
        }
        let handler = APIHandler(
            store: BusStoreAccess(client: client), configuration: configuration, authorization: authorization,
            audit: audit, logger: logger)
        let logger = self.logger
        let cache = authorization.map {
            RBACCache(
                handler: handler, authorization: $0, feed: BusFeed(context: context, endpoints: endpoints),
                logger: logger)
        }
        // Register with the bus only once the system namespaces and the default RBAC policy exist and the policy is
        // read, so no request sees a cluster without "default" or is denied for want of a cache (and "api
        // registered" means ready).
        await cancelWhenGracefulShutdown { await Self.bootstrap(handler, logger: logger) }
        if Task.isCancelled || Task.isShuttingDownGracefully {
            client.close()
            return
        }
        let audit = self.audit
        if let audit { logger.info("audit log", metadata: ["kubus.path": "\(audit.path)"]) }
        await withDiscardingTaskGroup { group in
            if let audit { group.addTask { await cancelWhenGracefulShutdown { await audit.run() } } }
            if let cache {
                group.addTask { await cancelWhenGracefulShutdown { await cache.run() } }
                await cancelWhenGracefulShutdown { await cache.waitForSync() }
                logger.info("rbac policy read", metadata: ["kubus.authorization": "RBAC"])
            }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully,
                let worker = try? Worker(
                    context: context, endpoints: endpoints, service: "api", capacity: configuration.capacity,
                    refused: { reason in
                        logger.error("the bus refused the api's connection", metadata: ["kubus.reason": "\(reason)"])
                    })
            else {
                group.cancelAll()
                return
            }
            logger.info("api serving", metadata: ["kubus.capacity": "\(configuration.capacity)"])
            group.addTask {
                await worker.run { request in
                    guard let caller = request.caller else {
                        if authorization == nil {
                            return await handler.handle(
                                verb: request.type, payload: request.payload, requestID: request.id)
                        }
                        return BusReply.failure(
                            code: 401, reason: "Unauthorized", message: "the request carries no authenticated caller")
                    }
                    // The bus names the key; a bearer token in the envelope (a pod's ServiceAccount token) names
                    // the user instead, once checked. The pods' shared key is anonymous.
                    var user = UserInfo(
                        name: caller,
                        groups: caller == UserInfo.anonymous
                            ? [UserInfo.unauthenticatedGroup]
                            : request.callerGroups + [UserInfo.authenticatedGroup])
                    if let header = request.envelope.extra["authorization"], !header.isEmpty {
                        guard header.hasPrefix("Bearer ") else {
                            return APIHandler.failure(
                                .unauthorized("the envelope's \"authorization\" must be \"Bearer TOKEN\""))
                        }
                        do throws(APIError) {
                            user = try await handler.authenticate(token: String(header.dropFirst(7)))
                        } catch {
                            return APIHandler.failure(error)
                        }
                    }
                    return await handler.handle(
                        verb: request.type, payload: request.payload, requestID: request.id, user: user,
                        impersonating: Impersonation(envelope: request.envelope))
                }
            }
            group.addTask { await Self.repairAllocations(handler, logger: logger) }
            group.addTask {
                try? await gracefulShutdown()
                worker.close()
            }
        }
        client.close()
        logger.info("api stopped")
    }

    /// Runs the Service allocation repair now and every few minutes (each instance; the pass is idempotent).
    static func repairAllocations(_ handler: APIHandler, logger: Logger) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do throws(APIError) {
                let (released, claimed) = try await handler.repairServiceAllocations()
                if released + claimed > 0 {
                    logger.info(
                        "service allocations repaired",
                        metadata: ["kubus.released": "\(released)", "kubus.claimed": "\(claimed)"])
                }
            } catch {
                logger.notice("service allocation repair failed", metadata: ["kubus.error": "\(error.message)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(180)) }
            } catch {
                return
            }
        }
    }

    /// Creates the system namespaces, retrying while the store is unreachable, until done or shut down.
    static func bootstrap(_ handler: APIHandler, logger: Logger) async {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do throws(APIError) {
                try await handler.bootstrap()
                logger.info("system namespaces present")
                return
            } catch {
                logger.notice("bootstrap waits for the store", metadata: ["kubus.error": "\(error.message)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}
