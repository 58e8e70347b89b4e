import Foundation
import Schema
import Testing

@testable import Kubelet

@Suite struct PodLifecycleTests {
    let now = Date(timeIntervalSince1970: 2_000)

    @Test func startsEveryAppContainerOfANewPod() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod(containers: [Container(name: "a", image: "x"), Container(name: "b", image: "y")])
        let actions = lifecycle.plan(pod: pod, containers: [], now: now)
        #expect(
            actions == [
                .start(container: "a", isInit: false, attempt: 0), .start(container: "b", isInit: false, attempt: 0),
            ])
    }

    @Test func initContainersRunInOrderBeforeTheApp() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod(initContainers: [Container(name: "i1"), Container(name: "i2")])
        #expect(
            lifecycle.plan(pod: pod, containers: [], now: now) == [.start(container: "i1", isInit: true, attempt: 0)])
        #expect(lifecycle.plan(pod: pod, containers: [Fixtures.running("i1")], now: now).isEmpty)
        #expect(
            lifecycle.plan(pod: pod, containers: [Fixtures.exited("i1", code: 0)], now: now)
                == [.start(container: "i2", isInit: true, attempt: 0)])
        #expect(
            lifecycle.plan(
                pod: pod, containers: [Fixtures.exited("i1", code: 0), Fixtures.exited("i2", code: 0)], now: now)
                == [.start(container: "app", isInit: false, attempt: 0)])
    }

    @Test func aFailedInitContainerWithRestartNeverStopsThePod() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod(initContainers: [Container(name: "i1")], restartPolicy: "Never")
        #expect(lifecycle.plan(pod: pod, containers: [Fixtures.exited("i1", code: 1)], now: now).isEmpty)
    }

    @Test func aFailedInitContainerIsRestartedWithAlways() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod(initContainers: [Container(name: "i1")])
        let actions = lifecycle.plan(pod: pod, containers: [Fixtures.exited("i1", code: 1)], now: now)
        #expect(actions == [.start(container: "i1", isInit: true, attempt: 1)])
    }

    @Test func restartPolicies() {
        #expect(PodLifecycle.shouldRestart(policy: "Always", exitCode: 0))
        #expect(PodLifecycle.shouldRestart(policy: "OnFailure", exitCode: 2))
        #expect(!PodLifecycle.shouldRestart(policy: "OnFailure", exitCode: 0))
        #expect(!PodLifecycle.shouldRestart(policy: "Never", exitCode: 2))
    }

    @Test func crashingContainerBacksOffWithKubernetesMessage() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod()
        let t1 = now
        // First exit: restart at once.
        let first = lifecycle.plan(
            pod: pod, containers: [Fixtures.exited("app", code: 1, startedAt: t1, finishedAt: t1)], now: t1)
        #expect(first == [.start(container: "app", isInit: false, attempt: 1)])
        // Second exit right after: wait 10 s.
        let c1 = Fixtures.exited("app", attempt: 1, code: 1, startedAt: t1, finishedAt: t1.addingTimeInterval(1))
        let second = lifecycle.plan(pod: pod, containers: [c1], now: t1.addingTimeInterval(2))
        guard case .backOff(let name, let message, let retryAt)? = second.first else {
            Issue.record("expected a back-off, got \(second)")
            return
        }
        #expect(name == "app")
        #expect(message == "Back-off restarting failed container app in pod web_default(uid-web)")
        #expect(retryAt == t1.addingTimeInterval(11))
        #expect(lifecycle.waiting["app"]?.reason == "CrashLoopBackOff")
        #expect(
            lifecycle.waiting["app"]?.message == "back-off 10s restarting failed container=app pod=web_default(uid-web)"
        )
        // After the delay: restart, and the next delay is 20 s.
        let third = lifecycle.plan(pod: pod, containers: [c1], now: t1.addingTimeInterval(11))
        #expect(third == [.start(container: "app", isInit: false, attempt: 2)])
        let c2 = Fixtures.exited(
            "app", attempt: 2, code: 1, startedAt: t1.addingTimeInterval(11), finishedAt: t1.addingTimeInterval(12))
        _ = lifecycle.plan(pod: pod, containers: [c2], now: t1.addingTimeInterval(13))
        #expect(
            lifecycle.waiting["app"]?.message == "back-off 20s restarting failed container=app pod=web_default(uid-web)"
        )
    }

    @Test func succeededContainerIsNotRestartedOnFailurePolicy() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod(restartPolicy: "OnFailure")
        #expect(lifecycle.plan(pod: pod, containers: [Fixtures.exited("app", code: 0)], now: now).isEmpty)
    }

    @Test func unhealthyContainerIsKilled() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod()
        let actions = lifecycle.plan(
            pod: pod, containers: [Fixtures.running("app")],
            unhealthy: ["app-0": "Container app failed liveness probe, will be restarted"], now: now)
        #expect(
            actions == [
                .kill(id: "app-0", container: "app", message: "Container app failed liveness probe, will be restarted")
            ])
    }

    @Test func changedImageRestartsTheContainer() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod(containers: [Container(name: "app", image: "nginx:1.27")])
        let actions = lifecycle.plan(pod: pod, containers: [Fixtures.running("app")], now: now)
        #expect(
            actions == [
                .kill(id: "app-0", container: "app", message: "Container app definition changed, will be restarted")
            ])
    }

    @Test func runningContainersNeedNothing() {
        var lifecycle = PodLifecycle()
        #expect(
            lifecycle.plan(pod: Fixtures.pod(), containers: [Fixtures.running("app", attempt: 3)], now: now).isEmpty)
    }

    @Test func imagePullFailureBacksOff() {
        var lifecycle = PodLifecycle()
        let pod = Fixtures.pod()
        lifecycle.pullFailed(container: "app", message: "image \"nope\" is not in the catalog", now: now)
        #expect(lifecycle.waiting["app"]?.reason == "ErrImagePull")
        let actions = lifecycle.plan(pod: pod, containers: [], now: now.addingTimeInterval(1))
        #expect(actions == [.pullBackOff(container: "app", image: "busybox", retryAt: now.addingTimeInterval(10))])
        #expect(lifecycle.waiting["app"]?.reason == "ImagePullBackOff")
        #expect(lifecycle.waiting["app"]?.message == "Back-off pulling image \"busybox\"")
        #expect(
            lifecycle.plan(pod: pod, containers: [], now: now.addingTimeInterval(10)) == [
                .start(container: "app", isInit: false, attempt: 0)
            ])
        lifecycle.pulled(container: "app")
        lifecycle.started(container: "app")
        #expect(lifecycle.waiting["app"] == nil)
    }

    @Test func latestPicksTheHighestAttempt() {
        let latest = PodLifecycle.latest([
            Fixtures.exited("app", attempt: 0, code: 1), Fixtures.running("app", attempt: 1),
        ])
        #expect(latest["app"]?.attempt == 1)
    }
}
