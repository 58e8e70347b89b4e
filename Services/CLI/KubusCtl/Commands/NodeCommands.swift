import ArgumentParser
import Client
import Foundation
import Schema
import Wire

/// Node names from `NODE...`, `node/NAME` or `-l`.
struct NodeSelection: ParsableArguments {
    @OptionGroup var selectorOption: SelectorOption
    var selector: String? { selectorOption.selector }

    init() {}

    func names(_ arguments: [String], client: KubusClient) async throws -> [String] {
        var names = arguments.map {
            $0.hasPrefix("node/") ? String($0.dropFirst(5)) : ($0.hasPrefix("nodes/") ? String($0.dropFirst(6)) : $0)
        }
        if let selector {
            names += try await client.list(kind: "Node", labelSelector: selector).items.map(\.name)
        }
        guard !names.isEmpty else { throw CtlError("resource(s) were provided, but no name was specified") }
        return names
    }
}

/// Marks nodes (un)schedulable; shared by cordon, uncordon and drain.
enum Cordon {
    /// Sets `spec.unschedulable`; prints `node/x cordoned` or `node/x already cordoned`.
    static func set(_ name: String, unschedulable: Bool, client: KubusClient) async throws {
        let node = try await client.get(kind: "Node", namespace: nil, name: name)
        let verb = unschedulable ? "cordoned" : "uncordoned"
        if (node.at("spec.unschedulable")?.boolValue ?? false) == unschedulable {
            Console.line("node/\(name) already \(verb)")
            return
        }
        let value: JSONValue = unschedulable ? true : .null
        _ = try await client.patch(kind: "Node", namespace: nil, name: name, patch: ["spec": ["unschedulable": value]])
        Console.line("node/\(name) \(verb)")
    }
}

/// `kubusctl cordon NODE`.
struct CordonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cordon", abstract: "Mark node as unschedulable.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: NodeSelection

    @Argument(help: "NODE...")
    var nodes: [String] = []

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            for name in try await selection.names(nodes, client: client) {
                try await Cordon.set(name, unschedulable: true, client: client)
            }
        }
    }
}

/// `kubusctl uncordon NODE`.
struct UncordonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uncordon", abstract: "Mark node as schedulable.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: NodeSelection

    @Argument(help: "NODE...")
    var nodes: [String] = []

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            for name in try await selection.names(nodes, client: client) {
                try await Cordon.set(name, unschedulable: false, client: client)
            }
        }
    }
}

/// `kubusctl drain NODE`: cordon, then delete the node's pods (kubectl's filters) and wait until they are gone.
struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Drain node in preparation for maintenance.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: NodeSelection

    @Argument(help: "NODE...")
    var nodes: [String] = []

    @Flag(help: "Continue even if there are pods that do not declare a controller.")
    var force = false

    @Flag(name: .customLong("ignore-daemonsets"), help: "Ignore DaemonSet-managed pods.")
    var ignoreDaemonSets = false

    @Flag(name: .customLong("delete-emptydir-data"), help: "Continue even if there are pods using emptyDir.")
    var deleteEmptyDirData = false

    @Option(name: .customLong("grace-period"), help: "Seconds each pod gets to stop; negative uses the pod's own.")
    var gracePeriod: Int = -1

    @Option(
        help: ArgumentHelp("How long to wait before giving up (e.g. 90s, 5m); 0 waits forever.", valueName: "duration"))
    var timeout = GoDuration(.zero, text: "0s")

    @Option(name: .customLong("pod-selector"), help: "Only drain pods matching this label selector.")
    var podSelector: String?

    @Flag(name: .customLong("dry-run"), help: "Only print what would be deleted.")
    var dryRun = false

    func run() async throws {
        try await Console.run {
            let limit = timeout.limit
            let client = try global.client()
            var failed = false
            for name in try await selection.names(nodes, client: client) {
                if !(try await drain(name, client: client, limit: limit)) { failed = true }
            }
            if failed { throw ExitCode.failure }
        }
    }

    private func drain(_ node: String, client: KubusClient, limit: Duration?) async throws -> Bool {
        if dryRun {
            Console.line("node/\(node) cordoned (dry run)")
        } else {
            try await Cordon.set(node, unschedulable: true, client: client)
        }
        let pods = try await Self.pods(on: node, selector: podSelector, client: client)
        let plan = DrainPlan(
            pods: pods,
            options: .init(force: force, ignoreDaemonSets: ignoreDaemonSets, deleteEmptyDirData: deleteEmptyDirData))
        if let message = plan.errorMessage(node: node) {
            Console.err("error: \(message)")
            Console.err("There are pending nodes to be drained:\n \(node)")
            for error in plan.errors { Console.err(error) }
            return false
        }
        if !plan.warnings.isEmpty { Console.err("Warning: \(plan.warnings.joined(separator: "; "))") }
        if dryRun {
            for pod in plan.delete { Console.line("evicting pod \(pod.namespace)/\(pod.name) (dry run)") }
            Console.line("node/\(node) drained (dry run)")
            return true
        }
        let grace: Int64? = gracePeriod >= 0 ? Int64(gracePeriod) : nil
        for pod in plan.delete {
            do {
                _ = try await client.delete(
                    kind: "Pod", namespace: pod.namespace, name: pod.name,
                    preconditions: .init(uid: pod.str("metadata.uid")), gracePeriodSeconds: grace)
            } catch {
                guard error.isNotFound || error.isConflict else { throw error }
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var pending = plan.delete
        while !pending.isEmpty {
            var still: [JSONValue] = []
            for pod in pending {
                if try await Self.exists(pod, client: client) {
                    still.append(pod)
                } else {
                    Console.line("pod/\(pod.name) deleted")
                }
            }
            pending = still
            if pending.isEmpty { break }
            if let limit, clock.now - start >= limit {
                let text = "drain did not complete within \(timeout)"
                Console.err("error: unable to drain node \"\(node)\" due to error: \(text), continuing command...")
                Console.err("There are pending nodes to be drained:\n \(node)")
                Console.err(text)
                return false
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        Console.line("node/\(node) drained")
        return true
    }

    /// Whether `pod` (the same uid) still exists.
    static func exists(_ pod: JSONValue, client: KubusClient) async throws -> Bool {
        do {
            let live = try await client.get(kind: "Pod", namespace: pod.namespace, name: pod.name)
            return live.str("metadata.uid") == pod.str("metadata.uid")
        } catch {
            guard error.isNotFound else { throw error }
            return false
        }
    }

    /// The pods bound to `node`, in every namespace.
    static func pods(on node: String, selector: String?, client: KubusClient) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var token: String?
        repeat {
            let page = try await client.list(
                kind: "Pod", labelSelector: selector, fieldSelector: "spec.nodeName=\(node)", limit: 500,
                continue: token)
            items += page.items
            token = page.continue
        } while token != nil
        return items.filter { $0.str("spec.nodeName") == node }
    }
}

/// `kubusctl taint nodes NODE key=value:Effect key:Effect-`.
struct TaintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taint", abstract: "Update the taints on one or more nodes.",
        discussion: "kubusctl taint nodes NODE KEY[=VALUE]:EFFECT ... KEY[:EFFECT]- ...")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: NodeSelection

    @Argument(help: "nodes NODE... TAINT... (or node/NODE TAINT...)")
    var arguments: [String] = []

    @Flag(help: "Replace a taint with the same key and effect.")
    var overwrite = false

    @Flag(help: "Every node in the cluster.")
    var all = false

    func run() async throws {
        try await Console.run {
            let (names, specs) = try Self.split(arguments, all: all || selection.selector != nil)
            let edit = try TaintEdit.parse(specs)
            let client = try global.client()
            var targets = names
            if all { targets += try await client.list(kind: "Node").items.map(\.name) }
            if selection.selector != nil { targets = try await selection.names(targets, client: client) }
            guard !targets.isEmpty else { throw CtlError("resource(s) were provided, but no name was specified") }
            var failed = false
            for name in targets {
                do {
                    try await taint(name, edit: edit, client: client)
                } catch let error as CtlError {
                    Console.err("error: \(error.message)")
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    private func taint(_ name: String, edit: TaintEdit, client: KubusClient) async throws {
        for attempt in 0..<5 {
            var node = try await client.get(Node.self, namespace: nil, name: name)
            let (taints, operation) = try edit.apply(to: node.spec.taints ?? [], node: name, overwrite: overwrite)
            node.spec.taints = taints.isEmpty ? nil : taints
            do {
                _ = try await client.update(node)
                Console.line("node/\(name) \(operation.rawValue)")
                return
            } catch {
                guard error.isConflict, attempt < 4 else { throw error }
            }
        }
    }

    /// `nodes a b k=v:E` or `node/a k=v:E` into node names and taint specs.
    static func split(_ arguments: [String], all: Bool) throws(CtlError) -> (names: [String], specs: [String]) {
        guard let first = arguments.first else {
            throw CtlError(
                "you must specify the type of resource to get. Use \"kubusctl api-resources\" for a complete list of supported resources."
            )
        }
        var rest = Array(arguments.dropFirst())
        var names: [String] = []
        let kinds = ["node", "nodes", "no"]
        if let slash = first.firstIndex(of: "/") {
            guard kinds.contains(String(first[..<slash]).lowercased()) else {
                throw CtlError("invalid resource type \(first[..<slash]), only node types are supported")
            }
            names.append(String(first[first.index(after: slash)...]))
        } else {
            guard kinds.contains(first.lowercased()) else {
                throw CtlError("invalid resource type \(first), only node types are supported")
            }
        }
        while let next = rest.first, !next.contains(":"), !next.contains("="), !next.hasSuffix("-") {
            names.append(next.hasPrefix("node/") ? String(next.dropFirst(5)) : next)
            rest.removeFirst()
        }
        if names.isEmpty && !all {
            throw CtlError("at least one resource name must be specified since 'all' parameter is not set")
        }
        return (names, rest)
    }
}
