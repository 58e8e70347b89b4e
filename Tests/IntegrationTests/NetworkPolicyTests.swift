import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

private let nftAvailable = FileManager.default.isExecutableFile(atPath: "/usr/sbin/nft")

/// NetworkPolicy enforced in the kernel by kubus-netpol between real pods of a real kubelet: default deny, then an
/// allow for one peer and port, egress isolation, and replies of allowed connections.
@Suite(.timeLimit(.minutes(3)), .enabled(if: getuid() == 0 && nftAvailable, "needs root and nft"))
struct NetworkPolicyTests {
    let table = "kubus-netpol-t\(Int.random(in: 1000...9999))"

    func policy(_ yaml: String) throws -> NetworkPolicy {
        try Manifest.parse(yaml: yaml, source: "policy.yaml")[0].decode(as: NetworkPolicy.self)
    }

    /// Whether `from` gets the db pod's page within 2 seconds.
    func reaches(_ cluster: TestCluster, from: String, _ ip: String) async throws -> Bool {
        let result = try await KubeletIntegrationTests.exec(
            cluster, pod: from, ["sh", "-c", "timeout 2 wget -q -O - http://\(ip):8080/ || echo BLOCKED"])
        return result.stdout.contains("db")
    }

    @Test func policiesBlockAndThenAllow() async throws {
        try await KubeletIntegrationTests.withKubelets(["node-a"]) { cluster, client in
            defer {
                cluster.stop("netpol", signal: SIGKILL)
                let cleanup = Process()
                cleanup.executableURL = URL(fileURLWithPath: "\(cluster.bin)/kubus-netpol")
                cleanup.arguments = ["cleanup", "--table", table]
                try? cleanup.run()
                cleanup.waitUntilExit()
            }
            try cluster.start("netpol", args: ["--table", table, "--min-sync-period-ms", "0"])
            try await cluster.waitForService("netpol")
            var db = ServiceProxyTests.server("db")
            db.metadata.labels = ["role": "db"]
            _ = try await client.create(db)
            for (name, role) in [("front", "frontend"), ("other", "other")] {
                var pod = KubeletIntegrationTests.pod(
                    name, node: "node-a", containers: [KubeletIntegrationTests.sh("c", "exec sleep 600")])
                pod.metadata.labels = ["role": role]
                _ = try await client.create(pod)
            }
            for name in ["db", "front", "other"] {
                _ = try await KubeletIntegrationTests.waitForPhase(client, name, "Running")
            }
            let ip = try #require(try await client.get(Pod.self, namespace: "default", name: "db").status.podIP)
            try await KubeletIntegrationTests.waitFor("db serving", cluster: cluster) {
                try await reaches(cluster, from: "front", ip)
            }
            #expect(try await reaches(cluster, from: "other", ip))

            // Default deny for the db pod: nobody gets in.
            _ = try await client.create(
                try policy(
                    """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: default-deny-ingress, namespace: default}
                    spec:
                      podSelector: {matchLabels: {role: db}}
                      policyTypes: [Ingress]
                    """))
            try await KubeletIntegrationTests.waitFor("the default deny", cluster: cluster) {
                !(try await reaches(cluster, from: "front", ip))
            }
            #expect(!(try await reaches(cluster, from: "other", ip)))

            // Frontends may reach its http port; others still may not.
            _ = try await client.create(
                try policy(
                    """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: db-from-frontend, namespace: default}
                    spec:
                      podSelector: {matchLabels: {role: db}}
                      ingress:
                      - from: [{podSelector: {matchLabels: {role: frontend}}}]
                        ports: [{protocol: TCP, port: http}]
                    """))
            try await KubeletIntegrationTests.waitFor("the allow", cluster: cluster) {
                try await reaches(cluster, from: "front", ip)
            }
            #expect(!(try await reaches(cluster, from: "other", ip)))

            // The frontend isolated for egress with only DNS allowed: it can no longer reach the db.
            _ = try await client.create(
                try policy(
                    """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: front-egress, namespace: default}
                    spec:
                      podSelector: {matchLabels: {role: frontend}}
                      policyTypes: [Egress]
                      egress:
                      - ports: [{protocol: UDP, port: 53}]
                    """))
            try await KubeletIntegrationTests.waitFor("the egress isolation", cluster: cluster) {
                !(try await reaches(cluster, from: "front", ip))
            }
            // Removing the policies opens everything again.
            for name in ["default-deny-ingress", "db-from-frontend", "front-egress"] {
                _ = try await client.delete(kind: "NetworkPolicy", namespace: "default", name: name)
            }
            try await KubeletIntegrationTests.waitFor("everything open", cluster: cluster) {
                try await reaches(cluster, from: "other", ip)
            }
            for name in ["db", "front", "other"] {
                _ = try? await client.delete(kind: "Pod", namespace: "default", name: name, gracePeriodSeconds: 0)
            }
        }
    }
}
