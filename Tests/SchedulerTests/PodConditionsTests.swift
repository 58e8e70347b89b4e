import Schema
import Testing

@testable import Scheduler

@Suite struct PodConditionsTests {
    @Test func pendingForThisScheduler() {
        var pod = makePod("p")
        #expect(pod.isPending(for: "default-scheduler"))
        #expect(!pod.isPending(for: "other"))
        pod.spec.schedulerName = "other"
        #expect(pod.isPending(for: "other"))
        pod.spec.nodeName = "n1"
        #expect(!pod.isPending(for: "other"))
        var deleting = makePod("q")
        deleting.metadata.deletionTimestamp = .now()
        #expect(!deleting.isPending(for: "default-scheduler"))
    }

    @Test func setConditionReportsChanges() {
        var pod = makePod("p")
        let failed = PodCondition(
            type: "PodScheduled", status: "False", reason: "Unschedulable",
            message: "0/1 nodes are available: 1 Insufficient cpu.")
        let first = pod.setCondition(failed)
        let again = pod.setCondition(failed)
        let scheduled = pod.setCondition(PodCondition(type: "PodScheduled", status: "True"))
        #expect(first && !again && scheduled)
        #expect(pod.status.conditions?.count == 1)
        #expect(pod.status.conditions?.first?.status == "True")
    }
}
