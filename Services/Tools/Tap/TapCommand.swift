import ArgumentParser
import Bus
import Foundation
import JSONCore
import ServiceKit

/// `kubus-tap`: watch what the cluster does, live, from the bus.
@main
struct TapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-tap",
        abstract: "Subscribe to the Kubus bus and print events as they happen.",
        discussion: """
            Examples:
              kubus-tap                              every event on the bus
              kubus-tap --kind Pod -n default        pod changes in namespace default
              kubus-tap --kind ConfigMap --name cfg  one object
              kubus-tap --topic sync/ -o json        the store's sync beacons, as JSON lines
              kubus-tap --check                      also report gaps in sequence numbers and revision chains
            """)

    @OptionGroup var options: ServiceOptions

    @Option(help: "Only events of this kind (as written in manifests: Pod, Deployment, ConfigMap).")
    var kind: String?

    @Option(name: [.short, .long], help: "Only events in this namespace.")
    var namespace: String?

    @Option(help: "Only events of objects with this name.")
    var name: String?

    @Option(
        help: "Subscribe to this topic prefix (repeatable). Overrides --kind/--namespace/--name for the subscription.")
    var topic: [String] = []

    @Option(
        name: [.short, .long], help: "Output: text (one readable line per event) or json (one JSON object per line).")
    var output: OutputFormat = .text

    @Option(help: "Exit after this many events.")
    var count: Int?

    @Flag(help: "Report gaps: per-stream sequence numbers and per-kind revision chains.")
    var check = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        let endpoints = try options.endpoints(userTool: true)
        let filter = TapFilter(kind: kind, namespace: namespace, name: name)
        let topics = topic.isEmpty ? [filter.subscription] : topic
        let subscriber = try Subscriber(endpoints: endpoints, topics: topics)
        defer { subscriber.close() }
        FileHandle.standardError.write(
            Data(
                "kubus-tap: subscribed to \(topics.map { $0.isEmpty ? "(everything)" : $0 }.joined(separator: ", ")) on \(endpoints.subscribe)\n"
                    .utf8))
        // A bus that will not complete the handshake sends nothing: say why, once per reason, while it lasts.
        let reporter = Task {
            var said: String?
            while !Task.isCancelled {
                let problem = subscriber.handshakeProblem
                if let problem, problem != said { FileHandle.standardError.write(Data("kubus-tap: \(problem)\n".utf8)) }
                said = problem
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        defer { reporter.cancel() }
        var checker = GapChecker()
        var printed = 0
        let out = FileHandle.standardOutput
        for await message in subscriber.messages {
            guard topic.isEmpty ? filter.matches(message.topic) : true else { continue }
            var lines: [String] = []
            if check { lines += checker.observe(message).map { "GAP \($0)" } }
            lines.append(output == .json ? TapFormat.json(message) : TapFormat.text(message))
            out.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            printed += 1
            if let count, printed >= count { break }
        }
    }
}

/// Which events the user asked for.
struct TapFilter {
    var kind: String?
    var namespace: String?
    var name: String?

    /// The narrowest topic prefix that covers the filter.
    var subscription: String {
        guard let kind else { return namespace == nil && name == nil ? "" : "event/" }
        guard let namespace else { return "event/\(kind)/" }
        guard let name else { return "event/\(kind)/\(namespace)/" }
        return "event/\(kind)/\(namespace)/\(name)"
    }

    func matches(_ topic: String) -> Bool {
        guard namespace != nil || name != nil || kind != nil else { return true }
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "event" else { return false }
        if let kind, parts[1] != kind { return false }
        if let namespace, parts[2] != namespace { return false }
        if let name, parts[3] != name { return false }
        return true
    }
}

/// Detects lost events: a jump in a stream's sequence numbers, or a watch event whose `prev` is not the
/// last revision seen for its kind.
struct GapChecker {
    var lastSeq: [String: Int64] = [:]
    var lastRev: [String: Int64] = [:]

    mutating func observe(_ m: BusMessage) -> [String] {
        var gaps: [String] = []
        if let stream = m.envelope.stream, let seq = m.envelope.seq {
            if let last = lastSeq[stream], seq != last + 1 {
                gaps.append(
                    "stream \(stream): seq \(last) → \(seq) (\(seq - last - 1) missing; only meaningful when subscribed to everything)"
                )
            }
            lastSeq[stream] = seq
        }
        if m.envelope.type == "WatchEvent", let rev = m.envelope.rev, let prev = m.envelope.prev {
            let kind =
                m.topic.split(separator: "/", omittingEmptySubsequences: false).dropFirst().first.map(String.init)
                ?? "?"
            if let last = lastRev[kind], prev != last {
                gaps.append("\(kind): event rev \(rev) follows rev \(prev), but the last one seen was \(last)")
            }
            lastRev[kind] = rev
        }
        return gaps
    }
}

enum TapFormat {
    static let timeFormatter: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss.SSS"
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }()

    static func time(_ env: Envelope) -> String {
        let ns = env.time ?? BusClock.wallNs()
        return timeFormatter.string(from: Date(timeIntervalSince1970: Double(ns) / 1e9))
    }

    static func text(_ m: BusMessage) -> String {
        let env = m.envelope
        if env.type == "WatchEvent" {
            let parts = m.topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let kind = parts.count > 1 ? parts[1] : "?"
            let ns = parts.count > 2 ? parts[2] : ""
            let name = parts.count > 3 ? parts[3] : "?"
            let who = ns.isEmpty ? name : "\(ns)/\(name)"
            let event = (env.event ?? "?").padding(toLength: 8, withPad: " ", startingAt: 0)
            return "\(time(env)) \(event) \(kind) \(who) rev=\(env.rev ?? 0) prev=\(env.prev ?? 0)"
        }
        let payload = m.payload.count <= 200 ? String(decoding: m.payload, as: UTF8.self) : "(\(m.payload.count) bytes)"
        return "\(time(env)) \(env.type) \(m.topic) seq=\(env.seq ?? 0) \(payload)"
    }

    static func json(_ m: BusMessage) -> String {
        var out: [UInt8] = Array(#"{"topic":"#.utf8)
        JSONText.appendString(m.topic, to: &out)
        out += Array(#","envelope":"#.utf8)
        out += m.envelope.encoded()
        out += Array(#","payload":"#.utf8)
        if (try? JSONSerialization.jsonObject(with: Data(m.payload), options: [.fragmentsAllowed])) != nil {
            out += m.payload
        } else {
            JSONText.appendString(String(decoding: m.payload, as: UTF8.self), to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
