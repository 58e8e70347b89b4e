import Client
import ControllerKit
import Schema
import Testing

/// Pod events go to their controller ReplicaSet; orphans go to every ReplicaSet that may adopt them.
struct DependentRouterTests {
    typealias Router = DependentRouter<ReplicaSet, Pod>

    let web = ReplicaSet(metadata: ObjectMeta(name: "web", namespace: "default", uid: "uid-web"))
    let api = ReplicaSet(metadata: ObjectMeta(name: "api", namespace: "default", uid: "uid-api"))

    func pod(owner: ReplicaSet?, labels: [String: String] = ["app": "web"], version: String = "1") -> Pod {
        var pod = Pod(
            metadata: ObjectMeta(
                name: "p", namespace: "default", uid: "uid-p", resourceVersion: version, labels: labels))
        if let owner { pod.metadata.ownerReferences = [owner.asControllerRef] }
        return pod
    }

    func routes(_ type: WatchEventType, _ object: Pod, old: Pod? = nil) -> [String] {
        let owners = [web, api]
        return Router.routes(
            type: type, object: object, old: old,
            resolve: { ref, _ in owners.first { $0.metadata.uid == ref.uid && $0.metadata.name == ref.name } },
            selecting: { pod in pod.metadata.labels?["app"] == "web" ? [web] : [] }
        ).map { "\($0.key):\($0.change)" }
    }

    @Test func aCreatedPodGoesToItsController() {
        #expect(routes(.added, pod(owner: web)) == ["default/web:created"])
    }

    @Test func anOrphanGoesToTheControllersSelectingIt() {
        #expect(routes(.added, pod(owner: nil)) == ["default/web:updated"])
        #expect(routes(.added, pod(owner: nil, labels: ["app": "other"])).isEmpty)
    }

    @Test func aPodOfAnUnknownControllerGoesNowhere() {
        let stranger = ReplicaSet(metadata: ObjectMeta(name: "gone", namespace: "default", uid: "uid-gone"))
        #expect(routes(.added, pod(owner: stranger)).isEmpty)
    }

    @Test func aDeletedOrDeletingPodIsADeletion() {
        #expect(routes(.deleted, pod(owner: web)) == ["default/web:deleted"])
        var deleting = pod(owner: web, version: "2")
        deleting.metadata.deletionTimestamp = .now()
        #expect(routes(.modified, deleting, old: pod(owner: web)) == ["default/web:deleted"])
        #expect(routes(.added, deleting) == ["default/web:deleted"])
    }

    @Test func aChangedControllerTellsBoth() {
        #expect(
            routes(.modified, pod(owner: api, version: "2"), old: pod(owner: web)) == [
                "default/web:updated", "default/api:updated",
            ])
    }

    @Test func aReleasedPodMayBeAdoptedByAnother() {
        // Released by web (no controller now), still labelled app=web: web is told twice (old owner, selector).
        #expect(
            routes(.modified, pod(owner: nil, version: "2"), old: pod(owner: web)) == [
                "default/web:updated", "default/web:updated",
            ])
    }

    @Test func aResyncWithTheSameVersionIsIgnored() {
        #expect(routes(.modified, pod(owner: web), old: pod(owner: web)).isEmpty)
    }
}
