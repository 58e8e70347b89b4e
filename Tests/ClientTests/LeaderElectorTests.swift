import Client
import Schema
import Testing

/// The decisions of `LeaderElectionStateMachine`, driven with a hand-moved clock.
@Suite(.timeLimit(.minutes(1)))
struct LeaderElectorTests {
    typealias Machine = LeaderElectionStateMachine

    static let t0 = ContinuousClock.now
    static let wall = MicroTime(rawValue: "2025-01-01T00:00:00.000000Z")

    static func machine(_ identity: String = "a") -> Machine {
        Machine(
            configuration: .init(
                namespace: "kube-system", name: "kube-scheduler", identity: identity, leaseDuration: .seconds(15),
                renewDeadline: .seconds(10)))
    }

    static func lease(holder: String?, duration: Int = 15, transitions: Int = 0, rv: String = "7") -> Lease {
        Lease(
            metadata: ObjectMeta(name: "kube-scheduler", namespace: "kube-system", resourceVersion: rv),
            spec: LeaseSpec(
                holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: wall, renewTime: wall,
                leaseTransitions: transitions))
    }

    /// Pretends the server stored `lease` as written, with a new resourceVersion.
    static func stored(_ lease: Lease, rv: String) -> Lease {
        var lease = lease
        lease.metadata.resourceVersion = rv
        return lease
    }

    @Test func createsTheLeaseWhenAbsent() throws {
        var m = Self.machine()
        guard case .create(let lease) = m.observe(nil, now: Self.t0, wallTime: Self.wall) else {
            Issue.record("expected create")
            return
        }
        #expect(lease.metadata.namespace == "kube-system")
        #expect(lease.metadata.name == "kube-scheduler")
        #expect(lease.spec.holderIdentity == "a")
        #expect(lease.spec.leaseDurationSeconds == 15)
        #expect(lease.spec.leaseTransitions == 0)
        #expect(lease.spec.acquireTime == Self.wall)
        #expect(!m.isLeader)  // only a successful write makes a leader
        m.writeSucceeded(Self.stored(lease, rv: "1"), now: Self.t0)
        #expect(m.isLeader)
    }

    @Test func waitsWhileAnotherHoldsAFreshLease() {
        var m = Self.machine()
        let held = Self.lease(holder: "b")
        #expect(m.observe(held, now: Self.t0, wallTime: Self.wall) == .wait(holder: "b"))
        // Unchanged record: expiry counts from when we first saw it, by our clock.
        #expect(m.observe(held, now: Self.t0 + .seconds(14), wallTime: Self.wall) == .wait(holder: "b"))
        // The holder renewed: the clock restarts, even though its timestamps are not ours to trust.
        var renewed = held
        renewed.spec.renewTime = MicroTime(rawValue: "2020-01-01T00:00:00.000000Z")  // a skewed clock
        renewed.metadata.resourceVersion = "8"
        #expect(m.observe(renewed, now: Self.t0 + .seconds(14), wallTime: Self.wall) == .wait(holder: "b"))
        #expect(m.observe(renewed, now: Self.t0 + .seconds(28), wallTime: Self.wall) == .wait(holder: "b"))
        #expect(!m.isLeader)
    }

    @Test func takesOverAnExpiredLease() {
        var m = Self.machine()
        let held = Self.lease(holder: "b", transitions: 3)
        #expect(m.observe(held, now: Self.t0, wallTime: Self.wall) == .wait(holder: "b"))
        let later = MicroTime(rawValue: "2025-01-01T00:00:20.000000Z")
        guard case .takeOver(let next) = m.observe(held, now: Self.t0 + .seconds(15), wallTime: later) else {
            Issue.record("expected takeOver")
            return
        }
        #expect(next.spec.holderIdentity == "a")
        #expect(next.spec.leaseTransitions == 4)
        #expect(next.spec.acquireTime == later)
        #expect(next.spec.renewTime == later)
        // Optimistic concurrency: the update carries the version we read.
        #expect(next.metadata.resourceVersion == "7")
    }

    @Test func aLeaseNeverSeenBeforeIsNotExpiredOnFirstSight() {
        // Its remote renewTime is old, but we have not watched it for leaseDuration ourselves.
        var m = Self.machine()
        var old = Self.lease(holder: "b")
        old.spec.renewTime = MicroTime(rawValue: "2000-01-01T00:00:00.000000Z")
        #expect(m.observe(old, now: Self.t0, wallTime: Self.wall) == .wait(holder: "b"))
    }

    @Test func takesAReleasedLeaseAtOnce() {
        var m = Self.machine()
        let released = Self.lease(holder: nil, duration: 1, transitions: 2)
        guard case .takeOver(let next) = m.observe(released, now: Self.t0, wallTime: Self.wall) else {
            Issue.record("expected takeOver")
            return
        }
        #expect(next.spec.holderIdentity == "a")
        #expect(next.spec.leaseTransitions == 3)
        #expect(next.spec.leaseDurationSeconds == 15)
    }

    @Test func renewsItsOwnLeaseKeepingAcquireTimeAndTransitions() {
        var m = Self.machine()
        guard case .create(let created) = m.observe(nil, now: Self.t0, wallTime: Self.wall) else {
            Issue.record("expected create")
            return
        }
        m.writeSucceeded(Self.stored(created, rv: "1"), now: Self.t0)
        let later = MicroTime(rawValue: "2025-01-01T00:00:02.000000Z")
        let action = m.observe(Self.stored(created, rv: "1"), now: Self.t0 + .seconds(2), wallTime: later)
        guard case .renew(let next) = action else {
            Issue.record("expected renew, got \(action)")
            return
        }
        #expect(next.spec.acquireTime == Self.wall)
        #expect(next.spec.renewTime == later)
        #expect(next.spec.leaseTransitions == 0)
        #expect(next.metadata.resourceVersion == "1")
        m.writeSucceeded(Self.stored(next, rv: "2"), now: Self.t0 + .seconds(2))
        #expect(m.isLeader)
        #expect(m.renewDeadline() == Self.t0 + .seconds(12))
    }

    @Test func stepsDownWhenRenewalsFailPastTheRenewDeadline() {
        var m = Self.machine()
        guard case .create(let created) = m.observe(nil, now: Self.t0, wallTime: Self.wall) else { return }
        m.writeSucceeded(Self.stored(created, rv: "1"), now: Self.t0)
        // Failures before the deadline: keep trying, still leader.
        #expect(m.writeFailed(now: Self.t0 + .seconds(4)) == .wait(holder: "a"))
        #expect(m.writeFailed(now: Self.t0 + .seconds(9)) == .wait(holder: "a"))
        #expect(m.isLeader)
        #expect(m.writeFailed(now: Self.t0 + .seconds(10)) == .stepDown)
        #expect(!m.isLeader)
        // A read that arrives late does not restore leadership: it is a normal decision again.
        #expect(m.renewDeadline() == nil)
    }

    @Test func observeAfterTheDeadlineStepsDownRatherThanRenewing() {
        var m = Self.machine()
        guard case .create(let created) = m.observe(nil, now: Self.t0, wallTime: Self.wall) else { return }
        m.writeSucceeded(Self.stored(created, rv: "1"), now: Self.t0)
        #expect(m.observe(Self.stored(created, rv: "1"), now: Self.t0 + .seconds(11), wallTime: Self.wall) == .stepDown)
        #expect(!m.isLeader)
    }

    @Test func stepsDownAtOnceWhenAnotherTookTheLease() {
        var m = Self.machine()
        guard case .create(let created) = m.observe(nil, now: Self.t0, wallTime: Self.wall) else { return }
        m.writeSucceeded(Self.stored(created, rv: "1"), now: Self.t0)
        let taken = Self.lease(holder: "b", rv: "5")
        #expect(m.observe(taken, now: Self.t0 + .seconds(2), wallTime: Self.wall) == .stepDown)
        #expect(!m.isLeader)
    }

    @Test func twoCandidatesWriteTheSameVersionSoOnlyOneCanWin() {
        var a = Self.machine("a")
        var b = Self.machine("b")
        let released = Self.lease(holder: nil, duration: 1, rv: "9")
        guard case .takeOver(let fromA) = a.observe(released, now: Self.t0, wallTime: Self.wall),
            case .takeOver(let fromB) = b.observe(released, now: Self.t0, wallTime: Self.wall)
        else {
            Issue.record("expected two takeOvers")
            return
        }
        // The api accepts the first update at version 9 and rejects the second with Conflict.
        #expect(fromA.metadata.resourceVersion == "9")
        #expect(fromB.metadata.resourceVersion == "9")
        a.writeSucceeded(Self.stored(fromA, rv: "10"), now: Self.t0)
        #expect(b.writeFailed(now: Self.t0) == .wait(holder: nil))
        #expect(a.isLeader && !b.isLeader)
        // b reads a's record next round and waits.
        #expect(
            b.observe(Self.stored(fromA, rv: "10"), now: Self.t0 + .seconds(2), wallTime: Self.wall)
                == .wait(holder: "a"))
    }

    @Test func releasesOnStop() {
        var m = Self.machine()
        guard case .create(let created) = m.observe(nil, now: Self.t0, wallTime: Self.wall) else { return }
        m.writeSucceeded(Self.stored(created, rv: "1"), now: Self.t0)
        let stop = MicroTime(rawValue: "2025-01-01T00:00:05.000000Z")
        let released = m.release(wallTime: stop)
        #expect(released?.spec.holderIdentity == nil)
        #expect(released?.spec.leaseDurationSeconds == 1)
        #expect(released?.spec.renewTime == stop)
        #expect(released?.spec.leaseTransitions == 0)
        #expect(released?.metadata.resourceVersion == "1")
        #expect(!m.isLeader)
        // Nothing to release when not leading.
        #expect(m.release(wallTime: stop) == nil)
        var follower = Self.machine("b")
        _ = follower.observe(Self.lease(holder: "a"), now: Self.t0, wallTime: Self.wall)
        #expect(follower.release(wallTime: stop) == nil)
    }

    @Test func subSecondLeaseDurationsRoundUp() {
        var m = Machine(
            configuration: .init(
                namespace: "ns", name: "l", identity: "a", leaseDuration: .milliseconds(2500),
                renewDeadline: .seconds(2)))
        guard case .create(let lease) = m.observe(nil, now: Self.t0, wallTime: Self.wall) else { return }
        #expect(lease.spec.leaseDurationSeconds == 3)
    }
}
