public import Broker
public import Bus
import Foundation
public import Logging

/// Test helpers for anything that talks over the bus, as HummingbirdTesting is for Hummingbird: a real broker for
/// the length of a test, and polling for a condition. Linked only by test targets.

/// Runs `body` against a broker on fresh `ipc://` endpoints (or on three free loopback TCP ports with `tcp`), and
/// stops it afterwards even if `body` throws.
public func withBroker<T>(
    tcp: Bool = false, logLevel: Logger.Level = .error, configure: (inout BrokerConfiguration) -> Void = { _ in },
    _ body: (BusEndpoints, Broker) async throws -> T
) async throws -> T {
    var logger = Logger(label: "test.broker")
    logger.logLevel = logLevel
    let (endpoints, broker) = try startBroker(tcp: tcp, logger: logger, configure: configure)
    do {
        let result = try await body(endpoints, broker)
        broker.stop()
        return result
    } catch {
        broker.stop()
        throw error
    }
}

/// A started broker; with `tcp`, on three consecutive loopback ports picked at random (again if one is taken).
private func startBroker(tcp: Bool, logger: Logger, configure: (inout BrokerConfiguration) -> Void) throws -> (
    BusEndpoints, Broker
) {
    for attempt in 1...10 {
        let base =
            tcp
            ? "tcp://127.0.0.1:\(Int.random(in: 30_000..<60_000))"
            : "ipc:///tmp/kubus-test-\(BusClock.randomID().prefix(10))"
        let endpoints = try BusEndpoints(base: base)
        var configuration = BrokerConfiguration(endpoints: endpoints)
        configure(&configuration)
        let broker = Broker(configuration: configuration, logger: logger)
        do {
            try broker.start()
            return (endpoints, broker)
        } catch {
            if !tcp || attempt == 10 { throw error }
        }
    }
    fatalError("unreachable: the last attempt throws")
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
