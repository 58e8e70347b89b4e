public import Schema

extension Pod {
    /// Whether this scheduler should place the pod: not bound, not being deleted, not finished, and asking
    /// for `schedulerName` (pods that name none get `default-scheduler`).
    public func isPending(for schedulerName: String) -> Bool {
        (spec.nodeName ?? "").isEmpty && !isTerminating && !isFinished
            && (spec.schedulerName.flatMap { $0.isEmpty ? nil : $0 } ?? "default-scheduler") == schedulerName
    }

    /// Sets the condition of `condition.type`, keeping its transition time when the status did not change;
    /// returns whether anything changed.
    @discardableResult
    public mutating func setCondition(_ condition: PodCondition) -> Bool {
        var conditions = status.conditions ?? []
        var new = condition
        if let index = conditions.firstIndex(where: { $0.type == condition.type }) {
            let old = conditions[index]
            if old.status == new.status && old.reason == new.reason && old.message == new.message { return false }
            if old.status == new.status { new.lastTransitionTime = old.lastTransitionTime ?? new.lastTransitionTime }
            conditions[index] = new
        } else {
            conditions.append(new)
        }
        status.conditions = conditions
        return true
    }
}

extension Node {
    /// Whether a change from `old` may let a pending pod fit: spec (taints, unschedulable), labels,
    /// allocatable or readiness changed. Heartbeat-only updates are not.
    func mayHelpScheduling(comparedTo old: Node?) -> Bool {
        guard let old else { return true }
        return old.spec != spec || old.metadata.labels != metadata.labels
            || old.status.allocatable != status.allocatable || old.status.capacity != status.capacity
            || old.isReady != isReady
    }
}
