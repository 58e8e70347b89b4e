/// The lifecycle of the nginx that kubus-ingress runs, as a pure state machine: inputs in, actions out; the
/// `NginxProcess` driver does the I/O.
///
/// nginx starts once the first configuration is written; each later configuration reloads it (SIGHUP); an nginx
/// that exits by itself is started again after a backoff (0.1 s, doubling to 5 s, reset once it ran 10 s); on
/// shutdown a running nginx is asked to quit gracefully and the driver escalates if it does not.
public struct NginxLifecycle: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// No configuration written yet: nothing to run.
        case waitingForConfiguration
        /// nginx runs as `pid` since `since` (seconds on the driver's clock).
        case running(pid: Int32, since: Double)
        /// nginx exited or failed to start; it starts again when the backoff elapses.
        case backingOff
        /// Shutting down: `pid` was asked to quit.
        case stopping(pid: Int32)
        /// Done: nothing runs and nothing will.
        case stopped
    }

    public enum Action: Sendable, Hashable {
        case none
        /// Start nginx with the configuration on disk, then report `started` or `startFailed`.
        case start
        /// Send SIGHUP to `pid`: reload the configuration on disk.
        case reload(pid: Int32)
        /// Report `backoffElapsed` after this many seconds.
        case startAfter(seconds: Double)
        /// Ask `pid` to quit (SIGQUIT), escalating to SIGTERM and SIGKILL if it lingers; then report `exited`.
        case stop(pid: Int32)
        /// The lifecycle has ended.
        case finished
    }

    public private(set) var state: State = .waitingForConfiguration
    /// Times nginx was started again after exiting by itself or failing to start.
    public private(set) var restarts = 0
    /// Reloads asked for.
    public private(set) var reloads = 0
    /// Failures since nginx last ran for `stableSeconds`.
    public private(set) var consecutiveFailures = 0
    private var shuttingDown = false

    /// How long nginx must run before its failures are forgotten.
    public static let stableSeconds = 10.0
    public static let firstBackoff = 0.1
    public static let maxBackoff = 5.0

    public init() {}

    /// A new configuration is on disk.
    public mutating func configurationWritten() -> Action {
        guard !shuttingDown else { return .none }
        switch state {
        case .waitingForConfiguration: return .start
        case .running(let pid, _):
            reloads += 1
            return .reload(pid: pid)
        case .backingOff, .stopping, .stopped: return .none  // the next start reads the file
        }
    }

    /// The `start` action started nginx as `pid` at `now`.
    public mutating func started(pid: Int32, now: Double) -> Action {
        state = .running(pid: pid, since: now)
        if shuttingDown {
            state = .stopping(pid: pid)
            return .stop(pid: pid)
        }
        return .none
    }

    /// The `start` action failed.
    public mutating func startFailed() -> Action {
        if shuttingDown {
            state = .stopped
            return .finished
        }
        return backOff()
    }

    /// The process `pid` exited at `now`.
    public mutating func exited(pid: Int32, now: Double) -> Action {
        switch state {
        case .running(let running, let since) where running == pid:
            if now - since >= Self.stableSeconds { consecutiveFailures = 0 }
            if shuttingDown {
                state = .stopped
                return .finished
            }
            return backOff()
        case .stopping(let stopping) where stopping == pid:
            state = .stopped
            return .finished
        default:
            return .none
        }
    }

    /// The backoff asked for by `startAfter` has elapsed.
    public mutating func backoffElapsed() -> Action {
        guard state == .backingOff, !shuttingDown else { return .none }
        restarts += 1
        return .start
    }

    /// kubus-ingress is shutting down.
    public mutating func shutdown() -> Action {
        shuttingDown = true
        switch state {
        case .running(let pid, _):
            state = .stopping(pid: pid)
            return .stop(pid: pid)
        case .stopping: return .none
        case .waitingForConfiguration, .backingOff, .stopped:
            state = .stopped
            return .finished
        }
    }

    /// The pid of the running nginx.
    public var pid: Int32? {
        switch state {
        case .running(let pid, _), .stopping(let pid): return pid
        default: return nil
        }
    }

    private mutating func backOff() -> Action {
        consecutiveFailures += 1
        state = .backingOff
        let delay = Self.firstBackoff * Double(1 << min(consecutiveFailures - 1, 10))
        return .startAfter(seconds: min(delay, Self.maxBackoff))
    }
}
