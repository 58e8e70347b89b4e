import Foundation
import Schema
import Testing

@testable import Kubelet

@Suite struct ProbeStateTests {
    let start = Date(timeIntervalSince1970: 5_000)

    func probe(delay: Int = 0, period: Int = 1, success: Int = 1, failure: Int = 3) -> Probe {
        Probe(
            exec: ExecAction(command: ["true"]), initialDelaySeconds: delay, timeoutSeconds: 1, periodSeconds: period,
            successThreshold: success, failureThreshold: failure)
    }

    @Test func initialResultsFollowKubernetes() {
        #expect(ProbeState(kind: .liveness, probe: probe(), containerStartedAt: start).result == true)
        #expect(ProbeState(kind: .readiness, probe: probe(), containerStartedAt: start).result == false)
        #expect(ProbeState(kind: .startup, probe: probe(), containerStartedAt: start).result == nil)
    }

    @Test func aKnownResultReplacesTheInitialOne() {
        #expect(ProbeState(kind: .readiness, probe: probe(), containerStartedAt: start, known: true).result == true)
        #expect(ProbeState(kind: .startup, probe: probe(), containerStartedAt: start, known: true).result == true)
    }

    @Test func dueAfterInitialDelayThenEveryPeriod() {
        var s = ProbeState(kind: .liveness, probe: probe(delay: 5, period: 2), containerStartedAt: start)
        #expect(!s.isDue(now: start.addingTimeInterval(4.9)))
        #expect(s.isDue(now: start.addingTimeInterval(5)))
        s.started(now: start.addingTimeInterval(5))
        #expect(!s.isDue(now: start.addingTimeInterval(6.5)))
        #expect(s.isDue(now: start.addingTimeInterval(7)))
        #expect(s.nextRun() == start.addingTimeInterval(7))
    }

    @Test func livenessFailsOnlyAfterTheFailureThreshold() {
        var s = ProbeState(kind: .liveness, probe: probe(failure: 3), containerStartedAt: start)
        var changed: Bool
        changed = s.record(.failure("boom"))
        #expect(!changed)
        changed = s.record(.failure("boom"))
        #expect(!changed)
        changed = s.record(.failure("boom"))
        #expect(changed)
        #expect(s.result == false)
        #expect(s.lastFailure == "boom")
    }

    @Test func aSuccessResetsTheFailureCount() {
        var s = ProbeState(kind: .liveness, probe: probe(failure: 2), containerStartedAt: start)
        s.record(.failure("x"))
        s.record(.success)
        s.record(.failure("x"))
        #expect(s.result == true)
    }

    @Test func readinessNeedsTheSuccessThreshold() {
        var s = ProbeState(kind: .readiness, probe: probe(success: 2, failure: 1), containerStartedAt: start)
        var changed: Bool
        changed = s.record(.success)
        #expect(!changed)
        changed = s.record(.success)
        #expect(changed)
        #expect(s.result == true)
        changed = s.record(.failure("503"))
        #expect(changed)
        #expect(s.result == false)
    }

    @Test func livenessSuccessThresholdIsAlwaysOne() {
        let s = ProbeState(kind: .liveness, probe: probe(success: 5), containerStartedAt: start)
        #expect(s.successThreshold == 1)
    }
}
