import ControllerKit
import Schema
import Testing

/// Claim decisions: adopt matching orphans, keep owned matches, release owned non-matches, ignore the rest.
struct ControllerRefManagerTests {
    typealias Manager = ControllerRefManager<ReplicaSet>

    let owner = ObjectMeta(name: "web", namespace: "default", uid: "rs-uid")

    func object(controller uid: String?, deleting: Bool = false, namespace: String = "default") -> ObjectMeta {
        var meta = ObjectMeta(name: "web-x", namespace: namespace, uid: "pod-uid")
        if let uid {
            meta.ownerReferences = [
                OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: uid, controller: true)
            ]
        }
        if deleting { meta.deletionTimestamp = .now() }
        return meta
    }

    @Test func ownedAndMatchingIsKept() {
        #expect(Manager.decide(owner: owner, object: object(controller: "rs-uid"), matches: true) == .owned)
    }

    @Test func ownedButNotMatchingIsReleased() {
        #expect(Manager.decide(owner: owner, object: object(controller: "rs-uid"), matches: false) == .release)
    }

    @Test func aDeletingOwnerReleasesNothing() {
        var deleting = owner
        deleting.deletionTimestamp = .now()
        #expect(Manager.decide(owner: deleting, object: object(controller: "rs-uid"), matches: false) == .ignore)
        #expect(Manager.decide(owner: deleting, object: object(controller: nil), matches: true) == .ignore)
    }

    @Test func matchingOrphanIsAdopted() {
        #expect(Manager.decide(owner: owner, object: object(controller: nil), matches: true) == .adopt)
    }

    @Test func nonMatchingOrphanIsIgnored() {
        #expect(Manager.decide(owner: owner, object: object(controller: nil), matches: false) == .ignore)
    }

    @Test func deletingOrphanIsNotAdopted() {
        #expect(Manager.decide(owner: owner, object: object(controller: nil, deleting: true), matches: true) == .ignore)
    }

    @Test func orphanInAnotherNamespaceIsNotAdopted() {
        #expect(
            Manager.decide(owner: owner, object: object(controller: nil, namespace: "other"), matches: true) == .ignore)
    }

    @Test func objectOfAnotherControllerIsIgnored() {
        #expect(Manager.decide(owner: owner, object: object(controller: "other-uid"), matches: true) == .ignore)
    }

    @Test func aNonControllerOwnerReferenceLeavesItAnOrphan() {
        var meta = object(controller: nil)
        meta.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "c", uid: "cm-uid")]
        #expect(Manager.decide(owner: owner, object: meta, matches: true) == .adopt)
    }
}

/// Pods made from a template carry its labels, a generated name and the controller reference.
struct PodControlTests {
    @Test func podFromTemplate() throws {
        var template = PodTemplateSpec()
        template.metadata.labels = ["app": "web"]
        template.metadata.annotations = ["note": "x"]
        template.spec.containers = [Container(name: "app", image: "busybox")]
        var rs = ReplicaSet(metadata: ObjectMeta(name: "web", namespace: "default", uid: "rs-uid"))
        rs.spec.template = template
        let pod = try PodControl.pod(
            from: template, namespace: "default", generateName: "web-", controllerRef: rs.asControllerRef)
        #expect(pod.metadata.generateName == "web-")
        #expect(pod.metadata.name == nil)
        #expect(pod.metadata.labels == ["app": "web"])
        #expect(pod.metadata.annotations == ["note": "x"])
        #expect(
            pod.metadata.ownerReferences == [
                OwnerReference(
                    apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-uid", controller: true,
                    blockOwnerDeletion: true)
            ])
        #expect(pod.spec.containers.first?.image == "busybox")
    }

    @Test func templateWithoutLabelsIsRefused() {
        #expect(throws: PodControlError.self) {
            try PodControl.pod(from: PodTemplateSpec(), namespace: "default", generateName: "x-", controllerRef: nil)
        }
    }

    @Test func slowStartBatchesDoubleAndStopAtTheFirstFailure() async {
        let calls = Counter()
        let ok = await slowStartBatch(count: 10) { await calls.increment() }
        #expect(ok.successes == 10)
        #expect(ok.error == nil)
        #expect(await calls.value == 10)

        // Batches 1, 2, 4: the 4th call fails, the batch of 4 finishes, the batch of 3 never starts.
        let failing = Counter()
        let result = await slowStartBatch(count: 10) {
            if await failing.increment() == 4 { throw TestFailure() }
        }
        #expect(result.error != nil)
        #expect(await failing.value == 7)
        #expect(result.successes == 6)
    }

    @Test func keysSplitAndJoin() {
        #expect(ObjectKey.make(namespace: "default", name: "web") == "default/web")
        #expect(ObjectKey.make(namespace: nil, name: "node-1") == "node-1")
        #expect(ObjectKey.split("default/web") == ("default", "web"))
        #expect(ObjectKey.split("node-1") == (nil, "node-1"))
    }
}

actor Counter {
    private(set) var value = 0

    @discardableResult
    func increment() -> Int {
        value += 1
        return value
    }
}

struct TestFailure: Error {}
