public import Bus
import Foundation

/// Asks the bus broker what is registered: the readiness check of the supervisor and `kubus-up status`.
public final class BrokerProbe: Sendable {
    /// One bus service as the broker reports it.
    public struct ServiceInfo: Codable, Sendable, Equatable {
        public var workers: Int
        public var queued: Int
        public var inFlight: Int
    }

    private struct ServicesReply: Codable {
        var services: [String: ServiceInfo]
    }

    private let client: BusClient

    /// - Parameter keyFile: the key file to authenticate with; nil on a bus started with `--insecure`.
    public init(bus: String, keyFile: String?) throws(BusError) {
        let credentials = try keyFile.map { (path) throws(BusError) in try BusCredentials.load(path: path) }
        client = try BusClient(
            endpoints: try BusEndpoints(base: bus).authenticated(as: credentials), attemptTimeout: .milliseconds(500))
    }

    /// The services registered with the broker.
    /// - Throws: `BusError.timeout` when the broker does not answer within `timeout`.
    public func services(timeout: Duration = .seconds(2)) async throws -> [String: ServiceInfo] {
        let reply = try await client.request(service: "bus", type: "services", payload: [], timeout: timeout)
        guard reply.isSuccess else {
            throw BusError.malformed("the broker answered \"services\" with code \(reply.code)")
        }
        return try JSONDecoder().decode(ServicesReply.self, from: Data(reply.payload)).services
    }

    /// Whether `ready` holds: `bus` when the broker answers, else at least `workers` workers of that service.
    public func isReady(_ ready: String, workers: Int, timeout: Duration = .seconds(1)) async -> Bool {
        guard let services = try? await services(timeout: timeout) else { return false }
        if ready == "bus" { return true }
        return (services[ready]?.workers ?? 0) >= workers
    }

    public func close() { client.close() }
}
