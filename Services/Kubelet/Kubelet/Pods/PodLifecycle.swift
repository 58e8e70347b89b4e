public import Foundation
public import Schema

/// The lifecycle of one pod on this node as a pure state machine, after kubelet's `computePodActions`.
///
/// Given the pod, what the runtime reports about its containers (every attempt) and the probe verdicts, `plan`
/// returns what to do next: start an init container (in order, each must exit 0), start or restart app
/// containers per `restartPolicy` with exponential back-off, kill a container whose liveness or startup probe
/// failed. The driver reports what happened (`pullFailed`, `failed`, `started`); the waiting reasons it keeps
/// (`CrashLoopBackOff`, `ErrImagePull`, `ImagePullBackOff`, `CreateContainerConfigError`) feed the pod's status.
public struct PodLifecycle: Sendable {
    public enum Action: Sendable, Hashable {
        /// Pull the image and start attempt `attempt` of the container.
        case start(container: String, isInit: Bool, attempt: Int)
        /// Stop a container instance; `message` is the Killing event's.
        case kill(id: String, container: String, message: String)
        /// The container waits for its restart back-off (a `BackOff` event).
        case backOff(container: String, message: String, retryAt: Date)
        /// The container waits for its image pull back-off (a `BackOff` event).
        case pullBackOff(container: String, image: String, retryAt: Date)
    }

    public let initialBackOff: TimeInterval
    public let maximumBackOff: TimeInterval
    public private(set) var restarts: [String: ContainerRestart] = [:]
    public private(set) var pulls: [String: ContainerRestart] = [:]
    public private(set) var lastPullFailure: [String: Date] = [:]
    /// Why each container that is not running waits, by container name.
    public private(set) var waiting: [String: ContainerStateWaiting] = [:]

    public init(initialBackOff: TimeInterval = 10, maximumBackOff: TimeInterval = 300) {
        self.initialBackOff = initialBackOff
        self.maximumBackOff = maximumBackOff
    }

    /// The latest attempt of each container, by name.
    public static func latest(_ containers: [RuntimeContainerStatus]) -> [String: RuntimeContainerStatus] {
        var latest: [String: RuntimeContainerStatus] = [:]
        for c in containers where c.attempt >= (latest[c.name]?.attempt ?? -1) {
            if let existing = latest[c.name], existing.attempt == c.attempt,
                (existing.startedAt ?? .distantPast) > (c.startedAt ?? .distantPast)
            {
                continue
            }
            latest[c.name] = c
        }
        return latest
    }

    /// Whether `policy` restarts a container that exited with `exitCode`.
    public static func shouldRestart(policy: String, exitCode: Int32?) -> Bool {
        switch policy {
        case "Never": return false
        case "OnFailure": return (exitCode ?? 1) != 0
        default: return true
        }
    }

    /// What to do next for `pod`. `unhealthy` maps container ids whose liveness or startup probe failed to the
    /// Killing message.
    public mutating func plan(
        pod: Pod, containers: [RuntimeContainerStatus], unhealthy: [String: String] = [:], now: Date
    ) -> [Action] {
        let policy = pod.spec.restartPolicy ?? "Always"
        let latest = Self.latest(containers)
        for c in pod.spec.initContainers ?? [] {
            guard let instance = latest[c.name] else {
                return [startGated(c, isInit: true, attempt: 0, now: now)]
            }
            switch instance.state {
            case .created, .running:
                return []
            case .exited:
                if instance.exitCode == 0 { continue }
                if policy == "Never" { return [] }
                return [restartOrBackOff(c, isInit: true, instance: instance, pod: pod, now: now)]
            }
        }
        var actions: [Action] = []
        for c in pod.spec.containers {
            guard let instance = latest[c.name] else {
                actions.append(startGated(c, isInit: false, attempt: 0, now: now))
                continue
            }
            switch instance.state {
            case .created, .running:
                waiting[c.name] = nil
                if let message = unhealthy[instance.id] {
                    actions.append(.kill(id: instance.id, container: c.name, message: message))
                } else if let image = c.image, !image.isEmpty, !instance.image.isEmpty, instance.image != image {
                    // The only container field a running pod may change: restart it with the new image.
                    actions.append(
                        .kill(
                            id: instance.id, container: c.name,
                            message: "Container \(c.name) definition changed, will be restarted"))
                }
            case .exited:
                if Self.shouldRestart(policy: policy, exitCode: instance.exitCode) {
                    actions.append(restartOrBackOff(c, isInit: false, instance: instance, pod: pod, now: now))
                } else {
                    waiting[c.name] = nil
                }
            }
        }
        return actions
    }

    private mutating func restartOrBackOff(
        _ c: Container, isInit: Bool, instance: RuntimeContainerStatus, pod: Pod, now: Date
    ) -> Action {
        let finished = instance.finishedAt ?? now
        var restart = restarts[c.name] ?? ContainerRestart(initial: initialBackOff, maximum: maximumBackOff)
        if restart.isInBackOff(since: finished, now: now) {
            let delay = Int(restart.delay ?? initialBackOff)
            let podRef = "\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))"
            // A waiting reason set by a failed start (a config error) stays until the next start.
            if waiting[c.name] == nil || waiting[c.name]?.reason == "CrashLoopBackOff" {
                waiting[c.name] = ContainerStateWaiting(
                    reason: "CrashLoopBackOff",
                    message: "back-off \(delay)s restarting failed container=\(c.name) pod=\(podRef)")
            }
            return .backOff(
                container: c.name, message: "Back-off restarting failed container \(c.name) in pod \(podRef)",
                retryAt: restart.retryAt(since: finished))
        }
        let ranFor = instance.startedAt.map { finished.timeIntervalSince($0) } ?? 0
        restart.next(now: now, ranFor: ranFor)
        restarts[c.name] = restart
        return startGated(c, isInit: isInit, attempt: instance.attempt + 1, now: now)
    }

    private mutating func startGated(_ c: Container, isInit: Bool, attempt: Int, now: Date) -> Action {
        if let failedAt = lastPullFailure[c.name], let pull = pulls[c.name], pull.isInBackOff(since: failedAt, now: now)
        {
            let image = c.image ?? ""
            waiting[c.name] = ContainerStateWaiting(
                reason: "ImagePullBackOff", message: "Back-off pulling image \"\(image)\"")
            return .pullBackOff(container: c.name, image: image, retryAt: pull.retryAt(since: failedAt))
        }
        return .start(container: c.name, isInit: isInit, attempt: attempt)
    }

    /// The image of `container` could not be resolved: `ErrImagePull` now, `ImagePullBackOff` until retried.
    public mutating func pullFailed(container: String, message: String, now: Date) {
        var pull = pulls[container] ?? ContainerRestart(initial: initialBackOff, maximum: maximumBackOff)
        pull.next(now: now)
        pulls[container] = pull
        lastPullFailure[container] = now
        waiting[container] = ContainerStateWaiting(reason: "ErrImagePull", message: message)
    }

    /// The image of `container` resolved.
    public mutating func pulled(container: String) {
        pulls[container] = nil
        lastPullFailure[container] = nil
    }

    /// Starting `container` failed before it ran (`CreateContainerConfigError`, `CreateContainerError`,
    /// `RunContainerError`); it is retried on the next sync.
    public mutating func failed(container: String, reason: String, message: String) {
        waiting[container] = ContainerStateWaiting(reason: reason, message: message)
    }

    /// `container` started.
    public mutating func started(container: String) {
        waiting[container] = nil
    }
}
