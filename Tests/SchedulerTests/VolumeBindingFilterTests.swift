import Schema
import Testing

@testable import Scheduler

/// kube-scheduler's VolumeBinding as far as Kubus' volumes go: a missing, deleted or unbound immediate claim keeps
/// the pod Pending with kube's words; a bound volume's node affinity picks the node; WaitForFirstConsumer passes.
@Suite struct VolumeBindingFilterTests {
    func claim(_ name: String, volume: String? = nil, storageClass: String? = nil, deleting: Bool = false)
        -> PersistentVolumeClaim
    {
        var claim = PersistentVolumeClaim(metadata: ObjectMeta(name: name, namespace: "default"))
        claim.spec.volumeName = volume
        claim.spec.storageClassName = storageClass
        if deleting { claim.metadata.deletionTimestamp = .now() }
        return claim
    }

    func lookup(
        _ claims: [PersistentVolumeClaim], volumes: [PersistentVolume] = [], classes: [StorageClass] = []
    ) -> VolumeLookup {
        VolumeLookup(
            claim: { namespace, name in
                claims.first { $0.metadata.namespace == namespace && $0.metadata.name == name }
            },
            volume: { name in volumes.first { $0.metadata.name == name } },
            storageClass: { name in classes.first { $0.metadata.name == name } })
    }

    func pod(claims: [String]) -> Pod {
        var pod = makePod("web")
        pod.spec.volumes = claims.map {
            Volume(name: $0, persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: $0))
        }
        return pod
    }

    func message(_ result: ScheduleResult) -> String? {
        if case .unschedulable(let error) = result { return error.message }
        return nil
    }

    let nodes = [
        NodeInfo(node: makeNode("n1", labels: ["zone": "a"])), NodeInfo(node: makeNode("n2", labels: ["zone": "b"])),
    ]

    @Test func aMissingClaimKeepsThePodPending() {
        let result = SchedulingCycle().schedule(pod: pod(claims: ["data"]), nodes: nodes, volumes: lookup([]))
        #expect(message(result) == #"0/2 nodes are available: persistentvolumeclaim "data" not found."#)
    }

    @Test func aClaimBeingDeletedOrUnboundImmediateKeepsItPending() {
        let deleting = SchedulingCycle().schedule(
            pod: pod(claims: ["data"]), nodes: nodes, volumes: lookup([claim("data", volume: "pv1", deleting: true)]))
        #expect(message(deleting) == #"0/2 nodes are available: persistentvolumeclaim "data" is being deleted."#)
        let unbound = SchedulingCycle().schedule(
            pod: pod(claims: ["data"]), nodes: nodes, volumes: lookup([claim("data", storageClass: "standard")]))
        #expect(message(unbound) == "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.")
    }

    @Test func waitForFirstConsumerClaimsPassAndBoundVolumesChooseTheirNodes() {
        var late = StorageClass(metadata: ObjectMeta(name: "late"))
        late.volumeBindingMode = "WaitForFirstConsumer"
        let waiting = SchedulingCycle().schedule(
            pod: pod(claims: ["data"]), nodes: nodes,
            volumes: lookup([claim("data", storageClass: "late")], classes: [late]))
        #expect(waiting.nodeName != nil)

        var local = PersistentVolume(metadata: ObjectMeta(name: "pv-b"))
        local.spec.nodeAffinity = VolumeNodeAffinity(
            required: NodeSelector(nodeSelectorTerms: [
                NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: "zone", operator: "In", values: ["b"])]
                )
            ]))
        let bound = SchedulingCycle().schedule(
            pod: pod(claims: ["data"]), nodes: nodes, volumes: lookup([claim("data", volume: "pv-b")], volumes: [local])
        )
        #expect(bound.nodeName == "n2")
        let conflict = SchedulingCycle().schedule(
            pod: pod(claims: ["data"]), nodes: [nodes[0]],
            volumes: lookup([claim("data", volume: "pv-b")], volumes: [local]))
        #expect(message(conflict) == "0/1 nodes are available: 1 node(s) had volume node affinity conflict.")
    }
}
