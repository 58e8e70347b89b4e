public import Schema
public import Synchronization

extension Mutex where Value == ControllerExpectations {
    /// Runs `count` creations in slow-start batches, expecting them under `key` first; the ones that did not happen
    /// are marked observed at once, since the informer will never see them. Returns how many succeeded; throws the
    /// first error.
    @discardableResult
    public borrowing func create(
        _ count: Int, key: String, _ body: @escaping @Sendable () async throws -> Void
    ) async throws -> Int {
        withLock { $0.expectCreations(key, count: count) }
        let result = await slowStartBatch(count: count, body)
        let skipped = count - result.successes
        if skipped > 0 { withLock { e in for _ in 0..<skipped { e.creationObserved(key) } } }
        if let error = result.error { throw error }
        return result.successes
    }

    /// Deletes `pods` of `owner` at once through `podControl`, expecting the deletions under `key` first; failed
    /// deletions are marked observed at once. Throws the first error.
    public borrowing func delete<Owner: KubeObject>(
        _ pods: [Pod], of owner: Owner, key: String, through podControl: PodControl
    ) async throws {
        guard !pods.isEmpty else { return }
        withLock { $0.expectDeletions(key, podKeys: pods.map { ObjectKey.of($0) }) }
        let failed = await podControl.deletePods(pods, owner: owner)
        guard let first = failed.first else { return }
        withLock { e in for (pod, _) in failed { e.deletionObserved(key, podKey: ObjectKey.of(pod)) } }
        throw first.error
    }
}

extension Mutex where Value == ControllerExpectations {
    /// Lowers what a dependent's event satisfies: its creation or deletion under its controller's key.
    public borrowing func observe<Owner, Dependent>(_ route: DependentRouter<Owner, Dependent>.Route) {
        switch route.change {
        case .created: withLock { $0.creationObserved(route.key) }
        case .deleted: withLock { $0.deletionObserved(route.key, podKey: route.dependentKey) }
        case .updated: break
        }
    }
}
