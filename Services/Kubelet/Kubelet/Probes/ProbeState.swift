public import Foundation
public import Schema

/// Which probe.
public enum ProbeKind: String, Sendable, Hashable, CaseIterable {
    case liveness = "Liveness"
    case readiness = "Readiness"
    case startup = "Startup"
}

/// The outcome of one probe run.
public enum ProbeOutcome: Sendable, Hashable {
    case success
    case failure(String)
}

/// One probe of one container instance, as a pure state machine: when to run, and the result the consecutive
/// outcomes amount to (`successThreshold` successes turn it to success, `failureThreshold` failures to failure).
///
/// Liveness starts as success, readiness as failure, startup as unknown (`nil`), as Kubernetes' prober does.
public struct ProbeState: Sendable, Hashable {
    public let kind: ProbeKind
    public let initialDelay: TimeInterval
    public let period: TimeInterval
    public let timeout: TimeInterval
    public let successThreshold: Int
    public let failureThreshold: Int
    /// When the container instance started.
    public let containerStartedAt: Date
    /// The current result; nil while unknown.
    public private(set) var result: Bool?
    public private(set) var consecutiveSuccesses = 0
    public private(set) var consecutiveFailures = 0
    public private(set) var lastRun: Date?
    /// The message of the last failure.
    public private(set) var lastFailure: String?

    /// `known` is a result the api already shows for this container instance (a restarted kubelet keeps a ready
    /// container ready until its probe says otherwise, instead of flapping every pod on the node).
    public init(kind: ProbeKind, probe: Probe, containerStartedAt: Date, known: Bool? = nil) {
        self.kind = kind
        initialDelay = TimeInterval(max(0, probe.initialDelaySeconds ?? 0))
        period = TimeInterval(max(1, probe.periodSeconds ?? 10))
        timeout = TimeInterval(max(1, probe.timeoutSeconds ?? 1))
        // Liveness and startup probes must have a success threshold of 1.
        successThreshold = kind == .readiness ? max(1, probe.successThreshold ?? 1) : 1
        failureThreshold = max(1, probe.failureThreshold ?? 3)
        self.containerStartedAt = containerStartedAt
        switch kind {
        case .liveness: result = true
        case .readiness: result = false
        case .startup: result = nil
        }
        if let known { result = known }
    }

    /// Whether the probe should run at `now`.
    public func isDue(now: Date) -> Bool {
        if now < containerStartedAt.addingTimeInterval(initialDelay) { return false }
        guard let lastRun else { return true }
        return now >= lastRun.addingTimeInterval(period)
    }

    /// When it runs next.
    public func nextRun() -> Date {
        let first = containerStartedAt.addingTimeInterval(initialDelay)
        guard let lastRun else { return first }
        return max(first, lastRun.addingTimeInterval(period))
    }

    /// Notes that a run started at `now` (so it is not started twice).
    public mutating func started(now: Date) {
        lastRun = now
    }

    /// Records an outcome; returns whether the result changed.
    @discardableResult
    public mutating func record(_ outcome: ProbeOutcome) -> Bool {
        let before = result
        switch outcome {
        case .success:
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            if consecutiveSuccesses >= successThreshold { result = true }
        case .failure(let message):
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            lastFailure = message
            if consecutiveFailures >= failureThreshold { result = false }
        }
        return before != result
    }
}
