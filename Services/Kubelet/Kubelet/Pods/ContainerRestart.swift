public import Foundation

/// The back-off of one container's restarts (or image pulls), with Kubernetes' `flowcontrol.Backoff` semantics.
///
/// The first failure restarts at once and arms `initial`; a failure while armed waits until `delay` has passed
/// since it finished, then restarts and doubles the delay up to `maximum`. An entry untouched for twice the
/// maximum, or a container that ran for `resetAfter`, starts over.
public struct ContainerRestart: Sendable, Hashable {
    public var initial: TimeInterval
    public var maximum: TimeInterval
    public var resetAfter: TimeInterval
    /// The current delay; nil until the first restart.
    public private(set) var delay: TimeInterval?
    /// When `next` last ran.
    public private(set) var lastUpdate: Date?

    public init(initial: TimeInterval = 10, maximum: TimeInterval = 300, resetAfter: TimeInterval = 600) {
        self.initial = initial
        self.maximum = maximum
        self.resetAfter = resetAfter
    }

    /// Whether a failure that finished at `finishedAt` must still wait at `now`.
    public func isInBackOff(since finishedAt: Date, now: Date) -> Bool {
        guard let delay, let lastUpdate else { return false }
        if now.timeIntervalSince(lastUpdate) > 2 * maximum { return false }
        return now.timeIntervalSince(finishedAt) < delay
    }

    /// When a failure that finished at `finishedAt` may be retried.
    public func retryAt(since finishedAt: Date) -> Date {
        finishedAt.addingTimeInterval(delay ?? 0)
    }

    /// Records a restart at `now` of a container that ran for `ranFor` seconds; arms or doubles the delay.
    public mutating func next(now: Date, ranFor: TimeInterval = 0) {
        if let delay, let lastUpdate, now.timeIntervalSince(lastUpdate) <= 2 * maximum, ranFor < resetAfter {
            self.delay = min(delay * 2, maximum)
        } else {
            delay = initial
        }
        lastUpdate = now
    }

    /// Forgets the back-off.
    public mutating func reset() {
        delay = nil
        lastUpdate = nil
    }
}
