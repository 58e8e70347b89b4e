public import Bus
import Foundation
public import Logging
public import ServiceLifecycle

/// Serves `status` on the bus service `ingress`: where kubus-ingress listens, what nginx does, and every host,
/// path, upstream and problem it serves (`IngressStatusReport` as JSON). The service's registration is also what
/// kubus-up waits for before it calls kubus-ingress ready.
public final class IngressStatusService: ServiceLifecycle.Service, Sendable {
    /// The bus service name.
    public static let serviceName = "ingress"

    private let endpoints: BusEndpoints
    private let controller: IngressController
    private let nginx: NginxProcess?
    private let logger: Logger

    public init(endpoints: BusEndpoints, controller: IngressController, nginx: NginxProcess?, logger: Logger) {
        self.endpoints = endpoints
        self.controller = controller
        self.nginx = nginx
        self.logger = logger
    }

    public func run() async throws {
        let worker = try Worker(endpoints: endpoints, service: Self.serviceName, capacity: 16)
        defer { worker.close() }
        await cancelWhenGracefulShutdown {
            await worker.run { [self] request in
                guard request.type == "status" else {
                    return BusReply(
                        code: 405, payload: Array("the ingress service answers only status, not \(request.type)".utf8))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let report = controller.report(nginx: nginx?.status)
                guard let data = try? encoder.encode(report) else { return BusReply(code: 500, payload: []) }
                return BusReply(code: 200, payload: Array(data))
            }
        }
    }
}
