import ArgumentParser
import Client
public import Foundation
public import Schema

/// Builds the objects of `create namespace|configmap|secret generic|deployment|job|cronjob`, without a bus.
public enum CreateBuilder {
    /// A Namespace.
    public static func namespace(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    /// `create serviceaccount NAME`.
    public static func serviceAccount(_ name: String, namespace: String?) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        return ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata]
    }

    /// `--from-literal=k=v` into a key and value.
    public static func literal(_ text: String) throws(CtlError) -> (String, String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw CtlError("invalid literal source \(text), expected key=value")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// The metadata kubectl's generators write: the name, the namespace only when given with `-n`, and Go's
    /// zero creation time (`creationTimestamp: null`).
    static func metadata(_ name: String, namespace: String?) -> JSONValue {
        var meta: JSONValue = ["name": .string(name), "creationTimestamp": nil]
        if let namespace { meta["namespace"] = .string(namespace) }
        return meta
    }

    /// A ConfigMap from literals and files (`[key=]path`).
    public static func configMap(
        _ name: String, namespace: String?, literals: [String], files: [String],
        read: (String) -> Data? = {
            FileManager.default.contents(atPath: $0)
        }
    ) throws(CtlError) -> JSONValue {
        let data = try collect(literals: literals, files: files, read: read)
        var object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(name, namespace: namespace),
        ]
        if !data.isEmpty { object["data"] = .object(data.mapValues { .string($0) }) }
        return object
    }

    /// An Opaque Secret from literals and files; values are base64-encoded.
    public static func secret(
        _ name: String, namespace: String?, type: String?, literals: [String], files: [String],
        read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws(CtlError) -> JSONValue {
        let data = try collect(literals: literals, files: files, read: read)
        var object: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "type": .string(type ?? "Opaque"),
            "metadata": metadata(name, namespace: namespace),
        ]
        if !data.isEmpty { object["data"] = .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) }) }
        return object
    }

    /// A Deployment running one image, labelled `app=<name>` as kubectl does; `command` (what follows `--`) replaces
    /// the image's entrypoint, and goes with one image only.
    public static func deployment(
        _ name: String, namespace: String?, images: [String], replicas: Int, port: Int?, command: [String] = []
    ) throws(CtlError) -> JSONValue {
        if images.count > 1 && !command.isEmpty {
            throw CtlError("cannot specify multiple --image options and command")
        }
        // kubectl names each container after its image: `docker.io/nginx:1.25` runs as `nginx`.
        let containers: [JSONValue] = images.map { image in
            let base = image.split(separator: "/").last.map(String.init) ?? image
            let containerName = base.split(whereSeparator: { $0 == ":" || $0 == "@" }).first.map(String.init) ?? base
            var container: JSONValue = ["name": .string(containerName), "image": .string(image)]
            if !command.isEmpty { container["command"] = .array(command.map { .string($0) }) }
            if let port { container["ports"] = [["containerPort": .int(Int64(port))]] }
            return container
        }
        let labels: JSONValue = ["app": .string(name)]
        var meta = metadata(name, namespace: namespace)
        meta["labels"] = labels
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": meta,
            "spec": [
                "replicas": .int(Int64(replicas)),
                "selector": ["matchLabels": labels],
                "template": ["metadata": ["labels": labels], "spec": ["containers": .array(containers)]],
            ],
        ]
    }

    /// The pod template of `create job` and `create cronjob`: one container named after the object, its command
    /// what follows `--`.
    static func jobPodSpec(_ name: String, image: String, command: [String], restartPolicy: String) -> JSONValue {
        var container: JSONValue = ["name": .string(name), "image": .string(image)]
        if !command.isEmpty { container["command"] = .array(command.map { .string($0) }) }
        return ["containers": [container], "restartPolicy": .string(restartPolicy)]
    }

    /// `create job NAME --image=IMAGE [-- COMMAND ARGS]`: a Job whose pods never restart, as kubectl makes it.
    public static func job(_ name: String, namespace: String?, image: String, command: [String]) -> JSONValue {
        [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": metadata(name, namespace: namespace),
            "spec": [
                "template": ["spec": jobPodSpec(name, image: image, command: command, restartPolicy: "Never")]
            ],
        ]
    }

    /// `create job NAME --from=cronjob/CJ`: a Job from the CronJob's job template, owned by it and annotated
    /// `cronjob.kubernetes.io/instantiate: manual`, as kubectl makes it (and as the CronJob controller would, but
    /// now).
    public static func job(_ name: String, namespace: String?, from cronJob: JSONValue) throws(CtlError) -> JSONValue {
        guard let template = cronJob[path: ["spec", "jobTemplate"]], let spec = template["spec"] else {
            throw CtlError("cronjob \(cronJob[path: ["metadata", "name"]]?.stringValue ?? "") has no spec.jobTemplate")
        }
        var annotations: JSONValue = ["cronjob.kubernetes.io/instantiate": "manual"]
        if case .object(let more)? = template[path: ["metadata", "annotations"]] {
            for (key, value) in more { annotations[key] = value }
        }
        var meta = metadata(name, namespace: namespace)
        meta["annotations"] = annotations
        if let labels = template[path: ["metadata", "labels"]] { meta["labels"] = labels }
        meta["ownerReferences"] = [
            [
                "apiVersion": "batch/v1", "kind": "CronJob",
                "name": cronJob[path: ["metadata", "name"]] ?? .null,
                "uid": cronJob[path: ["metadata", "uid"]] ?? .null,
                "controller": true,
            ]
        ]
        return ["apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": spec]
    }

    /// `create cronjob NAME --image=IMAGE --schedule=SCHEDULE [--restart=POLICY] [-- COMMAND ARGS]`.
    public static func cronJob(
        _ name: String, namespace: String?, image: String, schedule: String, restart: String?, command: [String]
    ) throws(CtlError) -> JSONValue {
        let restartPolicy = restart.flatMap { $0.isEmpty ? nil : $0 } ?? "OnFailure"
        guard ["OnFailure", "Never"].contains(restartPolicy) else {
            throw CtlError("invalid restart policy: \(restartPolicy); supported values: OnFailure, Never")
        }
        return [
            "apiVersion": "batch/v1", "kind": "CronJob", "metadata": metadata(name, namespace: namespace),
            "spec": [
                "schedule": .string(schedule),
                "jobTemplate": [
                    "metadata": ["name": .string(name)],
                    "spec": [
                        "template": [
                            "spec": jobPodSpec(name, image: image, command: command, restartPolicy: restartPolicy)
                        ]
                    ],
                ],
            ],
        ]
    }

    static func collect(literals: [String], files: [String], read: (String) -> Data?) throws(CtlError)
        -> [String: String]
    {
        var data: [String: String] = [:]
        for literal in literals {
            let (key, value) = try self.literal(literal)
            guard data[key] == nil else {
                throw CtlError("cannot add key \(key), another key by that name already exists")
            }
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
            guard data[key] == nil else {
                throw CtlError("cannot add key \(key), another key by that name already exists")
            }
            data[key] = String(decoding: contents, as: UTF8.self)
        }
        return data
    }
}

/// Sends one generated object (in the namespace of `-n`, else the default one) and prints `kind/name created`,
/// or the object with `-o`; with `--dry-run=client` it only prints.
func createAndReport(
    _ object: JSONValue, global: GlobalOptions, dryRun: DryRunMode, output: String?, operation: String = "created"
) async throws {
    let info = try ResourceTypes.kind(object["kind"]?.stringValue ?? "")
    var printed = object
    if dryRun != .client {
        var request = object
        if info.namespaced && request[path: ["metadata", "namespace"]] == nil {
            request[path: ["metadata", "namespace"]] = .string(global.resolvedNamespace)
        }
        let client = try global.client()
        let reply = try await client.create(request, dryRun: dryRun == .server)
        var warnings = WarningPrinter()
        warnings.print(reply.warnings)
        printed = reply.object
    }
    Console.out(try ObjectPrinter.print(printed, info: info, operation: "\(operation)\(dryRun.suffix)", output: output))
}

/// `kubusctl create -f`, and the generators below it.
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a resource from a file or from stdin.",
        subcommands: [
            CreateNamespace.self, CreateConfigMap.self, CreateSecret.self, CreateDeployment.self, CreateJob.self,
            CreateCronJob.self, CreateService.self, CreateRole.self, CreateClusterRole.self, CreateRoleBinding.self,
            CreateClusterRoleBinding.self, CreateIngress.self, CreateQuota.self, CreateServiceAccount.self,
            CreateToken.self,
        ])

    init() {}

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Option(help: "Field validation: strict, warn or ignore.")
    var validate: ValidationMode = .warn

    @Option(name: .customLong("dry-run"), help: "none, client or server.")
    var dryRun: DryRunMode = .none

    @Flag(name: .customLong("save-config"), help: "Store the configuration for later apply.")
    var saveConfig = false

    @Option(name: [.short, .long], help: "Output: yaml, json or name (with --dry-run=client: the object only).")
    var output: String?

    /// Creates a generator's object with this command's `--dry-run` and `-o`, and prints what kubectl prints.
    func createAndReport(_ object: JSONValue) async throws {
        try await KubusCtl.createAndReport(object, global: global, dryRun: dryRun, output: output)
    }

    func run() async throws {
        try await Console.run {
            guard !fileOptions.files.isEmpty else { throw CtlError("must specify one of -f and -k") }
            let client = try global.client()
            let preparer = ManifestPreparer(
                namespace: global.resolvedNamespace, explicitNamespace: global.namespace != nil)
            var failed = false
            var warnings = WarningPrinter()
            for source in try ManifestFiles.collect(fileOptions.files, recursive: fileOptions.recursive) {
                do {
                    for item in try ManifestFiles.read(source) {
                        do {
                            let prepared = try preparer.prepare(item)
                            var object = saveConfig ? ApplyPlanner.withLastApplied(prepared.object) : prepared.object
                            if dryRun != .client {
                                let reply = try await client.create(
                                    object, fieldValidation: validate.fieldValidation, dryRun: dryRun == .server)
                                warnings.print(reply.warnings)
                                object = reply.object
                            }
                            Console.out(
                                try ObjectPrinter.print(
                                    object, info: prepared.info, operation: "created\(dryRun.suffix)", output: output))
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
    static let configuration = CommandConfiguration(
        commandName: "namespace", abstract: "Create a namespace.", aliases: ["ns"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    func run() async throws {
        try await Console.run {
            try await createAndReport(
                CreateBuilder.namespace(name), global: parent.global, dryRun: parent.dryRun, output: parent.output)
        }
    }
}

struct CreateServiceAccount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serviceaccount", abstract: "Create a service account.", aliases: ["sa"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    func run() async throws {
        try await Console.run {
            try await createAndReport(
                CreateBuilder.serviceAccount(name, namespace: parent.global.namespace), global: parent.global,
                dryRun: parent.dryRun, output: parent.output)
        }
    }
}

struct CreateConfigMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configmap", abstract: "Create a config map.", aliases: ["cm"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(name: .customLong("from-literal"), help: "key=value (repeatable).") var fromLiteral: [String] = []
    @Option(name: .customLong("from-file"), help: "[key=]path (repeatable).") var fromFile: [String] = []
    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.configMap(
                name, namespace: parent.global.namespace, literals: fromLiteral, files: fromFile)
            try await parent.createAndReport(object)
        }
    }
}

/// `create secret generic|tls|docker-registry`.
struct CreateSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Create a secret: generic, tls or docker-registry.",
        subcommands: [CreateSecretGeneric.self, CreateSecretTLS.self, CreateSecretDockerRegistry.self])

    @ParentCommand var parent: CreateCommand
}

struct CreateSecretGeneric: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generic", abstract: "Create a secret from literals or files (base64-encoded).")

    @ParentCommand var secret: CreateSecret
    @Argument var name: String
    @Option(name: .customLong("from-literal"), help: "key=value (repeatable).") var fromLiteral: [String] = []
    @Option(name: .customLong("from-file"), help: "[key=]path (repeatable).") var fromFile: [String] = []
    @Option(help: "The secret type.") var type: String?
    func run() async throws {
        let create = secret.parent
        try await Console.run {
            let object = try CreateBuilder.secret(
                name, namespace: create.global.namespace, type: type, literals: fromLiteral, files: fromFile)
            try await create.createAndReport(object)
        }
    }
}

struct CreateSecretTLS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls", abstract: "Create a TLS secret from a PEM certificate and key.")

    @ParentCommand var secret: CreateSecret
    @Argument var name: String
    @Option(help: "Path to the PEM encoded public key certificate.") var cert: String?
    @Option(help: "Path to the private key of the certificate.") var key: String?
    func run() async throws {
        let create = secret.parent
        try await Console.run {
            guard let cert, let key, !cert.isEmpty, !key.isEmpty else {
                throw CtlError("key and cert must be specified")
            }
            let object = try CreateBuilder.tlsSecret(name, namespace: create.global.namespace, cert: cert, key: key)
            try await create.createAndReport(object)
        }
    }
}

struct CreateSecretDockerRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docker-registry", abstract: "Create a secret for a Docker registry (.dockerconfigjson).")

    @ParentCommand var secret: CreateSecret
    @Argument var name: String
    @Option(name: .customLong("docker-server"), help: "The registry.") var server = "https://index.docker.io/v1/"
    @Option(name: .customLong("docker-username"), help: "The user name.") var username: String?
    @Option(name: .customLong("docker-password"), help: "The password.") var password: String?
    @Option(name: .customLong("docker-email"), help: "The email.") var email: String = ""
    @Option(name: .customLong("from-file"), help: "[key=]path of a .dockerconfigjson (repeatable).")
    var fromFile: [String] = []
    func run() async throws {
        let create = secret.parent
        try await Console.run {
            let object = try CreateBuilder.dockerRegistrySecret(
                name, namespace: create.global.namespace, server: server, username: username ?? "",
                password: password ?? "", email: email, files: fromFile)
            try await create.createAndReport(object)
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
    @Argument(parsing: .postTerminator, help: "-- COMMAND [ARG...]: the container's command (one image only)")
    var command: [String] = []
    func run() async throws {
        try await Console.run {
            guard !image.isEmpty else { throw CtlError("required flag(s) \"image\" not set") }
            let object = try CreateBuilder.deployment(
                name, namespace: parent.global.namespace, images: image, replicas: replicas, port: port,
                command: command)
            try await parent.createAndReport(object)
        }
    }
}

/// `create job NAME --image=IMAGE [-- COMMAND ARGS]`, or `create job NAME --from=cronjob/NAME`.
struct CreateJob: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "job", abstract: "Create a job.")

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(help: "Image to run.") var image: String?
    @Option(help: "The cronjob to create the job from: cronjob/NAME.") var from: String?
    @Argument(parsing: .postTerminator, help: "-- COMMAND [ARG...]: the container's command")
    var command: [String] = []

    func run() async throws {
        try await Console.run {
            let namespace = parent.global.namespace
            switch (image, from) {
            case (let image?, nil):
                let object = CreateBuilder.job(name, namespace: namespace, image: image, command: command)
                try await parent.createAndReport(object)
            case (nil, let from?):
                guard command.isEmpty else { throw CtlError("cannot specify --from and command") }
                let parts = from.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2,
                    ["cronjob", "cronjobs", "cj", "cronjob.batch", "cronjobs.batch"].contains(
                        parts[0].lowercased()), !parts[1].isEmpty
                else {
                    throw CtlError("from must be an existing cronjob: cronjob/NAME, not \(from)")
                }
                let client = try parent.global.client()
                let cronJob = try await client.get(
                    kind: "CronJob", namespace: parent.global.resolvedNamespace, name: parts[1])
                let object = try CreateBuilder.job(name, namespace: namespace, from: cronJob)
                try await parent.createAndReport(object)
            default:
                throw CtlError("either --image or --from must be specified")
            }
        }
    }
}

/// `create cronjob NAME --image=IMAGE --schedule=SCHEDULE [--restart=POLICY] [-- COMMAND ARGS]`.
struct CreateCronJob: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cronjob", abstract: "Create a cronjob.", aliases: ["cj"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(help: "Image to run.") var image: String?
    @Option(help: "A schedule in the Cron format the job should be run with.") var schedule: String?
    @Option(help: "The job's restart policy: OnFailure (default) or Never.") var restart: String?
    @Argument(parsing: .postTerminator, help: "-- COMMAND [ARG...]: the container's command")
    var command: [String] = []

    func run() async throws {
        try await Console.run {
            guard let image else { throw CtlError("required flag(s) \"image\" not set") }
            guard let schedule else { throw CtlError("required flag(s) \"schedule\" not set") }
            let object = try CreateBuilder.cronJob(
                name, namespace: parent.global.namespace, image: image, schedule: schedule, restart: restart,
                command: command)
            try await parent.createAndReport(object)
        }
    }
}

/// `create token NAME`: a ServiceAccount token from the api (its TokenRequest), printed as kubectl prints it.
struct CreateToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Request a service account token.")

    @ParentCommand var parent: CreateCommand
    @Argument(help: "The ServiceAccount.") var name: String
    @Option(help: "Requested lifetime of the token (at least 10m; the api's default is 1h).") var duration: GoDuration?
    @Option(help: "Audience of the token (repeatable); default: the api's.") var audience: [String] = []
    @Option(name: .customLong("bound-object-kind"), help: "Kind of an object to bind the token to: Pod.")
    var boundObjectKind: String?
    @Option(name: .customLong("bound-object-name"), help: "Name of the object to bind the token to.")
    var boundObjectName: String?
    @Option(name: .customLong("bound-object-uid"), help: "UID of the object to bind the token to.")
    var boundObjectUID: String?

    func run() async throws {
        try await Console.run {
            if boundObjectKind != nil && boundObjectKind != "Pod" {
                throw CtlError(
                    "supported --bound-object-kind values are Pod; got \(boundObjectKind ?? "")")
            }
            if (boundObjectKind == nil) != (boundObjectName == nil) {
                throw CtlError("--bound-object-kind and --bound-object-name go together")
            }
            let seconds = duration.map { Int64($0.duration.components.seconds) }
            if let seconds, seconds < 600 {
                throw CtlError("--duration must be at least 10m (the api refuses shorter tokens)")
            }
            let client = try parent.global.client()
            let reply = try await client.requestToken(
                namespace: parent.global.resolvedNamespace, account: name, pod: boundObjectName,
                podUID: boundObjectUID, audiences: audience, expirationSeconds: seconds)
            switch parent.output {
            case nil, "":
                Console.out(reply[path: ["status", "token"]]?.stringValue ?? "")
            case "json", "yaml":
                Console.out(try ObjectPrinter.print(reply, info: .serviceAccount, operation: "", output: parent.output))
            default:
                throw CtlError("--output \(parent.output ?? "") is not supported by create token: json or yaml")
            }
        }
    }
}
