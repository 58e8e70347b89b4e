public import Foundation
public import Schema

/// What a simulated kubelet does next with a pod bound to one of its nodes.
public enum SimPodAction: Sendable, Equatable {
    /// Nothing: the pod is finished, or already in the state it should be in.
    case none
    /// Look again after this long.
    case wait(Duration)
    /// The pod is being deleted: remove it at once (`gracePeriodSeconds: 0`).
    case delete
    /// Write this status.
    case setStatus(PodStatus)
}

/// The life of a pod on a simulated node, as a pure function of the pod, its addresses and the time.
///
/// Bound → (after `startupDelay`) Running and Ready → with `kubus.io/sim-exit-after: <seconds>` and
/// `restartPolicy` Never or OnFailure, Succeeded (or Failed when `kubus.io/sim-exit-code` is not 0);
/// a deletion timestamp means delete now.
public struct SimPodLifecycle: Sendable {
    /// Seconds after the pod started Running until its containers exit.
    public static let exitAfterAnnotation = "kubus.io/sim-exit-after"
    /// The exit code of every container when they exit (default 0).
    public static let exitCodeAnnotation = "kubus.io/sim-exit-code"

    public var startupDelay: Duration

    /// Creates the lifecycle with the delay before a bound pod runs.
    public init(startupDelay: Duration = .zero) {
        self.startupDelay = startupDelay
    }

    /// The next action for `pod`, first seen bound at `firstSeen`; `runningSince` is when this process reported it
    /// Running (`status.startTime` has whole seconds only).
    public func decide(
        pod: Pod, firstSeen: Date, now: Date, podIP: String, hostIP: String, runningSince: Date? = nil
    ) -> SimPodAction {
        if pod.metadata.deletionTimestamp != nil { return .delete }
        let phase = pod.status.phase ?? "Pending"
        if phase == "Succeeded" || phase == "Failed" { return .none }
        if phase != "Running" {
            let readyAt = firstSeen.addingTimeInterval(Self.seconds(startupDelay))
            if now < readyAt { return .wait(Self.duration(readyAt.timeIntervalSince(now))) }
            return .setStatus(running(pod, podIP: podIP, hostIP: hostIP, now: now))
        }
        guard let exitAfter = Self.exitAfter(pod) else { return .none }
        let started = max(pod.status.startTime?.date ?? now, runningSince ?? .distantPast)
        let exitAt = started.addingTimeInterval(exitAfter)
        if now < exitAt { return .wait(Self.duration(exitAt.timeIntervalSince(now))) }
        return .setStatus(finished(pod, exitCode: Self.exitCode(pod), now: now))
    }

    /// Seconds until exit, when the pod asks to exit and its restart policy lets it finish.
    static func exitAfter(_ pod: Pod) -> Double? {
        guard let text = pod.metadata.annotations?[exitAfterAnnotation], let seconds = Double(text), seconds >= 0
        else { return nil }
        let policy = pod.spec.restartPolicy ?? "Always"
        guard policy == "Never" || policy == "OnFailure" else { return nil }
        return seconds
    }

    static func exitCode(_ pod: Pod) -> Int {
        pod.metadata.annotations?[exitCodeAnnotation].flatMap { Int($0) } ?? 0
    }

    /// The status of a running, ready pod.
    public func running(_ pod: Pod, podIP: String, hostIP: String, now: Date) -> PodStatus {
        let time = Time(now)
        var status = pod.status
        status.phase = "Running"
        status.reason = nil
        status.message = nil
        status.hostIP = hostIP
        status.hostIPs = [HostIP(ip: hostIP)]
        status.podIP = podIP
        status.podIPs = [PodIP(ip: podIP)]
        if status.startTime == nil { status.startTime = time }
        for type in ["PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "PodScheduled"] {
            Self.set(&status, PodCondition(type: type, status: "True", lastTransitionTime: time))
        }
        let uid = pod.metadata.uid ?? pod.metadata.name ?? ""
        status.initContainerStatuses = pod.spec.initContainers.map { containers in
            containers.map { c in
                ContainerStatus(
                    name: c.name,
                    state: ContainerState(
                        terminated: ContainerStateTerminated(
                            exitCode: 0, reason: "Completed", startedAt: time, finishedAt: time,
                            containerID: Self.containerID(uid, c.name))),
                    ready: true, restartCount: 0, image: c.image ?? "", imageID: Self.imageID(c.image),
                    containerID: Self.containerID(uid, c.name), started: false)
            }
        }
        status.containerStatuses = pod.spec.containers.map { c in
            ContainerStatus(
                name: c.name, state: ContainerState(running: ContainerStateRunning(startedAt: time)), ready: true,
                restartCount: 0, image: c.image ?? "", imageID: Self.imageID(c.image),
                containerID: Self.containerID(uid, c.name), started: true)
        }
        return status
    }

    /// The status of a pod whose containers all exited with `exitCode`.
    public func finished(_ pod: Pod, exitCode: Int, now: Date) -> PodStatus {
        let time = Time(now)
        var status = pod.status
        status.phase = exitCode == 0 ? "Succeeded" : "Failed"
        let reason = exitCode == 0 ? "Completed" : "Error"
        for type in ["ContainersReady", "Ready"] {
            Self.set(
                &status, PodCondition(type: type, status: "False", lastTransitionTime: time, reason: "PodCompleted"))
        }
        Self.set(&status, PodCondition(type: "PodReadyToStartContainers", status: "False", lastTransitionTime: time))
        let uid = pod.metadata.uid ?? pod.metadata.name ?? ""
        status.containerStatuses = pod.spec.containers.map { c in
            let previous = pod.status.containerStatuses?.first { $0.name == c.name }
            return ContainerStatus(
                name: c.name,
                state: ContainerState(
                    terminated: ContainerStateTerminated(
                        exitCode: exitCode, reason: reason,
                        startedAt: previous?.state?.running?.startedAt ?? pod.status.startTime,
                        finishedAt: time, containerID: Self.containerID(uid, c.name))),
                ready: false, restartCount: 0, image: c.image ?? "", imageID: Self.imageID(c.image),
                containerID: Self.containerID(uid, c.name), started: false)
        }
        return status
    }

    /// Sets a condition, keeping its transition time when its status did not change.
    static func set(_ status: inout PodStatus, _ condition: PodCondition) {
        var conditions = status.conditions ?? []
        if let i = conditions.firstIndex(where: { $0.type == condition.type }) {
            if conditions[i].status == condition.status {
                conditions[i].reason = condition.reason
                conditions[i].message = condition.message
            } else {
                conditions[i] = condition
            }
        } else {
            conditions.append(condition)
        }
        status.conditions = conditions
    }

    static func containerID(_ podUID: String, _ container: String) -> String { "sim://\(podUID)/\(container)" }

    static func imageID(_ image: String?) -> String { "sim://\(image ?? "")" }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func duration(_ seconds: TimeInterval) -> Duration {
        .milliseconds(max(1, Int64((seconds * 1000).rounded(.up))))
    }
}
