public import Schema

/// The state of one owner as a dependent sees it.
public enum OwnerState: Sendable, Hashable {
    /// The owner exists and is not deleting its dependents.
    case solid
    /// The owner (that uid) no longer exists.
    case dangling
    /// The owner is being deleted in the foreground and waits for its dependents.
    case waitingForDependentsDeletion
}

/// What the garbage collector does about one object.
public enum GarbageCollectorAction: Sendable, Hashable {
    /// Remove the references to these owner uids from the object.
    case removeOwnerReferences([String])
    /// Set `blockOwnerDeletion: false` on the references to these owner uids (breaks foreground cycles).
    case unblockOwnerReferences([String])
    /// Delete the object with this propagation policy (`Background`, `Foreground` or `Orphan`).
    case delete(propagationPolicy: String)
    /// Remove this finalizer from the object (its dependents are handled).
    case removeFinalizer(String)
    /// Look at these dependents (uids) again.
    case enqueue([String])
}

/// The garbage collector's decisions as pure functions of the graph (kube's `attemptToDeleteItem`,
/// `processDeletingDependentsItem` and `orphanDependents`).
public enum GarbageCollectorDecisions {
    /// What to do with `item`, a dependent whose owners are in `owners` states; `dependents` are its own.
    public static func attemptToDelete(
        _ item: GraphNode, owners: [(reference: OwnerReference, state: OwnerState)], dependents: [GraphNode]
    ) -> [GarbageCollectorAction] {
        // Being deleted without waiting on its dependents: the api or a kubelet finishes it.
        if item.deleting && !item.isDeletingDependents { return [] }
        if owners.isEmpty { return [] }
        let solid = owners.filter { $0.state == .solid }
        let dangling = owners.filter { $0.state == .dangling }.map(\.reference.uid)
        let waiting = owners.filter { $0.state == .waitingForDependentsDeletion }.map(\.reference.uid)
        if !solid.isEmpty {
            // A live owner keeps it; it only loses the references to the owners that are gone or going.
            let gone = dangling + waiting
            return gone.isEmpty ? [] : [.removeOwnerReferences(gone)]
        }
        if !waiting.isEmpty && !dependents.isEmpty {
            var actions: [GarbageCollectorAction] = []
            if dependents.contains(where: \.isDeletingDependents) {
                // A dependent waits for us while our owner waits for us: unblock our owners, or nobody moves.
                actions.append(.unblockOwnerReferences(waiting))
            }
            if !item.isDeletingDependents { actions.append(.delete(propagationPolicy: "Foreground")) }
            return actions
        }
        if item.isDeletingDependents { return [] }
        // Every owner is gone or going: delete it the way its own finalizers ask, background by default.
        let policy =
            item.finalizers.contains(GarbageCollector.orphanFinalizer)
            ? "Orphan" : item.finalizers.contains(GarbageCollector.foregroundFinalizer) ? "Foreground" : "Background"
        return [.delete(propagationPolicy: policy)]
    }

    /// What to do with an owner being deleted in the foreground: wait for its blocking dependents (asking
    /// them to go), or remove the finalizer once none is left.
    public static func processDeletingDependents(_ owner: GraphNode, dependents: [GraphNode])
        -> [GarbageCollectorAction]
    {
        let blocking = dependents.filter { dependent in
            dependent.owners.contains { $0.uid == owner.uid && $0.blockOwnerDeletion == true }
        }
        if blocking.isEmpty { return [.removeFinalizer(GarbageCollector.foregroundFinalizer)] }
        let notYetDeleting = blocking.filter { !$0.deleting || $0.isDeletingDependents }.map(\.uid)
        return notYetDeleting.isEmpty ? [] : [.enqueue(notYetDeleting.sorted())]
    }

    /// An owner deleted with the `orphan` finalizer: its dependents lose the reference, then it loses the finalizer.
    public static func orphanDependents(_ owner: GraphNode, dependents: [GraphNode]) -> [(
        dependent: String?, action: GarbageCollectorAction
    )] {
        dependents.map { (dependent: $0.uid, action: .removeOwnerReferences([owner.uid])) }
            + [(dependent: nil, action: .removeFinalizer(GarbageCollector.orphanFinalizer))]
    }
}
