import Client
import Foundation
import Logging
import Schema

/// Records Events about pods, folding repeats of the same reason and message into one Event's `count`,
/// as client-go's event recorder does.
actor EventRecorder {
    private let client: KubusClient
    private let component: String
    private let logger: Logger
    private var recent: [String: Event] = [:]

    init(client: KubusClient, component: String, logger: Logger) {
        self.client = client
        self.component = component
        self.logger = logger
    }

    func record(_ pod: Pod, type: String, reason: String, message: String, action: String) async {
        let key = "\(pod.metadata.uid ?? NodeInfo.key(of: pod))|\(reason)|\(message)"
        let now = Time.now()
        if var event = recent[key] {
            event.count = (event.count ?? 1) + 1
            event.lastTimestamp = now
            if let stored = try? await client.update(event) {
                recent[key] = stored
                return
            }
        }
        let namespace = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        var event = Event()
        event.metadata.namespace = namespace
        event.metadata.name = "\(name).\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))"
        event.involvedObject = ObjectReference(
            kind: "Pod", namespace: namespace, name: name, uid: pod.metadata.uid, apiVersion: "v1",
            resourceVersion: pod.metadata.resourceVersion)
        event.reason = reason
        event.message = message
        event.type = type
        event.action = action
        event.source = EventSource(component: component)
        event.reportingComponent = component
        event.firstTimestamp = now
        event.lastTimestamp = now
        event.count = 1
        do {
            let stored = try await client.create(event)
            if recent.count > 10_000 { recent.removeAll() }
            recent[key] = stored
        } catch {
            logger.warning("could not record an event", metadata: [
                "kubus.pod": "\(namespace)/\(name)", "kubus.reason": "\(reason)", "kubus.error": "\(error)",
            ])
        }
    }
}
