import ArgumentParser
import Client
import Schema

/// `kubusctl describe TYPE [NAME]`.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Show details of a specific resource or group of resources.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE [NAME...] or TYPE/NAME.")
    var arguments: [String] = []

    @Flag(name: [.customShort("A"), .long], help: "Across all namespaces.")
    var allNamespaces = false

    @OptionGroup var selectorOption: SelectorOption
    var selector: String? { selectorOption.selector }

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            var failed = false
            var first = true
            for target in try ResourceTypes.parse(arguments) {
                let ns = target.info.namespaced ? (allNamespaces ? nil : global.resolvedNamespace) : nil
                var objects: [JSONValue] = []
                if target.names.isEmpty {
                    objects = try await client.list(kind: target.info.kind, namespace: ns, labelSelector: selector).items
                } else {
                    for name in target.names {
                        do {
                            objects.append(try await client.get(kind: target.info.kind, namespace: ns, name: name))
                        } catch {
                            Console.err(ErrorFormatter.format(error))
                            failed = true
                        }
                    }
                }
                for object in objects {
                    let eventNamespace = target.info.namespaced ? object.namespace : "default"
                    let events = (try? await client.list(kind: "Event", namespace: eventNamespace).items) ?? []
                    if !first { Console.line("") }
                    first = false
                    var related = DescribeRelated()
                    if target.info.kind == "Node" {
                        related.lease = try? await client.get(kind: "Lease", namespace: "kube-node-lease", name: object.name)
                        related.pods = (try? await DrainCommand.pods(on: object.name, selector: nil, client: client)) ?? []
                    }
                    Console.out(Describer.describe(
                        object, events: Describer.events(about: object, in: events), related: related))
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
