import ArgumentParser
import Client
import Schema

/// Shared body of `label` and `annotate`: a merge patch on `metadata.<field>`.
struct MetadataEditRunner {
    var field: String
    var verb: String

    func run(
        global: GlobalOptions, arguments: [String], overwrite: Bool, selector: String? = nil, all: Bool = false,
        allNamespaces: Bool = false
    ) async throws {
        let split = try Self.split(arguments)
        let edit = try MetadataEdit.parse(split.edits)
        if all && selector != nil { throw CtlError("cannot set --all and --selector at the same time") }
        let client = try global.client()
        var failed = false
        let targets = try await ObjectTargets.resolve(
            split.resources, selector: selector, all: all, allNamespaces: allNamespaces, global: global, client: client)
        for object in targets {
            let target = (info: object.info, names: [object.name])
            let ns = object.namespace
            for name in target.names {
                do {
                    let live = try await client.get(kind: target.info.kind, namespace: ns, name: name)
                    let current = live.stringMap("metadata.\(field)")
                    let display = ResourceName.slashed(target.info, name)
                    guard let patch = try edit.patch(field: field, current: current, overwrite: overwrite) else {
                        Console.line("\(display) not \(verb)")
                        continue
                    }
                    _ = try await client.patch(kind: target.info.kind, namespace: ns, name: name, patch: patch)
                    Console.line("\(display) \(verb)")
                } catch {
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                }
            }
        }
        if failed { throw ExitCode.failure }
    }

    /// Splits `TYPE NAME k=v k2-` (or `TYPE/NAME ...`) into resource arguments and edits; `changes` names the
    /// edits in kubectl's message.
    static func split(_ arguments: [String], changes: String = "label changes", requireResources: Bool = true)
        throws(CtlError) -> (resources: [String], edits: [String])
    {
        var resources: [String] = []
        var edits: [String] = []
        for argument in arguments {
            // Object names never end with "-", so `k-` is always a removal.
            if argument.contains("=") || argument.hasSuffix("-") {
                edits.append(argument)
            } else {
                guard edits.isEmpty else {
                    throw CtlError("all resources must be specified before \(changes): \(argument)")
                }
                resources.append(argument)
            }
        }
        guard !resources.isEmpty || !requireResources else {
            throw CtlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
        }
        return (resources, edits)
    }
}

/// `kubusctl label TYPE NAME k=v k2-`.
struct LabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "label", abstract: "Update the labels on a resource.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE NAME KEY=VALUE... KEY-...")
    var arguments: [String] = []

    @Flag(help: "Allow labels to be overwritten.")
    var overwrite = false

    @OptionGroup var selectorOption: SelectorOption

    @Flag(help: "Every object of the type in the namespace.")
    var all = false

    @Flag(name: [.customShort("A"), .long], help: "With -l or --all, across all namespaces.")
    var allNamespaces = false

    func run() async throws {
        try await Console.run {
            try await MetadataEditRunner(field: "labels", verb: "labeled")
                .run(
                    global: global, arguments: arguments, overwrite: overwrite, selector: selectorOption.selector,
                    all: all, allNamespaces: allNamespaces)
        }
    }
}

/// `kubusctl annotate TYPE NAME k=v k2-`.
struct AnnotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate", abstract: "Update the annotations on a resource.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE NAME KEY=VALUE... KEY-...")
    var arguments: [String] = []

    @Flag(help: "Allow annotations to be overwritten.")
    var overwrite = false

    @OptionGroup var selectorOption: SelectorOption

    @Flag(help: "Every object of the type in the namespace.")
    var all = false

    @Flag(name: [.customShort("A"), .long], help: "With -l or --all, across all namespaces.")
    var allNamespaces = false

    func run() async throws {
        try await Console.run {
            try await MetadataEditRunner(field: "annotations", verb: "annotated")
                .run(
                    global: global, arguments: arguments, overwrite: overwrite, selector: selectorOption.selector,
                    all: all, allNamespaces: allNamespaces)
        }
    }
}
