/// The supervisor's logic without I/O: which child to start, stop, kill or restart, and when.
///
/// The driver feeds inputs (a child was spawned, exited, became ready; time passed; stop was requested) and
/// performs the returned actions. Members start one at a time in order, each waiting for readiness when it
/// has a readiness check; once all are up, a member that exits is restarted with exponential backoff
/// (`initialBackoff` doubling to `maxBackoff`, back to `initialBackoff` after `resetAfter` of uptime).
/// Stopping goes in reverse order, one member at a time: SIGTERM, then SIGKILL after the member's stop timeout.
public struct SupervisorStateMachine: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// One supervised process: a service instance.
    public struct Member: Sendable, Hashable {
        public var name: String
        /// Whether the driver reports `.ready` for it; if not, it counts as ready once spawned.
        public var waitsForReady: Bool
        public var readyTimeout: Duration
        public var stopTimeout: Duration

        public init(
            name: String, waitsForReady: Bool, readyTimeout: Duration = .seconds(30),
            stopTimeout: Duration = .seconds(10)
        ) {
            self.name = name
            self.waitsForReady = waitsForReady
            self.readyTimeout = readyTimeout
            self.stopTimeout = stopTimeout
        }
    }

    public enum Input: Sendable, Equatable {
        /// Begin starting the members in order.
        case start
        /// The driver spawned `member` as `pid`.
        case spawned(String, pid: Int32)
        /// The driver could not spawn `member`.
        case spawnFailed(String, reason: String)
        /// `member`'s readiness check passed.
        case ready(String)
        /// A child exited; `description` says how ("exited with status 1").
        case exited(pid: Int32, description: String)
        /// Time passed; restarts, readiness timeouts and kill deadlines fall due.
        case tick
        /// SIGTERM, SIGINT or `kubus-up down`.
        case stopRequested
    }

    public enum Action: Sendable, Equatable {
        /// Spawn the member's process, then report `.spawned` or `.spawnFailed`.
        case start(String)
        /// Send SIGTERM.
        case stop(String, pid: Int32)
        /// Send SIGKILL.
        case kill(String, pid: Int32)
        /// The member exited; it is started again at `at`, after `delay`. `restarts` counts this one.
        case scheduleRestart(String, at: Instant, delay: Duration, reason: String, restarts: Int)
        /// Every member started and is ready.
        case clusterReady
        /// The cluster could not start; the machine now stops what it started.
        case startupFailed(String, reason: String)
        /// Everything stopped; the driver cleans up and exits.
        case finished
    }

    /// Where a member is in its life.
    public enum MemberState: Sendable, Equatable {
        case notStarted
        /// Asked the driver to spawn it.
        case launching
        /// Spawned, waiting for readiness.
        case starting(pid: Int32, since: Instant)
        case running(pid: Int32, since: Instant)
        case waitingToRestart(until: Instant)
        /// SIGTERM sent.
        case stopping(pid: Int32, killAt: Instant)
        /// SIGKILL sent; given up on after `giveUpAt`.
        case killed(pid: Int32, giveUpAt: Instant)
        case stopped

        public var pid: Int32? {
            switch self {
            case .starting(let pid, _), .running(let pid, _), .stopping(let pid, _), .killed(let pid, _): pid
            default: nil
            }
        }
    }

    public enum Phase: Sendable, Equatable {
        case idle
        case startingUp
        case running
        case stopping
        case finished
    }

    public struct MemberStatus: Sendable, Equatable {
        public var member: Member
        public var state: MemberState
        public var restarts: Int
        /// When the current process started, if one runs.
        public var since: Instant?
    }

    public var initialBackoff: Duration = .seconds(1)
    public var maxBackoff: Duration = .seconds(30)
    public var resetAfter: Duration = .seconds(60)
    /// How long to wait for a killed process to be reaped before moving on.
    public var killGrace: Duration = .seconds(5)

    public private(set) var phase: Phase = .idle
    /// Why startup failed, if it did.
    public private(set) var failure: String?

    private var members: [Member]
    private var states: [MemberState]
    private var restarts: [Int]
    private var nextBackoff: [Duration]
    private var startedAt: [Instant?]

    public init(members: [Member]) {
        self.members = members
        states = Array(repeating: .notStarted, count: members.count)
        restarts = Array(repeating: 0, count: members.count)
        nextBackoff = Array(repeating: .zero, count: members.count)
        startedAt = Array(repeating: nil, count: members.count)
    }

    /// Every member's state, in start order.
    public var statuses: [MemberStatus] {
        members.indices.map { i in
            let since: Instant? =
                switch states[i] {
                case .starting(_, let s), .running(_, let s): s
                default: nil
                }
            return MemberStatus(member: members[i], state: states[i], restarts: restarts[i], since: since)
        }
    }

    /// The member waiting for its readiness check, if any.
    public var awaitingReady: String? {
        for i in members.indices { if case .starting = states[i] { return members[i].name } }
        return nil
    }

    /// The state of the member called `name`.
    public func state(of name: String) -> MemberState? {
        members.firstIndex { $0.name == name }.map { states[$0] }
    }

    /// Takes one input at time `now` and returns what the driver must do, in order.
    public mutating func handle(_ input: Input, now: Instant) -> [Action] {
        switch input {
        case .start:
            guard phase == .idle else { return [] }
            phase = .startingUp
            return startNext(now: now)

        case .spawned(let name, let pid):
            guard let i = index(name) else { return [] }
            guard states[i] == .launching else { return [] }
            if phase == .stopping || phase == .finished {
                // Spawned after stop was requested: stop it like the others.
                states[i] = .running(pid: pid, since: now)
                return stopNext(now: now)
            }
            if phase == .startingUp && members[i].waitsForReady {
                states[i] = .starting(pid: pid, since: now)
                return []
            }
            states[i] = .running(pid: pid, since: now)
            return phase == .startingUp ? startNext(now: now) : []

        case .spawnFailed(let name, let reason):
            guard let i = index(name), states[i] == .launching else { return [] }
            switch phase {
            case .startingUp:
                states[i] = .stopped
                return fail(name, reason: reason, now: now)
            case .running:
                return scheduleRestart(i, reason: reason, upFor: .zero, now: now)
            default:
                states[i] = .stopped
                return stopNext(now: now)
            }

        case .ready(let name):
            guard let i = index(name), case .starting(let pid, let since) = states[i] else { return [] }
            states[i] = .running(pid: pid, since: since)
            return phase == .startingUp ? startNext(now: now) : []

        case .exited(let pid, let description):
            guard let i = states.firstIndex(where: { $0.pid == pid }) else { return [] }
            let name = members[i].name
            switch phase {
            case .startingUp:
                states[i] = .stopped
                return fail(name, reason: "\(description) before it was ready", now: now)
            case .running:
                let upFor: Duration =
                    switch states[i] {
                    case .running(_, let since), .starting(_, let since): now - since
                    default: .zero
                    }
                return scheduleRestart(i, reason: description, upFor: upFor, now: now)
            case .stopping, .finished, .idle:
                states[i] = .stopped
                return stopNext(now: now)
            }

        case .tick:
            return tick(now: now)

        case .stopRequested:
            guard phase != .stopping && phase != .finished else { return [] }
            phase = .stopping
            return stopNext(now: now)
        }
    }

    private func index(_ name: String) -> Int? { members.firstIndex { $0.name == name } }

    private mutating func startNext(now: Instant) -> [Action] {
        guard let i = states.firstIndex(of: .notStarted) else {
            phase = .running
            return [.clusterReady]
        }
        states[i] = .launching
        return [.start(members[i].name)]
    }

    private mutating func fail(_ name: String, reason: String, now: Instant) -> [Action] {
        failure = "\(name): \(reason)"
        phase = .stopping
        return [.startupFailed(name, reason: reason)] + stopNext(now: now)
    }

    private mutating func scheduleRestart(_ i: Int, reason: String, upFor: Duration, now: Instant) -> [Action] {
        let delay = (upFor >= resetAfter || nextBackoff[i] == .zero) ? initialBackoff : nextBackoff[i]
        nextBackoff[i] = min(delay * 2, maxBackoff)
        restarts[i] += 1
        let at = now + delay
        states[i] = .waitingToRestart(until: at)
        return [.scheduleRestart(members[i].name, at: at, delay: delay, reason: reason, restarts: restarts[i])]
    }

    /// Stops the last member that still runs, unless one is already stopping; finishes when none is left.
    private mutating func stopNext(now: Instant) -> [Action] {
        for i in members.indices {
            switch states[i] {
            case .stopping, .killed, .launching: return []
            case .waitingToRestart, .notStarted: states[i] = .stopped
            default: break
            }
        }
        for i in members.indices.reversed() {
            switch states[i] {
            case .starting(let pid, _), .running(let pid, _):
                states[i] = .stopping(pid: pid, killAt: now + members[i].stopTimeout)
                return [.stop(members[i].name, pid: pid)]
            default: continue
            }
        }
        guard phase != .finished else { return [] }
        phase = .finished
        return [.finished]
    }

    private mutating func tick(now: Instant) -> [Action] {
        switch phase {
        case .startingUp:
            for i in members.indices {
                if case .starting(_, let since) = states[i], now - since >= members[i].readyTimeout {
                    return fail(members[i].name, reason: "not ready after \(members[i].readyTimeout)", now: now)
                }
            }
            return []
        case .running:
            var actions: [Action] = []
            for i in members.indices {
                if case .waitingToRestart(let until) = states[i], until <= now {
                    states[i] = .launching
                    actions.append(.start(members[i].name))
                }
            }
            return actions
        case .stopping:
            for i in members.indices {
                switch states[i] {
                case .stopping(let pid, let killAt) where killAt <= now:
                    states[i] = .killed(pid: pid, giveUpAt: now + killGrace)
                    return [.kill(members[i].name, pid: pid)]
                case .killed(_, let giveUpAt) where giveUpAt <= now:
                    states[i] = .stopped
                    return stopNext(now: now)
                default: continue
                }
            }
            return []
        case .idle, .finished:
            return []
        }
    }
}
