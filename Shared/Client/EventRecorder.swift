import Foundation
import Logging
import Schema

/// Records Events about any object, folding repeats of the same reason and message into one Event's `count`,
/// as client-go's event recorder does. Shared by the scheduler, the kubelet and the controllers.
public actor EventRecorder {
    private let client: KubusClient
    private let component: String
    private let host: String?
    private let logger: Logger
    private var recent: [String: Event] = [:]

    /// - Parameters:
    ///   - component: `source.component` and `reportingComponent` (`default-scheduler`, `kubelet`, ...).
    ///   - host: `source.host`, the node name for a kubelet.
    public init(client: KubusClient, component: String, host: String? = nil, logger: Logger) {
        self.client = client
        self.component = component
        self.host = host
        self.logger = logger
    }

    /// Records one Event about `object`; `fieldPath` names a container (`spec.containers{web}`) as the kubelet does.
    public func record<T: KubeObject>(
        _ object: T, type: String, reason: String, message: String, action: String, fieldPath: String? = nil
    ) async {
        // Events about cluster-scoped objects (Nodes) live in `default`, as in Kubernetes.
        let namespace = object.metadata.namespace ?? "default"
        let name = object.metadata.name ?? ""
        let key = "\(object.metadata.uid ?? "\(namespace)/\(name)")|\(fieldPath ?? "")|\(reason)|\(message)"
        let now = Time.now()
        if var event = recent[key] {
            event.count = (event.count ?? 1) + 1
            event.lastTimestamp = now
            if let stored = try? await client.update(event) {
                recent[key] = stored
                return
            }
        }
        var event = Event()
        event.metadata.namespace = namespace
        event.metadata.name = "\(name).\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))"
        event.involvedObject = ObjectReference(
            kind: T.kindInfo.kind, namespace: T.kindInfo.namespaced ? namespace : nil, name: name,
            uid: object.metadata.uid, apiVersion: T.kindInfo.apiVersion,
            resourceVersion: object.metadata.resourceVersion, fieldPath: fieldPath)
        event.reason = reason
        event.message = message
        event.type = type
        event.action = action
        event.source = EventSource(component: component, host: host)
        event.reportingComponent = component
        event.reportingInstance = host
        event.firstTimestamp = now
        event.lastTimestamp = now
        event.count = 1
        do {
            let stored = try await client.create(event)
            if recent.count > 10_000 { recent.removeAll() }
            recent[key] = stored
        } catch {
            logger.warning("could not record an event", metadata: [
                "kubus.object": "\(T.kindInfo.kind) \(namespace)/\(name)", "kubus.reason": "\(reason)",
                "kubus.error": "\(error)",
            ])
        }
    }
}
