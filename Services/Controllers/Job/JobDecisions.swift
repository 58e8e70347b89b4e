import ControllerKit
public import Foundation
public import Schema

/// The pure decisions of the job controller: back-off, completion indexes, how many pods to run, and when a
/// Job has failed or completed (Kubernetes' `pkg/controller/job`).
public enum JobDecisions {
    /// The annotation and label giving an Indexed Job's pod its index.
    public static let completionIndexKey = "batch.kubernetes.io/job-completion-index"
    /// Kubernetes' default `backoffLimit`.
    public static let defaultBackoffLimit = 6
    /// Kubernetes' `DefaultJobPodFailureBackOff`.
    public static let defaultBackoffBase: Duration = .seconds(10)
    /// Kubernetes' `MaxJobPodFailureBackOff`.
    public static let maxBackoff: Duration = .seconds(360)

    /// The delay before the pod after `failures` consecutive failures: `base × 2^(failures-1)`, at most `cap`.
    public static func backoff(failures: Int, base: Duration = defaultBackoffBase, cap: Duration = maxBackoff)
        -> Duration
    {
        guard failures > 0 else { return .zero }
        var delay = base
        for _ in 1..<min(failures, 32) {
            delay = delay * 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }

    /// The index of an Indexed Job's pod, from its annotation (or label).
    public static func completionIndex(of pod: Pod) -> Int? {
        let text = pod.metadata.annotations?[completionIndexKey] ?? pod.metadata.labels?[completionIndexKey]
        guard let text, let index = Int(text), index >= 0 else { return nil }
        return index
    }

    /// `[0, 1, 2, 4]` as `0-2,4`, the form of `status.completedIndexes`.
    public static func formatIndexes(_ indexes: Set<Int>) -> String {
        var parts: [String] = []
        var sorted = indexes.sorted()[...]
        while let first = sorted.first {
            var last = first
            sorted = sorted.dropFirst()
            while let next = sorted.first, next == last + 1 {
                last = next
                sorted = sorted.dropFirst()
            }
            parts.append(first == last ? "\(first)" : "\(first)-\(last)")
        }
        return parts.joined(separator: ",")
    }

    /// Parses `0-2,4` back into indexes below `completions`; malformed parts are skipped.
    public static func parseIndexes(_ text: String?, completions: Int) -> Set<Int> {
        var result = Set<Int>()
        for part in (text ?? "").split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            guard let low = bounds.first, let high = bounds.last, low <= high, low >= 0 else { continue }
            for i in low...high where i < completions { result.insert(i) }
        }
        return result
    }

    /// The lowest `count` indexes below `completions` that are neither completed nor running.
    public static func missingIndexes(completions: Int, completed: Set<Int>, active: Set<Int>, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var result: [Int] = []
        for i in 0..<completions where !completed.contains(i) && !active.contains(i) {
            result.append(i)
            if result.count == count { break }
        }
        return result
    }

    /// How many pods should be active (`manageJob`'s `wantActive`).
    public static func wantActive(parallelism: Int, completions: Int?, succeeded: Int) -> Int {
        guard let completions else {
            // Without completions, the first success ends the Job: let the running pods finish, start no more.
            return succeeded > 0 ? 0 : parallelism
        }
        return max(0, min(parallelism, completions - succeeded))
    }

    /// Whether the Job has succeeded.
    public static func isComplete(completions: Int?, succeeded: Int, active: Int) -> Bool {
        guard let completions else { return succeeded > 0 && active == 0 }
        return succeeded >= completions
    }

    /// Whether failures exceed `backoffLimit`: failed pods (any restart policy) and, with `OnFailure`, the
    /// restarts of the active pods' containers.
    public static func exceedsBackoffLimit(
        failed: Int, activeRestarts: Int, restartPolicy: String?, backoffLimit: Int
    ) -> Bool {
        if restartPolicy == "OnFailure", activeRestarts > 0, activeRestarts + failed > backoffLimit { return true }
        return failed > backoffLimit
    }

    /// When a finished pod finished: its last container's `finishedAt`, else its Ready condition's change.
    public static func finishTime(of pod: Pod) -> Date? {
        let finished = (pod.status.containerStatuses ?? []).compactMap { $0.state?.terminated?.finishedAt?.date }
        if let last = finished.max() { return last }
        return pod.readyCondition?.lastTransitionTime?.date ?? pod.metadata.creationTimestamp?.date
    }

    /// The pods `restartPolicy: OnFailure` has restarted, summed over containers.
    public static func restarts(of pod: Pod) -> Int {
        (pod.status.containerStatuses ?? []).reduce(0) { $0 + $1.restartCount }
            + (pod.status.initContainerStatuses ?? []).reduce(0) { $0 + $1.restartCount }
    }

    /// The condition `type` set to True with `reason`, replacing an existing one of that type.
    public static func setCondition(
        _ conditions: inout [JobCondition], type: String, reason: String, message: String, now: Time
    ) {
        if let i = conditions.firstIndex(where: { $0.type == type }) {
            if conditions[i].status == "True" && conditions[i].reason == reason { return }
            conditions[i] = JobCondition(
                type: type, status: "True", lastProbeTime: now, lastTransitionTime: now, reason: reason,
                message: message)
        } else {
            conditions.append(
                JobCondition(
                    type: type, status: "True", lastProbeTime: now, lastTransitionTime: now, reason: reason,
                    message: message))
        }
    }

    /// Whether `job` has a true `Complete` or `Failed` condition.
    public static func isFinished(_ job: Job) -> Bool {
        (job.status.conditions ?? []).contains { ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True" }
    }

    /// When a finished Job finished: its completion time, else its finishing condition's transition.
    public static func finishTime(of job: Job) -> Date? {
        if let done = job.status.completionTime?.date { return done }
        return (job.status.conditions ?? []).first {
            ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True"
        }?
        .lastTransitionTime?.date
    }
}
