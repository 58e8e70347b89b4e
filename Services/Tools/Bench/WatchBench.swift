import Bus
import Foundation
import LoadKit
import ServiceKit
import Synchronization

/// Watch delivery: from a write being sent to its watch event arriving at a subscriber of `event/ConfigMap/`.
enum WatchBench {
    struct Result {
        var created: Int
        var matched: Int
        var endToEnd: LatencyStats
        /// From the store's publish (envelope `time`) to arrival: the bus's share.
        var busShare: LatencyStats
        var load: LoadResult
    }

    /// Send times and latencies, shared between the writer tasks and the subscriber.
    private final class Book: @unchecked Sendable {
        let lock = NSLock()
        var sentNs: [String: Int64] = [:]
        var endToEnd = LatencyStats()
        var busShare = LatencyStats()
        var matched = 0
    }

    /// - Parameter viaAPI: create through the api (namespace default); otherwise write to the store directly.
    static func run(
        client: BusClient, endpoints: BusEndpoints, viaAPI: Bool, rate: Double, seconds: Double
    ) async throws -> Result {
        let run = String(BusClock.randomID().prefix(6))
        let namespace = viaAPI ? "default" : Payloads.namespace
        let prefix = "event/ConfigMap/\(namespace)/"
        let subscriber = try Subscriber(endpoints: endpoints, topics: ["event/ConfigMap/"])
        defer { subscriber.close() }
        let book = Book()
        let probeSeen = Atomic<Bool>(false)
        let consumer = Task {
            for await m in subscriber.messages where m.topic.hasPrefix(prefix) {
                let now = BusClock.nowNs()
                let wall = BusClock.wallNs()
                let name = String(m.topic.dropFirst(prefix.count))
                if name.hasPrefix("w-\(run)-probe") {
                    probeSeen.store(true, ordering: .relaxed)
                    continue
                }
                book.lock.withLock {
                    guard let sent = book.sentNs.removeValue(forKey: name) else { return }
                    book.matched += 1
                    book.endToEnd.record(ns: now - sent)
                    if let t = m.envelope.time { book.busShare.record(ns: wall - t) }
                }
            }
        }
        defer { consumer.cancel() }

        let service = viaAPI ? "api" : "store"
        let type = viaAPI ? "create" : "write"
        @Sendable func body(_ name: String) -> [UInt8] {
            viaAPI ? Payloads.apiCreate(name: name) : Payloads.storeWrite(name: name)
        }

        // Slow joiner: write probes until one comes back as an event.
        var n = 0
        while !probeSeen.load(ordering: .relaxed) && n < 100 {
            _ = try? await client.request(
                service: service, type: type, payload: body("w-\(run)-probe\(n)"), timeout: .seconds(5))
            try await Task.sleep(for: .milliseconds(20))
            n += 1
        }

        let load = try await RequestBench.run(
            client: client, service: service, type: type, concurrency: 16, count: Int(rate * seconds), rate: rate,
            maxSeconds: seconds + 5
        ) { i in
            let name = "w-\(run)-\(i)"
            let payload = body(name)
            book.lock.withLock { book.sentNs[name] = BusClock.nowNs() }
            return payload
        }
        // Let the last events arrive.
        for _ in 0..<100 {
            if book.lock.withLock({ book.sentNs.isEmpty }) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return book.lock.withLock {
            Result(
                created: load.sent, matched: book.matched, endToEnd: book.endToEnd, busShare: book.busShare, load: load)
        }
    }
}
