public import Schema
import Synchronization

/// Where the kubelet reads objects of one kind by namespace and name, or lists a namespace: an informer's cache,
/// set once the informer exists.
///
/// The functions are kept inside a struct on purpose. A function value stored directly in generic storage
/// (`Mutex<((String, String) -> Pod?)?>`) is re-abstracted each time it is passed `inout` to `withLock`, and the
/// write-back stores a copy wrapped in two more reabstraction thunks: after a few thousand reads, calling it
/// recursed through thousands of thunks and overflowed the calling thread's stack (the kubelet's SIGSEGV under pod
/// churn, issue 9). A struct field keeps its own abstraction, so reading it wraps nothing.
public final class CacheLookup<T: KubeObject>: Sendable {
    private struct Source: Sendable {
        let get: @Sendable (_ namespace: String?, _ name: String) -> T?
        let list: @Sendable (_ namespace: String?) -> [T]
    }

    private let source = Mutex<Source?>(nil)

    public init() {}

    /// Sets where objects are read from.
    public func set(
        get: @escaping @Sendable (_ namespace: String?, _ name: String) -> T?,
        list: @escaping @Sendable (_ namespace: String?) -> [T] = { _ in [] }
    ) {
        source.withLock { $0 = Source(get: get, list: list) }
    }

    /// The object, or nil when it is not known (or nothing was set yet).
    public func get(namespace: String?, name: String) -> T? {
        source.withLock { $0 }?.get(namespace, name)
    }

    /// The objects of `namespace` (nil: all).
    public func list(namespace: String?) -> [T] {
        source.withLock { $0 }?.list(namespace) ?? []
    }

    /// The object of a work-queue key `namespace/name`.
    public func get(key: String) -> T? {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return get(namespace: parts[0], name: parts[1])
    }
}
