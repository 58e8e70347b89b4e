import Schema
import Synchronization

/// Where the kubelet reads a pod by namespace and name: the pod informer's cache, set once it exists.
///
/// The function is kept inside a struct on purpose. A function value stored directly in generic storage
/// (`Mutex<((String, String) -> Pod?)?>`) is re-abstracted each time it is passed `inout` to `withLock`, and the
/// write-back stores a copy wrapped in two more reabstraction thunks: after a few thousand reads, calling it
/// recursed through thousands of thunks and overflowed the calling thread's stack (the kubelet's SIGSEGV under pod
/// churn, issue 9). A struct field keeps its own abstraction, so reading it wraps nothing.
public final class PodLookup: Sendable {
    private struct Finder: Sendable {
        let find: @Sendable (_ namespace: String, _ name: String) -> Pod?
    }

    private let finder = Mutex<Finder?>(nil)

    public init() {}

    /// Sets where pods are read from.
    public func set(_ find: @escaping @Sendable (_ namespace: String, _ name: String) -> Pod?) {
        finder.withLock { $0 = Finder(find: find) }
    }

    /// The pod, or nil when it is not known (or nothing was set yet).
    public func pod(namespace: String, name: String) -> Pod? {
        finder.withLock { $0 }?.find(namespace, name)
    }

    /// The pod of a work-queue key `namespace/name`.
    public func pod(forKey key: String) -> Pod? {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return pod(namespace: parts[0], name: parts[1])
    }
}
