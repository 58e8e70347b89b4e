/// How a controller process runs: workers, resync and leader election.
public struct ControllerConfiguration: Sendable {
    /// Concurrent workers calling `reconcile`; one key is never reconciled by two at once.
    public var workers = 5
    /// How often every key is queued again, catching anything an event did not; nil never.
    public var resyncPeriod: Duration? = .seconds(300)
    /// Elect a leader through the Lease `kube-system/kubus-<name>` before working.
    public var leaderElect = true
    /// How long standbys wait after the leader's last renewal before taking over.
    public var leaseDuration: Duration = .seconds(15)
    /// How long the leader tries to renew before it stops leading.
    public var renewDeadline: Duration = .seconds(10)
    /// How often candidates try to acquire and the leader renews.
    public var retryPeriod: Duration = .seconds(2)
    /// The first retry delay of a failing key; it doubles on each failure.
    public var baseRetryDelay: Duration = .milliseconds(5)
    /// The longest retry delay of a failing key.
    public var maxRetryDelay: Duration = .seconds(300)
    /// Hidden per-controller tuning (`--controller-option key=value`), e.g. shorter back-offs for tests.
    public var options: [String: String] = [:]
    /// node-lifecycle: how long a node's Lease may go unrenewed before its Ready condition becomes Unknown.
    public var nodeMonitorGracePeriod: Duration = .seconds(40)
    /// node-lifecycle: nodes per second that may get the NoExecute taint in a healthy zone.
    public var nodeEvictionRate = 0.1
    /// node-lifecycle: the same in a partially disrupted zone larger than `largeClusterSizeThreshold`.
    public var secondaryNodeEvictionRate = 0.01
    /// node-lifecycle: the share of not-ready nodes (more than 2) that makes a zone partially disrupted.
    public var unhealthyZoneThreshold = 0.55
    /// node-lifecycle: a partially disrupted zone of at most this many nodes gets no new NoExecute taints.
    public var largeClusterSizeThreshold = 50
    /// persistentvolume: the folder provisioned hostPath volumes are made in.
    public var volumeDirectory = "state/volumes"

    /// Creates the defaults of kube-controller-manager.
    public init() {}
}
