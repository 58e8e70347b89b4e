import Broker
import Bus
import Foundation
import Logging

/// Runs `body` against a broker on fresh `ipc://` endpoints, and stops it afterwards even if `body` throws.
func withBroker<T>(
    configure: (inout BrokerConfiguration) -> Void = { _ in }, _ body: (BusEndpoints, Broker) async throws -> T
) async throws -> T {
    let path = "/tmp/kubus-test-\(BusClock.randomID().prefix(10))"
    let endpoints = try BusEndpoints(base: "ipc://\(path)")
    var logger = Logger(label: "test.broker")
    logger.logLevel = .error
    var configuration = BrokerConfiguration(endpoints: endpoints)
    configure(&configuration)
    let broker = Broker(configuration: configuration, logger: logger)
    try broker.start()
    do {
        let result = try await body(endpoints, broker)
        broker.stop()
        return result
    } catch {
        broker.stop()
        throw error
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
