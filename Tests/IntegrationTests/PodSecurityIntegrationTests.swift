import Bus
import Foundation
import Testing

/// Issue 13 items 4 and 5, with real processes: a namespace labelled as the official
/// `security/podsecurity-restricted.yaml` example refuses a privileged pod through kubusctl, warns about a
/// Deployment's template, and the ReplicaSet controller reports the pods it cannot create; a baseline namespace
/// refuses the hostPath pod the attack ran as root.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct PodSecurityIntegrationTests {
    static let restrictedNamespace = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: my-restricted-namespace
          labels:
            pod-security.kubernetes.io/enforce: restricted
            pod-security.kubernetes.io/enforce-version: latest
            pod-security.kubernetes.io/warn: restricted
            pod-security.kubernetes.io/warn-version: latest
        """

    static let privilegedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: root-shell
        spec:
          containers:
          - name: shell
            image: busybox
            command: ["sleep", "3600"]
            securityContext:
              privileged: true
          volumes:
          - name: host
            hostPath:
              path: /
        """

    @Test func aRestrictedNamespaceRefusesAPrivilegedPod() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try await cluster.startController("replicaset")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("psa-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let namespace = folder.appendingPathComponent("ns.yaml").path
            let pod = folder.appendingPathComponent("pod.yaml").path
            try Self.restrictedNamespace.write(toFile: namespace, atomically: true, encoding: .utf8)
            try Self.privilegedPod.write(toFile: pod, atomically: true, encoding: .utf8)

            #expect(try cluster.ctl(["apply", "-f", namespace]).status == 0)
            let refused = try cluster.ctl(["apply", "-f", pod, "-n", "my-restricted-namespace"])
            #expect(refused.status == 1, "\(refused)")
            #expect(
                refused.err.contains(
                    "Error from server (Forbidden): error when creating \"\(pod)\": pods \"root-shell\" is forbidden: "
                        + "violates PodSecurity \"restricted:latest\": host"),
                "\(refused)")
            #expect(refused.err.contains("privileged (container \"shell\" must not set"), "\(refused)")
            #expect(
                try cluster.ctl(["get", "pod", "root-shell", "-n", "my-restricted-namespace"]).status == 1)

            // A workload is written with a warning; its ReplicaSet's pods are refused and the refusal reported.
            let deployment = try cluster.ctl([
                "create", "deployment", "web", "--image=nginx", "-n", "my-restricted-namespace",
            ])
            #expect(deployment.status == 0, "\(deployment)")
            #expect(
                deployment.err.contains("Warning: would violate PodSecurity \"restricted:latest\""), "\(deployment)")
            try await cluster.startController("deployment")
            let reported = try await eventually(within: .seconds(20)) {
                try cluster.ctl(["get", "events", "-n", "my-restricted-namespace"]).out.contains(
                    "violates PodSecurity")
            }
            #expect(reported, "no FailedCreate event")

            // Baseline in default: the same pod is refused for its host access, a plain pod is not.
            let labelled = try cluster.ctl([
                "label", "namespace", "default", "pod-security.kubernetes.io/enforce=baseline",
            ])
            #expect(labelled.status == 0, "\(labelled)")
            try await Task.sleep(for: .milliseconds(1100))  // another instance's namespace cache lives 1 s
            let hostPath = try cluster.ctl(["apply", "-f", pod])
            #expect(
                hostPath.status == 1 && hostPath.err.contains("violates PodSecurity \"baseline:latest\""),
                "\(hostPath)")
            #expect(hostPath.err.contains("hostPath volumes (volume \"host\")"), "\(hostPath)")
            let plain = try cluster.ctl(["run", "plain", "--image=busybox"])
            #expect(plain.status == 0, "\(plain)")
        }
    }
}
