/// How a scheduler runs.
public struct SchedulerConfiguration: Sendable {
    /// The `spec.schedulerName` this scheduler serves.
    public var schedulerName = "default-scheduler"
    /// Concurrent reconciles; decisions are serialized, only the api writes overlap (so many workers are cheap).
    public var workers = 16
    /// Unschedulable pods are retried at least this often.
    public var retryInterval: Duration = .seconds(30)
    /// See `SchedulingCycle.percentageOfNodesToScore`; 0 is kube-scheduler's adaptive default.
    public var percentageOfNodesToScore = 0

    public init() {}
}
