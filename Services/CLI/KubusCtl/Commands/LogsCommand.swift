import ArgumentParser
import Bus
import Client
import Foundation
import Schema
import Wire

/// `kubusctl logs (POD | TYPE/NAME | -l SELECTOR) [-c C] [-f] [--previous] [--tail N] [--prefix]`.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the logs for a container in a pod.",
        discussion: """
            TYPE/NAME (deploy/web, job/migrate, sts/db, ds/agent, rs/x, svc/x) picks one of its pods as kubectl does \
            (running and ready first); -l prints the logs of every matching pod (--tail defaults to 10 then, and \
            -f follows at most --max-log-requests streams).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "POD, TYPE/NAME, and optionally the container.")
    var arguments: [String] = []

    @Option(name: [.short, .long], help: "The container; by default the pod's default or first one.")
    var container: String?

    @Flag(name: [.short, .long], help: "Stream the log until the container ends or Ctrl-C.")
    var follow = false

    @Flag(name: [.short, .long], help: "The log of the previous, terminated instance of the container.")
    var previous = false

    @Option(help: "Only the last N lines; -1 prints all (10 with -l).")
    var tail: Int?

    @Flag(help: "Prefix each line with its RFC 3339 timestamp.")
    var timestamps = false

    @OptionGroup var selectorOption: SelectorOption
    var selector: String? { selectorOption.selector }

    @Flag(help: "Prefix each line with its source: [pod/NAME/CONTAINER].")
    var prefix = false

    @Flag(name: .customLong("all-containers"), help: "The logs of every container of the pods.")
    var allContainers = false

    @Option(name: .customLong("max-log-requests"), help: "With -l and -f: the most logs followed at once.")
    var maxLogRequests: Int = 5

    @Option(
        name: .customLong("pod-running-timeout"),
        help: ArgumentHelp("How long to wait for a workload's first pod (Go duration).", valueName: "duration"))
    var podRunningTimeout = GoDuration(.seconds(20), text: "20s")

    @Flag(name: .customLong("ignore-errors"), help: "With several logs, go on when one fails.")
    var ignoreErrors = false

    /// One log to print: a pod's container.
    struct Source: Sendable {
        var pod: JSONValue
        var container: String

        var label: String { "[pod/\(pod.name)/\(container)] " }
    }

    func run() async throws {
        try await Console.run {
            let (podArgument, containerArgument) = try Self.split(arguments, selector: selector)
            if containerArgument != nil && container != nil {
                throw CtlError("only one of -c or an inline [CONTAINER] arg is allowed")
            }
            let client = try global.client()
            let namespace = global.resolvedNamespace
            let requested = container ?? containerArgument
            var sources: [Source] = []
            if let podArgument {
                let pods = try await PodPicker.pods(
                    for: podArgument, namespace: namespace, verb: "get the logs from", timeout: podRunningTimeout,
                    client: client, order: PodPicker.byLogging)
                if pods.count > 1 { Console.err("Found \(pods.count) pods, using pod/\(pods[0].name)") }
                sources = try Self.sources(of: pods[0], requested: requested, all: allContainers, quiet: false)
            } else {
                let pods = try await client.list(kind: "Pod", namespace: namespace, labelSelector: selector).items
                for pod in pods {
                    sources += try Self.sources(of: pod, requested: requested, all: allContainers, quiet: true)
                }
                if pods.isEmpty {
                    Console.err(noResourcesMessage(namespace: namespace))
                    return
                }
            }
            if follow && sources.count > maxLogRequests {
                throw CtlError(
                    "you are attempting to follow \(sources.count) log streams, but maximum allowed concurrency is "
                        + "\(maxLogRequests), use --max-log-requests to increase the limit")
            }
            let tailLines = tail ?? (selector != nil ? 10 : -1)
            let labelled = prefix
            let writer = LogWriter()
            if follow && sources.count > 1 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for source in sources {
                        group.addTask {
                            try await stream(
                                source, namespace: namespace, tail: tailLines, client: client,
                                writer: writer, label: labelled ? source.label : nil)
                        }
                    }
                    try await group.waitForAll()
                }
                return
            }
            var failed = false
            for source in sources {
                do {
                    try await stream(
                        source, namespace: namespace, tail: tailLines, client: client, writer: writer,
                        label: labelled ? source.label : nil)
                } catch {
                    guard ignoreErrors else { throw error }
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    /// Prints one container's log; with `follow`, until it ends.
    func stream(
        _ source: Source, namespace: String, tail: Int, client: KubusClient, writer: LogWriter, label: String?
    ) async throws {
        try ContainerChoice.requireStarted(source.pod, container: source.container, previous: previous)
        let call = KubeletCall(
            bus: client.bus, node: try ContainerChoice.node(of: source.pod),
            timeout: max(.seconds(5), global.requestDuration))
        var request = LogsRequest(
            namespace: namespace, pod: source.pod.name, container: source.container, previous: previous ? true : nil,
            tailLines: tail >= 0 ? tail : nil, waitMillis: follow ? 500 : nil, timestamps: timestamps ? true : nil)
        while true {
            let reply = try await call.request("logs", request, as: LogsReply.self)
            if !reply.text.isEmpty { writer.write(reply.text, label: label) }
            let moved = reply.offset != request.offset
            request.offset = reply.offset
            request.tailLines = nil
            if reply.done { return }
            // Without -f, stop once a reply brings nothing new; with -f, keep polling.
            if !follow && (reply.text.isEmpty || !moved) { return }
        }
    }

    /// `[POD|TYPE/NAME] [CONTAINER]` checked against `-l`, with kubectl's messages.
    static func split(_ arguments: [String], selector: String?) throws(CtlError) -> (pod: String?, container: String?) {
        if selector != nil {
            guard arguments.isEmpty else { throw CtlError("only a selector (-l) or a POD name is allowed") }
            return (nil, nil)
        }
        switch arguments.count {
        case 1: return (arguments[0], nil)
        case 2: return (arguments[0], arguments[1])
        case 0:
            throw CtlError(
                "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                    + "POD or TYPE/NAME is a required argument for the logs command")
        default:
            throw CtlError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.")
        }
    }

    /// The containers whose logs to print for `pod`.
    static func sources(of pod: JSONValue, requested: String?, all: Bool, quiet: Bool) throws -> [Source] {
        if all {
            return
                (pod.list("spec.initContainers") + pod.list("spec.containers") + pod.list("spec.ephemeralContainers"))
                .map { Source(pod: pod, container: $0.name) }
        }
        let chosen = try ContainerChoice.resolve(pod, requested: requested)
        if let notice = chosen.notice, !quiet { Console.err(notice) }
        return [Source(pod: pod, container: chosen.name)]
    }
}

/// Writes log text to stdout whole lines at a time, with an optional per-source prefix, from several streams.
final class LogWriter: Sendable {
    private let lock = NSLock()

    func write(_ text: String, label: String?) {
        let output = label.map { Self.prefixed(text, with: $0) } ?? text
        lock.withLock { FileHandle.standardOutput.write(Data(output.utf8)) }
    }

    /// Every line of `text` with `label` in front.
    static func prefixed(_ text: String, with label: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let trailing = lines.last == "" ? lines.removeLast() : nil
        return lines.map { label + $0 }.joined(separator: "\n") + (trailing != nil ? "\n" : "")
    }
}
