import Foundation
import Schema
import Testing

@testable import Kubelet

@Suite struct SimPodLifecycleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func pod(
        restartPolicy: String = "Always", annotations: [String: String]? = nil, initContainers: Int = 0
    ) -> Pod {
        var pod = Pod()
        pod.metadata = ObjectMeta(name: "web", namespace: "default", uid: "u1", annotations: annotations)
        pod.spec.nodeName = "sim-0"
        pod.spec.restartPolicy = restartPolicy
        pod.spec.containers = [Container(name: "a", image: "nginx"), Container(name: "b", image: "redis")]
        if initContainers > 0 {
            pod.spec.initContainers = (0..<initContainers).map { Container(name: "init-\($0)", image: "busybox") }
        }
        pod.status.phase = "Pending"
        pod.status.conditions = [
            PodCondition(
                type: "PodScheduled", status: "True", lastTransitionTime: Time(rawValue: "2020-01-01T00:00:00Z"))
        ]
        return pod
    }

    func decide(_ pod: Pod, delay: Duration = .zero, after seconds: Double) -> SimPodAction {
        SimPodLifecycle(startupDelay: delay).decide(
            pod: pod, firstSeen: t0, now: t0.addingTimeInterval(seconds), podIP: "100.64.0.1", hostIP: "198.18.0.1")
    }

    func status(_ action: SimPodAction) -> PodStatus? {
        if case .setStatus(let s) = action { return s }
        return nil
    }

    @Test func waitsForTheStartupDelay() {
        #expect(decide(pod(), delay: .milliseconds(500), after: 0.2) == .wait(.milliseconds(300)))
    }

    @Test func runsWithAddressesConditionsAndContainerStatuses() throws {
        let s = try #require(status(decide(pod(initContainers: 1), delay: .milliseconds(500), after: 0.5)))
        #expect(s.phase == "Running")
        #expect(s.podIP == "100.64.0.1" && s.podIPs == [PodIP(ip: "100.64.0.1")])
        #expect(s.hostIP == "198.18.0.1")
        #expect(s.startTime == Time(t0.addingTimeInterval(0.5)))
        for type in ["Initialized", "ContainersReady", "Ready", "PodScheduled"] {
            #expect(s.conditions?.first { $0.type == type }?.status == "True", "\(type)")
        }
        // PodScheduled was already True: its transition time stays.
        #expect(
            s.conditions?.first { $0.type == "PodScheduled" }?.lastTransitionTime?.rawValue == "2020-01-01T00:00:00Z")
        let containers = try #require(s.containerStatuses)
        #expect(containers.map(\.name) == ["a", "b"])
        #expect(containers.allSatisfy { $0.ready && $0.restartCount == 0 && $0.state?.running != nil })
        #expect(containers[0].containerID == "sim://u1/a")
        #expect(containers[1].imageID == "sim://redis")
        #expect(s.initContainerStatuses?.first?.state?.terminated?.reason == "Completed")
    }

    @Test func aRunningPodWithoutExitStaysRunning() throws {
        var p = pod(restartPolicy: "Never")
        p.status = try #require(status(decide(p, after: 0)))
        #expect(decide(p, after: 3600) == SimPodAction.none)
    }

    @Test func exitAfterIsIgnoredForRestartPolicyAlways() throws {
        var p = pod(annotations: [SimPodLifecycle.exitAfterAnnotation: "1"])
        p.status = try #require(status(decide(p, after: 0)))
        #expect(decide(p, after: 10) == SimPodAction.none)
    }

    @Test func exitsAfterTheAnnotatedSeconds() throws {
        var p = pod(restartPolicy: "Never", annotations: [SimPodLifecycle.exitAfterAnnotation: "2"])
        p.status = try #require(status(decide(p, after: 0)))
        #expect(decide(p, after: 1.5) == .wait(.milliseconds(500)))
        let done = try #require(status(decide(p, after: 2)))
        #expect(done.phase == "Succeeded")
        #expect(done.containerStatuses?.allSatisfy { $0.state?.terminated?.exitCode == 0 && !$0.ready } == true)
        #expect(done.containerStatuses?.first?.state?.terminated?.reason == "Completed")
        #expect(done.conditions?.first { $0.type == "Ready" }?.status == "False")
        #expect(done.conditions?.first { $0.type == "Ready" }?.reason == "PodCompleted")
        p.status = done
        #expect(decide(p, after: 100) == SimPodAction.none)
    }

    @Test func aNonZeroExitCodeFailsThePod() throws {
        var p = pod(
            restartPolicy: "OnFailure",
            annotations: [SimPodLifecycle.exitAfterAnnotation: "0", SimPodLifecycle.exitCodeAnnotation: "3"])
        p.status = try #require(status(decide(p, after: 0)))
        let done = try #require(status(decide(p, after: 0)))
        #expect(done.phase == "Failed")
        #expect(done.containerStatuses?.first?.state?.terminated?.exitCode == 3)
        #expect(done.containerStatuses?.first?.state?.terminated?.reason == "Error")
    }

    @Test func aPodBeingDeletedIsDeleted() {
        var p = pod()
        p.metadata.deletionTimestamp = .now()
        #expect(decide(p, delay: .seconds(5), after: 0) == .delete)
        p.status.phase = "Succeeded"
        #expect(decide(p, after: 0) == .delete)
    }
}

@Suite struct SimPodLifecycleTimingTests {
    @Test func exitCountsFromWhenThisProcessReportedRunning() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000.7)
        var pod = Pod()
        pod.metadata = ObjectMeta(name: "j", annotations: [SimPodLifecycle.exitAfterAnnotation: "1"])
        pod.spec.restartPolicy = "Never"
        pod.spec.containers = [Container(name: "a", image: "busybox")]
        pod.status.phase = "Running"
        // startTime has whole seconds: 1_800_000_000, 0.7 s before the pod really started.
        pod.status.startTime = Time(t0)
        let lifecycle = SimPodLifecycle()
        let early = lifecycle.decide(
            pod: pod, firstSeen: t0, now: t0.addingTimeInterval(0.5), podIP: "i", hostIP: "h", runningSince: t0)
        #expect(early == .wait(.milliseconds(500)))
    }
}
