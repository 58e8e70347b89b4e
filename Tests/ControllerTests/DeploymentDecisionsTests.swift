import ControllerKit
import Controllers
import Foundation
import Schema
import Testing

/// The deployment controller's pure decisions: hashes, fenceposts, rolling, recreate and proportional steps,
/// history clean-up and the rollout conditions.
struct DeploymentDecisionsTests {
    typealias D = DeploymentDecisions

    func deployment(
        replicas: Int, surge: IntOrString? = "25%", unavailable: IntOrString? = "25%", image: String = "web:1"
    ) -> Deployment {
        var d = Deployment(metadata: ObjectMeta(name: "web", namespace: "default", uid: "d-uid", generation: 1))
        d.spec.replicas = replicas
        d.spec.selector = LabelSelector(matchLabels: ["app": "web"])
        d.spec.template.metadata.labels = ["app": "web"]
        d.spec.template.spec.containers = [Container(name: "web", image: image)]
        d.spec.strategy = DeploymentStrategy(
            type: "RollingUpdate", rollingUpdate: RollingUpdateDeployment(maxUnavailable: unavailable, maxSurge: surge))
        d.spec.progressDeadlineSeconds = 600
        return d
    }

    func replicaSet(_ name: String, replicas: Int, available: Int, created: Int, revision: Int = 1) -> ReplicaSet {
        var rs = ReplicaSet(
            metadata: ObjectMeta(
                name: name, namespace: "default", uid: "uid-\(name)", generation: 1,
                creationTimestamp: Time(Date(timeIntervalSince1970: TimeInterval(1_700_000_000 + created))),
                annotations: [D.revisionAnnotation: String(revision)]))
        rs.spec.replicas = replicas
        rs.status.replicas = replicas
        rs.status.readyReplicas = available
        rs.status.availableReplicas = available
        rs.status.observedGeneration = 1
        return rs
    }

    // MARK: Hash

    @Test func fnv32aMatchesGoVectors() {
        #expect(StableHash.fnv1a32(Array("".utf8)) == 0x811c_9dc5)
        #expect(StableHash.fnv1a32(Array("a".utf8)) == 0xe40c_292c)
        #expect(StableHash.fnv1a32(Array("foobar".utf8)) == 0xbf9c_f968)
    }

    @Test func safeEncodeUsesKubernetesAlphabet() {
        // SafeEncodeString maps each decimal digit byte into "bcdfghjklmnpqrstvwxz2456789".
        #expect(TemplateHash.safeEncode("0123456789") == "456789bcdf")
    }

    @Test func templateHashIsStableAndChangesWithTemplateAndCollisionCount() {
        let d = deployment(replicas: 3)
        let hash = TemplateHash.compute(d.spec.template, collisionCount: nil)
        #expect(hash == TemplateHash.compute(d.spec.template, collisionCount: nil))
        #expect(!hash.isEmpty && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(
            hash != TemplateHash.compute(deployment(replicas: 3, image: "web:2").spec.template, collisionCount: nil))
        #expect(hash != TemplateHash.compute(d.spec.template, collisionCount: 1))
        #expect(
            TemplateHash.compute(d.spec.template, collisionCount: 1)
                != TemplateHash.compute(d.spec.template, collisionCount: 2))
    }

    @Test func equalIgnoringHashIgnoresOnlyTheHashLabel() {
        let d = deployment(replicas: 1)
        var labelled = d.spec.template
        labelled.metadata.labels?[D.podTemplateHashLabel] = "abc"
        #expect(D.equalIgnoringHash(labelled, d.spec.template))
        #expect(!D.equalIgnoringHash(labelled, deployment(replicas: 1, image: "web:2").spec.template))
    }

    // MARK: Fenceposts

    func fence(maxSurge: IntOrString, maxUnavailable: IntOrString, desired: Int) -> [Int] {
        let f = D.resolveFenceposts(maxSurge: maxSurge, maxUnavailable: maxUnavailable, desired: desired)
        return [f.surge, f.unavailable]
    }

    @Test func fencepostsRoundSurgeUpAndUnavailableDown() {
        #expect(fence(maxSurge: "25%", maxUnavailable: "25%", desired: 3) == [1, 0])
        #expect(fence(maxSurge: "25%", maxUnavailable: "25%", desired: 10) == [3, 2])
        #expect(fence(maxSurge: 2, maxUnavailable: "50%", desired: 5) == [2, 2])
        // Both zero: one pod may be unavailable so the rollout can move.
        #expect(fence(maxSurge: 0, maxUnavailable: "10%", desired: 5) == [0, 1])
        #expect(D.maxUnavailable(deployment(replicas: 2, unavailable: 5)) == 2)
        var recreate = deployment(replicas: 4)
        recreate.spec.strategy = DeploymentStrategy(type: "Recreate")
        #expect(D.maxSurge(recreate) == 0 && D.maxUnavailable(recreate) == 0)
    }

    // MARK: Rolling steps

    @Test func newReplicaSetGrowsWithinTheSurge() {
        let d = deployment(replicas: 3, surge: 1, unavailable: 0)
        let old = replicaSet("old", replicas: 3, available: 3, created: 0)
        let new = replicaSet("new", replicas: 0, available: 0, created: 10, revision: 2)
        #expect(D.reconcileNewReplicaSet(d, all: [old, new], new: new) == 1)
        // At the surge limit: wait.
        let grown = replicaSet("new", replicas: 1, available: 0, created: 10, revision: 2)
        #expect(D.reconcileNewReplicaSet(d, all: [old, grown], new: grown) == nil)
        // Larger than wanted: straight down.
        let big = replicaSet("new", replicas: 5, available: 5, created: 10)
        #expect(D.reconcileNewReplicaSet(d, all: [big], new: big) == 3)
    }

    @Test func oldReplicaSetsShrinkOnlyAsNewPodsBecomeAvailable() {
        let d = deployment(replicas: 3, surge: 1, unavailable: 0)
        let old = replicaSet("old", replicas: 3, available: 3, created: 0)
        let waiting = replicaSet("new", replicas: 1, available: 0, created: 10, revision: 2)
        #expect(D.reconcileOldReplicaSets(d, old: [old], new: waiting).isEmpty)
        let ready = replicaSet("new", replicas: 1, available: 1, created: 10, revision: 2)
        #expect(D.reconcileOldReplicaSets(d, old: [old], new: ready) == ["old": 2])
    }

    @Test func unhealthyOldPodsGoFirstAndStaleAvailabilityIsCapped() {
        let d = deployment(replicas: 4, surge: 0, unavailable: 1)
        // Two of the old pods are not available: they may go without touching availability.
        let old = replicaSet("old", replicas: 4, available: 2, created: 0)
        let new = replicaSet("new", replicas: 0, available: 0, created: 10, revision: 2)
        // maxScaledDown = 4 spec - 3 minAvailable - 0 new unavailable = 1.
        #expect(D.reconcileOldReplicaSets(d, old: [old], new: new) == ["old": 3])
        // Status still says 4 available after a scale-down to 3: only 3 count, so one more goes, not two.
        var stale = replicaSet("old", replicas: 3, available: 4, created: 0)
        stale.status.replicas = 4
        let new1 = replicaSet("new", replicas: 1, available: 1, created: 10, revision: 2)
        #expect(D.reconcileOldReplicaSets(d, old: [stale], new: new1) == ["old": 2])
    }

    // MARK: Proportional scaling

    @Test func scalingSplitsInProportionWithLeftoversToTheLargest() {
        var d = deployment(replicas: 20, surge: 3, unavailable: 2)
        d.status.replicas = 13
        var old = replicaSet("old", replicas: 8, available: 8, created: 0)
        var new = replicaSet("new", replicas: 5, available: 5, created: 10, revision: 2)
        old.metadata.annotations?[D.maxReplicasAnnotation] = "13"
        new.metadata.annotations?[D.maxReplicasAnnotation] = "13"
        // 10 → 20 replicas with surge 3: allowed 23, 10 to add: 8*23/13≈14 (+6), 5*23/13≈9 (+4).
        let sizes = D.proportionalSizes(d, new: new, old: [old])
        #expect(sizes == ["old": 14, "new": 9])
    }

    @Test func scalingWithOneActiveReplicaSetGivesItEverything() {
        let d = deployment(replicas: 5)
        let new = replicaSet("new", replicas: 3, available: 3, created: 10)
        let old = replicaSet("old", replicas: 0, available: 0, created: 0)
        #expect(D.proportionalSizes(d, new: new, old: [old]) == ["new": 5])
        #expect(D.isScalingEvent(d, sets: [new]) == false)
        var annotated = new
        annotated.metadata.annotations?[D.desiredReplicasAnnotation] = "3"
        #expect(D.isScalingEvent(d, sets: [annotated]))
    }

    // MARK: History

    @Test func historyLimitTrimsOldestScaledDownReplicaSets() {
        var d = deployment(replicas: 1)
        d.spec.revisionHistoryLimit = 1
        let r1 = replicaSet("r1", replicas: 0, available: 0, created: 0, revision: 1)
        let r2 = replicaSet("r2", replicas: 0, available: 0, created: 5, revision: 2)
        let r3 = replicaSet("r3", replicas: 1, available: 1, created: 7, revision: 3)
        #expect(D.replicaSetsToCleanUp(d, old: [r2, r1]).map(\.metadata.name) == ["r1"])
        // One still holding pods is kept even past the limit.
        d.spec.revisionHistoryLimit = 0
        #expect(D.replicaSetsToCleanUp(d, old: [r3, r1]).map(\.metadata.name) == ["r1"])
    }

    // MARK: Conditions

    @Test func rolloutConditionsProgressCompleteAndTimeOut() {
        var d = deployment(replicas: 2, surge: 1, unavailable: 0)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let new = replicaSet("new", replicas: 2, available: 1, created: 10, revision: 2)
        var status = D.rolloutStatus(d, all: [new], new: new, now: now)
        #expect(D.condition(status, "Progressing")?.reason == "ReplicaSetUpdated")
        #expect(D.condition(status, "Available")?.reason == "MinimumReplicasUnavailable")
        #expect(status.unavailableReplicas == 1 && status.updatedReplicas == 2)

        d.status = status
        let done = replicaSet("new", replicas: 2, available: 2, created: 10, revision: 2)
        status = D.rolloutStatus(d, all: [done], new: done, now: now)
        #expect(D.condition(status, "Progressing")?.reason == "NewReplicaSetAvailable")
        #expect(D.condition(status, "Available")?.reason == "MinimumReplicasAvailable")

        // No progress for longer than the deadline.
        d.status = D.rolloutStatus(d, all: [new], new: new, now: now)
        d.spec.progressDeadlineSeconds = 10
        status = D.rolloutStatus(d, all: [new], new: new, now: now.addingTimeInterval(30))
        #expect(D.condition(status, "Progressing")?.reason == "ProgressDeadlineExceeded")
        #expect(D.condition(status, "Progressing")?.status == "False")
    }
}
