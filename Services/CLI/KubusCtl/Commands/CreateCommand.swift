import ArgumentParser
import Client
import Foundation
import Schema

/// Builds the objects of `create namespace|configmap|secret generic|deployment`, without a bus.
public enum CreateBuilder {
    /// A Namespace.
    public static func namespace(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    /// `--from-literal=k=v` into a key and value.
    public static func literal(_ text: String) throws(CtlError) -> (String, String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw CtlError("invalid literal source \(text), expected key=value")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// A ConfigMap from literals and files (`[key=]path`).
    public static func configMap(
        _ name: String, namespace: String, literals: [String], files: [String], read: (String) -> Data? = {
            FileManager.default.contents(atPath: $0)
        }
    ) throws(CtlError) -> JSONValue {
        let data = try collect(literals: literals, files: files, read: read)
        var object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
        ]
        if !data.isEmpty { object["data"] = .object(data.mapValues { .string($0) }) }
        return object
    }

    /// An Opaque Secret from literals and files; values are base64-encoded.
    public static func secret(
        _ name: String, namespace: String, type: String?, literals: [String], files: [String],
        read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws(CtlError) -> JSONValue {
        let data = try collect(literals: literals, files: files, read: read)
        var object: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "type": .string(type ?? "Opaque"),
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
        ]
        if !data.isEmpty { object["data"] = .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) }) }
        return object
    }

    /// A Deployment running one image, labelled `app=<name>` as kubectl does.
    public static func deployment(_ name: String, namespace: String, images: [String], replicas: Int, port: Int?)
        -> JSONValue
    {
        // kubectl names each container after its image: `docker.io/nginx:1.25` runs as `nginx`.
        let containers: [JSONValue] = images.map { image in
            let base = image.split(separator: "/").last.map(String.init) ?? image
            let containerName = base.split(whereSeparator: { $0 == ":" || $0 == "@" }).first.map(String.init) ?? base
            var container: JSONValue = ["name": .string(containerName), "image": .string(image)]
            if let port { container["ports"] = [["containerPort": .int(Int64(port))]] }
            return container
        }
        let labels: JSONValue = ["app": .string(name)]
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels],
            "spec": [
                "replicas": .int(Int64(replicas)),
                "selector": ["matchLabels": labels],
                "template": ["metadata": ["labels": labels], "spec": ["containers": .array(containers)]],
            ],
        ]
    }

    static func collect(literals: [String], files: [String], read: (String) -> Data?) throws(CtlError)
        -> [String: String]
    {
        var data: [String: String] = [:]
        for literal in literals {
            let (key, value) = try self.literal(literal)
            guard data[key] == nil else { throw CtlError("cannot add key \(key), another key by that name already exists") }
            data[key] = value
        }
        for file in files {
            var key = (file as NSString).lastPathComponent
            var path = file
            if let eq = file.firstIndex(of: "=") {
                key = String(file[..<eq])
                path = String(file[file.index(after: eq)...])
            }
            guard let contents = read(path) else { throw CtlError("error reading \(path): no such file or directory") }
            guard data[key] == nil else { throw CtlError("cannot add key \(key), another key by that name already exists") }
            data[key] = String(decoding: contents, as: UTF8.self)
        }
        return data
    }
}

/// Sends one created object and prints `kind/name created`.
func createAndReport(_ object: JSONValue, global: GlobalOptions, dryRun: DryRunMode) async throws {
    let info = try ResourceTypes.kind(object["kind"]?.stringValue ?? "")
    if dryRun != .client {
        let client = try global.client()
        let reply = try await client.create(object, dryRun: dryRun == .server)
        var warnings = WarningPrinter()
        warnings.print(reply.warnings)
    }
    Console.line("\(ResourceName.slashed(info, object.name)) created\(dryRun.suffix)")
}

/// `kubusctl create -f`, and the generators below it.
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a resource from a file or from stdin.",
        subcommands: [CreateNamespace.self, CreateConfigMap.self, CreateSecret.self, CreateDeployment.self])

    init() {}

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Option(help: "Field validation: strict, warn or ignore.")
    var validate: ValidationMode = .warn

    @Option(name: .customLong("dry-run"), help: "none, client or server.")
    var dryRun: DryRunMode = .none

    @Flag(name: .customLong("save-config"), help: "Store the configuration for later apply.")
    var saveConfig = false

    func run() async throws {
        try await Console.run {
            guard !fileOptions.files.isEmpty else { throw CtlError("must specify one of -f and -k") }
            let client = try global.client()
            let preparer = ManifestPreparer(namespace: global.resolvedNamespace, explicitNamespace: global.namespace != nil)
            var failed = false
            var warnings = WarningPrinter()
            for source in try ManifestFiles.collect(fileOptions.files, recursive: fileOptions.recursive) {
                do {
                    for item in try ManifestFiles.read(source) {
                        do {
                            let prepared = try preparer.prepare(item)
                            let object = saveConfig ? ApplyPlanner.withLastApplied(prepared.object) : prepared.object
                            if dryRun != .client {
                                let reply = try await client.create(
                                    object, fieldValidation: validate.fieldValidation, dryRun: dryRun == .server)
                                warnings.print(reply.warnings)
                            }
                            Console.line("\(ResourceName.slashed(prepared.info, prepared.name)) created\(dryRun.suffix)")
                        } catch {
                            Console.err(ErrorFormatter.format(error))
                            failed = true
                        }
                    }
                } catch {
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}

struct CreateNamespace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "namespace", abstract: "Create a namespace.", aliases: ["ns"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    func run() async throws {
        try await Console.run { try await createAndReport(CreateBuilder.namespace(name), global: parent.global, dryRun: parent.dryRun) }
    }
}

struct CreateConfigMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "configmap", abstract: "Create a config map.", aliases: ["cm"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(name: .customLong("from-literal"), help: "key=value (repeatable).") var fromLiteral: [String] = []
    @Option(name: .customLong("from-file"), help: "[key=]path (repeatable).") var fromFile: [String] = []
    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.configMap(
                name, namespace: parent.global.resolvedNamespace, literals: fromLiteral, files: fromFile)
            try await createAndReport(object, global: parent.global, dryRun: parent.dryRun)
        }
    }
}

struct CreateSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Create a secret: secret generic NAME --from-literal=k=v.")

    @ParentCommand var parent: CreateCommand
    @Argument(help: "The secret flavour; only generic.") var flavour: String
    @Argument var name: String
    @Option(name: .customLong("from-literal"), help: "key=value (repeatable).") var fromLiteral: [String] = []
    @Option(name: .customLong("from-file"), help: "[key=]path (repeatable).") var fromFile: [String] = []
    @Option(help: "The secret type.") var type: String?
    func run() async throws {
        try await Console.run {
            guard flavour == "generic" else { throw CtlError("unknown secret type \"\(flavour)\"; use: create secret generic NAME") }
            let object = try CreateBuilder.secret(
                name, namespace: parent.global.resolvedNamespace, type: type, literals: fromLiteral, files: fromFile)
            try await createAndReport(object, global: parent.global, dryRun: parent.dryRun)
        }
    }
}

struct CreateDeployment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment", abstract: "Create a deployment.", aliases: ["deploy"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(help: "Image to run (repeatable).") var image: [String] = []
    @Option(help: "Number of replicas.") var replicas: Int = 1
    @Option(help: "The container port to expose.") var port: Int?
    func run() async throws {
        try await Console.run {
            guard !image.isEmpty else { throw CtlError("required flag(s) \"image\" not set") }
            let object = CreateBuilder.deployment(
                name, namespace: parent.global.resolvedNamespace, images: image, replicas: replicas, port: port)
            try await createAndReport(object, global: parent.global, dryRun: parent.dryRun)
        }
    }
}
