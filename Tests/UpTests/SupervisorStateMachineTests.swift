import Testing
import UpKit

@Suite struct SupervisorStateMachineTests {
    typealias Machine = SupervisorStateMachine
    let t0 = ContinuousClock.now

    func members() -> [Machine.Member] {
        [
            .init(name: "bus", waitsForReady: true, readyTimeout: .seconds(30), stopTimeout: .seconds(10)),
            .init(name: "store", waitsForReady: true, readyTimeout: .seconds(30), stopTimeout: .seconds(10)),
            .init(name: "web", waitsForReady: false, readyTimeout: .seconds(30), stopTimeout: .seconds(10)),
        ]
    }

    /// A machine with every member started and ready: bus 10, store 20, web 30.
    func runningMachine() -> Machine {
        var m = Machine(members: members())
        _ = m.handle(.start, now: t0)
        _ = m.handle(.spawned("bus", pid: 10), now: t0)
        _ = m.handle(.ready("bus"), now: t0)
        _ = m.handle(.spawned("store", pid: 20), now: t0)
        _ = m.handle(.ready("store"), now: t0)
        _ = m.handle(.spawned("web", pid: 30), now: t0)
        return m
    }

    @Test func startsInOrderWaitingForReadiness() {
        var m = Machine(members: members())
        #expect(m.handle(.start, now: t0) == [.start("bus")])
        #expect(m.handle(.spawned("bus", pid: 10), now: t0) == [])
        #expect(m.awaitingReady == "bus")
        #expect(m.handle(.tick, now: t0 + .seconds(1)) == [])
        #expect(m.handle(.ready("bus"), now: t0) == [.start("store")])
        #expect(m.handle(.spawned("store", pid: 20), now: t0) == [])
        #expect(m.handle(.ready("store"), now: t0) == [.start("web")])
        // No readiness check: ready once spawned, and the cluster is ready.
        #expect(m.handle(.spawned("web", pid: 30), now: t0) == [.clusterReady])
        #expect(m.phase == .running)
    }

    @Test func readinessTimeoutFailsStartupAndStopsWhatStarted() {
        var m = Machine(members: members())
        _ = m.handle(.start, now: t0)
        _ = m.handle(.spawned("bus", pid: 10), now: t0)
        _ = m.handle(.ready("bus"), now: t0)
        _ = m.handle(.spawned("store", pid: 20), now: t0)
        #expect(m.handle(.tick, now: t0 + .seconds(29)) == [])
        let actions = m.handle(.tick, now: t0 + .seconds(30))
        #expect(actions.count == 2)
        guard case .startupFailed("store", _) = actions.first else {
            Issue.record("expected startupFailed, got \(actions)")
            return
        }
        #expect(actions.last == .stop("store", pid: 20))
        #expect(m.failure != nil)
        #expect(m.handle(.exited(pid: 20, description: "exited with status 0"), now: t0) == [.stop("bus", pid: 10)])
        #expect(m.handle(.exited(pid: 10, description: "exited with status 0"), now: t0) == [.finished])
        #expect(m.phase == .finished)
    }

    @Test func exitBeforeReadyFailsStartup() {
        var m = Machine(members: members())
        _ = m.handle(.start, now: t0)
        _ = m.handle(.spawned("bus", pid: 10), now: t0)
        let actions = m.handle(.exited(pid: 10, description: "exited with status 1"), now: t0)
        #expect(actions == [.startupFailed("bus", reason: "exited with status 1 before it was ready"), .finished])
    }

    @Test func spawnFailureDuringStartupFails() {
        var m = Machine(members: members())
        _ = m.handle(.start, now: t0)
        let actions = m.handle(.spawnFailed("bus", reason: "could not be started: ENOENT"), now: t0)
        #expect(actions == [.startupFailed("bus", reason: "could not be started: ENOENT"), .finished])
    }

    @Test func restartsWithBackoffDoublingToThirtySeconds() {
        var m = runningMachine()
        var now = t0 + .seconds(1)
        var pid: Int32 = 30
        var delays: [Duration] = []
        for _ in 0..<7 {
            let actions = m.handle(.exited(pid: pid, description: "exited with status 1"), now: now)
            guard case .scheduleRestart("web", let at, let delay, _, _) = actions.first else {
                Issue.record("expected a restart, got \(actions)")
                return
            }
            delays.append(delay)
            #expect(m.handle(.tick, now: at - .milliseconds(1)) == [])
            #expect(m.handle(.tick, now: at) == [.start("web")])
            pid += 1
            #expect(m.handle(.spawned("web", pid: pid), now: at) == [])
            now = at + .seconds(1)
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        #expect(m.statuses.last?.restarts == 7)
    }

    @Test func backoffResetsAfterSixtySecondsUp() {
        var m = runningMachine()
        _ = m.handle(.exited(pid: 30, description: "x"), now: t0 + .seconds(1))
        _ = m.handle(.tick, now: t0 + .seconds(2))
        _ = m.handle(.spawned("web", pid: 31), now: t0 + .seconds(2))
        let quick = m.handle(.exited(pid: 31, description: "x"), now: t0 + .seconds(3))
        guard case .scheduleRestart(_, _, let d1, _, _) = quick.first else {
            Issue.record("\(quick)")
            return
        }
        #expect(d1 == .seconds(2))
        _ = m.handle(.tick, now: t0 + .seconds(5))
        _ = m.handle(.spawned("web", pid: 32), now: t0 + .seconds(5))
        let late = m.handle(.exited(pid: 32, description: "x"), now: t0 + .seconds(65))
        guard case .scheduleRestart(_, _, let d2, _, let restarts) = late.first else {
            Issue.record("\(late)")
            return
        }
        #expect(d2 == .seconds(1))
        #expect(restarts == 3)
    }

    @Test func spawnFailureWhileRunningRetriesWithBackoff() {
        var m = runningMachine()
        _ = m.handle(.exited(pid: 20, description: "exited with status 1"), now: t0 + .seconds(1))
        #expect(m.handle(.tick, now: t0 + .seconds(2)) == [.start("store")])
        let actions = m.handle(.spawnFailed("store", reason: "missing binary"), now: t0 + .seconds(2))
        guard case .scheduleRestart("store", _, let delay, _, _) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        #expect(delay == .seconds(2))
    }

    @Test func stopsInReverseOrderOneAtATime() {
        var m = runningMachine()
        #expect(m.handle(.stopRequested, now: t0) == [.stop("web", pid: 30)])
        #expect(m.handle(.stopRequested, now: t0) == [])
        #expect(m.handle(.tick, now: t0 + .seconds(1)) == [])
        #expect(m.handle(.exited(pid: 30, description: "exited with status 0"), now: t0) == [.stop("store", pid: 20)])
        #expect(m.handle(.exited(pid: 20, description: "exited with status 0"), now: t0) == [.stop("bus", pid: 10)])
        #expect(m.handle(.exited(pid: 10, description: "exited with status 0"), now: t0) == [.finished])
        #expect(m.phase == .finished)
    }

    @Test func killsAfterStopTimeoutAndGivesUpAfterGrace() {
        var m = runningMachine()
        _ = m.handle(.stopRequested, now: t0)
        #expect(m.handle(.tick, now: t0 + .seconds(9)) == [])
        #expect(m.handle(.tick, now: t0 + .seconds(10)) == [.kill("web", pid: 30)])
        #expect(m.handle(.tick, now: t0 + .seconds(11)) == [])
        // Never reaped: move on after the kill grace.
        #expect(m.handle(.tick, now: t0 + .seconds(15)) == [.stop("store", pid: 20)])
    }

    @Test func stopCancelsPendingRestarts() {
        var m = runningMachine()
        _ = m.handle(.exited(pid: 30, description: "x"), now: t0 + .seconds(1))
        #expect(m.handle(.stopRequested, now: t0 + .seconds(1)) == [.stop("store", pid: 20)])
        #expect(m.state(of: "web") == .stopped)
        #expect(m.handle(.tick, now: t0 + .seconds(5)) == [])
    }

    @Test func stopDuringStartupStopsOnlyWhatStarted() {
        var m = Machine(members: members())
        _ = m.handle(.start, now: t0)
        _ = m.handle(.spawned("bus", pid: 10), now: t0)
        #expect(m.handle(.stopRequested, now: t0) == [.stop("bus", pid: 10)])
        #expect(m.handle(.ready("bus"), now: t0) == [])
        #expect(m.handle(.exited(pid: 10, description: "x"), now: t0) == [.finished])
        #expect(m.failure == nil)
    }

    @Test func unexpectedExitWhileStoppingIsNotRestarted() {
        var m = runningMachine()
        _ = m.handle(.stopRequested, now: t0)
        // The bus dies on its own while web is being stopped.
        #expect(m.handle(.exited(pid: 10, description: "was killed by signal 9 (SIGKILL)"), now: t0) == [])
        #expect(m.handle(.exited(pid: 30, description: "x"), now: t0) == [.stop("store", pid: 20)])
        #expect(m.handle(.exited(pid: 20, description: "x"), now: t0) == [.finished])
    }

    @Test func unknownPidIsIgnored() {
        var m = runningMachine()
        #expect(m.handle(.exited(pid: 999, description: "x"), now: t0) == [])
    }

    @Test func emptyClusterIsReadyAtOnce() {
        var m = Machine(members: [])
        #expect(m.handle(.start, now: t0) == [.clusterReady])
        #expect(m.handle(.stopRequested, now: t0) == [.finished])
    }
}
