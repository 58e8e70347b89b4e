import ArgumentParser
import Client
import Foundation
import Schema

/// `kubusctl set image|env|resources`: edit the pod template of pods and workloads.
struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set specific features on objects: image, env, resources.",
        subcommands: [SetImageCommand.self, SetEnvCommand.self, SetResourcesCommand.self])
}

/// Options every `set` verb takes.
struct SetOptions: ParsableArguments {
    @OptionGroup var fileOptions: FileOptions
    @OptionGroup var selectorOption: SelectorOption

    @Flag(help: "Every object of the type in the namespace.")
    var all = false

    @Option(name: .customLong("dry-run"), help: "none, client or server.")
    var dryRun: DryRunMode = .none

    @Option(name: [.short, .long], help: "Output: yaml, json or name.")
    var output: String?

    /// Reads each object, applies `transform`, and writes it back when it changed (retrying a lost race), printing
    /// `kind/name <operation>`; unchanged objects print nothing, as in kubectl.
    func run(
        _ resources: [String], global: GlobalOptions, operation: String,
        transform: @escaping @Sendable (JSONValue) throws -> JSONValue
    ) async throws {
        if all && selectorOption.selector != nil { throw CtlError("cannot set --all and --selector at the same time") }
        if fileOptions.files.isEmpty && resources.isEmpty {
            throw CtlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
        }
        let client = try global.client()
        let targets = try await ObjectTargets.resolve(
            resources, files: fileOptions, selector: selectorOption.selector, all: all, global: global, client: client)
        var failed = false
        var warnings = WarningPrinter()
        for target in targets {
            do {
                for attempt in 0..<5 {
                    let live = try await client.get(
                        kind: target.info.kind, namespace: target.namespace, name: target.name)
                    let changed = try transform(live)
                    if changed == live { break }
                    if dryRun == .client {
                        Console.out(
                            try ObjectPrinter.print(
                                changed, info: target.info, operation: operation + dryRun.suffix, output: output))
                        break
                    }
                    let reply: (object: JSONValue, warnings: [String])
                    do {
                        reply = try await client.update(changed, dryRun: dryRun == .server)
                    } catch {
                        // Another writer came between: read again and redo the edit.
                        guard error.isConflict, attempt < 4 else { throw error }
                        continue
                    }
                    warnings.print(reply.warnings)
                    Console.out(
                        try ObjectPrinter.print(
                            reply.object, info: target.info, operation: operation + dryRun.suffix, output: output))
                    break
                }
            } catch {
                Console.err(ErrorFormatter.format(error))
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}

/// `kubusctl set image TYPE NAME CONTAINER=IMAGE...`.
struct SetImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Update the image of a pod template's containers (CONTAINER=IMAGE, *=IMAGE).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SetOptions

    @Argument(help: "TYPE NAME... or TYPE/NAME..., then CONTAINER=IMAGE...")
    var arguments: [String] = []

    func run() async throws {
        try await Console.run {
            let split = try MetadataEditRunner.split(arguments, changes: "image changes", requireResources: false)
            let edit = try SetImageEdit.parse(split.edits)
            try await options.run(split.resources, global: global, operation: "image updated") {
                try edit.apply(to: $0)
            }
        }
    }
}

/// `kubusctl set env TYPE NAME KEY=VALUE... KEY-... [--from=secret/x] [--list]`.
struct SetEnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Update environment variables on a pod template.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SetOptions

    @Argument(help: "TYPE NAME... or TYPE/NAME..., then KEY=VALUE... and KEY-...")
    var arguments: [String] = []

    @Option(name: [.customShort("c"), .customLong("containers")], help: "The containers to change (wildcards).")
    var containers: String = "*"

    @Option(name: [.customShort("e"), .customLong("env")], help: "KEY=VALUE to set (repeatable).")
    var env: [String] = []

    @Option(help: "A secret/NAME or configmap/NAME whose keys become variables.")
    var from: String?

    @Option(help: "With --from: only these keys (comma-separated).")
    var keys: String?

    @Option(help: "A prefix for the names of variables from --from.")
    var prefix: String = ""

    @Flag(help: "Print the environment instead of changing it.")
    var list = false

    @Flag(inversion: .prefixedNo, help: "Allow changing a variable that has a value.")
    var overwrite = true

    func run() async throws {
        try await Console.run {
            let split = try MetadataEditRunner.split(
                arguments, changes: "environment changes", requireResources: false)
            if list && options.output != nil { throw CtlError("--list and --output may not be specified together") }
            let keyList = keys?.split(separator: ",").map(String.init) ?? []
            if !keyList.isEmpty && from == nil {
                throw CtlError("when specifying --keys, a configmap or secret must be provided with --from")
            }
            var edit = try SetEnvEdit.parse(env + split.edits)
            if let from {
                let client = try global.client()
                let (info, name) = try PodPicker.target(from)
                let source = try await client.get(kind: info.kind, namespace: global.resolvedNamespace, name: name)
                edit.set += try SetEnvEdit.references(from: source, keys: keyList, prefix: prefix)
            }
            if list {
                let client = try global.client()
                let targets = try await ObjectTargets.resolve(
                    split.resources, files: options.fileOptions, selector: options.selectorOption.selector,
                    all: options.all, global: global, client: client)
                for target in targets {
                    let object = try await client.get(
                        kind: target.info.kind, namespace: target.namespace, name: target.name)
                    Console.out(SetEnvEdit.list(object, containers: containers))
                }
                return
            }
            let pattern = containers
            let overwrite = overwrite
            let change = edit
            try await options.run(split.resources, global: global, operation: "env updated") { object in
                var matched = 0
                let result = try PodTemplate.editContainers(object) { container in
                    guard PodTemplate.matches(pattern, container.name) else { return }
                    matched += 1
                    container["env"] = .array(try change.apply(to: container.list("env"), overwrite: overwrite))
                    if container["env"] == [] { container["env"] = nil }
                }
                if matched == 0 {
                    Console.err(
                        "warning: \(object.kindName)/\(object.name) does not have any containers matching \"\(pattern)\""
                    )
                }
                return result
            }
        }
    }
}

/// `kubusctl set resources TYPE NAME --limits=cpu=200m,memory=512Mi --requests=cpu=100m [-c CONTAINERS]`.
struct SetResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resources", abstract: "Update resource requests and limits on a pod template's containers.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SetOptions

    @Argument(help: "TYPE NAME... or TYPE/NAME...")
    var arguments: [String] = []

    @Option(name: [.customShort("c"), .customLong("containers")], help: "The containers to change (wildcards).")
    var containers: String = "*"

    @Option(help: "Limits, e.g. cpu=200m,memory=512Mi.")
    var limits: String?

    @Option(help: "Requests, e.g. cpu=100m,memory=256Mi.")
    var requests: String?

    func run() async throws {
        try await Console.run {
            let edit = try SetResourcesEdit.parse(limits: limits, requests: requests)
            let pattern = containers
            try await options.run(arguments, global: global, operation: "resource requirements updated") { object in
                let (result, matched) = try edit.apply(to: object, containers: pattern)
                if matched == 0 {
                    Console.err(
                        "warning: \(object.kindName)/\(object.name) does not have any containers matching \"\(pattern)\""
                    )
                }
                return result
            }
        }
    }
}
