import ArgumentParser
import Client
import Schema

/// `kubusctl run NAME --image=IMAGE [-- ARGS...]`: a Pod as kubectl run creates it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a particular image in a pod.",
        discussion: """
            Creates a Pod labelled run=NAME (or --labels) with one container named NAME; arguments after -- are its \
            args, or with --command its command. -i/-t/--attach/--rm are not supported yet: use `kubusctl logs -f` \
            and `kubusctl exec -it` on the pod.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "NAME") var name: String?

    @Argument(parsing: .postTerminator, help: "-- ARGS (or COMMAND ARGS with --command)")
    var arguments: [String] = []

    @Option(help: "The image for the container.") var image: String?
    @Option(help: "The port the container exposes.") var port: String?
    @Option(help: "KEY=VALUE environment variables (repeatable).") var env: [String] = []
    @Option(name: [.customShort("l"), .long], help: "Comma-separated labels for the pod (default run=NAME).")
    var labels: String?
    @Option(help: "Annotations for the pod, KEY=VALUE (repeatable).") var annotations: [String] = []
    @Option(help: "The pod's restart policy: Always, OnFailure or Never.") var restart: String = "Always"
    @Option(name: .customLong("image-pull-policy"), help: "Always, IfNotPresent or Never.") var imagePullPolicy: String?
    @Flag(help: "Use the arguments after -- as the command instead of args.") var command = false
    @Flag(help: "Run the container privileged.") var privileged = false
    @Flag(name: [.short, .customLong("stdin")], help: "Not supported yet.") var interactive = false
    @Flag(name: [.short, .long], help: "Not supported yet.") var tty = false
    @Flag(help: "Not supported yet.") var attach = false
    @Flag(help: "Not supported yet.") var rm = false

    @Option(name: .customLong("dry-run"), help: "none, client or server.") var dryRun: DryRunMode = .none
    @Option(name: [.short, .long], help: "Output: yaml, json or name.") var output: String?

    /// What `run` puts in the Pod.
    struct Options: Equatable {
        var image: String
        var port: Int?
        var env: [(String, String)] = []
        var labels: [String: String] = [:]
        var annotations: [String: String] = [:]
        var restart = "Always"
        var imagePullPolicy: String?
        var command = false
        var privileged = false
        var arguments: [String] = []

        static func == (a: Options, b: Options) -> Bool {
            a.image == b.image && a.port == b.port && a.env.map { "\($0)=\($1)" } == b.env.map { "\($0)=\($1)" }
                && a.labels == b.labels && a.restart == b.restart && a.command == b.command
                && a.arguments == b.arguments
        }
    }

    func run() async throws {
        try await Console.run {
            if interactive || tty || attach || rm {
                throw CtlError(
                    "kubusctl run does not attach to pods yet (-i, -t, --attach, --rm); create the pod, then use "
                        + "`kubusctl logs -f` or `kubusctl exec -it`")
            }
            let options = try Self.options(
                name: name, image: image, port: port, env: env, labels: labels, annotations: annotations,
                restart: restart, imagePullPolicy: imagePullPolicy, command: command, privileged: privileged,
                arguments: arguments)
            let pod = Self.pod(name!, namespace: global.namespace, options: options)
            try await createAndReport(pod, global: global, dryRun: dryRun, output: output)
        }
    }

    /// Checks the flags as kubectl run does.
    static func options(
        name: String?, image: String?, port: String?, env: [String], labels: String?, annotations: [String],
        restart: String, imagePullPolicy: String?, command: Bool, privileged: Bool, arguments: [String]
    ) throws(CtlError) -> Options {
        guard let name, !name.isEmpty else { throw CtlError("NAME is required for run") }
        _ = name
        guard let image, !image.isEmpty else { throw CtlError("required flag(s) \"image\" not set") }
        guard isImageReference(image) else {
            throw CtlError("invalid image name \"\(image)\": invalid reference format")
        }
        var options = Options(image: image)
        if let port, !port.isEmpty {
            guard let number = Int(port) else { throw CtlError("--port must be a number") }
            options.port = number
        }
        for variable in env {
            guard let eq = variable.firstIndex(of: "="), eq != variable.startIndex,
                SetEnvEdit.isEnvName(String(variable[..<eq]))
            else { throw CtlError("invalid env: \(variable)") }
            options.env.append((String(variable[..<eq]), String(variable[variable.index(after: eq)...])))
        }
        if let labels, !labels.isEmpty {
            for spec in labels.split(separator: ",", omittingEmptySubsequences: false) {
                let parts = spec.split(separator: "=", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw CtlError("unexpected label spec: \(spec)") }
                guard !parts[0].isEmpty else { throw CtlError("unexpected empty label key") }
                options.labels[String(parts[0])] = String(parts[1])
            }
        }
        for annotation in annotations {
            guard let eq = annotation.firstIndex(of: "=") else {
                throw CtlError("invalid annotation format: \(annotation)")
            }
            options.annotations[String(annotation[..<eq])] = String(annotation[annotation.index(after: eq)...])
        }
        guard ["Always", "OnFailure", "Never"].contains(restart) else {
            throw CtlError("invalid restart policy: \(restart), valid values are: Always, OnFailure, Never")
        }
        options.restart = restart
        if let imagePullPolicy, !imagePullPolicy.isEmpty {
            guard ["Always", "IfNotPresent", "Never"].contains(imagePullPolicy) else {
                throw CtlError("invalid image pull policy: \(imagePullPolicy)")
            }
            options.imagePullPolicy = imagePullPolicy
        }
        options.command = command
        options.privileged = privileged
        options.arguments = arguments
        return options
    }

    /// A rough check of an image reference: no spaces, and a lowercase repository (tags and digests may vary).
    static func isImageReference(_ image: String) -> Bool {
        guard !image.isEmpty, !image.contains(where: \.isWhitespace) else { return false }
        var repository = Substring(image)
        if let at = repository.firstIndex(of: "@") { repository = repository[..<at] }
        if let colon = repository.lastIndex(of: ":"), !repository[colon...].contains("/") {
            repository = repository[..<colon]
        }
        let path = repository.split(separator: "/", omittingEmptySubsequences: false)
        // The first part may be a registry host (`localhost:5000`, `Registry.Example.com`).
        let checked =
            path.count > 1 && (path[0].contains(".") || path[0].contains(":") || path[0] == "localhost")
            ? path.dropFirst() : path[...]
        return checked.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
        }
    }

    /// The Pod kubectl run generates: labels `run=NAME` unless given, one container named NAME with
    /// `resources: {}`, `dnsPolicy: ClusterFirst`, and Go's zero values (`creationTimestamp: null`, `status: {}`).
    static func pod(_ name: String, namespace: String?, options: Options) -> JSONValue {
        var container: JSONValue = ["name": .string(name), "image": .string(options.image), "resources": [:]]
        if !options.env.isEmpty {
            container["env"] = .array(options.env.map { ["name": .string($0.0), "value": .string($0.1)] })
        }
        if let port = options.port { container["ports"] = [["containerPort": .int(Int64(port))]] }
        if !options.arguments.isEmpty {
            container[options.command ? "command" : "args"] = .array(options.arguments.map { .string($0) })
        }
        if let policy = options.imagePullPolicy { container["imagePullPolicy"] = .string(policy) }
        if options.privileged { container["securityContext"] = ["privileged": true] }
        var metadata = CreateBuilder.metadata(name, namespace: namespace)
        let labels = options.labels.isEmpty ? ["run": name] : options.labels
        metadata["labels"] = .object(labels.mapValues { .string($0) })
        if !options.annotations.isEmpty {
            metadata["annotations"] = .object(options.annotations.mapValues { .string($0) })
        }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": [
                "containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": .string(options.restart),
            ],
            "status": [:],
        ]
    }
}
