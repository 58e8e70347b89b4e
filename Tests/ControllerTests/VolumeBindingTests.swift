import Controllers
import Foundation
import Schema
import Testing

/// Which volume a claim binds to, the default class, provisioned volumes and reclaiming.
struct VolumeBindingTests {
    typealias B = VolumeBinding

    func volume(
        _ name: String, _ size: String, modes: [String] = ["ReadWriteOnce"], storageClass: String? = "fast",
        labels: [String: String]? = nil, claimRef: ObjectReference? = nil, phase: String? = "Available"
    ) -> PersistentVolume {
        PersistentVolume(
            metadata: ObjectMeta(name: name, labels: labels),
            spec: PersistentVolumeSpec(
                capacity: ["storage": Quantity(stringLiteral: size)], accessModes: modes, claimRef: claimRef,
                storageClassName: storageClass),
            status: PersistentVolumeStatus(phase: phase))
    }

    func claim(
        _ size: String, modes: [String] = ["ReadWriteOnce"], storageClass: String? = "fast",
        selector: LabelSelector? = nil
    ) -> PersistentVolumeClaim {
        PersistentVolumeClaim(
            metadata: ObjectMeta(name: "data", namespace: "default", uid: "u-1"),
            spec: PersistentVolumeClaimSpec(
                accessModes: modes, selector: selector,
                resources: VolumeResourceRequirements(requests: ["storage": Quantity(stringLiteral: size)]),
                storageClassName: storageClass))
    }

    @Test func theSmallestVolumeThatFitsWins() {
        let volumes = [volume("big", "10Gi"), volume("small", "1Gi"), volume("medium", "2Gi")]
        #expect(B.bestMatch(for: claim("1500Mi"), in: volumes)?.metadata.name == "medium")
        #expect(B.bestMatch(for: claim("1Gi"), in: volumes)?.metadata.name == "small")
        #expect(B.bestMatch(for: claim("20Gi"), in: volumes) == nil)
    }

    @Test func classAccessModesAndSelectorMustMatch() {
        #expect(B.bestMatch(for: claim("1Gi"), in: [volume("v", "5Gi", storageClass: "slow")]) == nil)
        #expect(B.bestMatch(for: claim("1Gi", storageClass: ""), in: [volume("v", "5Gi", storageClass: nil)]) != nil)
        #expect(B.bestMatch(for: claim("1Gi", modes: ["ReadWriteMany"]), in: [volume("v", "5Gi")]) == nil)
        #expect(
            B.bestMatch(
                for: claim("1Gi", modes: ["ReadWriteOnce"]),
                in: [volume("v", "5Gi", modes: ["ReadWriteOnce", "ReadOnlyMany"])]) != nil)
        let selector = LabelSelector(matchLabels: ["tier": "gold"])
        #expect(B.bestMatch(for: claim("1Gi", selector: selector), in: [volume("v", "5Gi")]) == nil)
        #expect(
            B.bestMatch(for: claim("1Gi", selector: selector), in: [volume("v", "5Gi", labels: ["tier": "gold"])])
                != nil)
    }

    @Test func boundOrReleasedVolumesAreNotOffered() {
        let other = ObjectReference(kind: "PersistentVolumeClaim", namespace: "default", name: "other", uid: "u-2")
        #expect(B.bestMatch(for: claim("1Gi"), in: [volume("taken", "5Gi", claimRef: other, phase: "Bound")]) == nil)
        #expect(B.bestMatch(for: claim("1Gi"), in: [volume("old", "5Gi", phase: "Released")]) == nil)
    }

    @Test func aVolumePreBoundToTheClaimWinsOverASmallerOne() {
        let mine = ObjectReference(kind: "PersistentVolumeClaim", namespace: "default", name: "data")
        let volumes = [volume("small", "1Gi"), volume("mine", "8Gi", claimRef: mine)]
        #expect(B.bestMatch(for: claim("1Gi"), in: volumes)?.metadata.name == "mine")
    }

    @Test func theDefaultClassIsTheAnnotatedOne() {
        var plain = B.defaultStorageClass()
        plain.metadata.name = "plain"
        plain.metadata.annotations = nil
        #expect(B.defaultClass([plain]) == nil)
        #expect(B.defaultClass([plain, B.defaultStorageClass()])?.metadata.name == "standard")
        #expect(B.defaultStorageClass().provisioner == "kubus.io/hostpath")
    }

    @Test func provisionedVolumeIsNamedAfterTheClaimAndPreBound() {
        let volume = B.provisionedVolume(for: claim("2Gi"), storageClass: B.defaultStorageClass(), directory: "/s/v")
        #expect(volume.metadata.name == "pvc-u-1")
        #expect(volume.spec.hostPath?.path == "/s/v/pvc-u-1")
        #expect(volume.spec.claimRef?.uid == "u-1")
        #expect(volume.spec.capacity?["storage"] == Quantity(stringLiteral: "2Gi"))
        #expect(volume.spec.persistentVolumeReclaimPolicy == "Delete")
        #expect(volume.spec.storageClassName == "standard")
        #expect(volume.metadata.annotations?[B.provisionedBy] == "kubus.io/hostpath")
    }

    @Test func reclaimFollowsThePolicy() {
        var retained = volume("r", "1Gi")
        retained.spec.persistentVolumeReclaimPolicy = "Retain"
        #expect(B.reclaim(retained) == .retain)
        let provisioned = B.provisionedVolume(
            for: claim("1Gi"), storageClass: B.defaultStorageClass(), directory: "/s/v")
        #expect(B.reclaim(provisioned) == .delete(path: "/s/v/pvc-u-1"))
        var foreign = volume("f", "1Gi")
        foreign.spec.persistentVolumeReclaimPolicy = "Delete"
        guard case .fail = B.reclaim(foreign) else {
            Issue.record("deleting a volume nobody provisioned must fail")
            return
        }
    }

    @Test func aClaimIsInUseWhileAnUnfinishedPodOfItsNamespaceNamesIt() {
        func pod(_ claimName: String, namespace: String = "default", phase: String? = "Running") -> Pod {
            var p = Pod(metadata: ObjectMeta(name: "p", namespace: namespace))
            p.spec.volumes = [
                Volume(name: "v", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: claimName))
            ]
            p.status.phase = phase
            return p
        }
        let data = claim("1Gi")
        #expect(B.isInUse(data, by: [pod("data")]))
        #expect(B.isInUse(data, by: [pod("data", phase: nil)]), "a pending pod holds its claim")
        #expect(!B.isInUse(data, by: [pod("data", phase: "Succeeded"), pod("data", phase: "Failed")]))
        #expect(!B.isInUse(data, by: [pod("other"), pod("data", namespace: "elsewhere")]))
        #expect(!B.isInUse(data, by: []))
    }

    @Test func removingAFinalizerWritesOnlyWhenItIsThere() {
        #expect(B.removing("kubernetes.io/pvc-protection", from: ["a", "kubernetes.io/pvc-protection"]) == ["a"])
        #expect(B.removing("kubernetes.io/pvc-protection", from: ["kubernetes.io/pvc-protection"]) == [])
        #expect(B.removing("kubernetes.io/pvc-protection", from: ["a"]) == nil)
        #expect(B.removing("kubernetes.io/pvc-protection", from: nil) == nil)
    }
}
