import Client
public import ControllerKit
import Foundation
import Logging
import Schema
import Wire

/// Binds PersistentVolumeClaims to PersistentVolumes and provisions hostPath volumes for the `kubus.io/hostpath`
/// StorageClass (Kubernetes' `pkg/controller/volume/persistentvolume` and its external provisioner): phases,
/// the bind annotations, the default StorageClass `standard`, and the Retain and Delete reclaim policies.
public final class PersistentVolumeController: Controller {
    /// The controller's name.
    public static let name = "persistentvolume"
    /// The key that makes sure a default StorageClass exists.
    static let defaultClassKey = "storageclass:default"

    private let context: ControllerContext
    private let claims: SharedInformer<PersistentVolumeClaim>
    private let volumes: SharedInformer<PersistentVolume>
    private let classes: SharedInformer<StorageClass>
    private let pods: SharedInformer<Pod>
    private let directory: String

    /// Creates the controller; keys are `claim:<namespace>/<name>`, `volume:<name>` and the default-class key.
    public init(context: ControllerContext) {
        self.context = context
        directory = URL(fileURLWithPath: context.configuration.volumeDirectory).standardizedFileURL.path
        claims = context.informers.informer(PersistentVolumeClaim.self)
        volumes = context.informers.informer(PersistentVolume.self)
        classes = context.informers.informer(StorageClass.self)
        pods = context.informers.informer(Pod.self)
        claims.addEventHandler { [self] event in
            let claim = event.object
            await context.enqueue("claim:\(ObjectKey.of(claim))")
            if let volume = claim.spec.volumeName, !volume.isEmpty { await context.enqueue("volume:\(volume)") }
            // A deleted claim releases the volumes that named it.
            if event.type == .deleted {
                for volume in volumes.list() where VolumeBinding.isPreBound(volume, to: claim) {
                    await context.enqueue("volume:\(volume.metadata.name ?? "")")
                }
            }
        }
        volumes.addEventHandler { [self] event in
            let volume = event.object
            if event.type != .deleted { await context.enqueue("volume:\(volume.metadata.name ?? "")") }
            if let ref = volume.spec.claimRef, let name = ref.name {
                await context.enqueue("claim:\(ObjectKey.make(namespace: ref.namespace, name: name))")
            } else if event.type != .deleted {
                // A free volume may be what a pending claim waits for.
                for claim in claims.list() where (claim.spec.volumeName ?? "").isEmpty {
                    await context.enqueue("claim:\(ObjectKey.of(claim))")
                }
            }
        }
        classes.addEventHandler { [self] event in
            await context.enqueue(Self.defaultClassKey)
            for claim in claims.list() where (claim.spec.volumeName ?? "").isEmpty {
                await context.enqueue("claim:\(ObjectKey.of(claim))")
            }
        }
        pods.addEventHandler { [self] event in
            // WaitForFirstConsumer claims are provisioned once a pod uses them; a claim being deleted can go
            // once its last pod has finished or gone.
            let pod = event.object
            let finished = event.type == .deleted || pod.status.phase == "Succeeded" || pod.status.phase == "Failed"
            for volume in pod.spec.volumes ?? [] {
                guard let claim = volume.persistentVolumeClaim?.claimName else { continue }
                let deleting =
                    claims.get(namespace: pod.metadata.namespace, name: claim)?.metadata.isBeingDeleted ?? false
                if event.type == .added || (finished && deleting) {
                    await context.enqueue("claim:\(ObjectKey.make(namespace: pod.metadata.namespace, name: claim))")
                }
            }
        }
    }

    /// The default-class key, every claim and every volume.
    public func resyncKeys() -> [String] {
        [Self.defaultClassKey] + claims.list().map { "claim:\(ObjectKey.of($0))" }
            + volumes.list().map { "volume:\($0.metadata.name ?? "")" }
    }

    /// Syncs the claim, volume or default class named by `key`.
    public func reconcile(_ key: String) async throws {
        if key == Self.defaultClassKey {
            try await ensureDefaultClass()
        } else if key.hasPrefix("claim:") {
            guard let claim = claims.get(key: String(key.dropFirst("claim:".count))) else { return }
            try await syncClaim(claim)
        } else if key.hasPrefix("volume:") {
            guard let volume = volumes.get(namespace: nil, name: String(key.dropFirst("volume:".count))) else {
                return
            }
            try await syncVolume(volume)
        }
    }

    // MARK: The default StorageClass

    private func ensureDefaultClass() async throws {
        guard VolumeBinding.defaultClass(classes.list()) == nil else { return }
        guard classes.get(namespace: nil, name: VolumeBinding.defaultClassName) == nil else { return }
        do {
            _ = try await context.client.create(VolumeBinding.defaultStorageClass())
            context.logger.info(
                "created the default StorageClass",
                metadata: ["kubus.storageclass": "\(VolumeBinding.defaultClassName)"])
        } catch {
            if error.isAlreadyExists { return }
            throw error
        }
    }

    // MARK: Claims

    private func syncClaim(_ claim: PersistentVolumeClaim) async throws {
        if claim.metadata.isBeingDeleted {
            try await releaseDeletedClaim(claim)
            return
        }
        // A claim without a class got the default one from the api (DefaultStorageClass admission); one
        // created while there was no default binds, like `storageClassName: ""`, only to volumes without a class.
        if let volumeName = claim.spec.volumeName, !volumeName.isEmpty {
            try await syncBoundClaim(claim, volumeName: volumeName)
            return
        }
        if let volume = VolumeBinding.bestMatch(for: claim, in: volumes.list()) {
            try await bind(claim, to: volume)
            return
        }
        try await setClaimPhase(claim, "Pending")
        try await provisionIfNeeded(claim)
    }

    private func syncBoundClaim(_ claim: PersistentVolumeClaim, volumeName: String) async throws {
        guard let volume = volumes.get(namespace: nil, name: volumeName) else {
            // The volume is gone (or not yet seen): a claim that was bound is Lost.
            if claim.status.phase == "Bound" {
                _ = try? await context.client.get(PersistentVolume.self, namespace: nil, name: volumeName)
                try await setClaimPhase(claim, "Lost")
                await context.events.record(
                    claim, type: "Warning", reason: "ClaimLost",
                    message: "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
                    action: "")
            } else {
                try await setClaimPhase(claim, "Pending")
            }
            return
        }
        if volume.spec.claimRef == nil {
            // The user named the volume in the claim: bind the volume to it.
            try await bind(claim, to: volume)
        } else if VolumeBinding.isPreBound(volume, to: claim) {
            try await bind(claim, to: volume)
        } else if claim.status.phase == "Bound" {
            try await setClaimPhase(claim, "Lost")
        } else {
            try await setClaimPhase(claim, "Pending")
        }
    }

    /// Binds both sides, volume first as kube's `bind` does; every step is skipped when already done, so a
    /// restart in between finishes the binding.
    private func bind(_ claim: PersistentVolumeClaim, to volume: PersistentVolume) async throws {
        var volume = volume
        let claimKey = ObjectKey.of(claim)
        if volume.spec.claimRef?.uid != claim.metadata.uid {
            if volume.spec.claimRef == nil {
                volume.metadata.annotations = (volume.metadata.annotations ?? [:]).merging(
                    [VolumeBinding.boundByController: "yes"]) { _, new in new }
            }
            volume.spec.claimRef = VolumeBinding.claimRef(claim)
            volume = try await context.client.update(volume)
        }
        if volume.status.phase != "Bound" {
            volume.status.phase = "Bound"
            volume.status.message = nil
            volume.status.reason = nil
            volume.status.lastPhaseTransitionTime = Time.now()
            volume = try await context.client.updateStatus(volume)
        }
        var claim = claim
        let volumeName = volume.metadata.name ?? ""
        if claim.spec.volumeName != volumeName || claim.metadata.annotations?[VolumeBinding.bindCompleted] == nil {
            var annotations = claim.metadata.annotations ?? [:]
            if claim.spec.volumeName != volumeName { annotations[VolumeBinding.boundByController] = "yes" }
            annotations[VolumeBinding.bindCompleted] = "yes"
            claim.metadata.annotations = annotations
            claim.spec.volumeName = volumeName
            claim = try await context.client.update(claim)
        }
        if claim.status.phase != "Bound" {
            claim.status.phase = "Bound"
            claim.status.accessModes = volume.spec.accessModes
            claim.status.capacity = volume.spec.capacity
            _ = try await context.client.updateStatus(claim)
            context.logger.info(
                "bound a claim", metadata: ["kubus.claim": "\(claimKey)", "kubus.volume": "\(volumeName)"])
        }
    }

    /// Kubernetes' pvc-protection controller: a claim being deleted loses its protection finalizer (and so goes)
    /// once no pod that has not finished uses it — checked in the cache, then, since the cache may lag behind a
    /// pod just created, with a live list.
    private func releaseDeletedClaim(_ claim: PersistentVolumeClaim) async throws {
        guard
            let remaining = VolumeBinding.removing(
                PersistentVolumeClaim.protectionFinalizer, from: claim.metadata.finalizers)
        else { return }
        let namespace = claim.metadata.namespace
        if VolumeBinding.isInUse(claim, by: pods.list(namespace: namespace)) { return }
        if VolumeBinding.isInUse(claim, by: try await context.client.list(Pod.self, namespace: namespace).items) {
            return
        }
        try await removeFinalizers(
            kind: "PersistentVolumeClaim", namespace: namespace, name: claim.metadata.name ?? "", remaining: remaining,
            resourceVersion: claim.metadata.resourceVersion)
        context.logger.info(
            "a deleted claim is no longer used; it goes", metadata: ["kubus.claim": "\(ObjectKey.of(claim))"])
    }

    /// Writes `metadata.finalizers` as `remaining`, if the object is still at `resourceVersion`.
    private func removeFinalizers(
        kind: String, namespace: String?, name: String, remaining: [String], resourceVersion: String?
    ) async throws {
        var patch: JSONValue = ["metadata": ["finalizers": .array(remaining.map { .string($0) })]]
        patch[path: ["metadata", "resourceVersion"]] = resourceVersion.map { .string($0) } ?? .null
        do {
            _ = try await context.client.patch(kind: kind, namespace: namespace, name: name, patch: patch)
        } catch {
            if error.isNotFound { return }
            throw error
        }
    }

    private func setClaimPhase(_ claim: PersistentVolumeClaim, _ phase: String) async throws {
        guard claim.status.phase != phase else { return }
        var claim = claim
        claim.status.phase = phase
        _ = try await context.client.updateStatus(claim)
    }

    private func provisionIfNeeded(_ claim: PersistentVolumeClaim) async throws {
        guard let className = claim.spec.storageClassName, !className.isEmpty,
            let storageClass = classes.get(namespace: nil, name: className),
            storageClass.provisioner == VolumeBinding.hostPathProvisioner
        else { return }
        if storageClass.volumeBindingMode == "WaitForFirstConsumer" {
            guard pods.list(namespace: claim.metadata.namespace).contains(where: { VolumeBinding.names($0, claim) })
            else { return }
        }
        let volume = VolumeBinding.provisionedVolume(for: claim, storageClass: storageClass, directory: directory)
        guard volumes.get(namespace: nil, name: volume.metadata.name ?? "") == nil else { return }
        let path = volume.spec.hostPath?.path ?? ""
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            await context.events.record(
                claim, type: "Warning", reason: "ProvisioningFailed",
                message: "failed to provision volume with StorageClass \"\(className)\": cannot create \(path): "
                    + "\(error.localizedDescription); check --volume-dir", action: "")
            throw error
        }
        do {
            _ = try await context.client.create(volume)
        } catch {
            if error.isAlreadyExists { return }
            throw error
        }
        await context.events.record(
            claim, type: "Normal", reason: "ProvisioningSucceeded",
            message: "Successfully provisioned volume \(volume.metadata.name ?? "") at \(path)", action: "")
    }

    // MARK: Volumes

    private func syncVolume(_ volume: PersistentVolume) async throws {
        if volume.metadata.isBeingDeleted {
            try await releaseDeletedVolume(volume)
            return
        }
        guard let ref = volume.spec.claimRef, let claimName = ref.name else {
            try await setVolumePhase(volume, "Available")
            return
        }
        var claim = claims.get(namespace: ref.namespace, name: claimName)
        if claim == nil || (ref.uid != nil && claim?.metadata.uid != ref.uid) {
            // The cache may lag behind a claim just created: ask the api before releasing.
            claim = try? await context.client.get(PersistentVolumeClaim.self, namespace: ref.namespace, name: claimName)
        }
        if let claim, ref.uid == nil || ref.uid == "" || ref.uid == claim.metadata.uid {
            if claim.spec.volumeName == volume.metadata.name {
                try await setVolumePhase(volume, "Bound")
            } else if (ref.uid ?? "").isEmpty {
                try await setVolumePhase(volume, "Available")
            }
            return
        }
        if (ref.uid ?? "").isEmpty {
            // Pre-bound by a user to a claim that does not exist yet.
            try await setVolumePhase(volume, "Available")
            return
        }
        // The claim is gone: reclaim.
        switch VolumeBinding.reclaim(volume) {
        case .retain:
            try await setVolumePhase(volume, "Released")
        case .fail(let message):
            try await setVolumePhase(volume, "Failed", message: message)
            await context.events.record(
                volume, type: "Warning", reason: "VolumeFailedDelete", message: message, action: "")
        case .delete(let path):
            try await setVolumePhase(volume, "Released")
            if let path, isUnderVolumeDirectory(path), FileManager.default.fileExists(atPath: path) {
                try FileManager.default.removeItem(atPath: path)
            }
            do {
                _ = try await context.client.delete(
                    kind: "PersistentVolume", namespace: nil, name: volume.metadata.name ?? "",
                    preconditions: .init(uid: volume.metadata.uid))
            } catch {
                if error.isNotFound { return }
                throw error
            }
            context.logger.info(
                "deleted a released volume and its folder",
                metadata: ["kubus.volume": "\(volume.metadata.name ?? "")", "kubus.path": "\(path ?? "")"])
        }
    }

    /// Kubernetes' pv-protection controller: a volume being deleted loses its protection finalizer once no
    /// existing claim is bound to it.
    private func releaseDeletedVolume(_ volume: PersistentVolume) async throws {
        guard
            let remaining = VolumeBinding.removing(
                PersistentVolume.protectionFinalizer, from: volume.metadata.finalizers)
        else { return }
        if let ref = volume.spec.claimRef, let claimName = ref.name {
            var claim = claims.get(namespace: ref.namespace, name: claimName)
            if claim == nil {
                claim = try? await context.client.get(
                    PersistentVolumeClaim.self, namespace: ref.namespace, name: claimName)
            }
            if let claim, (ref.uid ?? "").isEmpty || ref.uid == claim.metadata.uid,
                claim.spec.volumeName == volume.metadata.name
            {
                return
            }
        }
        try await removeFinalizers(
            kind: "PersistentVolume", namespace: nil, name: volume.metadata.name ?? "", remaining: remaining,
            resourceVersion: volume.metadata.resourceVersion)
        context.logger.info(
            "a deleted volume is bound to no claim; it goes",
            metadata: ["kubus.volume": "\(volume.metadata.name ?? "")"])
    }

    /// Only folders this controller made are removed, never an arbitrary host path.
    private func isUnderVolumeDirectory(_ path: String) -> Bool {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        return standardized.hasPrefix(directory + "/") && standardized.count > directory.count + 1
    }

    private func setVolumePhase(_ volume: PersistentVolume, _ phase: String, message: String? = nil) async throws {
        guard volume.status.phase != phase || volume.status.message != message else { return }
        var volume = volume
        volume.status.phase = phase
        volume.status.message = message
        volume.status.lastPhaseTransitionTime = Time.now()
        _ = try await context.client.updateStatus(volume)
    }
}
