import Ingress
import Testing

@Suite struct NginxLifecycleTests {
    @Test func startsOnTheFirstConfigurationAndReloadsOnTheNext() {
        var m = NginxLifecycle()
        #expect(m.configurationWritten() == .start)
        #expect(m.started(pid: 10, now: 0) == .none)
        #expect(m.state == .running(pid: 10, since: 0))
        #expect(m.configurationWritten() == .reload(pid: 10))
        #expect(m.configurationWritten() == .reload(pid: 10))
        #expect(m.reloads == 2)
    }

    @Test func nothingRunsWithoutAConfiguration() {
        var m = NginxLifecycle()
        #expect(m.shutdown() == .finished)
        #expect(m.configurationWritten() == .none)
    }

    @Test func restartsWithBackoffThatResetsOnceStable() {
        var m = NginxLifecycle()
        _ = m.configurationWritten()
        _ = m.started(pid: 10, now: 0)
        #expect(m.exited(pid: 10, now: 1) == .startAfter(seconds: 0.1))
        #expect(m.configurationWritten() == .none, "the restart reads the newest file")
        #expect(m.backoffElapsed() == .start)
        _ = m.started(pid: 11, now: 1.1)
        #expect(m.exited(pid: 11, now: 1.2) == .startAfter(seconds: 0.2))
        _ = m.backoffElapsed()
        #expect(m.startFailed() == .startAfter(seconds: 0.4))
        _ = m.backoffElapsed()
        _ = m.started(pid: 12, now: 2)
        #expect(m.restarts == 3)
        // Ran long enough: the next failure starts over at the first backoff.
        #expect(m.exited(pid: 12, now: 20) == .startAfter(seconds: 0.1))
    }

    @Test func backoffIsCapped() {
        var m = NginxLifecycle()
        _ = m.configurationWritten()
        var last = NginxLifecycle.Action.none
        for _ in 0..<12 {
            last = m.startFailed()
            _ = m.backoffElapsed()
        }
        #expect(last == .startAfter(seconds: NginxLifecycle.maxBackoff))
    }

    @Test func exitsOfOtherProcessesAreIgnored() {
        var m = NginxLifecycle()
        _ = m.configurationWritten()
        _ = m.started(pid: 10, now: 0)
        #expect(m.exited(pid: 99, now: 1) == .none)
        #expect(m.pid == 10)
    }

    @Test func shutdownStopsNginxAndFinishesWhenItExits() {
        var m = NginxLifecycle()
        _ = m.configurationWritten()
        _ = m.started(pid: 10, now: 0)
        #expect(m.shutdown() == .stop(pid: 10))
        #expect(m.shutdown() == .none)
        #expect(m.configurationWritten() == .none)
        #expect(m.exited(pid: 10, now: 1) == .finished)
        #expect(m.state == .stopped)
    }

    @Test func shutdownWhileBackingOffFinishesAtOnce() {
        var m = NginxLifecycle()
        _ = m.configurationWritten()
        _ = m.started(pid: 10, now: 0)
        _ = m.exited(pid: 10, now: 1)
        #expect(m.shutdown() == .finished)
        #expect(m.backoffElapsed() == .none)
    }
}
