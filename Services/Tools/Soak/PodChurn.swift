import Bus
public import Client
import Foundation
import Schema

/// Pods of every kind of failure, created and deleted in rounds on real kubelets, with logs and exec calls
/// against them: the churn that once crashed the kubelet (issue 9). The suite runs a few rounds; `kubus-bench
/// soak` runs it for minutes. Whoever runs it checks that no kubelet died meanwhile.
public struct PodChurn: Sendable {
    /// The kinds of pod each round creates.
    public enum Kind: String, CaseIterable, Sendable {
        /// Runs and answers exec; deleted gracefully (it traps SIGTERM).
        case running
        /// An image nobody can pull: ErrImagePull, then ImagePullBackOff.
        case pullFailure = "pull-failure"
        /// Exits 1 at once, restartPolicy Always: CrashLoopBackOff.
        case crashLoop = "crash-loop"
        /// A liveness probe that always fails (restarts) and a readiness probe on a closed port (never Ready).
        case failingProbes = "failing-probes"
        /// An init container that exits 2, restartPolicy OnFailure: Init:CrashLoopBackOff.
        case failingInit = "failing-init"
        /// Allocates past a 24Mi memory limit: OOMKilled, restarted.
        case outOfMemory = "out-of-memory"
        /// Prints and exits 0, restartPolicy Never: Succeeded.
        case completes
        /// A command that does not exist: RunContainerError.
        case badCommand = "bad-command"
    }

    public struct Configuration: Sendable {
        public var namespace = "soak"
        /// Pods of each kind per round.
        public var podsPerKind = 1
        /// How long a round lets its pods run, fail and restart before it deletes them.
        public var settle: Duration = .seconds(4)
        /// Nodes to bind pods to directly (no scheduler needed), round-robin; empty: leave it to the scheduler.
        public var nodes: [String] = []

        public init() {}
    }

    /// What the churn did; failures of calls that a kind of pod must refuse (logs of a pod that never started)
    /// are not counted as failures.
    public struct Summary: Sendable, Hashable {
        public var rounds = 0
        public var podsCreated = 0
        public var podsDeleted = 0
        public var execCalls = 0
        public var logsCalls = 0
        /// Calls that should have worked and did not, with the first few messages.
        public var failures = 0
        public var failureMessages: [String] = []

        public init() {}

        mutating func fail(_ message: String) {
            failures += 1
            if failureMessages.count < 10 { failureMessages.append(message) }
        }
    }

    let client: KubusClient
    let configuration: Configuration

    public init(client: KubusClient, configuration: Configuration) {
        self.client = client
        self.configuration = configuration
    }

    /// Creates the namespace when it is missing.
    public func prepare() async throws {
        do {
            _ = try await client.create(
                Manifest.parse(
                    yaml: "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(configuration.namespace)}",
                    source: "soak")[0])
        } catch let error as APIError where error.code == 409 {
            return
        }
    }

    /// Runs rounds until `deadline` (at least one), adding to `summary`; `progress` sees it after each round.
    public func run(
        until deadline: ContinuousClock.Instant, progress: (Summary) -> Void = { _ in }
    ) async throws -> Summary {
        var summary = Summary()
        repeat {
            try await round(summary.rounds, into: &summary)
            summary.rounds += 1
            progress(summary)
        } while ContinuousClock.now < deadline && !Task.isCancelled
        return summary
    }

    /// One round: create every kind, let them run, exec and read logs, delete them (half at once, half
    /// gracefully) and wait until they are gone.
    public func round(_ index: Int, into summary: inout Summary) async throws {
        let namespace = configuration.namespace
        var pods: [(name: String, kind: Kind, node: String?)] = []
        for kind in Kind.allCases {
            for copy in 0..<configuration.podsPerKind {
                let node =
                    configuration.nodes.isEmpty ? nil : configuration.nodes[(pods.count) % configuration.nodes.count]
                pods.append(("\(kind.rawValue)-\(index)-\(copy)", kind, node))
            }
        }
        for pod in pods {
            let object = try Manifest.parse(
                yaml: Self.manifest(pod.kind, name: pod.name, namespace: namespace, round: index, node: pod.node),
                source: pod.name)[0]
            do {
                _ = try await client.create(object)
                summary.podsCreated += 1
            } catch {
                summary.fail("create \(pod.name): \(error)")
            }
        }
        try await Task.sleep(for: configuration.settle)

        for pod in pods {
            guard let object = try? await client.get(kind: "Pod", namespace: namespace, name: pod.name),
                let node = object["spec"]?["nodeName"]?.stringValue
            else { continue }
            let kubelet = KubeletClient(bus: client.bus, node: node)
            let running =
                object["status"]?["phase"]?.stringValue == "Running"
                && (object["status"]?["containerStatuses"]?.arrayValue?.first?["state"]?["running"]) != nil
            summary.logsCalls += 1
            do {
                _ = try await kubelet.logs(namespace: namespace, pod: pod.name)
            } catch {
                // Only a pod that runs must have a log to show.
                if pod.kind == .running && running { summary.fail("logs \(pod.name): \(error)") }
            }
            guard pod.kind == .running || pod.kind == .failingProbes else { continue }
            summary.execCalls += 1
            do {
                let result = try await kubelet.exec(
                    namespace: namespace, pod: pod.name, ["sh", "-c", "echo $HOSTNAME"])
                if pod.kind == .running, running, result.exitCode != 0 || result.stdout != pod.name + "\n" {
                    summary.fail(
                        "exec in \(pod.name): exit \(result.exitCode.map(String.init) ?? "none"), "
                            + "stdout \(result.stdout.debugDescription), stderr \(result.stderr.debugDescription)")
                }
            } catch {
                if pod.kind == .running && running { summary.fail("exec in \(pod.name): \(error)") }
            }
        }

        for (position, pod) in pods.enumerated() {
            do {
                _ = try await client.delete(
                    kind: "Pod", namespace: namespace, name: pod.name,
                    gracePeriodSeconds: position.isMultiple(of: 2) ? 0 : nil)
                summary.podsDeleted += 1
            } catch {
                if error.isNotFound {
                    summary.podsDeleted += 1
                } else {
                    summary.fail("delete \(pod.name): \(error)")
                }
            }
        }
        let selector = "kubus.dev/soak-round=\(index)"
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let left = (try? await client.list(kind: "Pod", namespace: namespace, labelSelector: selector))?.items
            if left?.isEmpty == true { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        summary.fail("round \(index): pods still there 60 s after their deletion")
    }

    /// The pod of `kind`, as YAML a user would apply.
    static func manifest(_ kind: Kind, name: String, namespace: String, round: Int, node: String?) -> String {
        let header = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: \(name)
              namespace: \(namespace)
              labels: {kubus.dev/soak: "true", kubus.dev/soak-round: "\(round)", kubus.dev/soak-kind: \(kind.rawValue)}
            spec:
              terminationGracePeriodSeconds: 3
            """
            + (node.map { "\n  nodeName: \($0)" } ?? "")
        let body: String
        switch kind {
        case .running:
            body = """
                  containers:
                  - name: app
                    image: busybox
                    command: [sh, -c, "trap 'exit 0' TERM; echo started; while true; do sleep 1; done"]
                    readinessProbe: {exec: {command: ["true"]}, periodSeconds: 1}
                """
        case .pullFailure:
            body = """
                  containers:
                  - {name: app, image: "registry.invalid/kubus/no-such-image:0.1"}
                """
        case .crashLoop:
            body = """
                  containers:
                  - {name: app, image: busybox, command: [sh, -c, "echo crashing; exit 1"]}
                """
        case .failingProbes:
            body = """
                  containers:
                  - name: app
                    image: busybox
                    command: [sleep, "3600"]
                    livenessProbe: {exec: {command: ["false"]}, periodSeconds: 1, failureThreshold: 1}
                    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
                """
        case .failingInit:
            body = """
                  restartPolicy: OnFailure
                  initContainers:
                  - {name: init, image: busybox, command: [sh, -c, "echo init failing; exit 2"]}
                  containers:
                  - {name: app, image: busybox, command: [sleep, "3600"]}
                """
        case .outOfMemory:
            body = """
                  restartPolicy: OnFailure
                  containers:
                  - name: app
                    image: busybox
                    command: [sh, -c, "head -c 200m /dev/zero | tail"]
                    resources: {limits: {memory: 24Mi}}
                """
        case .completes:
            body = """
                  restartPolicy: Never
                  containers:
                  - {name: app, image: busybox, command: [sh, -c, "echo done"]}
                """
        case .badCommand:
            body = """
                  containers:
                  - {name: app, image: busybox, command: [/no/such/program]}
                """
        }
        return header + "\n" + body
    }
}
