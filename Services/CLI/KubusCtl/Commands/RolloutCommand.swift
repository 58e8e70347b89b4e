import ArgumentParser
import Client
import Foundation
import Schema

/// `kubusctl rollout`: status, history, undo, pause, resume and restart of deployments.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Manage the rollout of a deployment.",
        subcommands: [
            RolloutStatusCommand.self, RolloutHistoryCommand.self, RolloutUndoCommand.self,
            RolloutPauseCommand.self, RolloutResumeCommand.self, RolloutRestartCommand.self,
        ])

    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let hashLabel = "pod-template-hash"

    /// The deployment names from `deployment/web`, `deployment web` or `deploy/web`.
    static func deploymentNames(_ arguments: [String], allowingType: Bool = false) throws(CtlError) -> [String] {
        var names: [String] = []
        for target in try ResourceTypes.parse(arguments) {
            guard target.info.kind == "Deployment" else {
                throw CtlError(
                    "no rollout support for \(target.info.qualifiedResource): only deployments are supported")
            }
            guard !target.names.isEmpty || allowingType else {
                throw CtlError("required resource not specified")
            }
            names += target.names
        }
        return names
    }

    /// The Deployment's ReplicaSets (those it controls), by revision.
    static func history(_ client: KubusClient, _ d: Deployment) async throws -> [(revision: Int, rs: ReplicaSet)] {
        let sets = try await client.list(ReplicaSet.self, namespace: d.metadata.namespace).items
        return sets.compactMap { rs in
            guard
                rs.metadata.ownerReferences?.contains(where: { $0.controller == true && $0.uid == d.metadata.uid })
                    == true, let revision = Int(rs.metadata.annotations?[revisionAnnotation] ?? "")
            else { return nil }
            return (revision, rs)
        }.sorted { $0.revision < $1.revision }
    }

    /// Applies a JSON merge patch to the Deployment.
    static func patch(_ client: KubusClient, namespace: String, name: String, _ patch: JSONValue) async throws {
        _ = try await client.patch(kind: "Deployment", namespace: namespace, name: name, patch: patch)
    }
}

/// The kubectl status line of a deployment, and whether it is done (`DeploymentStatusViewer`).
enum RolloutStatusText {
    static func of(_ d: Deployment) throws(CtlError) -> (text: String, done: Bool) {
        let name = d.metadata.name ?? ""
        guard (d.metadata.generation ?? 0) <= (d.status.observedGeneration ?? 0) else {
            return ("Waiting for deployment spec update to be observed...", false)
        }
        if d.status.conditions?.first(where: { $0.type == "Progressing" })?.reason == "ProgressDeadlineExceeded" {
            throw CtlError("deployment \"\(name)\" exceeded its progress deadline")
        }
        let replicas = d.spec.replicas ?? 1
        let updated = d.status.updatedReplicas ?? 0
        let total = d.status.replicas ?? 0
        let available = d.status.availableReplicas ?? 0
        if updated < replicas {
            return (
                "Waiting for deployment \"\(name)\" rollout to finish: \(updated) out of \(replicas) new replicas "
                    + "have been updated...", false
            )
        }
        if total > updated {
            return (
                "Waiting for deployment \"\(name)\" rollout to finish: \(total - updated) old replicas are pending "
                    + "termination...", false
            )
        }
        if available < updated {
            return (
                "Waiting for deployment \"\(name)\" rollout to finish: \(available) of \(updated) updated replicas "
                    + "are available...", false
            )
        }
        return ("deployment \"\(name)\" successfully rolled out", true)
    }
}

struct RolloutStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the status of the rollout, waiting until it finishes.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "deployment/NAME or deployment NAME") var arguments: [String] = []
    @Option(name: [.short, .long], help: "Watch the status until the rollout finishes.") var watch: Bool = true
    @Option(
        help: ArgumentHelp("How long to wait before giving up (Go duration); 0 waits forever.", valueName: "duration"))
    var timeout = GoDuration(.zero, text: "0s")
    @OptionGroup var selectorOption: SelectorOption

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            let namespace = global.resolvedNamespace
            var names = try RolloutCommand.deploymentNames(arguments, allowingType: selectorOption.selector != nil)
            if let selector = selectorOption.selector {
                names += try await client.list(kind: "Deployment", namespace: namespace, labelSelector: selector)
                    .items.map(\.name)
            }
            guard names.count <= 1 else {
                throw CtlError(
                    "rollout status is only supported on individual resources and resource collections; "
                        + "\(names.count) resources were found")
            }
            guard let name = names.first else { throw CtlError("no resources found in \(namespace) namespace.") }
            let start = ContinuousClock.now
            var last = ""
            while true {
                let d = try await client.get(Deployment.self, namespace: namespace, name: name)
                let (text, done) = try RolloutStatusText.of(d)
                if text != last { Console.line(text) }
                last = text
                if done || !watch { return }
                if let limit = timeout.limit, ContinuousClock.now - start > limit {
                    throw CtlError("timed out waiting for the condition")
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}

struct RolloutHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "View rollout history.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "deployment/NAME or deployment NAME") var arguments: [String] = []
    @Option(help: "See the details of this revision.") var revision: Int = 0

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            let namespace = global.resolvedNamespace
            for name in try RolloutCommand.deploymentNames(arguments) {
                let d = try await client.get(Deployment.self, namespace: namespace, name: name)
                let history = try await RolloutCommand.history(client, d)
                let info = Deployment.kindInfo
                if revision > 0 {
                    guard let entry = history.first(where: { $0.revision == revision }) else {
                        throw CtlError("unable to find the specified revision")
                    }
                    var template = entry.rs.spec.template ?? PodTemplateSpec()
                    template.metadata.labels?.removeValue(forKey: RolloutCommand.hashLabel)
                    Console.line("\(ResourceName.slashed(info, name)) with revision #\(revision)")
                    Console.line("Pod Template:")
                    let yaml = Manifest.yaml(from: try JSONValue(encoding: template))
                    Console.out(
                        yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
                            .joined(separator: "\n"))
                    Console.line("")
                    continue
                }
                Console.line(ResourceName.slashed(info, name))
                Console.line("REVISION  CHANGE-CAUSE")
                for entry in history {
                    let cause = entry.rs.metadata.annotations?["kubernetes.io/change-cause"] ?? "<none>"
                    Console.line(String(entry.revision).padding(toLength: 10, withPad: " ", startingAt: 0) + cause)
                }
                Console.line("")
            }
        }
    }
}

struct RolloutUndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Roll back to a previous rollout (the one before, or --to-revision).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "deployment/NAME or deployment NAME") var arguments: [String] = []
    @Option(name: .customLong("to-revision"), help: "The revision to roll back to; 0 is the previous one.")
    var toRevision: Int = 0

    /// Template annotations kubectl does not copy back from a ReplicaSet.
    static let skipped: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", RolloutCommand.revisionAnnotation,
        "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    ]

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            let namespace = global.resolvedNamespace
            for name in try RolloutCommand.deploymentNames(arguments) {
                let d = try await client.get(Deployment.self, namespace: namespace, name: name)
                if d.spec.paused == true {
                    throw CtlError(
                        "you cannot rollback a paused deployment; resume it first with 'kubusctl rollout resume "
                            + "deployment/\(name)' and try again")
                }
                let history = try await RolloutCommand.history(client, d)
                guard let target = Self.pick(history.map(\.revision), toRevision: toRevision),
                    let rs = history.first(where: { $0.revision == target })?.rs,
                    var template = rs.spec.template
                else {
                    if toRevision > 0 { throw CtlError("unable to find specified revision \(toRevision) in history") }
                    throw CtlError("no rollout history found for deployment \"\(name)\"")
                }
                template.metadata.labels?.removeValue(forKey: RolloutCommand.hashLabel)
                let info = Deployment.kindInfo
                if template == d.spec.template {
                    Console.line(
                        "\(ResourceName.slashed(info, name)) skipped rollback (current template already matches "
                            + "revision \(target))")
                    continue
                }
                // The whole template is replaced (a merge patch would keep keys the old template lacks), and
                // the ReplicaSet's own annotations are copied back, as kubectl does.
                var updated = d
                updated.spec.template = template
                for (key, value) in rs.metadata.annotations ?? [:] where !Self.skipped.contains(key) {
                    updated.metadata.annotations = (updated.metadata.annotations ?? [:]).merging([key: value]) {
                        _, b in b
                    }
                }
                _ = try await client.update(updated)
                Console.line("\(ResourceName.slashed(info, name)) rolled back")
            }
        }
    }

    /// The revision to go back to: `toRevision`, or the newest before the current one (`findRevision`).
    static func pick(_ revisions: [Int], toRevision: Int) -> Int? {
        if toRevision > 0 { return revisions.contains(toRevision) ? toRevision : nil }
        let sorted = revisions.sorted()
        return sorted.count >= 2 ? sorted[sorted.count - 2] : nil
    }
}

struct RolloutPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Mark a deployment paused.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "deployment/NAME or deployment NAME") var arguments: [String] = []

    func run() async throws {
        try await RolloutPauseCommand.setPaused(true, global: global, arguments: arguments)
    }

    static func setPaused(_ paused: Bool, global: GlobalOptions, arguments: [String]) async throws {
        try await Console.run {
            let client = try global.client()
            let namespace = global.resolvedNamespace
            for name in try RolloutCommand.deploymentNames(arguments) {
                let d = try await client.get(Deployment.self, namespace: namespace, name: name)
                let slashed = ResourceName.slashed(Deployment.kindInfo, name)
                if (d.spec.paused ?? false) == paused {
                    throw CtlError("\(slashed) is \(paused ? "already paused" : "not paused")")
                }
                try await RolloutCommand.patch(
                    client, namespace: namespace, name: name, ["spec": ["paused": .bool(paused)]])
                Console.line("\(slashed) \(paused ? "paused" : "resumed")")
            }
        }
    }
}

struct RolloutResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused deployment.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "deployment/NAME or deployment NAME") var arguments: [String] = []

    func run() async throws {
        try await RolloutPauseCommand.setPaused(false, global: global, arguments: arguments)
    }
}

struct RolloutRestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Restart a deployment's pods with a new rollout.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "deployment/NAME or deployment NAME") var arguments: [String] = []

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            let namespace = global.resolvedNamespace
            for name in try RolloutCommand.deploymentNames(arguments) {
                let d = try await client.get(Deployment.self, namespace: namespace, name: name)
                let slashed = ResourceName.slashed(Deployment.kindInfo, name)
                if d.spec.paused == true {
                    throw CtlError("can't restart paused deployment (run rollout resume first)")
                }
                let now = Time(Date()).rawValue
                try await RolloutCommand.patch(
                    client, namespace: namespace, name: name,
                    [
                        "spec": [
                            "template": [
                                "metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": .string(now)]]
                            ]
                        ]
                    ])
                Console.line("\(slashed) restarted")
            }
        }
    }
}
