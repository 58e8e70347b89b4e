import APITesting
import BusTesting
import Client
import Logging
import Schema
import Testing

@Suite(.timeLimit(.minutes(1)))
struct EventRecorderTests {
    func pod() -> Pod {
        var pod = Pod()
        pod.metadata.namespace = "default"
        pod.metadata.name = "web"
        pod.metadata.uid = "uid-web"
        return pod
    }

    /// `emit` returns at once and the events are written behind it, in the order they were emitted; a repeat folds
    /// into the first one's count, as `record` does.
    @Test func emittedEventsAreWrittenInOrderAfterwards() async throws {
        let api = try await InMemoryAPI()
        defer { api.close() }
        let recorder = EventRecorder(client: api, component: "kubelet", host: "node-1", logger: .init(label: "test"))
        let pod = pod()
        for reason in ["Pulled", "Created", "Started", "Started"] {
            recorder.emit(
                pod, type: "Normal", reason: reason, message: "\(reason) container web", action: reason,
                fieldPath: "spec.containers{web}")
        }
        let written = try await eventually {
            let events = try await api.list(Event.self, namespace: "default").items
            return events.count == 3 && events.contains { $0.reason == "Started" && $0.count == 2 }
        }
        #expect(written)
        let creates = api.writes.filter { $0.kind == "Event" && $0.verb == "create" }
        #expect(creates.map { $0.payload["object"]?["reason"]?.stringValue ?? "" } == ["Pulled", "Created", "Started"])
        let events = try await api.list(Event.self, namespace: "default").items
        #expect(events.allSatisfy { $0.involvedObject.uid == "uid-web" && $0.source?.host == "node-1" })
    }

    /// A full queue drops what comes next instead of growing without bound: the api never sees more than the
    /// queue's capacity while it cannot keep up.
    @Test func aFullQueueDropsNewEvents() async throws {
        let api = try await InMemoryAPI()
        defer { api.close() }
        let recorder = EventRecorder(client: api, component: "kubelet", logger: .init(label: "test"))
        let pod = pod()
        // Distinct messages, so that none folds into another, emitted in one go: the writer task drains a few
        // meanwhile, far fewer than the 500 beyond the capacity.
        let emitted = EventRecorder.queueCapacity + 500
        for n in 0..<emitted {
            recorder.emit(pod, type: "Normal", reason: "Test", message: "event \(n)", action: "Test")
        }
        func count() -> Int { api.writes.filter { $0.kind == "Event" }.count }
        _ = await eventually(timeout: .seconds(20)) { count() >= EventRecorder.queueCapacity }
        // Until the writer has nothing left: no new write for half a second.
        var written = count()
        while true {
            try await Task.sleep(for: .milliseconds(500))
            let now = count()
            if now == written { break }
            written = now
        }
        #expect(written >= EventRecorder.queueCapacity)
        #expect(written < emitted)
    }
}
