import Foundation
public import Schema
import Synchronization

/// Runs the liveness, readiness and startup probes of the running containers on this node.
///
/// The pod workers tell it which container instances run (`sync`); one loop starts every probe that is due
/// (`ProbeState.isDue`) as a child task, records its outcome, and reports it through `onResult`. A startup probe
/// gates the other two: they run only once it has succeeded.
public final class ProbeManager: Sendable {
    struct Key: Hashable, Sendable {
        var podUID: String
        var container: String
        var kind: ProbeKind
    }

    struct Entry: Sendable {
        var pod: Pod
        var container: Container
        var containerID: String
        var podIP: String
        var probe: Probe
        var state: ProbeState
        var inFlight = false
    }

    /// The probe results of one pod, by container id.
    public struct Results: Sendable {
        public var readiness: [String: Bool] = [:]
        public var started: [String: Bool] = [:]
        /// Container ids to restart, with the Killing message.
        public var unhealthy: [String: String] = [:]
    }

    /// One recorded probe outcome.
    public struct Report: Sendable {
        public var pod: Pod
        public var container: String
        public var kind: ProbeKind
        public var outcome: ProbeOutcome
        /// The result flipped (the pod's status must be recomputed).
        public var changed: Bool
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let prober: Prober
    private let tick: Duration

    public init(prober: Prober, tick: Duration = .milliseconds(100)) {
        self.prober = prober
        self.tick = tick
    }

    /// Tracks the probes of `pod`'s running container instances; drops those of instances that are gone.
    public func sync(pod: Pod, running: [String: RuntimeContainerStatus], podIP: String) {
        let uid = pod.metadata.uid ?? ""
        entries.withLock { entries in
            var wanted = Set<Key>()
            for c in pod.spec.containers {
                guard let instance = running[c.name] else { continue }
                let probes: [(ProbeKind, Probe?)] = [
                    (.startup, c.startupProbe), (.liveness, c.livenessProbe), (.readiness, c.readinessProbe),
                ]
                for (kind, probe) in probes {
                    guard let probe else { continue }
                    let key = Key(podUID: uid, container: c.name, kind: kind)
                    wanted.insert(key)
                    if var entry = entries[key], entry.containerID == instance.id {
                        entry.pod = pod
                        entry.podIP = podIP
                        entries[key] = entry
                    } else {
                        entries[key] = Entry(
                            pod: pod, container: c, containerID: instance.id, podIP: podIP, probe: probe,
                            state: ProbeState(
                                kind: kind, probe: probe, containerStartedAt: instance.startedAt ?? Date(),
                                known: Self.known(kind, pod: pod, container: c.name, id: instance.id)))
                    }
                }
            }
            for key in entries.keys where key.podUID == uid && !wanted.contains(key) { entries[key] = nil }
        }
    }

    /// What the api shows for this very container instance: ready (readiness) or started (startup); nil otherwise.
    static func known(_ kind: ProbeKind, pod: Pod, container: String, id: String) -> Bool? {
        guard let status = pod.status.containerStatuses?.first(where: { $0.name == container }),
            status.containerID?.hasSuffix("://\(id)") == true, status.state?.running != nil
        else { return nil }
        switch kind {
        case .readiness: return status.ready ? true : nil
        case .startup: return status.started == true ? true : nil
        case .liveness: return nil
        }
    }

    /// Forgets every probe of the pod.
    public func remove(podUID: String) {
        entries.withLock { entries in
            for key in entries.keys where key.podUID == podUID { entries[key] = nil }
        }
    }

    /// The current results for the pod.
    public func results(podUID: String) -> Results {
        entries.withLock { entries in
            var r = Results()
            for (key, e) in entries where key.podUID == podUID {
                switch key.kind {
                case .readiness:
                    r.readiness[e.containerID] = e.state.result == true
                case .startup:
                    r.started[e.containerID] = e.state.result == true
                    if e.state.result == false {
                        r.unhealthy[e.containerID] =
                            "Container \(key.container) failed startup probe, will be restarted"
                    }
                case .liveness:
                    if e.state.result == false {
                        r.unhealthy[e.containerID] =
                            "Container \(key.container) failed liveness probe, will be restarted"
                    }
                }
            }
            return r
        }
    }

    /// Probes until the task is cancelled, reporting every outcome through `onResult`.
    public func run(onResult: @escaping @Sendable (Report) async -> Void) async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = Date()
                let due = entries.withLock { entries -> [(Key, Entry)] in
                    var due: [(Key, Entry)] = []
                    for (key, entry) in entries where !entry.inFlight && entry.state.isDue(now: now) {
                        if key.kind != .startup, startupPending(entries, key) { continue }
                        if key.kind == .startup && entry.state.result == true { continue }  // done once it passed
                        if entry.state.result == false && key.kind != .readiness { continue }  // awaiting restart
                        entries[key]?.inFlight = true
                        entries[key]?.state.started(now: now)
                        due.append((key, entry))
                    }
                    return due
                }
                for (key, entry) in due {
                    group.addTask { [prober] in
                        let probe = entry.probe
                        let outcome = await prober.run(
                            exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket,
                            container: entry.container, containerID: entry.containerID, podIP: entry.podIP,
                            timeout: entry.state.timeout)
                        let changed = self.entries.withLock { entries -> Bool? in
                            guard var current = entries[key], current.containerID == entry.containerID else {
                                return nil
                            }
                            current.inFlight = false
                            let changed = current.state.record(outcome)
                            entries[key] = current
                            return changed
                        }
                        guard let changed else { return }
                        await onResult(
                            Report(
                                pod: entry.pod, container: key.container, kind: key.kind, outcome: outcome,
                                changed: changed))
                    }
                }
                try? await Task.sleep(for: tick)
            }
        }
    }

    private func startupPending(_ entries: [Key: Entry], _ key: Key) -> Bool {
        let startup = Key(podUID: key.podUID, container: key.container, kind: .startup)
        guard let s = entries[startup], s.containerID == entries[key]?.containerID else { return false }
        return s.state.result != true
    }
}
