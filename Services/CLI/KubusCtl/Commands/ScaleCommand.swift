import ArgumentParser
import Client
import Schema

/// `kubusctl scale`: set `spec.replicas` of deployments, replica sets and stateful sets.
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Set a new size for a deployment, replica set or stateful set.",
        discussion: """
            With --current-replicas, the scale happens only if the current size is that value; with \
            --resource-version, only if the object has not changed since that version.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE NAME..., or TYPE/NAME...")
    var arguments: [String] = []

    @Option(help: "The new desired number of replicas. Required.")
    var replicas: Int?

    @Option(name: .customLong("current-replicas"), help: "Precondition for the current size; -1 for none.")
    var currentReplicas: Int = -1

    @Option(name: .customLong("resource-version"), help: "Precondition for the resource version.")
    var resourceVersion: String?

    @Option(name: [.short, .long], help: "Output: name prints resource/name only.")
    var output: String?

    @OptionGroup var selectorOption: SelectorOption

    @Flag(help: "Every object of the type in the namespace.")
    var all = false

    static let scalable: Set<String> = ["Deployment", "ReplicaSet", "StatefulSet"]

    func run() async throws {
        try await Console.run {
            guard let replicas else { throw CtlError("required flag(s) \"replicas\" not set") }
            guard replicas >= 0 else {
                throw CtlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
            }
            let client = try global.client()
            var failed = false
            for target in try ResourceTypes.parse(arguments) where !Self.scalable.contains(target.info.kind) {
                throw CtlError(
                    "cannot scale \(target.info.qualifiedResource): "
                        + "only deployments, replicasets and statefulsets can be scaled")
            }
            let targets = try await ObjectTargets.resolve(
                arguments, selector: selectorOption.selector, all: all, global: global, client: client)
            for target in targets {
                let name = target.name
                do {
                    try await scale(client, target.info, namespace: target.namespace ?? "", name: name, to: replicas)
                    Console.line(
                        output == "name"
                            ? ResourceName.slashed(target.info, name)
                            : "\(ResourceName.slashed(target.info, name)) scaled")
                } catch {
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    /// Reads the object, checks the preconditions, and writes the new size; retries a lost race unless a
    /// resource version was required.
    private func scale(_ client: KubusClient, _ info: KindInfo, namespace: String, name: String, to replicas: Int)
        async throws
    {
        for attempt in 0..<5 {
            var object = try await client.get(kind: info.kind, namespace: namespace, name: name)
            let current = object[path: ["spec", "replicas"]]?.intValue ?? 1
            try Self.checkPreconditions(
                current: Int(current), expected: currentReplicas,
                version: object[path: ["metadata", "resourceVersion"]]?.stringValue, expectedVersion: resourceVersion)
            object[path: ["spec", "replicas"]] = .int(Int64(replicas))
            do {
                _ = try await client.update(object)
                return
            } catch {
                // A lost race: read again, unless the caller pinned a resource version.
                if error.isConflict && resourceVersion == nil && attempt < 4 { continue }
                throw error
            }
        }
    }

    /// kubectl's precondition errors.
    static func checkPreconditions(current: Int, expected: Int, version: String?, expectedVersion: String?)
        throws(CtlError)
    {
        if expected >= 0 && current != expected {
            throw CtlError("Expected replicas to be \(expected), was \(current)")
        }
        if let expectedVersion, !expectedVersion.isEmpty, version != expectedVersion {
            throw CtlError("Expected resource version to be \(expectedVersion), was \(version ?? "")")
        }
    }
}
