import Client
public import Schema

/// A controller, written the client-go way: informers map events to keys, `reconcile(key)` does the work.
///
/// The `ControllerRunner` creates the controller with `init(context:)` — where it takes its informers from
/// `context.informers` and adds event handlers that enqueue keys with `context.enqueue` — then starts the
/// informers, waits for their sync, elects a leader and runs workers that call `reconcile` for each key.
public protocol Controller: Sendable {
    /// The name `kubus-controller <name>` runs it by; it names the Lease `kube-system/kubus-<name>`.
    static var name: String { get }

    /// Creates the controller; informers must be created here, before they start.
    init(context: ControllerContext) throws

    /// Brings the object named by `key` to its desired state; idempotent. A thrown error requeues the key
    /// with backoff; success forgets its failures.
    func reconcile(_ key: String) async throws

    /// Every key the controller manages, queued when it starts leading and on each resync.
    func resyncKeys() -> [String]
}

/// The key of a namespaced object (`namespace/name`) or a cluster-scoped one (`name`), as client-go's
/// `MetaNamespaceKeyFunc` makes them.
public enum ObjectKey {
    /// The key of the object with `metadata`.
    public static func of(_ metadata: ObjectMeta) -> String {
        make(namespace: metadata.namespace, name: metadata.name ?? "")
    }

    /// The key of `object`.
    public static func of<T: KubeObject>(_ object: T) -> String { of(object.metadata) }

    /// `namespace/name`, or `name` without a namespace.
    public static func make(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }

    /// Splits a key into its namespace (nil for cluster-scoped) and name.
    public static func split(_ key: String) -> (namespace: String?, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return (nil, key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
