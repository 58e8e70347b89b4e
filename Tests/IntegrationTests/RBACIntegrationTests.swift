import Bus
import Foundation
import Testing

/// Issue 13 item 3, with real processes: the two official RBAC examples applied with kubusctl; `auth can-i` as jane
/// (impersonated by the administrator) and jane's own requests, with her own bus key, agree: pods in `default` yes,
/// anything else no; a binding's roleRef cannot change; jane cannot impersonate anyone. Two api instances, so each
/// one's policy cache is exercised.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RBACIntegrationTests {
    /// The two official examples, kept in Tests/Support/examples (the unit tests read them too).
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/examples/access").path

    @Test func theOfficialExamplesGrantJaneWhatTheySayAndNoMore() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane(apis: 2)
            // Before the binding, jane may do nothing but ask.
            #expect(try cluster.ctl(["auth", "can-i", "get", "pods", "--as", "jane"]).out == "no\n")
            let role = "\(Self.examples)/simple-role.yaml"
            let applied = try cluster.ctl([
                "apply", "-f", role, "-f", "\(Self.examples)/simple-rolebinding-with-role.yaml",
            ])
            #expect(applied.status == 0, "\(applied.err)")
            #expect(!applied.err.contains("Warning"), "\(applied.err)")

            // Each api instance follows the bindings from the bus within moments; ask until one says yes, then
            // every answer must hold on both (the requests below are spread over the two).
            let deadline = ContinuousClock.now + .seconds(10)
            while try cluster.ctl(["auth", "can-i", "get", "pods", "--as", "jane", "-n", "default"]).out != "yes\n",
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(500))
            for _ in 0..<2 {
                for verb in ["get", "list", "watch"] {
                    let answer = try cluster.ctl(["auth", "can-i", verb, "pods", "--as", "jane", "-n", "default"])
                    #expect(answer.out == "yes\n" && answer.status == 0, "can-i \(verb) pods: \(answer)")
                }
                for ask in [
                    ["delete", "pods"], ["list", "secrets"], ["list", "deployments.apps"],
                    ["get", "pods", "-n", "kube-system"],
                    ["list", "pods", "-A"],
                ] {
                    let answer = try cluster.ctl(["auth", "can-i"] + ask + ["--as", "jane"])
                    #expect(answer.out == "no\n" && answer.status == 1, "can-i \(ask): \(answer)")
                }
            }

            // Jane's own key, issued with the real command, may call the api and nothing else on the bus.
            let issued = try runProgram(
                "\(cluster.bin)/kubus-bus",
                ["keys", "issue", "jane", "--identity", "jane", "--calls", "api", "--keys", cluster.keyring.directory],
                withStandardError: false
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            let asJane = ["KUBUS_BUS_KEY": issued]
            try await Task.sleep(for: .milliseconds(1500))  // the broker reads the registry within a second
            let whoami = try cluster.ctl(["auth", "whoami"], environment: asJane)
            #expect(whoami.out.contains("jane"), "\(whoami)")
            let pods = try cluster.ctl(["get", "pods", "-n", "default"], environment: asJane)
            #expect(pods.status == 0, "\(pods)")
            for (args, message) in [
                (
                    ["get", "secrets"],
                    "secrets is forbidden: User \"jane\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\""
                ),
                (
                    ["get", "pods", "-n", "kube-system"],
                    "User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"kube-system\""
                ),
                (["get", "deployments"], "User \"jane\" cannot list resource \"deployments\" in API group \"apps\""),
                (["delete", "pod", "web"], "pods \"web\" is forbidden: User \"jane\" cannot delete resource \"pods\""),
                (["get", "secrets", "--as", "kubus-admin"], "User \"jane\" cannot impersonate resource \"users\""),
            ] {
                let answer = try cluster.ctl(args, environment: asJane)
                #expect(answer.status == 1 && answer.err.contains(message), "\(args): \(answer)")
                #expect(answer.err.contains("Error from server (Forbidden)"), "\(args): \(answer)")
            }

            // Her key may not subscribe to events (no `--subscribes`): `get -w` follows the Sync beacons and reads
            // the changes through the api, which lets her watch pods in default and nothing else.
            let watchLog = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: watchLog.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: watchLog) }
            let watcher = Process()
            watcher.executableURL = URL(fileURLWithPath: "\(cluster.bin)/kubusctl")
            watcher.arguments = ["get", "pods", "-w", "-n", "default", "--bus", cluster.endpoints.base]
            watcher.environment = ProcessInfo.processInfo.environment.merging(asJane) { _, new in new }
            watcher.standardOutput = try FileHandle(forWritingTo: watchLog)
            watcher.standardError = watcher.standardOutput
            try watcher.run()
            defer {
                watcher.terminate()
                watcher.waitUntilExit()
            }
            try await Task.sleep(for: .milliseconds(1000))
            #expect(try cluster.ctl(["run", "watched", "--image=busybox"]).status == 0)
            let seen = try await eventually(within: .seconds(10)) {
                (try? String(contentsOf: watchLog, encoding: .utf8))?.contains("watched") == true
            }
            #expect(seen, "\((try? String(contentsOf: watchLog, encoding: .utf8)) ?? "")")
            let secrets = try cluster.ctl(["get", "secrets", "-w"], environment: asJane)
            #expect(secrets.status == 1 && secrets.err.contains("cannot list resource \"secrets\""), "\(secrets)")

            // A binding's roleRef is immutable.
            let patched = try cluster.ctl([
                "patch", "rolebinding", "read-pods", "--type", "merge", "-p",
                #"{"roleRef":{"kind":"ClusterRole","name":"cluster-admin"}}"#,
            ])
            #expect(patched.status == 1 && patched.err.contains("roleRef"), "\(patched)")
            // Nor can jane write RBAC: she holds no rbac rights at all.
            let escalate = try cluster.ctl(["apply", "-f", role], environment: asJane)
            #expect(escalate.status == 1 && escalate.err.contains("Forbidden"), "\(escalate)")
        }
    }
}
