import Foundation
import Schema
import Testing

@testable import Kubelet

@Suite struct PodStatusBuilderTests {
    let now = Date(timeIntervalSince1970: 3_000)

    func build(
        _ pod: Pod, _ containers: [RuntimeContainerStatus], waiting: [String: ContainerStateWaiting] = [:],
        readiness: [String: Bool] = [:]
    ) -> PodStatus {
        PodStatusBuilder.build(
            .init(
                pod: pod, containers: containers, waiting: waiting, readiness: readiness, podIP: "10.244.1.5",
                hostIP: "10.244.1.1", now: now))
    }

    func condition(_ status: PodStatus, _ type: String) -> String? {
        status.conditions?.first { $0.type == type }?.status
    }

    @Test func newPodIsPendingWithContainerCreating() {
        let s = build(Fixtures.pod(), [])
        #expect(s.phase == "Pending")
        #expect(s.containerStatuses?.first?.state?.waiting?.reason == "ContainerCreating")
        #expect(s.podIP == "10.244.1.5")
        #expect(s.podIPs == [PodIP(ip: "10.244.1.5")])
        #expect(s.hostIP == "10.244.1.1")
        #expect(s.startTime != nil)
        #expect(s.qosClass == "BestEffort")
        #expect(condition(s, "Ready") == "False")
        #expect(condition(s, "PodScheduled") == "True")
    }

    @Test func runningContainerMakesThePodReady() {
        let s = build(Fixtures.pod(), [Fixtures.running("app")])
        #expect(s.phase == "Running")
        let c = s.containerStatuses?.first
        #expect(c?.ready == true)
        #expect(c?.started == true)
        #expect(c?.containerID == "process://app-0")
        #expect(c?.state?.running?.startedAt == Time(Date(timeIntervalSince1970: 1000)))
        #expect(condition(s, "Ready") == "True")
        #expect(condition(s, "ContainersReady") == "True")
        #expect(condition(s, "Initialized") == "True")
    }

    @Test func failingReadinessClearsReady() {
        var pod = Fixtures.pod()
        pod.spec.containers[0].readinessProbe = Probe(exec: ExecAction(command: ["false"]))
        let s = build(pod, [Fixtures.running("app")], readiness: ["app-0": false])
        #expect(s.containerStatuses?.first?.ready == false)
        #expect(condition(s, "Ready") == "False")
        #expect(s.conditions?.first { $0.type == "Ready" }?.message == "containers with unready status: [app]")
    }

    @Test func completedPodSucceeds() {
        let s = build(Fixtures.pod(restartPolicy: "Never"), [Fixtures.exited("app", code: 0)])
        #expect(s.phase == "Succeeded")
        #expect(s.containerStatuses?.first?.state?.terminated?.reason == "Completed")
        #expect(condition(s, "Ready") == "False")
        #expect(s.conditions?.first { $0.type == "Ready" }?.reason == "PodCompleted")
    }

    @Test func failedContainerWithNeverFailsThePod() {
        let s = build(Fixtures.pod(restartPolicy: "Never"), [Fixtures.exited("app", code: 3)])
        #expect(s.phase == "Failed")
        #expect(s.containerStatuses?.first?.state?.terminated?.exitCode == 3)
        #expect(s.containerStatuses?.first?.state?.terminated?.reason == "Error")
    }

    @Test func crashLoopShowsWaitingAndLastState() {
        let waiting = ContainerStateWaiting(reason: "CrashLoopBackOff", message: "back-off 10s")
        let s = build(
            Fixtures.pod(), [Fixtures.exited("app", code: 0), Fixtures.exited("app", attempt: 1, code: 1)],
            waiting: ["app": waiting])
        let c = s.containerStatuses?.first
        #expect(c?.state?.waiting?.reason == "CrashLoopBackOff")
        #expect(c?.lastState?.terminated?.exitCode == 1)
        #expect(c?.restartCount == 1)
        #expect(s.phase == "Running")
    }

    @Test func restartedContainerReportsThePreviousRun() {
        let s = build(Fixtures.pod(), [Fixtures.exited("app", code: 137), Fixtures.running("app", attempt: 1)])
        #expect(s.containerStatuses?.first?.lastState?.terminated?.exitCode == 137)
        #expect(s.containerStatuses?.first?.restartCount == 1)
    }

    @Test func initContainersGateTheApp() {
        let pod = Fixtures.pod(initContainers: [Container(name: "init", image: "busybox")])
        let s = build(pod, [Fixtures.running("init")])
        #expect(s.phase == "Pending")
        #expect(s.containerStatuses?.first?.state?.waiting?.reason == "PodInitializing")
        #expect(condition(s, "Initialized") == "False")
        #expect(
            s.conditions?.first { $0.type == "Initialized" }?.message == "containers with incomplete status: [init]")
        let failed = build(
            Fixtures.pod(initContainers: [Container(name: "init")], restartPolicy: "Never"),
            [Fixtures.exited("init", code: 1)])
        #expect(failed.phase == "Failed")
    }

    @Test func readinessGatesHoldReady() {
        var pod = Fixtures.pod()
        pod.spec.readinessGates = [PodReadinessGate(conditionType: "example.com/lb")]
        let s = build(pod, [Fixtures.running("app")])
        #expect(condition(s, "ContainersReady") == "True")
        #expect(condition(s, "Ready") == "False")
        #expect(s.conditions?.first { $0.type == "Ready" }?.reason == "ReadinessGatesNotReady")
    }

    @Test func deadlineFailsThePod() {
        let s = PodStatusBuilder.build(.init(pod: Fixtures.pod(), containers: [], deadlineExceeded: true, now: now))
        #expect(s.phase == "Failed")
        #expect(s.reason == "DeadlineExceeded")
    }

    @Test func transitionTimeIsKeptWhileTheStatusHolds() {
        var pod = Fixtures.pod()
        pod.status = build(pod, [Fixtures.running("app")])
        let first = pod.status.conditions?.first { $0.type == "Ready" }?.lastTransitionTime
        let later = PodStatusBuilder.build(
            .init(
                pod: pod, containers: [Fixtures.running("app")], podIP: "10.244.1.5", now: now.addingTimeInterval(60)))
        #expect(later.conditions?.first { $0.type == "Ready" }?.lastTransitionTime == first)
    }
}
