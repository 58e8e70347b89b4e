import ControllerKit
import Controllers
import Foundation
import Schema
import Testing

/// The statefulset controller's decisions: identities, ordered and parallel steps, rolling updates, status.
struct StatefulSetDecisionsTests {
    func statefulSet(replicas: Int, policy: String? = nil, partition: Int? = nil) -> StatefulSet {
        var set = StatefulSet(metadata: ObjectMeta(name: "db", namespace: "default", uid: "sts-uid", generation: 2))
        set.spec.replicas = replicas
        set.spec.serviceName = "db-headless"
        set.spec.podManagementPolicy = policy
        set.spec.selector = LabelSelector(matchLabels: ["app": "db"])
        set.spec.template.metadata.labels = ["app": "db"]
        set.spec.template.spec.containers = [Container(name: "db", image: "db:1")]
        set.spec.volumeClaimTemplates = [
            PersistentVolumeClaimTemplate(metadata: ObjectMeta(name: "data"), spec: PersistentVolumeClaimSpec())
        ]
        if let partition {
            set.spec.updateStrategy = StatefulSetUpdateStrategy(
                type: "RollingUpdate", rollingUpdate: RollingUpdateStatefulSetStrategy(partition: partition))
        }
        return set
    }

    func pod(_ ordinal: Int, healthy: Bool = true, revision: String, terminating: Bool = false) -> Pod {
        var pod = makePod(
            "db-\(ordinal)", node: "n", phase: healthy ? "Running" : "Pending", ready: healthy,
            labels: ["app": "db", TemplateHash.label: revision])
        if terminating { pod.metadata.deletionTimestamp = Time(Date()) }
        return pod
    }

    @Test func podsHaveStableIdentitiesAndClaims() throws {
        let set = statefulSet(replicas: 3)
        let pod = try StatefulSetDecisions.pod(for: set, ordinal: 1, revision: "db-r1")
        #expect(pod.metadata.name == "db-1")
        #expect(pod.metadata.generateName == nil)
        #expect(pod.spec.hostname == "db-1")
        #expect(pod.spec.subdomain == "db-headless")
        #expect(pod.metadata.labels?["statefulset.kubernetes.io/pod-name"] == "db-1")
        #expect(pod.metadata.labels?["apps.kubernetes.io/pod-index"] == "1")
        #expect(pod.metadata.labels?["controller-revision-hash"] == "db-r1")
        #expect(pod.metadata.controllerRef?.uid == "sts-uid")
        #expect(pod.spec.volumes?.first { $0.name == "data" }?.persistentVolumeClaim?.claimName == "data-db-1")
        let claims = StatefulSetDecisions.claims(for: set, ordinal: 1)
        #expect(claims.map(\.metadata.name) == ["data-db-1"])
        #expect(claims[0].metadata.ownerReferences == nil)
        #expect(claims[0].metadata.labels?["app"] == "db")
        var deleting = set
        deleting.spec.persistentVolumeClaimRetentionPolicy = StatefulSetPersistentVolumeClaimRetentionPolicy(
            whenDeleted: "Delete")
        #expect(StatefulSetDecisions.claims(for: deleting, ordinal: 0)[0].metadata.ownerReferences?.count == 1)
    }

    @Test func ordinalsParseOnlyExactNames() {
        #expect(StatefulSetDecisions.ordinal(of: "db-12", set: "db") == 12)
        #expect(StatefulSetDecisions.ordinal(of: "db-x", set: "db") == nil)
        #expect(StatefulSetDecisions.ordinal(of: "db-01", set: "db") == nil)
        #expect(StatefulSetDecisions.ordinal(of: "dbx-1", set: "db") == nil)
        #expect(StatefulSetDecisions.ordinal(of: "db-a-1", set: "db-a") == 1)
    }

    @Test func orderedReadyCreatesOneAtATimeAfterThePreviousIsReady() {
        let set = statefulSet(replicas: 3)
        let r = "db-r1"
        #expect(StatefulSetDecisions.actions(set, pods: [], updateRevision: r) == [.create(ordinal: 0)])
        #expect(StatefulSetDecisions.actions(set, pods: [pod(0, healthy: false, revision: r)], updateRevision: r) == [])
        #expect(
            StatefulSetDecisions.actions(set, pods: [pod(0, revision: r)], updateRevision: r) == [.create(ordinal: 1)])
        let all = [pod(0, revision: r), pod(1, revision: r), pod(2, revision: r)]
        #expect(StatefulSetDecisions.actions(set, pods: all, updateRevision: r) == [])
    }

    @Test func orderedReadyScalesDownFromTheHighestOrdinalOneAtATime() {
        let set = statefulSet(replicas: 0)
        let r = "db-r1"
        let all = [pod(0, revision: r), pod(1, revision: r), pod(2, revision: r)]
        #expect(StatefulSetDecisions.actions(set, pods: all, updateRevision: r) == [.delete(name: "db-2", ordinal: 2)])
        let stopping = [pod(0, revision: r), pod(1, revision: r), pod(2, revision: r, terminating: true)]
        #expect(StatefulSetDecisions.actions(set, pods: stopping, updateRevision: r) == [])
        let two = [pod(0, revision: r), pod(1, revision: r)]
        #expect(StatefulSetDecisions.actions(set, pods: two, updateRevision: r) == [.delete(name: "db-1", ordinal: 1)])
    }

    @Test func parallelCreatesAndDeletesAtOnce() {
        let r = "db-r1"
        let up = statefulSet(replicas: 3, policy: "Parallel")
        #expect(
            StatefulSetDecisions.actions(up, pods: [pod(1, healthy: false, revision: r)], updateRevision: r)
                == [.create(ordinal: 0), .create(ordinal: 2)])
        let down = statefulSet(replicas: 1, policy: "Parallel")
        let all = [pod(0, revision: r), pod(1, revision: r), pod(2, revision: r)]
        #expect(
            StatefulSetDecisions.actions(down, pods: all, updateRevision: r)
                == [.delete(name: "db-2", ordinal: 2), .delete(name: "db-1", ordinal: 1)])
    }

    @Test func rollingUpdateGoesFromTheHighestOrdinalDownToThePartition() {
        let set = statefulSet(replicas: 3, partition: 1)
        let old = [pod(0, revision: "old"), pod(1, revision: "old"), pod(2, revision: "old")]
        #expect(
            StatefulSetDecisions.actions(set, pods: old, updateRevision: "new") == [.delete(name: "db-2", ordinal: 2)])
        let updating = [pod(0, revision: "old"), pod(1, revision: "old"), pod(2, healthy: false, revision: "new")]
        #expect(StatefulSetDecisions.actions(set, pods: updating, updateRevision: "new") == [])
        let next = [pod(0, revision: "old"), pod(1, revision: "old"), pod(2, revision: "new")]
        #expect(
            StatefulSetDecisions.actions(set, pods: next, updateRevision: "new") == [.delete(name: "db-1", ordinal: 1)])
        let done = [pod(0, revision: "old"), pod(1, revision: "new"), pod(2, revision: "new")]
        #expect(StatefulSetDecisions.actions(set, pods: done, updateRevision: "new") == [])
        var onDelete = statefulSet(replicas: 3)
        onDelete.spec.updateStrategy = StatefulSetUpdateStrategy(type: "OnDelete")
        #expect(StatefulSetDecisions.actions(onDelete, pods: old, updateRevision: "new") == [])
    }

    @Test func statusCountsRevisionsAndCompletesTheUpdate() {
        var set = statefulSet(replicas: 2)
        set.status.currentRevision = "old"
        let mixed = [pod(0, revision: "old"), pod(1, healthy: false, revision: "new")]
        let status = StatefulSetDecisions.status(set, pods: mixed, updateRevision: "new")
        #expect(status.replicas == 2)
        #expect(status.readyReplicas == 1)
        #expect(status.currentReplicas == 1)
        #expect(status.updatedReplicas == 1)
        #expect(status.currentRevision == "old")
        #expect(status.updateRevision == "new")
        #expect(status.observedGeneration == 2)
        let done = StatefulSetDecisions.status(
            set, pods: [pod(0, revision: "new"), pod(1, revision: "new")], updateRevision: "new")
        #expect(done.currentRevision == "new")
        #expect(done.currentReplicas == 2)
        #expect(done.availableReplicas == 2)
    }

    @Test func templateHashIsStableAndIgnoresItsOwnLabel() {
        let set = statefulSet(replicas: 1)
        var labelled = set.spec.template
        labelled.metadata.labels?[TemplateHash.label] = "whatever"
        #expect(
            TemplateHash.revision(of: set.spec.template, owner: "db")
                == TemplateHash.revision(of: labelled, owner: "db"))
        var changed = set.spec.template
        changed.spec.containers[0].image = "db:2"
        #expect(
            TemplateHash.revision(of: set.spec.template, owner: "db") != TemplateHash.revision(of: changed, owner: "db")
        )
        #expect(TemplateHash.revision(of: set.spec.template, owner: "db").hasPrefix("db-"))
    }
}
