import ControllerKit
public import Foundation
public import Schema

/// The pure decisions of Kubernetes' `pkg/controller/deployment` (and its `util` package): template hashes,
/// surge and unavailability fenceposts, how far each ReplicaSet is scaled in a rolling, recreate or
/// proportional step, revisions, status and conditions.
public enum DeploymentDecisions {
    /// The label that tells a Deployment's ReplicaSets (and their pods) apart.
    public static let podTemplateHashLabel = "pod-template-hash"
    /// The revision annotation on ReplicaSets and Deployments.
    public static let revisionAnnotation = "deployment.kubernetes.io/revision"
    /// The Deployment's `spec.replicas` when the ReplicaSet was last scaled.
    public static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    /// The Deployment's `spec.replicas + maxSurge` when the ReplicaSet was last scaled.
    public static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    /// Revisions a rolled-back-to ReplicaSet had before.
    public static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    /// The template annotation `kubusctl rollout restart` sets.
    public static let restartedAtAnnotation = "kubectl.kubernetes.io/restartedAt"

    // MARK: Hash

    /// Whether two templates are equal once the `pod-template-hash` label is ignored (`EqualIgnoreHash`).
    public static func equalIgnoringHash(_ a: PodTemplateSpec, _ b: PodTemplateSpec) -> Bool {
        var a = a
        var b = b
        for index in [0, 1] {
            var t = index == 0 ? a : b
            t.metadata.labels?.removeValue(forKey: podTemplateHashLabel)
            if t.metadata.labels?.isEmpty == true { t.metadata.labels = nil }
            if index == 0 { a = t } else { b = t }
        }
        return a == b
    }

    // MARK: Fenceposts

    /// An int, or a percentage of `total` rounded up or down (`GetScaledValueFromIntOrPercent`).
    public static func scaledValue(_ value: IntOrString?, total: Int, roundUp: Bool) -> Int {
        switch value {
        case nil: return 0
        case .int(let n): return n
        case .string(let text):
            let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
            guard let percent = Int(digits) else { return 0 }
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }

    /// maxSurge rounded up and maxUnavailable rounded down; both 0 makes unavailability 1
    /// (`ResolveFenceposts`).
    public static func resolveFenceposts(maxSurge: IntOrString?, maxUnavailable: IntOrString?, desired: Int)
        -> (surge: Int, unavailable: Int)
    {
        let surge = scaledValue(maxSurge, total: desired, roundUp: true)
        var unavailable = scaledValue(maxUnavailable, total: desired, roundUp: false)
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    /// Whether the Deployment rolls (the default) rather than recreates.
    public static func isRollingUpdate(_ d: Deployment) -> Bool {
        (d.spec.strategy?.type ?? "RollingUpdate") == "RollingUpdate"
    }

    /// The surge allowed above `spec.replicas` (`MaxSurge`).
    public static func maxSurge(_ d: Deployment) -> Int {
        guard isRollingUpdate(d) else { return 0 }
        let rolling = d.spec.strategy?.rollingUpdate
        return resolveFenceposts(
            maxSurge: rolling?.maxSurge ?? "25%", maxUnavailable: rolling?.maxUnavailable ?? "25%",
            desired: replicas(d)
        ).surge
    }

    /// The pods that may be unavailable below `spec.replicas`, at most `spec.replicas` (`MaxUnavailable`).
    public static func maxUnavailable(_ d: Deployment) -> Int {
        guard isRollingUpdate(d), replicas(d) > 0 else { return 0 }
        let rolling = d.spec.strategy?.rollingUpdate
        let unavailable = resolveFenceposts(
            maxSurge: rolling?.maxSurge ?? "25%", maxUnavailable: rolling?.maxUnavailable ?? "25%",
            desired: replicas(d)
        ).unavailable
        return min(unavailable, replicas(d))
    }

    /// `spec.replicas`, 1 when unset.
    public static func replicas(_ d: Deployment) -> Int { d.spec.replicas ?? 1 }
    /// A ReplicaSet's `spec.replicas`, 1 when unset.
    public static func replicas(_ rs: ReplicaSet) -> Int { rs.spec.replicas ?? 1 }
    /// A ReplicaSet's available pods, never more than it is asked for: its status lags a scale-down, and a
    /// stale count must not let the rollout take away more pods than maxUnavailable allows.
    public static func available(_ rs: ReplicaSet) -> Int {
        min(rs.status.availableReplicas ?? 0, replicas(rs))
    }

    // MARK: ReplicaSet sets

    /// The sum of `spec.replicas`.
    public static func specReplicas(_ sets: [ReplicaSet]) -> Int { sets.reduce(0) { $0 + replicas($1) } }
    /// The sum of `status.replicas`.
    public static func actualReplicas(_ sets: [ReplicaSet]) -> Int { sets.reduce(0) { $0 + $1.status.replicas } }
    /// The sum of ready pods.
    public static func readyReplicas(_ sets: [ReplicaSet]) -> Int {
        sets.reduce(0) { $0 + ($1.status.readyReplicas ?? 0) }
    }
    /// The sum of available pods.
    public static func availableReplicas(_ sets: [ReplicaSet]) -> Int { sets.reduce(0) { $0 + available($1) } }
    /// ReplicaSets asked for at least one pod (`FilterActiveReplicaSets`).
    public static func active(_ sets: [ReplicaSet]) -> [ReplicaSet] { sets.filter { replicas($0) > 0 } }

    /// Oldest first, by creation then name (`ReplicaSetsByCreationTimestamp`).
    public static func byCreation(_ sets: [ReplicaSet]) -> [ReplicaSet] {
        sets.sorted { a, b in
            let ta = a.metadata.creationTimestamp
            let tb = b.metadata.creationTimestamp
            if ta == tb { return (a.metadata.name ?? "") < (b.metadata.name ?? "") }
            return (ta ?? Time(rawValue: "")) < (tb ?? Time(rawValue: ""))
        }
    }

    /// The `revision` annotation as a number (0 when absent).
    public static func revision(_ meta: ObjectMeta) -> Int {
        Int(meta.annotations?[revisionAnnotation] ?? "") ?? 0
    }

    /// The ReplicaSet whose template equals the Deployment's, the oldest if several (`FindNewReplicaSet`).
    public static func findNewReplicaSet(_ d: Deployment, _ sets: [ReplicaSet]) -> ReplicaSet? {
        byCreation(sets).first { rs in
            guard let template = rs.spec.template else { return false }
            return equalIgnoringHash(template, d.spec.template)
        }
    }

    // MARK: Rolling update

    /// The size the new ReplicaSet should grow to now (`NewRSNewReplicas`).
    public static func newReplicaSetReplicas(_ d: Deployment, all: [ReplicaSet], new: ReplicaSet) -> Int {
        guard isRollingUpdate(d) else { return replicas(d) }
        let current = specReplicas(all)
        let maxTotal = replicas(d) + maxSurge(d)
        if current >= maxTotal { return replicas(new) }
        let scaleUp = min(maxTotal - current, replicas(d) - replicas(new))
        return replicas(new) + scaleUp
    }

    /// The new ReplicaSet's next size, or nil when it is right (`reconcileNewReplicaSet`).
    public static func reconcileNewReplicaSet(_ d: Deployment, all: [ReplicaSet], new: ReplicaSet) -> Int? {
        if replicas(new) == replicas(d) { return nil }
        if replicas(new) > replicas(d) { return replicas(d) }
        let next = newReplicaSetReplicas(d, all: all, new: new)
        return next == replicas(new) ? nil : next
    }

    /// The old ReplicaSets to scale down, by name, to what size (`reconcileOldReplicaSets`): first unhealthy
    /// pods within what the surge leaves, then available ones down to `replicas - maxUnavailable`.
    public static func reconcileOldReplicaSets(_ d: Deployment, old: [ReplicaSet], new: ReplicaSet?) -> [String: Int] {
        let oldActive = active(old)
        if specReplicas(oldActive) == 0 { return [:] }
        let all = oldActive + (new.map { [$0] } ?? [])
        let minAvailable = replicas(d) - maxUnavailable(d)
        let newUnavailable = new.map { replicas($0) - available($0) } ?? 0
        let maxScaledDown = specReplicas(all) - minAvailable - newUnavailable
        if maxScaledDown <= 0 { return [:] }
        var sizes: [String: Int] = [:]
        var sets = byCreation(oldActive)
        // cleanupUnhealthyReplicas
        var cleaned = 0
        for i in sets.indices {
            if cleaned >= maxScaledDown { break }
            let rs = sets[i]
            let unhealthy = replicas(rs) - available(rs)
            if replicas(rs) == 0 || unhealthy <= 0 { continue }
            let down = min(maxScaledDown - cleaned, unhealthy)
            sets[i].spec.replicas = replicas(rs) - down
            sizes[rs.metadata.name ?? ""] = replicas(rs) - down
            cleaned += down
        }
        // scaleDownOldReplicaSetsForRollingUpdate
        let availableCount = availableReplicas(sets + (new.map { [$0] } ?? []))
        guard availableCount > minAvailable else { return sizes }
        let total = availableCount - minAvailable
        var scaled = 0
        for rs in sets {
            if scaled >= total { break }
            if replicas(rs) == 0 { continue }
            let down = min(replicas(rs), total - scaled)
            sizes[rs.metadata.name ?? ""] = replicas(rs) - down
            scaled += down
        }
        return sizes
    }

    // MARK: Proportional scaling

    /// The one active ReplicaSet, or the newest when none is active; nil when several are (`FindActiveOrLatest`).
    public static func activeOrLatest(new: ReplicaSet?, old: [ReplicaSet]) -> ReplicaSet? {
        if new == nil && old.isEmpty { return nil }
        let newestFirst = Array(byCreation(old).reversed())
        let all = active(newestFirst + (new.map { [$0] } ?? []))
        switch all.count {
        case 0: return new ?? newestFirst.first
        case 1: return all[0]
        default: return nil
        }
    }

    /// Whether the new ReplicaSet has every pod available (`IsSaturated`).
    public static func isSaturated(_ d: Deployment, new: ReplicaSet?) -> Bool {
        guard let new else { return false }
        let desired = Int(new.metadata.annotations?[desiredReplicasAnnotation] ?? "")
        return desired == replicas(d) && replicas(new) == replicas(d)
            && (new.status.availableReplicas ?? 0) == replicas(d)
    }

    /// Whether any active ReplicaSet was sized for another `spec.replicas` (`isScalingEvent`).
    public static func isScalingEvent(_ d: Deployment, sets: [ReplicaSet]) -> Bool {
        active(sets).contains { rs in
            guard let desired = Int(rs.metadata.annotations?[desiredReplicasAnnotation] ?? "") else { return false }
            return desired != replicas(d)
        }
    }

    /// The sizes a scaling event gives the ReplicaSets (`scale`): the only active one takes it all; a
    /// saturated new one leaves the old at 0; otherwise the change is split in proportion to each
    /// ReplicaSet's share of the max-replicas it was sized for, leftovers to the largest.
    public static func proportionalSizes(_ d: Deployment, new: ReplicaSet?, old: [ReplicaSet]) -> [String: Int] {
        if let only = activeOrLatest(new: new, old: old) {
            return replicas(only) == replicas(d) ? [:] : [only.metadata.name ?? "": replicas(d)]
        }
        if isSaturated(d, new: new) {
            return Dictionary(active(old).map { ($0.metadata.name ?? "", 0) }, uniquingKeysWith: { a, _ in a })
        }
        guard isRollingUpdate(d) else { return [:] }
        var all = active(old + (new.map { [$0] } ?? []))
        let allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0
        let toAdd = allowed - specReplicas(all)
        if toAdd > 0 {
            // ReplicaSetsBySizeNewer: larger first, newer first among equals.
            all.sort { a, b in
                replicas(a) != replicas(b)
                    ? replicas(a) > replicas(b) : byCreation([a, b])[0].metadata.name == b.metadata.name
            }
        } else if toAdd < 0 {
            // ReplicaSetsBySizeOlder: larger first, older first among equals.
            all.sort { a, b in
                replicas(a) != replicas(b)
                    ? replicas(a) > replicas(b) : byCreation([a, b])[0].metadata.name == a.metadata.name
            }
        }
        var added = 0
        var sizes: [String: Int] = [:]
        for rs in all {
            var proportion = 0
            if toAdd != 0 {
                proportion = Self.proportion(rs, d, toAdd: toAdd, added: added)
                added += proportion
            }
            sizes[rs.metadata.name ?? ""] = replicas(rs) + proportion
        }
        if toAdd != 0, let first = all.first {
            let name = first.metadata.name ?? ""
            sizes[name] = max(0, (sizes[name] ?? 0) + toAdd - added)
        }
        return sizes.filter { name, size in all.first { $0.metadata.name == name }.map(replicas) != size }
    }

    /// `GetProportion`.
    static func proportion(_ rs: ReplicaSet, _ d: Deployment, toAdd: Int, added: Int) -> Int {
        if replicas(rs) == 0 || toAdd == 0 || toAdd == added { return 0 }
        let fraction = fraction(rs, d)
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// `getReplicaSetFraction`.
    static func fraction(_ rs: ReplicaSet, _ d: Deployment) -> Int {
        if replicas(d) == 0 { return -replicas(rs) }
        let maxReplicas = replicas(d) + maxSurge(d)
        var before = Int(rs.metadata.annotations?[maxReplicasAnnotation] ?? "") ?? 0
        if before == 0 {
            before = d.status.replicas ?? 0
            if before == 0 { return 0 }
        }
        let size = Double(replicas(rs) * maxReplicas) / Double(before)
        return Int(size.rounded()) - replicas(rs)
    }

    // MARK: Revision history

    /// The old ReplicaSets `revisionHistoryLimit` lets go, oldest revision first: only those scaled to 0,
    /// with no pods and their scale observed (`cleanupDeployment`).
    public static func replicaSetsToCleanUp(_ d: Deployment, old: [ReplicaSet]) -> [ReplicaSet] {
        guard let limit = d.spec.revisionHistoryLimit else { return [] }
        let alive = old.filter { !$0.metadata.isBeingDeleted }
        let diff = alive.count - limit
        if diff <= 0 { return [] }
        let sorted = alive.sorted { a, b in
            let ra = revision(a.metadata)
            let rb = revision(b.metadata)
            return ra != rb ? ra < rb : byCreation([a, b])[0].metadata.name == a.metadata.name
        }
        return sorted.prefix(diff).filter { rs in
            rs.status.replicas == 0 && replicas(rs) == 0
                && (rs.metadata.generation ?? 0) <= (rs.status.observedGeneration ?? 0)
        }
    }

    // MARK: Status and conditions

    /// The status from the ReplicaSets (`calculateStatus`), with the Available condition.
    public static func calculateStatus(_ d: Deployment, all: [ReplicaSet], new: ReplicaSet?, now: Time)
        -> DeploymentStatus
    {
        let available = availableReplicas(all)
        var status = d.status
        status.observedGeneration = d.metadata.generation
        status.replicas = actualReplicas(all)
        status.updatedReplicas = new.map { $0.status.replicas } ?? 0
        status.readyReplicas = readyReplicas(all)
        status.availableReplicas = available
        status.unavailableReplicas = max(0, specReplicas(all) - available)
        if available >= replicas(d) - maxUnavailable(d) {
            setCondition(
                &status,
                DeploymentCondition(
                    type: "Available", status: "True", lastUpdateTime: now, lastTransitionTime: now,
                    reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability."))
        } else {
            setCondition(
                &status,
                DeploymentCondition(
                    type: "Available", status: "False", lastUpdateTime: now, lastTransitionTime: now,
                    reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability."
                ))
        }
        return status
    }

    /// The condition of `type`, if any.
    public static func condition(_ status: DeploymentStatus, _ type: String) -> DeploymentCondition? {
        status.conditions?.first { $0.type == type }
    }

    /// Sets a condition unless one with the same status and reason is there; keeps the transition time when
    /// only the reason changes (`SetDeploymentCondition`).
    public static func setCondition(_ status: inout DeploymentStatus, _ condition: DeploymentCondition) {
        var condition = condition
        var conditions = status.conditions ?? []
        if let index = conditions.firstIndex(where: { $0.type == condition.type }) {
            let current = conditions[index]
            if current.status == condition.status && current.reason == condition.reason { return }
            if current.status == condition.status { condition.lastTransitionTime = current.lastTransitionTime }
            conditions.remove(at: index)
        }
        conditions.append(condition)
        status.conditions = conditions
    }

    /// Removes the condition of `type`.
    public static func removeCondition(_ status: inout DeploymentStatus, _ type: String) {
        status.conditions?.removeAll { $0.type == type }
        if status.conditions?.isEmpty == true { status.conditions = nil }
    }

    /// Whether every pod is updated and available and the spec observed (`DeploymentComplete`).
    public static func isComplete(_ d: Deployment, _ status: DeploymentStatus) -> Bool {
        let want = replicas(d)
        return status.updatedReplicas ?? 0 == want && status.replicas ?? 0 == want
            && status.availableReplicas ?? 0 == want
            && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
    }

    /// Whether the rollout moved since the last status (`DeploymentProgressing`).
    public static func isProgressing(_ old: DeploymentStatus, _ new: DeploymentStatus) -> Bool {
        let oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
        let newOld = (new.replicas ?? 0) - (new.updatedReplicas ?? 0)
        return (new.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
            || (new.readyReplicas ?? 0) > (old.readyReplicas ?? 0)
            || (new.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
    }

    /// Whether the rollout has not progressed for `progressDeadlineSeconds` (`DeploymentTimedOut`).
    public static func hasTimedOut(_ d: Deployment, _ status: DeploymentStatus, now: Date) -> Bool {
        guard let deadline = d.spec.progressDeadlineSeconds, deadline < Int(Int32.max),
            let cond = condition(status, "Progressing")
        else { return false }
        if cond.reason == "NewReplicaSetAvailable" { return false }
        if cond.reason == "ProgressDeadlineExceeded" { return true }
        guard let from = cond.lastUpdateTime?.date else { return false }
        return from.addingTimeInterval(TimeInterval(deadline)) < now
    }

    /// The Progressing condition after a rollout step (`syncRolloutStatus`).
    public static func rolloutStatus(
        _ d: Deployment, all: [ReplicaSet], new: ReplicaSet?, now: Date
    ) -> DeploymentStatus {
        let time = Time(now)
        var status = calculateStatus(d, all: all, new: new, now: time)
        guard let deadline = d.spec.progressDeadlineSeconds, deadline < Int(Int32.max) else {
            removeCondition(&status, "Progressing")
            return status
        }
        let current = condition(d.status, "Progressing")
        let complete = status.replicas == status.updatedReplicas && current?.reason == "NewReplicaSetAvailable"
        if complete { return status }
        let name = new?.metadata.name ?? ""
        if isComplete(d, status) {
            setCondition(
                &status,
                DeploymentCondition(
                    type: "Progressing", status: "True", lastUpdateTime: time, lastTransitionTime: time,
                    reason: "NewReplicaSetAvailable", message: "ReplicaSet \"\(name)\" has successfully progressed."))
        } else if isProgressing(d.status, status) {
            var cond = DeploymentCondition(
                type: "Progressing", status: "True", lastUpdateTime: time, lastTransitionTime: time,
                reason: "ReplicaSetUpdated", message: "ReplicaSet \"\(name)\" is progressing.")
            if let current {
                if current.status == "True" { cond.lastTransitionTime = current.lastTransitionTime }
                removeCondition(&status, "Progressing")
            }
            setCondition(&status, cond)
        } else if hasTimedOut(d, status, now: now) {
            setCondition(
                &status,
                DeploymentCondition(
                    type: "Progressing", status: "False", lastUpdateTime: time, lastTransitionTime: time,
                    reason: "ProgressDeadlineExceeded", message: "ReplicaSet \"\(name)\" has timed out progressing."))
        }
        return status
    }
}
