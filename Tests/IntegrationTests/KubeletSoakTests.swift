import Bus
import Client
import Foundation
import Schema
import Soak
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The kubelet survives churn (issue 9): pods of every kind of failure created and deleted in rounds on two real
/// kubelets, with logs and exec calls, while a third kubelet joins and leaves. No kubelet may die. The long form
/// is `kubus-bench soak`.
@Suite(.timeLimit(.minutes(5)), .enabled(if: getuid() == 0, "needs root: real pods in namespaces"))
struct KubeletSoakTests {
    @Test func kubeletsSurvivePodChurnOfEveryFailureKind() async throws {
        try await KubeletIntegrationTests.withKubelets(["soak-a", "soak-b"]) { cluster, client in
            let pids = ["soak-a", "soak-b"].compactMap { cluster.pid("kubelet-\($0)") }
            var configuration = PodChurn.Configuration()
            configuration.nodes = ["soak-a", "soak-b"]
            configuration.settle = .seconds(3)
            let churn = PodChurn(client: client, configuration: configuration)
            try await churn.prepare()
            var summary = PodChurn.Summary()
            for round in 0..<4 {
                // A third kubelet joins for the odd rounds and leaves (SIGTERM) after them.
                if round % 2 == 1 { try cluster.startKubelet(node: "soak-c") }
                try await churn.round(round, into: &summary)
                summary.rounds += 1
                if round % 2 == 1 { cluster.stop("kubelet-soak-c") }
            }
            #expect(summary.podsCreated == 4 * PodChurn.Kind.allCases.count)
            #expect(summary.podsDeleted == summary.podsCreated)
            #expect(summary.execCalls >= 8)
            #expect(summary.failures == 0, "\(summary.failureMessages)")
            for (node, pid) in zip(["soak-a", "soak-b"], pids) {
                #expect(cluster.pid("kubelet-\(node)") == pid)
                #expect(
                    kill(pid, 0) == 0,
                    "kubelet \(node) died during the churn:\n\(cluster.log("kubelet-\(node)").suffix(3000))")
            }
        }
    }
}
