import Bus
import Client
import Foundation
import Schema

extension TestCluster {
    /// Election timings short enough for failover tests.
    static let fastElection = [
        "--leader-elect-lease-duration", "3", "--leader-elect-renew-deadline", "2", "--leader-elect-retry-period",
        "0.5",
    ]

    /// Starts `kubus-controller <controller>` under `name` (default: the controller's name) and waits until its
    /// informers have synced.
    @discardableResult
    func startController(_ controller: String, name: String? = nil, args: [String] = []) async throws -> Process {
        let name = name ?? controller
        let p = try start("controller", name: name, args: [controller] + Self.fastElection + args)
        let deadline = ContinuousClock.now + .seconds(30)
        while !log(name).contains("controller caches synced") {
            guard ContinuousClock.now < deadline, p.isRunning else {
                throw ClusterError("controller \(name) did not sync within 30 s; log:\n\(log(name).suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return p
    }

    /// A typed api client on this cluster's bus; close its bus when done.
    func apiClient() throws -> KubusClient {
        let bus = try BusClient(endpoints: endpoints, attemptTimeout: .seconds(1))
        return KubusClient(bus: bus, timeout: .seconds(10))
    }
}

/// Polls `condition` until it holds or `within` passes; returns whether it held.
func eventually(
    within: Duration = .seconds(30), every: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + within
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: every)
    }
    return try await condition()
}
