public import Foundation
public import Schema

/// Computes a pod's status from what the runtime and the probes report: Kubernetes' `generateAPIPodStatus`
/// and `getPhase`, as a pure function.
public struct PodStatusBuilder: Sendable {
    /// Everything the status is computed from.
    public struct Input: Sendable {
        public var pod: Pod
        /// Every attempt of every container of the pod the runtime knows.
        public var containers: [RuntimeContainerStatus]
        /// Why containers that are not running wait (from `PodLifecycle.waiting`).
        public var waiting: [String: ContainerStateWaiting]
        /// Readiness probe results by container id (containers without a readiness probe are ready when running).
        public var readiness: [String: Bool]
        /// Whether the startup probe passed, by container id (containers without one are started when running).
        public var started: [String: Bool]
        public var podIP: String?
        public var hostIP: String?
        /// `process`, `runc`: the scheme of `containerID`.
        public var runtimeName: String
        /// The pod's network and volumes are set up.
        public var sandboxReady: Bool
        /// `activeDeadlineSeconds` passed.
        public var deadlineExceeded: Bool
        public var now: Date

        public init(
            pod: Pod, containers: [RuntimeContainerStatus], waiting: [String: ContainerStateWaiting] = [:],
            readiness: [String: Bool] = [:], started: [String: Bool] = [:], podIP: String? = nil,
            hostIP: String? = nil, runtimeName: String = "process", sandboxReady: Bool = true,
            deadlineExceeded: Bool = false, now: Date = Date()
        ) {
            self.pod = pod
            self.containers = containers
            self.waiting = waiting
            self.readiness = readiness
            self.started = started
            self.podIP = podIP
            self.hostIP = hostIP
            self.runtimeName = runtimeName
            self.sandboxReady = sandboxReady
            self.deadlineExceeded = deadlineExceeded
            self.now = now
        }
    }

    /// The status `input` amounts to; conditions keep their transition times when their status did not change.
    public static func build(_ input: Input) -> PodStatus {
        let pod = input.pod
        var status = pod.status
        let now = Time(input.now)
        let byName = Dictionary(grouping: input.containers, by: \.name).mapValues {
            $0.sorted { ($0.attempt, $0.startedAt ?? .distantPast) < ($1.attempt, $1.startedAt ?? .distantPast) }
        }
        let initSpecs = pod.spec.initContainers ?? []
        var initDone = true
        var initStatuses: [ContainerStatus] = []
        for c in initSpecs {
            let s = containerStatus(c, history: byName[c.name] ?? [], input: input, defaultWaiting: "PodInitializing")
            if s.state?.terminated?.exitCode != 0 || s.state?.terminated == nil { initDone = false }
            initStatuses.append(s)
        }
        var appStatuses: [ContainerStatus] = []
        for c in pod.spec.containers {
            let reason = initDone ? "ContainerCreating" : "PodInitializing"
            appStatuses.append(containerStatus(c, history: byName[c.name] ?? [], input: input, defaultWaiting: reason))
        }
        status.initContainerStatuses = initSpecs.isEmpty ? nil : initStatuses
        status.containerStatuses = appStatuses
        if let ip = input.podIP {
            status.podIP = ip
            status.podIPs = [PodIP(ip: ip)]
        }
        if let ip = input.hostIP {
            status.hostIP = ip
            status.hostIPs = [HostIP(ip: ip)]
        }
        if status.startTime == nil { status.startTime = now }
        status.qosClass = status.qosClass ?? pod.spec.qosClass

        var phase = Self.phase(pod: pod, initStatuses: initStatuses, appStatuses: appStatuses)
        if input.deadlineExceeded {
            phase = "Failed"
            status.reason = "DeadlineExceeded"
            status.message = "Pod was active on the node longer than the specified deadline"
        }
        status.phase = phase
        let terminal = phase == "Succeeded" || phase == "Failed"

        func set(_ type: String, _ ok: Bool, reason: String?, message: String?) {
            var conditions = status.conditions ?? []
            var condition = PodCondition(
                type: type, status: ok ? "True" : "False", lastProbeTime: nil, lastTransitionTime: now,
                reason: ok ? nil : reason, message: ok ? nil : message)
            if let i = conditions.firstIndex(where: { $0.type == type }) {
                if conditions[i].status == condition.status {
                    condition.lastTransitionTime = conditions[i].lastTransitionTime ?? now
                }
                conditions[i] = condition
            } else {
                conditions.append(condition)
            }
            status.conditions = conditions
        }
        set("PodReadyToStartContainers", input.sandboxReady && !terminal, reason: nil, message: nil)
        let pendingInit = zip(initSpecs, initStatuses).filter { $0.1.state?.terminated?.exitCode != 0 }.map(\.0.name)
        set(
            "Initialized", pendingInit.isEmpty, reason: "ContainersNotInitialized",
            message: "containers with incomplete status: [\(pendingInit.joined(separator: " "))]")
        let unready = appStatuses.filter { !$0.ready }.map(\.name)
        let containersReady = unready.isEmpty && !terminal
        let unreadyMessage = "containers with unready status: [\(unready.joined(separator: " "))]"
        set(
            "ContainersReady", containersReady, reason: terminal ? "PodCompleted" : "ContainersNotReady",
            message: terminal ? nil : unreadyMessage)
        let gates = (pod.spec.readinessGates ?? []).map(\.conditionType)
        let missingGates = gates.filter { gate in status.conditions?.first { $0.type == gate }?.status != "True" }
        var readyMessage = unreadyMessage
        if containersReady && !missingGates.isEmpty {
            readyMessage = "the status of pod readiness gate \"\(missingGates[0])\" is not \"True\", but False"
        }
        set(
            "Ready", containersReady && missingGates.isEmpty,
            reason: terminal
                ? "PodCompleted" : (containersReady ? "ReadinessGatesNotReady" : "ContainersNotReady"),
            message: terminal ? nil : readyMessage)
        // PodScheduled is the scheduler's; the kubelet only adds it when a pod was bound directly.
        if status.conditions?.contains(where: { $0.type == "PodScheduled" }) == false {
            status.conditions?.insert(
                PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: now), at: 0)
        }
        return status
    }

    static func containerStatus(
        _ c: Container, history: [RuntimeContainerStatus], input: Input, defaultWaiting: String
    ) -> ContainerStatus {
        let scheme = input.runtimeName
        var s = ContainerStatus(
            name: c.name, state: nil, lastState: nil, ready: false, restartCount: 0, image: c.image ?? "",
            imageID: "", containerID: nil, started: false)
        guard let latest = history.last else {
            s.state = ContainerState(waiting: input.waiting[c.name] ?? ContainerStateWaiting(reason: defaultWaiting))
            s.lastState = ContainerState()
            return s
        }
        s.restartCount = latest.attempt
        s.imageID = latest.imageID
        s.containerID = "\(scheme)://\(latest.id)"
        let previous = history.dropLast().last
        switch latest.state {
        case .running, .created:
            s.state = ContainerState(running: ContainerStateRunning(startedAt: latest.startedAt.map(Time.init)))
            let started = c.startupProbe == nil || input.started[latest.id] == true
            s.started = started
            s.ready = started && (c.readinessProbe == nil || input.readiness[latest.id] == true)
            s.lastState =
                previous.map { ContainerState(terminated: terminated($0, scheme: scheme)) } ?? ContainerState()
        case .exited:
            if let waiting = input.waiting[c.name] {
                s.state = ContainerState(waiting: waiting)
                s.lastState = ContainerState(terminated: terminated(latest, scheme: scheme))
            } else {
                s.state = ContainerState(terminated: terminated(latest, scheme: scheme))
                s.lastState =
                    previous.map { ContainerState(terminated: terminated($0, scheme: scheme)) } ?? ContainerState()
            }
        }
        return s
    }

    static func terminated(_ c: RuntimeContainerStatus, scheme: String) -> ContainerStateTerminated {
        let code = Int(c.exitCode ?? (c.signal.map { 128 + $0 } ?? 0))
        return ContainerStateTerminated(
            exitCode: code, signal: c.signal.map(Int.init), reason: c.reason ?? (code == 0 ? "Completed" : "Error"),
            message: c.message, startedAt: c.startedAt.map(Time.init), finishedAt: c.finishedAt.map(Time.init),
            containerID: "\(scheme)://\(c.id)")
    }

    /// Kubernetes' `getPhase`.
    static func phase(pod: Pod, initStatuses: [ContainerStatus], appStatuses: [ContainerStatus]) -> String {
        let policy = pod.spec.restartPolicy ?? "Always"
        var pendingInit = 0
        var failedInit = 0
        for s in initStatuses {
            if let t = s.state?.terminated {
                if t.exitCode != 0 { failedInit += 1 }
            } else if s.state?.waiting != nil, s.lastState?.terminated?.exitCode ?? 0 != 0 {
                failedInit += 1
            } else {
                pendingInit += 1
            }
        }
        if failedInit > 0 && policy == "Never" { return "Failed" }
        if pendingInit > 0 || failedInit > 0 { return "Pending" }
        var waiting = 0
        var running = 0
        var stopped = 0
        var succeeded = 0
        for s in appStatuses {
            if s.state?.running != nil {
                running += 1
            } else if let t = s.state?.terminated {
                stopped += 1
                if t.exitCode == 0 { succeeded += 1 }
            } else if s.state?.waiting != nil {
                if s.lastState?.terminated != nil { stopped += 1 } else { waiting += 1 }
            }
        }
        if waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 {
            if policy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            if policy == "Never" { return "Failed" }
            return "Running"
        }
        return "Pending"
    }
}
