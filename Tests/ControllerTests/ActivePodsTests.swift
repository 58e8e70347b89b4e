import ControllerKit
import Foundation
import Schema
import Testing

/// Scale-down picks the least valuable pods first, in `controller.ActivePods` order.
struct ActivePodsTests {
    let base = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func unassignedBeforeAssigned() {
        let unassigned = makePod("a")
        let assigned = makePod("b", node: "n1")
        #expect(ActivePods.isLessValuable(unassigned, than: assigned))
        #expect(!ActivePods.isLessValuable(assigned, than: unassigned))
    }

    @Test func pendingBeforeUnknownBeforeRunning() {
        let pending = makePod("a", node: "n1", phase: "Pending")
        let unknown = makePod("b", node: "n1", phase: "Unknown")
        let running = makePod("c", node: "n1", phase: "Running")
        #expect(ActivePods.isLessValuable(pending, than: unknown))
        #expect(ActivePods.isLessValuable(unknown, than: running))
        #expect(!ActivePods.isLessValuable(running, than: pending))
    }

    @Test func notReadyBeforeReady() {
        let notReady = makePod("a", node: "n1", phase: "Running", ready: false)
        let ready = makePod("b", node: "n1", phase: "Running", ready: true, readySince: base)
        #expect(ActivePods.isLessValuable(notReady, than: ready))
    }

    @Test func readyForLessTimeFirst() {
        let recent = makePod("a", node: "n1", phase: "Running", ready: true, readySince: base.addingTimeInterval(60))
        let old = makePod("b", node: "n1", phase: "Running", ready: true, readySince: base)
        #expect(ActivePods.isLessValuable(recent, than: old))
        #expect(!ActivePods.isLessValuable(old, than: recent))
    }

    @Test func moreRestartsFirst() {
        let flaky = makePod("a", node: "n1", phase: "Running", ready: true, readySince: base, restarts: 5)
        let steady = makePod("b", node: "n1", phase: "Running", ready: true, readySince: base, restarts: 0)
        #expect(ActivePods.isLessValuable(flaky, than: steady))
    }

    @Test func newerFirst() {
        let newer = makePod("a", created: base.addingTimeInterval(10))
        let older = makePod("b", created: base)
        #expect(ActivePods.isLessValuable(newer, than: older))
        #expect(!ActivePods.isLessValuable(older, than: newer))
    }

    @Test func lowerDeletionCostFirst() {
        let cheap = makePod("a", node: "n1", phase: "Running", deletionCost: -10)
        let dear = makePod("b", node: "n1", phase: "Running", deletionCost: 100)
        #expect(ActivePods.isLessValuable(cheap, than: dear))
    }

    @Test func phaseOutranksReadinessAndAge() {
        // A ready, old Running pod is kept over a newer Pending one, whatever else differs.
        let pending = makePod("a", node: "n1", phase: "Pending", created: base)
        let running = makePod(
            "b", node: "n1", phase: "Running", ready: true, readySince: base, created: base.addingTimeInterval(100))
        #expect(ActivePods.isLessValuable(pending, than: running))
    }

    @Test func toDeletePicksTheLeastValuable() {
        let pods = [
            makePod("running-ready", node: "n1", phase: "Running", ready: true, readySince: base),
            makePod("unassigned"),
            makePod("running-notready", node: "n2", phase: "Running"),
            makePod("pending-assigned", node: "n3", phase: "Pending"),
        ]
        let victims = ActivePods.toDelete(pods, count: 2).map { $0.metadata.name ?? "" }
        #expect(victims == ["unassigned", "pending-assigned"])
        #expect(ActivePods.toDelete(pods, count: 9).count == 4)
    }

    @Test func podsDoubledUpOnANodeGoFirst() {
        let pods = [
            makePod("alone", node: "n1", phase: "Running", ready: true, readySince: base),
            makePod("crowded-1", node: "n2", phase: "Running", ready: true, readySince: base),
            makePod("crowded-2", node: "n2", phase: "Running", ready: true, readySince: base),
        ]
        let victims = ActivePods.toDelete(pods, count: 1).map { $0.metadata.name ?? "" }
        #expect(victims.first?.hasPrefix("crowded") == true)
    }

    @Test func activeExcludesFinishedAndDeletingPods() {
        #expect(makePod("a", phase: "Running").isActive)
        #expect(!makePod("b", phase: "Succeeded").isActive)
        #expect(!makePod("c", phase: "Failed").isActive)
        var deleting = makePod("d", phase: "Running")
        deleting.metadata.deletionTimestamp = .now()
        #expect(!deleting.isActive)
    }

    @Test func availabilityWaitsForMinReadySeconds() {
        let pod = makePod("a", node: "n1", phase: "Running", ready: true, readySince: base)
        #expect(pod.isAvailable(minReadySeconds: 0, now: base))
        #expect(!pod.isAvailable(minReadySeconds: 10, now: base.addingTimeInterval(5)))
        #expect(pod.isAvailable(minReadySeconds: 10, now: base.addingTimeInterval(11)))
        #expect(!makePod("b").isAvailable(minReadySeconds: 0))
    }
}
