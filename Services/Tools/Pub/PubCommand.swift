import ArgumentParser
import Bus
import Foundation
import LoadKit
import ServiceKit
import Synchronization

/// `kubus-pub`: load-test the bus or any service on it.
@main
struct PubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-pub",
        abstract:
            "Load-test Kubus: publish events, or send requests to a service, at a rate; print throughput and latency.",
        subcommands: [Events.self, Requests.self])
}

/// How long a run lasts: a count or a duration, whichever the user gave (10 s by default).
struct RunLength: ParsableArguments {
    @Option(help: "Stop after this many messages.")
    var count: Int?

    @Option(help: "Stop after this many seconds (default 10 when no --count).")
    var duration: Double?

    @Option(help: "Target rate per second, all senders together; 0 sends as fast as possible.")
    var rate: Double = 0

    var deadlineNs: Int64 {
        let seconds = duration ?? (count == nil ? 10 : 3600)
        return BusClock.nowNs() + Int64(seconds * 1e9)
    }
}

extension PubCommand {
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Publish events of a given size on a topic; with --measure, also receive them and report delivery latency."
        )

        @OptionGroup var options: ServiceOptions
        @OptionGroup var length: RunLength

        @Option(help: "Topic to publish on.")
        var topic = "load/pub"

        @Option(help: "Payload bytes per event.")
        var size = 100

        @Flag(help: "Subscribe to the topic too, and report how many arrived and their latency.")
        var measure = false

        func run() async throws {
            let endpoints = try options.endpoints(userTool: true)
            let subscriber = measure ? try Subscriber(endpoints: endpoints, topics: [topic]) : nil
            defer { subscriber?.close() }
            let publisher = try Publisher(endpoints: endpoints, streamPrefix: "pub")
            defer { publisher.close() }
            let received = AtomicCounter()
            let latency = Locked(LatencyStats())
            let receiving = Task {
                guard let subscriber else { return }
                for await m in subscriber.messages where m.envelope.type == "Load" {
                    received.increment()
                    if let t = m.envelope.time { latency.withLock { $0.record(ns: BusClock.wallNs() - t) } }
                }
            }
            if measure {
                // Wait until the subscription is in place (slow joiner), so the run is not measured short.
                let probe = Array("probe".utf8)
                for _ in 0..<500 where received.current == 0 {
                    publisher.publish(topic: topic, envelope: Envelope(type: "Load"), payload: probe)
                    try await Task.sleep(for: .milliseconds(10))
                }
                try await Task.sleep(for: .milliseconds(100))
                received.reset()
                latency.withLock { $0 = LatencyStats() }
            }
            let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
            let deadline = length.deadlineNs
            let start = BusClock.nowNs()
            var sent = 0
            let limit = length.count ?? .max
            let interval = length.rate > 0 ? Int64(1e9 / length.rate) : 0
            while sent < limit && BusClock.nowNs() < deadline {
                if interval > 0 {
                    let due = start + Int64(sent) * interval
                    let now = BusClock.nowNs()
                    if due > now { try await Task.sleep(for: .nanoseconds(due - now)) }
                }
                publisher.publish(topic: topic, envelope: Envelope(type: "Load"), payload: payload)
                sent += 1
            }
            let elapsed = Double(BusClock.nowNs() - start) / 1e9
            print(
                "published \(sent) events of \(size) bytes in \(String(format: "%.2f", elapsed)) s: \(Int(Double(sent) / elapsed)) events/s"
            )
            if measure {
                // Give the tail a moment to arrive, then report.
                var last = -1
                while received.current != last {
                    last = received.current
                    try await Task.sleep(for: .milliseconds(300))
                }
                receiving.cancel()
                let got = received.current
                print("received \(got) of \(sent) (\(sent - got) lost to high-water marks)")
                print("delivery latency: \(latency.withLock { $0.summary })")
            }
        }
    }

    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send requests to a service and report throughput and latency percentiles.",
            discussion: """
                The payload may contain {{i}} (the request number) and {{run}} (a random run id), e.g.
                  kubus-pub requests --service api --type create --concurrency 16 --count 10000 \\
                    --payload '{"object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"load-{{run}}-{{i}}","namespace":"default"},"data":{"k":"v"}}}'
                --configmaps is a shortcut for exactly that.
                """)

        @OptionGroup var options: ServiceOptions
        @OptionGroup var length: RunLength

        @Option(help: "Service to call.")
        var service = "api"

        @Option(help: "Request type (the operation).")
        var type = "get"

        @Option(help: "Request payload (JSON text); see the discussion for {{i}} and {{run}}.")
        var payload = "{}"

        @Flag(help: "Create ConfigMaps named load-<run>-<i> in namespace default (service api, type create).")
        var configmaps = false

        @Option(help: "Requests in flight at once.")
        var concurrency = 1

        func run() async throws {
            let endpoints = try options.endpoints(userTool: true)
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            let template =
                configmaps
                ? #"{"object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"load-{{run}}-{{i}}","namespace":"default"},"data":{"k":"v"}}}"#
                : payload
            let type = configmaps ? "create" : self.type
            let service = configmaps ? "api" : self.service
            let run = String(BusClock.randomID().prefix(6))
            let result = try await RequestLoad(
                client: client, service: service, type: type, concurrency: max(1, concurrency), rate: length.rate,
                count: length.count, deadlineNs: length.deadlineNs
            ) { i in
                Array(
                    template.replacingOccurrences(of: "{{i}}", with: String(i)).replacingOccurrences(
                        of: "{{run}}", with: run
                    ).utf8)
            }.run()
            print(result.report(what: "\(service) \(type)"))
            if result.failures > 0 { throw ExitCode(1) }
        }
    }
}
