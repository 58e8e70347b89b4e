import ArgumentParser
import Client
import Foundation
import Schema

/// `kubusctl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: kubectl's patch.
struct PatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patch",
        abstract: "Update fields of a resource using a strategic merge, JSON merge or JSON patch.",
        discussion: """
            --type strategic (the default) merges lists with a merge key element by element (containers by name, \
            env by name, ports by containerPort, ...); merge is a JSON merge patch (RFC 7386: lists are replaced); \
            json is a JSON patch (RFC 6902), e.g. -p '[{"op": "replace", "path": "/spec/replicas", "value": 3}]'. \
            The patch may be JSON or YAML.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Argument(help: "TYPE NAME, or TYPE/NAME.")
    var arguments: [String] = []

    @Option(name: [.short, .long], help: "The patch to apply.")
    var patch: String?

    @Option(name: .customLong("patch-file"), help: "A file holding the patch.")
    var patchFile: String?

    @Option(name: .customLong("type"), help: "The type of patch: json, merge or strategic.")
    var type: String = "strategic"

    @Option(name: .customLong("dry-run"), help: "none, client or server.")
    var dryRun: DryRunMode = .none

    @Option(name: [.short, .long], help: "Output: yaml, json or name.")
    var output: String?

    static let types = ["json", "merge", "strategic"]

    func run() async throws {
        try await Console.run {
            let document = try Self.patchDocument(patch: patch, patchFile: patchFile, type: type)
            let patchType = type.lowercased()
            let client = try global.client()
            let targets = try await ObjectTargets.resolve(arguments, files: fileOptions, global: global, client: client)
            guard !targets.isEmpty else { throw CtlError("no objects passed to patch") }
            var failed = false
            var warnings = WarningPrinter()
            for target in targets {
                do {
                    let before = try await client.get(
                        kind: target.info.kind, namespace: target.namespace, name: target.name)
                    let after: JSONValue
                    if dryRun == .client {
                        after = try Self.applyLocally(document, type: patchType, to: before, kind: target.info.kind)
                    } else {
                        let reply = try await client.patch(
                            kind: target.info.kind, namespace: target.namespace, name: target.name, patch: document,
                            type: patchType, dryRun: dryRun == .server)
                        warnings.print(reply.warnings)
                        after = reply.body
                    }
                    let operation = Self.operation(before: before, after: after) + dryRun.suffix
                    Console.out(try ObjectPrinter.print(after, info: target.info, operation: operation, output: output))
                } catch {
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    /// The patch as JSON, from `-p` or `--patch-file`, checked as kubectl checks it.
    static func patchDocument(
        patch: String?, patchFile: String?, type: String,
        read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws(CtlError) -> JSONValue {
        if patch != nil && patchFile != nil { throw CtlError("cannot specify --patch and --patch-file together") }
        guard types.contains(type.lowercased()) else {
            throw CtlError("--type must be one of [\(types.joined(separator: " "))], not \"\(type)\"")
        }
        let text: String
        if let patchFile {
            guard let data = read(patchFile) else {
                throw CtlError("unable to read patch file: open \(patchFile): no such file or directory")
            }
            text = String(decoding: data, as: UTF8.self)
        } else if let patch, !patch.isEmpty {
            text = patch
        } else {
            throw CtlError("must specify --patch or --patch-file containing the contents of the patch")
        }
        do {
            return try Manifest.document(yaml: text, source: "the patch")
        } catch {
            throw CtlError("unable to parse \"\(patch ?? patchFile ?? "")\": \(error.message)")
        }
    }

    /// `--dry-run=client`: the patch applied here, as the api would.
    static func applyLocally(_ patch: JSONValue, type: String, to object: JSONValue, kind: String) throws(CtlError)
        -> JSONValue
    {
        do throws(PatchError) {
            switch type {
            case "json": return try JSONPatch(patch).apply(to: object)
            case "merge": return object.mergePatched(with: patch)
            default: return try StrategicMergePatch.apply(patch, to: object, kind: kind)
            }
        } catch {
            throw CtlError(error.message)
        }
    }

    /// `patched`, or `patched (no change)` when the object is the same.
    static func operation(before: JSONValue, after: JSONValue) -> String {
        before == after ? "patched (no change)" : "patched"
    }
}
