import Bus
import Client
import ControllerTesting
import Foundation
import Testing

/// A live cluster as a `ScenarioCluster`: the controllers, the scheduler and simulated kubelets are real
/// processes, so `expect` polls until the cluster gets there.
struct LiveScenarioCluster: ScenarioCluster {
    let kubus: KubusClient
    var client: any APIClient { kubus }

    func expect<T: Sendable>(_ what: String, _ check: @escaping @Sendable () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let value = try await check() { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        if let value = try await check() { return value }
        throw ScenarioFailure("expected \(what) within 60 s")
    }
}

/// The scenarios ControllerTests runs in process on the in-memory api, here against real processes: the control
/// plane, the scheduler, simulated kubelets and each controller in its own `kubus-controller`.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LiveScenarioTests {
    /// Each controller in its own process, as kubus-up runs them; then both in one `kubus-controller a,b`.
    @Test(arguments: [false, true])
    func deploymentRollsOutANewImage(oneProcess: Bool) async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try await cluster.startSimNodes(prefix: "live", nodes: 2, extraArgs: ["--sim-startup-millis", "100"])
            if oneProcess {
                try await cluster.startController(
                    ControllerScenarios.deploymentControllers.joined(separator: ","), name: "workloads")
            } else {
                for controller in ControllerScenarios.deploymentControllers {
                    try await cluster.startController(controller)
                }
            }
            let kubus = try cluster.apiClient()
            defer { kubus.bus.close() }
            do {
                try await ControllerScenarios.deploymentRollsOutANewImage(LiveScenarioCluster(kubus: kubus))
            } catch {
                Issue.record("\(error)\n\(cluster.logTails())")
            }
        }
    }
}
