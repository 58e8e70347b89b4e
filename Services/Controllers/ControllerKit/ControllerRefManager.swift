public import Client
public import Logging
public import Schema

/// What to do with one candidate object when a controller claims the objects its selector matches.
public enum ClaimDecision: Sendable, Hashable {
    /// Not ours and not to be adopted (another controller owns it, or it does not match).
    case ignore
    /// Ours and matching: keep it.
    case owned
    /// An orphan that matches: adopt it by adding our controller reference.
    case adopt
    /// Ours but no longer matching: release it by removing our reference.
    case release
}

/// Kubernetes' `ControllerRefManager`: claims the objects a controller owns, adopting matching orphans and
/// releasing owned objects that stopped matching.
public struct ControllerRefManager<Owner: KubeObject>: Sendable {
    /// The controller whose objects are claimed.
    public let owner: Owner
    /// What the controller selects.
    public let selector: LabelSelector
    private let client: any APIClient
    private let logger: Logger

    /// Creates a manager for `owner` selecting with `selector`.
    public init(owner: Owner, selector: LabelSelector, client: any APIClient, logger: Logger) {
        self.owner = owner
        self.selector = selector
        self.client = client
        self.logger = logger
    }

    /// The decision for one object, as `ClaimObject` makes it.
    public static func decide(owner: ObjectMeta, object: ObjectMeta, matches: Bool) -> ClaimDecision {
        if let ref = object.controllerRef {
            guard ref.refersTo(uid: owner.uid) else { return .ignore }
            if matches { return .owned }
            // Owned but no longer selected: release it, unless we are being deleted (the GC handles that).
            return owner.isBeingDeleted ? .ignore : .release
        }
        // An orphan: adopt only when we are alive, it matches, it is alive and in our namespace.
        guard !owner.isBeingDeleted, matches, !object.isBeingDeleted else { return .ignore }
        if let namespace = owner.namespace, !namespace.isEmpty, namespace != object.namespace { return .ignore }
        return .adopt
    }

    /// The objects this controller owns after adopting and releasing; throws the first adopt or release error.
    public func claim<T: KubeObject>(_ objects: [T]) async throws -> [T] {
        var claimed: [T] = []
        var firstError: (any Error)?
        var canAdopt: Bool?
        for object in objects {
            let matches = selector.matches(object.metadata.labels ?? [:])
            switch Self.decide(owner: owner.metadata, object: object.metadata, matches: matches) {
            case .ignore:
                continue
            case .owned:
                claimed.append(object)
            case .adopt:
                if canAdopt == nil {
                    do {
                        try await recheckOwner()
                        canAdopt = true
                    } catch {
                        canAdopt = false
                        firstError = firstError ?? error
                    }
                }
                guard canAdopt == true else { continue }
                do {
                    claimed.append(try await adopt(object))
                } catch let error as APIError where error.isNotFound {
                    continue
                } catch {
                    firstError = firstError ?? error
                }
            case .release:
                do {
                    try await release(object)
                } catch let error as APIError where error.isNotFound {
                    continue
                } catch {
                    firstError = firstError ?? error
                }
            }
        }
        if let firstError { throw firstError }
        return claimed
    }

    /// Reads the owner fresh from the api: adopting is allowed only while it exists with the same uid and is
    /// not being deleted (the cache may be stale).
    private func recheckOwner() async throws {
        let fresh = try await client.get(
            Owner.self, namespace: owner.metadata.namespace, name: owner.metadata.name ?? "")
        let kind = Owner.kindInfo.kind
        let name = ObjectKey.of(owner)
        if fresh.metadata.uid != owner.metadata.uid {
            throw ClaimError(
                "original \(kind) \(name) is gone: got uid \(fresh.metadata.uid ?? ""), "
                    + "wanted \(owner.metadata.uid ?? "")")
        }
        if let deleted = fresh.metadata.deletionTimestamp {
            throw ClaimError("\(kind) \(name) has just been deleted at \(deleted)")
        }
    }

    private func adopt<T: KubeObject>(_ object: T) async throws -> T {
        var refs = object.metadata.ownerReferences ?? []
        refs.removeAll { $0.refersTo(uid: owner.metadata.uid) }
        refs.append(owner.asControllerRef)
        let stored = try await patchOwnerReferences(object, refs)
        logger.info(
            "adopted an orphan",
            metadata: [
                "kubus.object": "\(T.kindInfo.kind) \(ObjectKey.of(object))", "kubus.owner": "\(ObjectKey.of(owner))",
            ])
        return stored
    }

    private func release<T: KubeObject>(_ object: T) async throws {
        var refs = object.metadata.ownerReferences ?? []
        refs.removeAll { $0.refersTo(uid: owner.metadata.uid) }
        _ = try await patchOwnerReferences(object, refs)
        logger.info(
            "released an object that no longer matches",
            metadata: [
                "kubus.object": "\(T.kindInfo.kind) \(ObjectKey.of(object))", "kubus.owner": "\(ObjectKey.of(owner))",
            ])
    }

    /// A merge patch of the whole `ownerReferences` list, guarded by the object's resourceVersion.
    private func patchOwnerReferences<T: KubeObject>(_ object: T, _ refs: [OwnerReference]) async throws -> T {
        try await OwnerPatch.setOwnerReferences(object, refs, client: client)
    }
}

/// Writes an object's owner references with a merge patch, guarded by its resourceVersion.
public enum OwnerPatch {
    /// Replaces `ownerReferences` of `object` (null when empty); fails with Conflict if it changed meanwhile.
    public static func setOwnerReferences<T: KubeObject>(
        _ object: T, _ refs: [OwnerReference], client: any APIClient
    ) async throws -> T {
        var metadata: JSONValue = [
            "ownerReferences": refs.isEmpty ? .null : try JSONValue(encoding: refs)
        ]
        if let version = object.metadata.resourceVersion { metadata["resourceVersion"] = .string(version) }
        let body = try await client.patch(
            kind: T.kindInfo.kind, namespace: object.metadata.namespace, name: object.metadata.name ?? "",
            patch: ["metadata": metadata])
        return try body.decode(as: T.self)
    }
}

/// A claim could not go ahead; says why.
public struct ClaimError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}
