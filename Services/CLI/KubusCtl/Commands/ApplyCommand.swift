import ArgumentParser
import Client
import Schema

/// How apply and create validate fields: `--validate=strict|warn|ignore`.
enum ValidationMode: String, ExpressibleByArgument, CaseIterable {
    case strict, warn, ignore

    init?(argument: String) {
        switch argument.lowercased() {
        case "strict", "true": self = .strict
        case "warn": self = .warn
        case "ignore", "false": self = .ignore
        default: return nil
        }
    }

    /// The api's `fieldValidation` value.
    var fieldValidation: String {
        switch self {
        case .strict: return "Strict"
        case .warn: return "Warn"
        case .ignore: return "Ignore"
        }
    }
}

/// `--dry-run=none|client|server`.
enum DryRunMode: String, ExpressibleByArgument, CaseIterable {
    case none, client, server

    var suffix: String {
        switch self {
        case .none: return ""
        case .client: return " (dry run)"
        case .server: return " (server dry run)"
        }
    }
}

/// Options shared by commands reading manifests.
struct FileOptions: ParsableArguments {
    @Option(name: [.short, .customLong("filename")], help: "A file, a folder, or - for stdin (repeatable).")
    var files: [String] = []

    @Flag(name: [.short, .long], help: "Process folders named by -f recursively.")
    var recursive = false

    @Option(name: [.customShort("k"), .customLong("kustomize")], help: "Not supported yet: a kustomization folder.")
    var kustomize: String?

    /// `-k` says plainly that it is not there, and what to do instead.
    func validate() throws {
        if kustomize != nil {
            throw ValidationError(
                "kustomize (-k) is not supported by kubusctl yet: render the folder first, e.g. "
                    + "kustomize build DIR | kubusctl apply -f -")
        }
    }
}

/// Prepares manifest objects: kind lookup, namespace defaulting and local normalization.
struct ManifestPreparer {
    var namespace: String
    var explicitNamespace: Bool

    struct Prepared {
        var info: KindInfo
        var object: JSONValue
        var name: String
        var namespace: String?
        var unknownFields: [String]
    }

    func prepare(_ item: ManifestObject) throws(CtlError) -> Prepared {
        let object = item.object
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        guard let info = KindRegistry.lookup(apiVersion: apiVersion, kind: kind) else {
            let ns = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            let group = apiVersion.split(separator: "/").count == 2 ? apiVersion : apiVersion
            throw CtlError(
                "resource mapping not found for name: \"\(name)\" namespace: \"\(ns)\" from \"\(item.source)\": "
                    + "no matches for kind \"\(kind)\" in version \"\(group)\"\n"
                    + "ensure CRDs are installed first")
        }
        var result = object
        var objectNamespace: String? = nil
        if info.namespaced {
            let written = object[path: ["metadata", "namespace"]]?.stringValue
            if let written, explicitNamespace, written != namespace {
                throw CtlError(
                    "the namespace from the provided object \"\(written)\" does not match the namespace "
                        + "\"\(namespace)\". You must pass '--namespace=\(written)' to perform this operation.")
            }
            objectNamespace = written ?? namespace
            result[path: ["metadata", "namespace"]] = .string(objectNamespace!)
        }
        var unknown: [String] = []
        if let codec = KindRegistry.codec(for: info), let normalized = try? codec.normalize(object) {
            unknown = normalized.unknownFields
        }
        return Prepared(info: info, object: result, name: name, namespace: objectNamespace, unknownFields: unknown)
    }
}

/// Prints warnings once each.
struct WarningPrinter {
    var printed: Set<String> = []

    mutating func print(_ warnings: [String]) {
        for warning in warnings where printed.insert(warning).inserted {
            Console.warn(warning)
        }
    }

    static func unknownFields(_ fields: [String]) -> [String] {
        fields.map { "unknown field \"\($0)\"" }
    }
}

/// `kubusctl apply -f`: create or update objects to match manifests.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply a configuration to a resource by file name or stdin.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Option(help: "Field validation: strict, warn or ignore.")
    var validate: ValidationMode = .warn

    @Option(name: .customLong("dry-run"), help: "none, client or server.")
    var dryRun: DryRunMode = .none

    @Option(name: [.short, .long], help: "Output: name prints resource/name only.")
    var output: String?

    func run() async throws {
        try await Console.run {
            guard !fileOptions.files.isEmpty else {
                throw CtlError("must specify one of -f and -k")
            }
            let sources = try ManifestFiles.collect(fileOptions.files, recursive: fileOptions.recursive)
            let client = try global.client()
            let preparer = ManifestPreparer(
                namespace: global.resolvedNamespace, explicitNamespace: global.namespace != nil)
            var failed = false
            var warnings = WarningPrinter()
            for source in sources {
                let items: [ManifestObject]
                do {
                    items = try ManifestFiles.read(source)
                } catch {
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                    continue
                }
                for item in items {
                    do {
                        let line = try await apply(item, preparer: preparer, client: client, warnings: &warnings)
                        Console.line(line)
                    } catch {
                        Console.err(ErrorFormatter.format(error))
                        failed = true
                    }
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    func apply(
        _ item: ManifestObject, preparer: ManifestPreparer, client: KubusClient, warnings: inout WarningPrinter
    ) async throws -> String {
        let prepared = try preparer.prepare(item)
        let info = prepared.info
        let localWarnings = WarningPrinter.unknownFields(prepared.unknownFields)
        if validate == .strict, !localWarnings.isEmpty {
            throw CtlError(
                "error validating \"\(item.source)\": \(info.kind) in version \"\(info.version)\" cannot be handled as a "
                    + "\(info.kind): strict decoding error: " + localWarnings.joined(separator: ", "))
        }
        let live: JSONValue?
        do {
            live = try await client.get(kind: info.kind, namespace: prepared.namespace, name: prepared.name)
        } catch  where error.isNotFound {
            live = nil
        } catch {
            throw ServerContextError(
                error: error,
                context: "error when retrieving current configuration of:\nResource: \"\(info.qualifiedResource)\", "
                    + "Name: \"\(prepared.name)\", Namespace: \"\(prepared.namespace ?? "")\"\nfrom server for: \"\(item.source)\""
            )
        }
        let codec = KindRegistry.codec(for: info)
        let decision = ApplyPlanner.plan(desired: prepared.object, live: live) { object in
            try? codec?.normalize(object).object
        }
        let display = output == "name" ? ResourceName.slashed(info, prepared.name) : nil
        let fieldValidation = validate.fieldValidation
        switch decision {
        case .unchanged:
            if validate == .warn { warnings.print(localWarnings) }
            return display ?? "\(ResourceName.slashed(info, prepared.name)) unchanged\(dryRun.suffix)"
        case .create(let object):
            try Self.checkSizes(
                object, info: info, name: prepared.name, context: "error when creating \"\(item.source)\"")
            if dryRun == .client {
                if validate == .warn { warnings.print(localWarnings) }
            } else {
                do {
                    let reply = try await client.create(
                        object, fieldValidation: fieldValidation, dryRun: dryRun == .server)
                    warnings.print(reply.warnings)
                } catch {
                    throw ServerContextError(error: error, context: "error when creating \"\(item.source)\"")
                }
            }
            return display ?? "\(ResourceName.slashed(info, prepared.name)) created\(dryRun.suffix)"
        case .update(let object):
            if live?[path: ["metadata", "annotations", ApplyPlanner.lastAppliedKey]] == nil {
                Console.warn(
                    "resource \(info.qualifiedResource)/\(prepared.name) is missing the \(ApplyPlanner.lastAppliedKey) "
                        + "annotation which is required by kubusctl apply. kubusctl apply should only be used on resources "
                        + "created declaratively by either kubusctl create --save-config or kubusctl apply. The missing "
                        + "annotation will be patched automatically.")
            }
            try Self.checkSizes(
                object, info: info, name: prepared.name, context: "error when applying \"\(item.source)\"")
            if dryRun == .client {
                if validate == .warn { warnings.print(localWarnings) }
            } else {
                do {
                    let reply = try await client.update(
                        object, fieldValidation: fieldValidation, dryRun: dryRun == .server)
                    warnings.print(reply.warnings)
                } catch {
                    throw ServerContextError(
                        error: error,
                        context: "error when applying patch:\nto:\nResource: \"\(info.qualifiedResource)\", "
                            + "Name: \"\(prepared.name)\", Namespace: \"\(prepared.namespace ?? "")\"\nfor: \"\(item.source)\""
                    )
                }
            }
            return display ?? "\(ResourceName.slashed(info, prepared.name)) configured\(dryRun.suffix)"
        }
    }
}

extension ApplyCommand {
    /// Objects this size or smaller are left to the api to check.
    static let sizeCheckThreshold = 256 * 1024

    /// Fails at once, with the 422 the api would answer, when the object to send breaks a size limit (the
    /// last-applied annotation doubles a large object, and such a request may not even fit a bus message).
    static func checkSizes(_ object: JSONValue, info: KindInfo, name: String, context: String) throws {
        guard object.encoded().count > sizeCheckThreshold, let codec = KindRegistry.codec(for: info) else { return }
        let errors = codec.validate(object, oldObject: nil).filter { $0.kind == .tooLong }
        if !errors.isEmpty { throw ServerContextError(error: .invalid(info, name, errors), context: context) }
    }
}

/// An api error with kubectl's `error when creating "f.yaml"` context.
struct ServerContextError: Error, CustomStringConvertible {
    var error: APIError
    var context: String?

    var description: String { ErrorFormatter.server(error, context: context) }
}
