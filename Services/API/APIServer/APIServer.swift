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

    public init(
        endpoints: BusEndpoints, context: ZMQContext = .shared, configuration: APIServerConfiguration = .init(),
        logger: Logger
    ) {
        self.endpoints = endpoints
        self.context = context
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let client = try BusClient(context: context, endpoints: endpoints)
        let handler = APIHandler(
            store: BusStoreAccess(client: client), configuration: configuration, logger: logger)
        let logger = self.logger
        // Register with the bus only once the system namespaces exist, so no request sees a cluster without
        // "default" (and "api registered" means ready).
        await cancelWhenGracefulShutdown { await Self.bootstrap(handler, logger: logger) }
        if Task.isCancelled || Task.isShuttingDownGracefully {
            client.close()
            return
        }
        let worker = try Worker(
            context: context, endpoints: endpoints, service: "api", capacity: configuration.capacity)
        logger.info("api serving", metadata: ["kubus.capacity": "\(configuration.capacity)"])
        await withDiscardingTaskGroup { group in
            group.addTask {
                await worker.run { request in
                    await handler.handle(verb: request.type, payload: request.payload, requestID: request.id)
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
