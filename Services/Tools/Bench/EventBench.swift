import Bus
import Foundation
import ServiceKit
import Synchronization

/// Typed events through a real `kubus-bus`: publishers send `Load` events (envelope + payload) as fast as
/// they can, one subscriber receives them.
enum EventBench {
    struct Result {
        var sent: Int
        var received: Int
        var publishSeconds: Double
        var deliverySeconds: Double
        /// Arrived at the subscriber's socket, and dropped there because the consumer fell behind.
        var atSocket: Int
        var overflowed: Int
        /// Events the subscriber knew it missed: the gaps in each publisher's `seq`, up to an end marker sent after
        /// the load. Equal to `sent − received` when no loss is silent.
        var seenAsGaps: Int
        var perSecond: Double { Double(max(received - 1, 0)) / max(deliverySeconds, 1e-9) }
        var lossPercent: Double { sent == 0 ? 0 : Double(sent - received) / Double(sent) * 100 }
    }

    /// The consumer's view: how many arrived and when the first and last did.
    private final class Counts: Sendable {
        let received = Atomic<Int>(0)
        let probes = Atomic<Int>(0)
        let firstNs = Atomic<Int64>(0)
        let lastNs = Atomic<Int64>(0)
        let ends = Atomic<Int>(0)
        /// The last `seq` seen per stream, and the events skipped between the ones seen.
        let sequences = Mutex<(last: [String: Int64], gaps: Int)>(([:], 0))

        func saw(_ envelope: Envelope) {
            guard let stream = envelope.stream, let seq = envelope.seq else { return }
            sequences.withLock { s in
                if let last = s.last[stream], seq > last + 1 { s.gaps += Int(seq - last - 1) }
                s.last[stream] = max(seq, s.last[stream] ?? 0)
            }
        }
    }

    static func run(endpoints: BusEndpoints, publishers: Int, events: Int, size: Int = 100) async throws -> Result {
        let topic = "load/bench/\(BusClock.randomID().prefix(6))"
        let subscriber = try Subscriber(endpoints: endpoints, topics: [topic], bufferLimit: 2_000_000)
        defer { subscriber.close() }
        let pubs = try (0..<publishers).map { _ in try Publisher(endpoints: endpoints, streamPrefix: "bench") }
        defer { for pub in pubs { pub.close() } }

        let counts = Counts()
        let consumer = Task {
            for await m in subscriber.messages {
                counts.saw(m.envelope)
                if m.envelope.type == "End" {
                    counts.ends.add(1, ordering: .relaxed)
                } else if m.envelope.type == "Load" {
                    let now = BusClock.nowNs()
                    if counts.received.add(1, ordering: .relaxed).newValue == 1 {
                        counts.firstNs.store(now, ordering: .relaxed)
                    }
                    counts.lastNs.store(now, ordering: .relaxed)
                } else {
                    counts.probes.add(1, ordering: .relaxed)
                }
            }
        }
        defer { consumer.cancel() }

        // The slow joiner: publish probes until every publisher's events come through.
        let probe = Array("probe".utf8)
        var tries = 0
        while counts.probes.load(ordering: .relaxed) < publishers * 3 && tries < 1000 {
            for p in pubs { p.publish(topic: topic, envelope: Envelope(type: "Probe"), payload: probe) }
            try await Task.sleep(for: .milliseconds(10))
            tries += 1
        }
        try await Task.sleep(for: .milliseconds(100))

        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let perPublisher = events / publishers
        let start = BusClock.nowNs()
        let allSent = DispatchGroup()
        for p in pubs {
            allSent.enter()
            let thread = Thread {
                for _ in 0..<perPublisher {
                    p.publish(topic: topic, envelope: Envelope(type: "Load"), payload: payload)
                }
                allSent.leave()
            }
            thread.start()
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            allSent.notify(queue: .global()) { c.resume() }
        }
        let publishSeconds = Double(BusClock.nowNs() - start) / 1e9
        let sent = perPublisher * publishers

        // Wait for the tail: until everything arrived or nothing more came for a second.
        var last = -1
        var quietSince = BusClock.nowNs()
        while true {
            let now = counts.received.load(ordering: .relaxed)
            if now >= sent { break }
            if now != last {
                last = now
                quietSince = BusClock.nowNs()
            } else if BusClock.nowNs() - quietSince > 1_000_000_000 {
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let received = counts.received.load(ordering: .relaxed)
        let seconds = Double(counts.lastNs.load(ordering: .relaxed) - counts.firstNs.load(ordering: .relaxed)) / 1e9
        // An end marker from each publisher, on a quiet bus: events lost at the tail show as a gap before it (a
        // watcher learns the same from the store's next event or Sync beacon).
        for _ in 0..<50 where counts.ends.load(ordering: .relaxed) < publishers {
            for p in pubs { p.publish(topic: topic, envelope: Envelope(type: "End"), payload: probe) }
            try await Task.sleep(for: .milliseconds(40))
        }
        return Result(
            sent: sent, received: received, publishSeconds: publishSeconds, deliverySeconds: seconds,
            atSocket: subscriber.received - counts.probes.load(ordering: .relaxed), overflowed: subscriber.overflowed,
            seenAsGaps: counts.sequences.withLock { $0.gaps })
    }
}
