/// How a controller process runs: workers, resync and retries (leader election: `LeaderElectionOptions`).
public struct ControllerConfiguration: Sendable {
    /// Concurrent workers calling `reconcile`; one key is never reconciled by two at once.
    public var workers = 5
    /// How often every key is queued again, catching anything an event did not; nil never.
    public var resyncPeriod: Duration? = .seconds(300)
    /// The first retry delay of a failing key; it doubles on each failure.
    public var baseRetryDelay: Duration = .milliseconds(5)
    /// The longest retry delay of a failing key.
    public var maxRetryDelay: Duration = .seconds(300)
    /// Hidden per-controller tuning (`--controller-option key=value`), e.g. shorter back-offs for tests.
    public var options: [String: String] = [:]
    /// node-lifecycle: how long a node's Lease may go unrenewed before its Ready condition becomes Unknown.
    public var nodeMonitorGracePeriod: Duration = .seconds(40)
    /// node-lifecycle: how fast nodes may get the NoExecute taint, per zone.
    public var nodeEvictionRates = NodeEvictionRates()
    /// persistentvolume: the folder provisioned hostPath volumes are made in.
    public var volumeDirectory = "state/volumes"

    /// Creates the defaults of kube-controller-manager.
    public init() {}
}

/// kube-controller-manager's eviction-rate settings for the node-lifecycle controller.
public struct NodeEvictionRates: Sendable, Equatable {
    /// Nodes per second that may get the NoExecute taint in a healthy zone (`--node-eviction-rate`).
    public var rate = 0.1
    /// The same in a partially disrupted large zone (`--secondary-node-eviction-rate`).
    public var secondaryRate = 0.01
    /// The share of not-ready nodes (more than 2 of them) that makes a zone partially disrupted.
    public var unhealthyZoneThreshold = 0.55
    /// A partially disrupted zone of at most this many nodes gets no new NoExecute taints at all.
    public var largeClusterSizeThreshold = 50

    public init(
        rate: Double = 0.1, secondaryRate: Double = 0.01, unhealthyZoneThreshold: Double = 0.55,
        largeClusterSizeThreshold: Int = 50
    ) {
        self.rate = rate
        self.secondaryRate = secondaryRate
        self.unhealthyZoneThreshold = unhealthyZoneThreshold
        self.largeClusterSizeThreshold = largeClusterSizeThreshold
    }
}
