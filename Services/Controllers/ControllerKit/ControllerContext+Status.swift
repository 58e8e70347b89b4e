import Client
public import Schema

extension ControllerContext {
    /// Writes the status `apply` gives `object`, unless it already has it; on Conflict reads the object once and
    /// applies again (kube's `statusUpdateRetries`). Returns what was stored, or `object` when nothing changed or it
    /// is gone.
    @discardableResult
    public func writeStatus<T: KubeObject>(_ object: T, _ apply: (inout T) -> Void) async throws -> T {
        var updated = object
        apply(&updated)
        if updated == object { return object }
        for attempt in 0...1 {
            do {
                return try await client.updateStatus(updated)
            } catch {
                if error.isNotFound { return updated }
                // A Conflict: the informer has not brought the latest version yet.
                guard error.isConflict, attempt == 0 else { throw error }
                updated = try await client.get(
                    T.self, namespace: object.metadata.namespace, name: object.metadata.name ?? "")
                apply(&updated)
            }
        }
        return updated
    }
}
