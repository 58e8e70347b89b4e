import Bus
import Client
import Foundation
import Schema

extension TestCluster {
    /// Election timings short enough for failover tests.
    static let fastElection = [
        "--leader-elect-lease-duration", "3", "--leader-elect-renew-deadline", "2", "--leader-elect-retry-period", "0.5",
    ]

    /// Starts `kubus-controller <controller>` under `name` (default: the controller's name) and waits until it
    /// serves `controller-<controller>` on the bus.
    @discardableResult
    func startController(_ controller: String, name: String? = nil, args: [String] = []) async throws -> Process {
        let before = await controllerInstances(controller)
        let p = try start("controller", name: name ?? controller, args: [controller] + Self.fastElection + args)
        try await waitForService("controller-\(controller)", workers: before + 1)
        return p
    }

    private func controllerInstances(_ controller: String) async -> Int {
        guard let client = try? BusClient(endpoints: endpoints, attemptTimeout: .milliseconds(500)) else { return 0 }
        defer { client.close() }
        guard let reply = try? await client.request(service: "bus", type: "services", payload: [], timeout: .seconds(1)),
            let obj = try? JSONSerialization.jsonObject(with: Data(reply.payload)) as? [String: Any],
            let services = obj["services"] as? [String: Any],
            let s = services["controller-\(controller)"] as? [String: Any], let n = s["workers"] as? Int
        else { return 0 }
        return n
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
