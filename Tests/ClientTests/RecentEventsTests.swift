import Client
import Schema
import Testing

/// The event recorder's memory of recent events is bounded and keeps what is used.
struct RecentEventsTests {
    func event(_ n: Int) -> Event {
        var e = Event()
        e.metadata.name = "pod-\(n).1"
        e.reason = "Started"
        return e
    }

    @Test func neverHoldsMoreThanItsCapacity() {
        var recent = RecentEvents(capacity: 100)
        for n in 0..<10_000 {
            recent.put("uid-\(n)|Started", event(n))
            #expect(recent.count <= 100)
        }
        #expect(recent.count >= 75)
        #expect(recent.get("uid-9999|Started")?.metadata.name == "pod-9999.1")
        #expect(recent.get("uid-0|Started") == nil)
    }

    @Test func aRepeatedEventSurvivesEviction() {
        var recent = RecentEvents(capacity: 8)
        recent.put("hot", event(0))
        for n in 1..<100 {
            recent.put("cold-\(n)", event(n))
            // The kubelet folds a BackOff repeated every few seconds: each fold reads it again.
            #expect(recent.get("hot") != nil, "evicted after \(n) other events")
        }
    }
}
