import Foundation
import Testing

@testable import Kubelet

@Suite struct ContainerRestartTests {
    let t0 = Date(timeIntervalSince1970: 10_000)

    @Test func firstFailureRestartsAtOnceThenDoubles() {
        var r = ContainerRestart()
        #expect(!r.isInBackOff(since: t0, now: t0))
        r.next(now: t0)
        #expect(r.delay == 10)
        // The second failure must wait 10 s from when it finished.
        let second = t0.addingTimeInterval(1)
        #expect(r.isInBackOff(since: second, now: second.addingTimeInterval(9)))
        #expect(!r.isInBackOff(since: second, now: second.addingTimeInterval(10)))
        r.next(now: second.addingTimeInterval(10))
        #expect(r.delay == 20)
        r.next(now: second.addingTimeInterval(31))
        #expect(r.delay == 40)
    }

    @Test func capsAtTheMaximum() {
        var r = ContainerRestart()
        var now = t0
        for _ in 0..<10 {
            r.next(now: now)
            now = now.addingTimeInterval(r.delay ?? 0)
        }
        #expect(r.delay == 300)
    }

    @Test func resetsAfterALongRun() {
        var r = ContainerRestart()
        r.next(now: t0)
        r.next(now: t0.addingTimeInterval(20))
        #expect(r.delay == 20)
        r.next(now: t0.addingTimeInterval(700), ranFor: 650)
        #expect(r.delay == 10)
    }

    @Test func resetsWhenUntouchedForTwiceTheMaximum() {
        var r = ContainerRestart()
        r.next(now: t0)
        r.next(now: t0.addingTimeInterval(20))
        #expect(!r.isInBackOff(since: t0.addingTimeInterval(25), now: t0.addingTimeInterval(700)))
        r.next(now: t0.addingTimeInterval(700))
        #expect(r.delay == 10)
    }
}
