public import Schema

extension ObjectMeta {
    /// The owner reference with `controller: true`, if any.
    public var controllerRef: OwnerReference? {
        ownerReferences?.first { $0.controller == true }
    }

    /// Whether the object is being deleted.
    public var isBeingDeleted: Bool { deletionTimestamp != nil }
}

extension KubeObject {
    /// An owner reference to this object that marks it as the controller and blocks its foreground deletion
    /// until the dependent is gone, as controllers set it.
    public var asControllerRef: OwnerReference {
        OwnerReference(
            apiVersion: Self.kindInfo.apiVersion, kind: Self.kindInfo.kind, name: metadata.name ?? "",
            uid: metadata.uid ?? "", controller: true, blockOwnerDeletion: true)
    }
}

extension OwnerReference {
    /// Whether this reference names the same owner as `other` (by uid).
    public func refersTo(uid: String?) -> Bool { !self.uid.isEmpty && self.uid == uid }
}
