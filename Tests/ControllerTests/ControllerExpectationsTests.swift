import ControllerKit
import Testing

struct ControllerExpectationsTests {
    @Test func noExpectationsAreSatisfied() {
        let e = ControllerExpectations()
        #expect(e.isSatisfied("default/web"))
    }

    @Test func creationsMustAllBeObserved() {
        var e = ControllerExpectations()
        e.expectCreations("default/web", count: 3)
        #expect(!e.isSatisfied("default/web"))
        e.creationObserved("default/web")
        e.creationObserved("default/web")
        #expect(!e.isSatisfied("default/web"))
        e.creationObserved("default/web")
        #expect(e.isSatisfied("default/web"))
        // Other keys are independent.
        #expect(e.isSatisfied("default/other"))
    }

    @Test func deletionsAreTrackedPerPodAndCountedOnce() {
        var e = ControllerExpectations()
        e.expectDeletions("default/web", podKeys: ["default/web-a", "default/web-b"])
        e.deletionObserved("default/web", podKey: "default/web-a")
        // The same pod seen again (deletionTimestamp, then the delete event) does not count twice.
        e.deletionObserved("default/web", podKey: "default/web-a")
        // A pod it did not ask to delete does not count.
        e.deletionObserved("default/web", podKey: "default/web-z")
        #expect(!e.isSatisfied("default/web"))
        #expect(e.entry("default/web")?.deletes == 1)
        e.deletionObserved("default/web", podKey: "default/web-b")
        #expect(e.isSatisfied("default/web"))
    }

    @Test func expectationsExpireAfterTheTimeout() {
        var e = ControllerExpectations()
        let start = ContinuousClock.now
        e.expectCreations("default/web", count: 2, now: start)
        #expect(!e.isSatisfied("default/web", now: start + .seconds(299)))
        #expect(e.isSatisfied("default/web", now: start + .seconds(301)))
        #expect(ControllerExpectations.defaultTimeout == .seconds(300))
    }

    @Test func newExpectationsReplaceOldOnes() {
        var e = ControllerExpectations()
        e.expectCreations("default/web", count: 5)
        e.expectDeletions("default/web", podKeys: ["default/web-a"])
        #expect(e.entry("default/web")?.adds == 0)
        #expect(e.entry("default/web")?.deletes == 1)
    }

    @Test func deletedControllersForgetTheirExpectations() {
        var e = ControllerExpectations()
        e.expectCreations("default/web", count: 5)
        e.delete("default/web")
        #expect(e.isSatisfied("default/web"))
        #expect(e.entry("default/web") == nil)
    }
}
