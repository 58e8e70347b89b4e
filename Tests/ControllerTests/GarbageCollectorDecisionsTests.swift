import Controllers
import Schema
import Testing

/// The garbage collector's decisions: background, foreground and orphan cascades.
struct GarbageCollectorDecisionsTests {
    func node(
        _ name: String, kind: KindInfo = .pod, owners: [OwnerReference] = [], deleting: Bool = false,
        finalizers: [String] = []
    ) -> GraphNode {
        var meta = ObjectMeta(
            name: name, namespace: "default", uid: "uid-\(name)", ownerReferences: owners, finalizers: finalizers)
        if deleting { meta.deletionTimestamp = .now() }
        return GraphNode(kind: kind, metadata: meta)
    }

    func ref(_ owner: String, block: Bool = true) -> OwnerReference {
        OwnerReference(
            apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: "uid-\(owner)", controller: true,
            blockOwnerDeletion: block)
    }

    @Test func aDependentOfALiveOwnerIsKept() {
        let pod = node("p", owners: [ref("rs")])
        #expect(GarbageCollectorDecisions.attemptToDelete(pod, owners: [(ref("rs"), .solid)], dependents: []).isEmpty)
    }

    @Test func aDependentWhoseOwnersAreAllGoneIsDeletedInTheBackground() {
        let pod = node("p", owners: [ref("rs")])
        #expect(
            GarbageCollectorDecisions.attemptToDelete(pod, owners: [(ref("rs"), .dangling)], dependents: [])
                == [.delete(propagationPolicy: "Background")])
    }

    @Test func aDependentWithAnotherLiveOwnerOnlyLosesTheDeadReference() {
        let pod = node("p", owners: [ref("a"), ref("b")])
        let actions = GarbageCollectorDecisions.attemptToDelete(
            pod, owners: [(ref("a"), .dangling), (ref("b"), .solid)], dependents: [])
        #expect(actions == [.removeOwnerReferences(["uid-a"])])
    }

    @Test func aDependentOfAForegroundOwnerIsDeleted() {
        let pod = node("p", owners: [ref("rs")])
        #expect(
            GarbageCollectorDecisions.attemptToDelete(
                pod, owners: [(ref("rs"), .waitingForDependentsDeletion)], dependents: [])
                == [.delete(propagationPolicy: "Background")])
    }

    @Test func aForegroundChainDeletesMiddleObjectsInTheForeground() {
        // Deployment (foreground) → ReplicaSet → Pod: the ReplicaSet must wait for its pods too.
        let rs = node("rs", kind: .replicaSet, owners: [ref("deploy")])
        let pod = node("p", owners: [ref("rs")])
        #expect(
            GarbageCollectorDecisions.attemptToDelete(
                rs, owners: [(ref("deploy"), .waitingForDependentsDeletion)], dependents: [pod])
                == [.delete(propagationPolicy: "Foreground")])
    }

    @Test func aDependentBeingDeletedIsLeftToFinish() {
        let pod = node("p", owners: [ref("rs")], deleting: true)
        #expect(
            GarbageCollectorDecisions.attemptToDelete(pod, owners: [(ref("rs"), .dangling)], dependents: []).isEmpty)
    }

    @Test func aDependentsOwnFinalizersPickThePolicy() {
        let rs = node("rs", kind: .replicaSet, owners: [ref("deploy")], finalizers: ["orphan"])
        #expect(
            GarbageCollectorDecisions.attemptToDelete(rs, owners: [(ref("deploy"), .dangling)], dependents: [])
                == [.delete(propagationPolicy: "Orphan")])
    }

    @Test func aForegroundOwnerWaitsForBlockingDependents() {
        let owner = node("rs", kind: .replicaSet, deleting: true, finalizers: ["foregroundDeletion"])
        let blocking = node("p1", owners: [ref("rs", block: true)])
        let loose = node("p2", owners: [ref("rs", block: false)])
        #expect(
            GarbageCollectorDecisions.processDeletingDependents(owner, dependents: [blocking, loose])
                == [.enqueue(["uid-p1"])])
        // Only non-blocking dependents left: the owner may go; they follow in the background.
        #expect(
            GarbageCollectorDecisions.processDeletingDependents(owner, dependents: [loose])
                == [.removeFinalizer("foregroundDeletion")])
        #expect(
            GarbageCollectorDecisions.processDeletingDependents(owner, dependents: [])
                == [.removeFinalizer("foregroundDeletion")])
    }

    @Test func aBlockingDependentAlreadyGoingIsNotAskedAgain() {
        let owner = node("rs", kind: .replicaSet, deleting: true, finalizers: ["foregroundDeletion"])
        let going = node("p1", owners: [ref("rs")], deleting: true)
        #expect(GarbageCollectorDecisions.processDeletingDependents(owner, dependents: [going]).isEmpty)
    }

    @Test func orphaningRemovesReferencesThenTheFinalizer() {
        let owner = node("rs", kind: .replicaSet, deleting: true, finalizers: ["orphan"])
        let pod = node("p", owners: [ref("rs")])
        let steps = GarbageCollectorDecisions.orphanDependents(owner, dependents: [pod])
        #expect(steps.count == 2)
        #expect(steps[0].dependent == "uid-p")
        #expect(steps[0].action == .removeOwnerReferences(["uid-rs"]))
        #expect(steps[1].dependent == nil)
        #expect(steps[1].action == .removeFinalizer("orphan"))
    }

    @Test func graphTracksDependents() {
        var graph = DependencyGraph()
        graph.upsert(node("rs", kind: .replicaSet))
        graph.upsert(node("p1", owners: [ref("rs")]))
        graph.upsert(node("p2", owners: [ref("rs")]))
        #expect(Set(graph.dependents(of: "uid-rs").map(\.name)) == ["p1", "p2"])
        // Losing the reference unlinks it.
        graph.upsert(node("p2"))
        #expect(graph.dependents(of: "uid-rs").map(\.name) == ["p1"])
        graph.remove("uid-p1")
        #expect(graph.dependents(of: "uid-rs").isEmpty)
        // Dependents of an owner never seen are still known (it may be gone already).
        graph.upsert(node("p3", owners: [ref("ghost")]))
        #expect(graph.dependents(of: "uid-ghost").map(\.name) == ["p3"])
    }
}
