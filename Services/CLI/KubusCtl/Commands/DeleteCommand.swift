import ArgumentParser
import Client
import Schema

/// `--cascade=background|foreground|orphan`.
enum CascadeMode: String, ExpressibleByArgument, CaseIterable {
    case background, foreground, orphan

    init?(argument: String) {
        switch argument.lowercased() {
        case "background", "true": self = .background
        case "foreground": self = .foreground
        case "orphan", "false": self = .orphan
        default: return nil
        }
    }

    var propagationPolicy: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// `kubusctl delete`: delete resources by name, file, selector or all.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete resources by file names, stdin, resources and names, or by label selector.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Argument(help: "TYPE NAME..., TYPE/NAME..., or TYPE with -l or --all.")
    var arguments: [String] = []

    @OptionGroup var selectorOption: SelectorOption
    var selector: String? { selectorOption.selector }

    @Flag(help: "Delete all objects of the type in the namespace.")
    var all = false

    @Flag(name: [.customShort("A"), .long], help: "With -l or --all, across all namespaces.")
    var allNamespaces = false

    @Option(help: "background, foreground or orphan.")
    var cascade: CascadeMode = .background

    @Flag(name: .customLong("ignore-not-found"), help: "Treat absent objects as deleted.")
    var ignoreNotFound = false

    @Option(name: [.short, .long], help: "Output: name prints resource/name only.")
    var output: String?

    @Option(
        name: .customLong("grace-period"),
        help: "Seconds a pod gets to stop; -1 uses its own; 0 needs --force (else it is 1).")
    var gracePeriod: Int = -1

    @Flag(help: "Remove at once, without waiting for the pod to stop (grace period 0).")
    var force = false

    @Flag(help: "Delete with a grace period of 1 second.")
    var now = false

    @Flag(
        help: """
            Wait until the objects are gone (finalizers done, pods stopped). kubectl waits by default; kubusctl \
            waits when asked (--wait or --wait=true).
            """)
    var wait = false

    @Option(help: "With --wait, how long to wait (Go duration; 0: as long as it takes).")
    var timeout = GoDuration(.zero, text: "0s")

    /// The grace period kubectl sends, its warning, or its error (`DeleteOptions.Complete` and `Validate`).
    static func effectiveGracePeriod(_ requested: Int, force: Bool, now: Bool) throws(CtlError)
        -> (seconds: Int64?, warning: String?)
    {
        var grace = requested
        if now {
            guard grace == -1 else { throw CtlError("--now and --grace-period cannot be specified together") }
            grace = 1
        }
        if grace == 0 && !force { grace = 1 }
        if force && grace < 0 { grace = 0 }
        if force && grace > 0 {
            throw CtlError("--force and --grace-period greater than 0 cannot be specified together")
        }
        let warning =
            force && grace == 0
            ? "Immediate deletion does not wait for confirmation that the running resource has been terminated. "
                + "The resource may continue to run on the cluster indefinitely."
            : nil
        return (grace >= 0 ? Int64(grace) : nil, warning)
    }

    func run() async throws {
        try await Console.run {
            let grace = try Self.effectiveGracePeriod(gracePeriod, force: force, now: now)
            if all && selector != nil { throw CtlError("cannot set --all and --selector at the same time") }
            if let output, output != "name" {
                throw CtlError("unexpected -o output mode: \(output). We only support '-o name'")
            }
            if let warning = grace.warning { Console.warn(warning) }
            let operation = grace.seconds == 0 ? "force deleted" : "deleted"
            let client = try global.client()
            let namespace = global.resolvedNamespace
            var targets: [(info: KindInfo, namespace: String?, name: String)] = []
            var failed = false
            if !fileOptions.files.isEmpty {
                let preparer = ManifestPreparer(namespace: namespace, explicitNamespace: global.namespace != nil)
                for source in try ManifestFiles.collect(fileOptions.files, recursive: fileOptions.recursive) {
                    do {
                        for item in try ManifestFiles.read(source) {
                            let prepared = try preparer.prepare(item)
                            targets.append((prepared.info, prepared.namespace, prepared.name))
                        }
                    } catch {
                        Console.err(ErrorFormatter.format(error))
                        failed = true
                    }
                }
            } else {
                let parsed = try ResourceTypes.parse(arguments)
                for target in parsed {
                    let ns = target.info.namespaced ? namespace : nil
                    if target.names.isEmpty {
                        guard all || selector != nil else {
                            throw CtlError("resource(s) were provided, but no name was specified")
                        }
                        let listNamespace = allNamespaces ? nil : ns
                        let list = try await client.list(
                            kind: target.info.kind, namespace: listNamespace, labelSelector: selector)
                        targets += list.items.map {
                            (target.info, target.info.namespaced ? $0.namespace : nil, $0.name)
                        }
                    } else {
                        targets += target.names.map { (target.info, ns, $0) }
                    }
                }
                if targets.isEmpty {
                    Console.err(noResourcesMessage(namespace: allNamespaces ? nil : namespace))
                    return
                }
            }
            var deleted: [(info: KindInfo, namespace: String?, name: String)] = []
            for target in targets {
                do {
                    _ = try await client.delete(
                        kind: target.info.kind, namespace: target.namespace, name: target.name,
                        propagationPolicy: cascade.propagationPolicy, gracePeriodSeconds: grace.seconds)
                    deleted.append(target)
                    Console.line(
                        output == "name"
                            ? ResourceName.slashed(target.info, target.name)
                            : "\(ResourceName.quoted(target.info, target.name)) \(operation)")
                } catch let error as APIError where error.isNotFound && ignoreNotFound {
                    continue
                } catch {
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                }
            }
            // As kubectl's --wait: until each is gone; a forced deletion (grace 0) does not wait.
            if wait && grace.seconds != 0 {
                // kubectl's "0": a week.
                let deadline = ContinuousClock.now + (timeout.limit ?? .seconds(7 * 24 * 3600))
                for target in deleted {
                    let gone = try await WaitCommand.wait(
                        client, target.info, namespace: target.namespace, name: target.name, for: .delete,
                        until: deadline)
                    guard gone else {
                        throw CtlError("timed out waiting for the condition on \(target.info.plural)/\(target.name)")
                    }
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
