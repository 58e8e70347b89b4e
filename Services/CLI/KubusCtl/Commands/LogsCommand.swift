import ArgumentParser
import Bus
import Client
import Foundation
import Schema

/// `kubusctl logs POD [-c C] [-f] [--previous] [--tail N] [--timestamps]`.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print the logs for a container in a pod.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "POD or pod/POD.")
    var pod: String

    @Option(name: [.short, .long], help: "The container; may be omitted when the pod has one.")
    var container: String?

    @Flag(name: [.short, .long], help: "Stream the log until the container ends or Ctrl-C.")
    var follow = false

    @Flag(name: [.short, .long], help: "The log of the previous, terminated instance of the container.")
    var previous = false

    @Option(help: "Only the last N lines; -1 prints all.")
    var tail: Int = -1

    @Flag(help: "Prefix each line with its RFC 3339 timestamp.")
    var timestamps = false

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            let name = pod.hasPrefix("pod/") ? String(pod.dropFirst(4)) : (pod.hasPrefix("pods/") ? String(pod.dropFirst(5)) : pod)
            let namespace = global.resolvedNamespace
            let object = try await client.get(kind: "Pod", namespace: namespace, name: name)
            let chosen = try ContainerChoice.resolve(object, requested: container)
            try ContainerChoice.requireStarted(object, container: chosen, previous: previous)
            let call = KubeletCall(
                bus: client.bus, node: try ContainerChoice.node(of: object), timeout: max(.seconds(5), global.requestDuration))
            var request = LogsRequest(
                namespace: namespace, pod: name, container: chosen, previous: previous ? true : nil,
                tailLines: tail >= 0 ? tail : nil, waitMillis: follow ? 500 : nil, timestamps: timestamps ? true : nil)
            while true {
                let reply = try await call.request("logs", request, as: LogsReply.self)
                if !reply.text.isEmpty { Console.out(reply.text) }
                let moved = reply.offset != request.offset
                request.offset = reply.offset
                request.tailLines = nil
                if reply.done { return }
                // Without -f, stop once a reply brings nothing new; with -f, keep polling.
                if !follow && (reply.text.isEmpty || !moved) { return }
            }
        }
    }
}
