import Foundation
public import Schema

/// The pure decisions of the persistentvolume controller (Kubernetes' `pkg/controller/volume/persistentvolume`):
/// which volume a claim binds to, the default StorageClass, the provisioned volume, and what happens to a
/// volume whose claim is gone.
public enum VolumeBinding {
    /// Set on a claim and its volume once the controller has bound them.
    public static let bindCompleted = "pv.kubernetes.io/bind-completed"
    /// Set on a claim or volume when the controller (not the user) made the binding.
    public static let boundByController = "pv.kubernetes.io/bound-by-controller"
    /// Set on a volume the controller provisioned, naming the provisioner.
    public static let provisionedBy = "pv.kubernetes.io/provisioned-by"
    /// The annotation that makes a StorageClass the default.
    public static let isDefaultClass = "storageclass.kubernetes.io/is-default-class"
    /// The provisioner this controller serves: a hostPath folder under the volume folder.
    public static let hostPathProvisioner = "kubus.io/hostpath"
    /// The default StorageClass made at start when none is default.
    public static let defaultClassName = "standard"

    /// The default StorageClass `standard`: provisioner `kubus.io/hostpath`, reclaim Delete, Immediate.
    public static func defaultStorageClass() -> StorageClass {
        StorageClass(
            apiVersion: "storage.k8s.io/v1", kind: "StorageClass",
            metadata: ObjectMeta(name: defaultClassName, annotations: [isDefaultClass: "true"]),
            provisioner: hostPathProvisioner, reclaimPolicy: "Delete", volumeBindingMode: "Immediate")
    }

    /// The default class among `classes` (the newest when several say so, as Kubernetes picks), if any.
    public static func defaultClass(_ classes: [StorageClass]) -> StorageClass? {
        classes.filter { $0.metadata.annotations?[isDefaultClass] == "true" && !$0.metadata.isDeleting }
            .max { ($0.metadata.creationTimestamp?.rawValue ?? "") < ($1.metadata.creationTimestamp?.rawValue ?? "") }
    }

    /// Whether a pod that has not finished (neither Succeeded nor Failed) names the claim in its volumes: a
    /// claim being deleted keeps its protection finalizer while one does.
    public static func isInUse(_ claim: PersistentVolumeClaim, by pods: [Pod]) -> Bool {
        pods.contains { names($0, claim) && $0.status.phase != "Succeeded" && $0.status.phase != "Failed" }
    }

    /// Whether `pod` names the claim in its volumes (and is in its namespace).
    public static func names(_ pod: Pod, _ claim: PersistentVolumeClaim) -> Bool {
        pod.metadata.namespace == claim.metadata.namespace
            && (pod.spec.volumes ?? []).contains { $0.persistentVolumeClaim?.claimName == claim.metadata.name }
    }

    /// `finalizers` without `finalizer`, or nil when it is not there (nothing to write).
    public static func removing(_ finalizer: String, from finalizers: [String]?) -> [String]? {
        guard let finalizers, finalizers.contains(finalizer) else { return nil }
        return finalizers.filter { $0 != finalizer }
    }

    /// The storage the claim asks for (`resources.requests.storage`), 0 when it names none.
    public static func requested(_ claim: PersistentVolumeClaim) -> Quantity {
        claim.spec.resources?.requests?["storage"] ?? Quantity(0)
    }

    /// Whether the volume's claimRef names `claim` (by namespace and name, and by uid when it has one).
    public static func isPreBound(_ volume: PersistentVolume, to claim: PersistentVolumeClaim) -> Bool {
        guard let ref = volume.spec.claimRef, ref.name == claim.metadata.name,
            ref.namespace == claim.metadata.namespace
        else { return false }
        return ref.uid == nil || ref.uid == "" || ref.uid == claim.metadata.uid
    }

    /// Whether `volume` could serve `claim`: same class, enough capacity, every access mode, the same volume
    /// mode, labels matching the claim's selector, and free (or pre-bound to this claim).
    public static func matches(_ volume: PersistentVolume, _ claim: PersistentVolumeClaim) -> Bool {
        if volume.metadata.isDeleting { return false }
        if volume.spec.claimRef != nil, !isPreBound(volume, to: claim) { return false }
        if volume.spec.claimRef == nil, let phase = volume.status.phase, phase == "Released" || phase == "Failed" {
            return false
        }
        if (volume.spec.storageClassName ?? "") != (claim.spec.storageClassName ?? "") { return false }
        let capacity = volume.spec.capacity?["storage"] ?? Quantity(0)
        if capacity < requested(claim) { return false }
        let offered = Set(volume.spec.accessModes ?? [])
        if !Set(claim.spec.accessModes ?? []).isSubset(of: offered) { return false }
        if (volume.spec.volumeMode ?? "Filesystem") != (claim.spec.volumeMode ?? "Filesystem") { return false }
        if let selector = claim.spec.selector, !selector.matches(volume.metadata.labels ?? [:]) { return false }
        return true
    }

    /// The volume the claim binds to (kube's `findBestMatchForClaim`): one pre-bound to it, else the smallest
    /// matching volume (ties by name, for determinism).
    public static func bestMatch(for claim: PersistentVolumeClaim, in volumes: [PersistentVolume]) -> PersistentVolume?
    {
        let candidates = volumes.filter { matches($0, claim) }
        if let preBound = candidates.first(where: { $0.spec.claimRef != nil }) { return preBound }
        return candidates.min { a, b in
            let ca = a.spec.capacity?["storage"] ?? Quantity(0)
            let cb = b.spec.capacity?["storage"] ?? Quantity(0)
            if ca != cb { return ca < cb }
            return (a.metadata.name ?? "") < (b.metadata.name ?? "")
        }
    }

    /// The reference a bound volume keeps to its claim.
    public static func claimRef(_ claim: PersistentVolumeClaim) -> ObjectReference {
        ObjectReference(
            kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name,
            uid: claim.metadata.uid, apiVersion: "v1", resourceVersion: claim.metadata.resourceVersion)
    }

    /// The name of the volume provisioned for `claim`: `pvc-<uid>`, so a restarted controller makes no second.
    public static func provisionedName(_ claim: PersistentVolumeClaim) -> String {
        "pvc-\(claim.metadata.uid ?? "")"
    }

    /// The hostPath volume provisioned for `claim` of `storageClass` in `directory`, pre-bound to the claim.
    public static func provisionedVolume(
        for claim: PersistentVolumeClaim, storageClass: StorageClass, directory: String
    ) -> PersistentVolume {
        let name = provisionedName(claim)
        return PersistentVolume(
            apiVersion: "v1", kind: "PersistentVolume",
            metadata: ObjectMeta(name: name, annotations: [provisionedBy: storageClass.provisioner]),
            spec: PersistentVolumeSpec(
                capacity: ["storage": requested(claim)],
                hostPath: HostPathVolumeSource(path: "\(directory)/\(name)", type: "DirectoryOrCreate"),
                accessModes: claim.spec.accessModes ?? ["ReadWriteOnce"], claimRef: claimRef(claim),
                persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? "Delete",
                storageClassName: storageClass.metadata.name, mountOptions: storageClass.mountOptions,
                volumeMode: claim.spec.volumeMode ?? "Filesystem"))
    }

    /// What to do with a volume whose claim is gone.
    public enum Reclaim: Equatable, Sendable {
        /// Keep it, Released, for an administrator (Retain).
        case retain
        /// Remove its folder and the volume (Delete on a volume this controller provisioned).
        case delete(path: String?)
        /// Mark it Failed with this message (Delete of a volume nobody here can delete, Recycle).
        case fail(String)
    }

    /// The reclaim action for `volume` once its claim is gone.
    public static func reclaim(_ volume: PersistentVolume) -> Reclaim {
        switch volume.spec.persistentVolumeReclaimPolicy ?? "Retain" {
        case "Delete":
            guard volume.metadata.annotations?[provisionedBy] == hostPathProvisioner else {
                return .fail(
                    "error getting deleter volume plugin for volume \"\(volume.metadata.name ?? "")\": "
                        + "no deletable volume plugin matched; delete the volume and its storage by hand")
            }
            return .delete(path: volume.spec.hostPath?.path)
        case "Recycle":
            return .fail("Recycle is not supported by Kubus; use Retain or Delete")
        default:
            return .retain
        }
    }
}

extension ObjectMeta {
    var isDeleting: Bool { deletionTimestamp != nil }
}
