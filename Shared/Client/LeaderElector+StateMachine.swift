public import Schema

/// The decisions of leader election through a Lease, as client-go's `leaderelection` makes them; no I/O.
///
/// The driver reads the Lease, hands it to `observe(_:now:wallTime:)` and performs the returned action: a
/// create, or an update carrying the observed `resourceVersion` (so of two candidates writing the same
/// version only one succeeds). Expiry is judged by the local monotonic clock — the time this candidate
/// *saw the record change* plus its `leaseDurationSeconds` — never by the holder's timestamps, so clock skew
/// between machines does not matter. A leader that cannot renew within `renewDeadline` of its last
/// successful write steps down; because `renewDeadline < leaseDuration`, it stops before any other candidate
/// can consider the lease expired.
public struct LeaderElectionStateMachine: Sendable {
    /// What the driver does next.
    public enum Action: Sendable, Hashable {
        /// No Lease exists: create this one.
        case create(Lease)
        /// Another holder's lease expired (or was released): update to this one, becoming the leader.
        case takeOver(Lease)
        /// This candidate holds the lease: update to this one to extend it.
        case renew(Lease)
        /// Another candidate holds a fresh lease; try again after the retry period.
        case wait(holder: String?)
        /// Leadership is lost: stop the leader's work now.
        case stepDown
    }

    /// The fixed inputs.
    public struct Configuration: Sendable, Hashable {
        /// The Lease's namespace.
        public var namespace: String
        /// The Lease's name.
        public var name: String
        /// This candidate's identity, written as `holderIdentity`.
        public var identity: String
        /// How long others wait after the last observed change before taking over.
        public var leaseDuration: Duration
        /// How long the leader keeps trying to renew before it steps down.
        public var renewDeadline: Duration

        /// Creates a configuration.
        public init(namespace: String, name: String, identity: String, leaseDuration: Duration, renewDeadline: Duration)
        {
            self.namespace = namespace
            self.name = name
            self.identity = identity
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
        }

        /// `leaseDuration` in whole seconds, rounded up, at least 1 (the Lease field is an integer).
        var leaseDurationSeconds: Int {
            let (seconds, attoseconds) = leaseDuration.components
            return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
        }
    }

    /// The fixed inputs.
    public let configuration: Configuration
    /// Whether this candidate is the leader: its last write succeeded within `renewDeadline`.
    public private(set) var isLeader = false
    /// The Lease as last read or written.
    public private(set) var observed: Lease?
    /// When (local clock) the observed record last changed.
    public private(set) var observedTime: ContinuousClock.Instant?
    /// When (local clock) this candidate last wrote the lease successfully.
    public private(set) var lastRenewal: ContinuousClock.Instant?

    /// Creates a candidate that holds nothing yet.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Decides what to do about the Lease as just read (`nil`: it does not exist).
    public mutating func observe(_ lease: Lease?, now: ContinuousClock.Instant, wallTime: MicroTime) -> Action {
        if renewDeadlinePassed(now: now) { return stepDown() }
        guard let lease else {
            return .create(
                Lease(
                    metadata: ObjectMeta(name: configuration.name, namespace: configuration.namespace),
                    spec: LeaseSpec(
                        holderIdentity: configuration.identity,
                        leaseDurationSeconds: configuration.leaseDurationSeconds,
                        acquireTime: wallTime, renewTime: wallTime, leaseTransitions: 0)))
        }
        // client-go compares the record, not the resourceVersion: a label change does not make a dead holder live.
        if observed?.spec != lease.spec || observedTime == nil { observedTime = now }
        observed = lease

        let holder = lease.spec.holderIdentity ?? ""
        if !holder.isEmpty && holder != configuration.identity {
            let duration = Duration.seconds(lease.spec.leaseDurationSeconds ?? configuration.leaseDurationSeconds)
            if let observedTime, now < observedTime + duration {
                // Someone else holds a fresh lease; if we thought we led, we did not (e.g. we were paused).
                return isLeader ? stepDown() : .wait(holder: holder)
            }
        }

        var next = lease
        next.spec.holderIdentity = configuration.identity
        next.spec.leaseDurationSeconds = configuration.leaseDurationSeconds
        next.spec.renewTime = wallTime
        if holder == configuration.identity {
            if next.spec.acquireTime == nil { next.spec.acquireTime = wallTime }
            if next.spec.leaseTransitions == nil { next.spec.leaseTransitions = 0 }
            return .renew(next)
        }
        next.spec.acquireTime = wallTime
        next.spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1
        return .takeOver(next)
    }

    /// Records a successful create or update: this candidate leads until `now + renewDeadline` at least.
    public mutating func writeSucceeded(_ stored: Lease, now: ContinuousClock.Instant) {
        observed = stored
        observedTime = now
        lastRenewal = now
        isLeader = true
    }

    /// Records a failed read or write (conflict, timeout, api down): step down once the renew deadline passed.
    public mutating func writeFailed(now: ContinuousClock.Instant) -> Action {
        if renewDeadlinePassed(now: now) { return stepDown() }
        return .wait(holder: observed?.spec.holderIdentity)
    }

    /// The latest instant the current renewal attempt may end, while leading.
    public func renewDeadline() -> ContinuousClock.Instant? {
        guard isLeader, let lastRenewal else { return nil }
        return lastRenewal + configuration.renewDeadline
    }

    /// Whether the leader has gone `renewDeadline` without a successful write.
    public func renewDeadlinePassed(now: ContinuousClock.Instant) -> Bool {
        guard let deadline = renewDeadline() else { return false }
        return now >= deadline
    }

    /// Stops leading on graceful stop; returns the Lease to write so a standby takes over at once, if we held it.
    ///
    /// As client-go's `ReleaseOnCancel`: the holder is cleared and the duration set to 1 s; the update carries
    /// the resourceVersion of our last write, so it fails harmlessly if someone took over meanwhile.
    public mutating func release(wallTime: MicroTime) -> Lease? {
        guard isLeader, var lease = observed, lease.spec.holderIdentity == configuration.identity else {
            isLeader = false
            return nil
        }
        isLeader = false
        lease.spec.holderIdentity = nil
        lease.spec.leaseDurationSeconds = 1
        lease.spec.acquireTime = wallTime
        lease.spec.renewTime = wallTime
        return lease
    }

    private mutating func stepDown() -> Action {
        isLeader = false
        lastRenewal = nil
        return .stepDown
    }
}
