/// Kubernetes' `UIDTrackingControllerExpectations` as a pure value: per controller key, the pod creations
/// and deletions it asked for and has not yet seen in its informer.
///
/// A controller sets expectations before it creates or deletes, lowers them as informer events arrive, and
/// acts on a key only when its expectations are satisfied — so a lagging informer never makes it create the
/// same pods twice. Expectations older than `timeout` (5 minutes, as in kube) count as satisfied, so a lost
/// event cannot stall a controller forever.
public struct ControllerExpectations: Sendable {
    /// One controller's outstanding creations and deletions.
    public struct Entry: Sendable, Hashable {
        /// Creations not yet observed.
        public var adds: Int
        /// Deletions not yet observed.
        public var deletes: Int
        /// The keys of the pods whose deletion is awaited.
        public var deleteKeys: Set<String>
        /// When the expectations were set.
        public var timestamp: ContinuousClock.Instant

        /// Whether every expected event was observed.
        public var isFulfilled: Bool { adds <= 0 && deletes <= 0 }
    }

    /// Kubernetes' `ExpectationsTimeout`.
    public static let defaultTimeout: Duration = .seconds(300)

    /// How long expectations hold before they count as satisfied.
    public let timeout: Duration
    private var entries: [String: Entry] = [:]

    /// Creates empty expectations.
    public init(timeout: Duration = ControllerExpectations.defaultTimeout) {
        self.timeout = timeout
    }

    /// The expectations of `key`, if any.
    public func entry(_ key: String) -> Entry? { entries[key] }

    /// Whether the controller `key` may act: no expectations, all observed, or expired.
    public func isSatisfied(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard let entry = entries[key] else { return true }
        return entry.isFulfilled || now - entry.timestamp > timeout
    }

    /// Expects `count` creations for `key`, replacing earlier expectations.
    public mutating func expectCreations(_ key: String, count: Int, now: ContinuousClock.Instant = .now) {
        entries[key] = Entry(adds: count, deletes: 0, deleteKeys: [], timestamp: now)
    }

    /// Expects the deletion of the pods `podKeys` for `key`, replacing earlier expectations.
    public mutating func expectDeletions(_ key: String, podKeys: [String], now: ContinuousClock.Instant = .now) {
        let keys = Set(podKeys)
        entries[key] = Entry(adds: 0, deletes: keys.count, deleteKeys: keys, timestamp: now)
    }

    /// One creation for `key` was observed (or will never happen, because it failed).
    public mutating func creationObserved(_ key: String) {
        entries[key]?.adds -= 1
    }

    /// The deletion of the pod `podKey` was observed (or failed); counted once per pod.
    public mutating func deletionObserved(_ key: String, podKey: String) {
        guard entries[key]?.deleteKeys.remove(podKey) != nil else { return }
        entries[key]?.deletes -= 1
    }

    /// Forgets `key` (its controller was deleted).
    public mutating func delete(_ key: String) {
        entries[key] = nil
    }
}
