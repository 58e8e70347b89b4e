public import Client
public import Schema

/// Maps events of dependents (pods of a ReplicaSet, ReplicaSets of a Deployment, ...) to the keys of the
/// controllers that must look again, as kube's `addPod`/`updatePod`/`deletePod` handlers do.
///
/// A dependent with a controller reference goes to that controller (resolved by kind, name and uid); an
/// orphan goes to every controller whose selector matches it, which may adopt it. `created` and `deleted`
/// routes are what a controller's `ControllerExpectations` observe.
public struct DependentRouter<Owner: KubeObject, Dependent: KubeObject>: Sendable {
    /// What happened to the dependent, as its controller sees it.
    public enum Change: Sendable, Hashable {
        /// A dependent the controller made (or adopted) appeared.
        case created
        /// The dependent changed, or an orphan it may adopt appeared.
        case updated
        /// The dependent is being deleted or is gone.
        case deleted
    }

    /// One controller to queue.
    public struct Route: Sendable {
        /// The controller.
        public var owner: Owner
        /// The controller's key.
        public var key: String
        /// What happened.
        public var change: Change
        /// The dependent's key (what `deletionObserved` takes).
        public var dependentKey: String
    }

    private let owners: SharedInformer<Owner>
    private let selector: @Sendable (Owner) -> LabelSelector?

    /// Routes to owners cached in `owners`, whose selector `selector` reads.
    public init(owners: SharedInformer<Owner>, selector: @escaping @Sendable (Owner) -> LabelSelector?) {
        self.owners = owners
        self.selector = selector
    }

    /// The cached controller a reference names, if it is of `Owner`'s kind with that uid.
    public func resolve(_ reference: OwnerReference, namespace: String?) -> Owner? {
        guard reference.kind == Owner.kindInfo.kind,
            let owner = owners.get(namespace: namespace, name: reference.name), owner.metadata.uid == reference.uid
        else { return nil }
        return owner
    }

    /// The cached controllers in the dependent's namespace whose non-empty selector matches it.
    public func ownersSelecting(_ dependent: Dependent) -> [Owner] {
        owners.list(namespace: dependent.metadata.namespace).filter { owner in
            guard let selector = selector(owner), !selector.isEmpty else { return false }
            return selector.matches(dependent.metadata.labels ?? [:])
        }
    }

    /// The controllers to queue for `event`.
    public func routes(for event: InformerEvent<Dependent>) -> [Route] {
        Self.routes(
            type: event.type, object: event.object, old: event.old, resolve: resolve, selecting: ownersSelecting)
    }

    /// The routing decision, with the lookups passed in.
    public static func routes(
        type: WatchEventType, object: Dependent, old: Dependent?, resolve: (OwnerReference, String?) -> Owner?,
        selecting: (Dependent) -> [Owner]
    ) -> [Route] {
        func controller(_ dependent: Dependent, _ change: Change) -> [Route] {
            guard let ref = dependent.metadata.controllerRef,
                let owner = resolve(ref, dependent.metadata.namespace)
            else { return [] }
            return [
                Route(owner: owner, key: ObjectKey.of(owner), change: change, dependentKey: ObjectKey.of(dependent))
            ]
        }
        func orphan(_ dependent: Dependent) -> [Route] {
            selecting(dependent).map {
                Route(owner: $0, key: ObjectKey.of($0), change: .updated, dependentKey: ObjectKey.of(dependent))
            }
        }
        switch type {
        case .added:
            // Seen for the first time already being deleted (e.g. after a relist): a deletion.
            if object.metadata.isBeingDeleted { return controller(object, .deleted) }
            if object.metadata.controllerRef != nil { return controller(object, .created) }
            return orphan(object)
        case .modified:
            guard let old else { return controller(object, .updated) }
            if object.metadata.resourceVersion == old.metadata.resourceVersion { return [] }
            let labelsChanged = object.metadata.labels != old.metadata.labels
            if object.metadata.isBeingDeleted {
                return controller(object, .deleted) + (labelsChanged ? controller(old, .deleted) : [])
            }
            let refChanged = object.metadata.controllerRef != old.metadata.controllerRef
            var routes: [Route] = refChanged ? controller(old, .updated) : []
            if object.metadata.controllerRef != nil { return routes + controller(object, .updated) }
            if labelsChanged || refChanged { routes += orphan(object) }
            return routes
        case .deleted:
            return controller(object, .deleted)
        }
    }
}
