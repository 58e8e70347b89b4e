import Client
public import ControllerKit
import Foundation
import Logging
public import Schema

/// Deletes everything in a namespace that is being deleted, then removes the `kubernetes` finalizer through
/// the `finalize` subresource so the api deletes the namespace (Kubernetes' namespace controller).
///
/// While content remains it sets the conditions `NamespaceContentRemaining`, `NamespaceFinalizersRemaining` (the
/// finalizers holding that content) and `NamespaceDeletionContentFailure` (when deleting failed), and looks again
/// shortly; pods bound to nodes take their grace period, which their kubelet ends.
public final class NamespaceController: Controller {
    /// The controller's name.
    public static let name = "namespace"
    /// The finalizer the api puts in `spec.finalizers` of every namespace.
    public static let finalizer = "kubernetes"
    /// How soon to look again while content remains.
    public static let recheckDelay: Duration = .seconds(1)

    private let context: ControllerContext
    private let namespaces: SharedInformer<Namespace>

    /// Creates the controller and its Namespace handler.
    public init(context: ControllerContext) {
        self.context = context
        namespaces = context.informers.informer(Namespace.self)
        namespaces.addEventHandler { event in
            guard event.type != .deleted, event.object.metadata.isBeingDeleted else { return }
            await context.enqueue(ObjectKey.of(event.object))
        }
    }

    /// Every namespace being deleted.
    public func resyncKeys() -> [String] {
        namespaces.list().filter(\.metadata.isBeingDeleted).map { ObjectKey.of($0) }
    }

    /// Empties and finalizes the namespace `key` if it is being deleted.
    public func reconcile(_ key: String) async throws {
        guard let namespace = namespaces.get(key: key), namespace.metadata.isBeingDeleted,
            (namespace.spec.finalizers ?? []).contains(Self.finalizer)
        else { return }
        let name = namespace.metadata.name ?? key
        var remaining: [String: Int] = [:]
        var finalizers: [String: Int] = [:]
        var failures: [String] = []
        for info in KindRegistry.all where info.namespaced {
            let items: [JSONValue]
            do {
                items = try await listAll(info, namespace: name)
            } catch {
                failures.append("\(info.qualifiedResource): \(error)")
                continue
            }
            for item in items {
                remaining[info.qualifiedResource, default: 0] += 1
                for finalizer in item[path: ["metadata", "finalizers"]]?.arrayValue ?? [] {
                    if let finalizer = finalizer.stringValue { finalizers[finalizer, default: 0] += 1 }
                }
                guard item[path: ["metadata", "deletionTimestamp"]] == nil,
                    let itemName = item[path: ["metadata", "name"]]?.stringValue
                else { continue }
                do {
                    _ = try await context.client.delete(
                        kind: info.kind, namespace: name, name: itemName, propagationPolicy: "Background")
                } catch {
                    if !error.isNotFound { failures.append("\(info.qualifiedResource) \"\(itemName)\": \(error)") }
                }
            }
        }
        if remaining.isEmpty && failures.isEmpty {
            try await finalize(namespace)
            context.logger.info("namespace emptied and finalized", metadata: ["kubus.namespace": "\(name)"])
            return
        }
        try await setConditions(namespace, remaining: remaining, finalizers: finalizers, failures: failures)
        await context.enqueue(key, after: Self.recheckDelay)
    }

    /// Lists `info` objects in `namespace` afresh from the api, every page.
    private func listAll(_ info: KindInfo, namespace: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var token: String?
        repeat {
            let page = try await context.client.list(kind: info.kind, namespace: namespace, limit: 500, continue: token)
            items += page.items
            token = page.continue
        } while token != nil
        return items
    }

    private func finalize(_ namespace: Namespace) async throws {
        var updated = namespace
        updated.spec.finalizers = (namespace.spec.finalizers ?? []).filter { $0 != Self.finalizer }
        do {
            _ = try await context.client.update(try updated.jsonValue(), subresource: "finalize")
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// The namespace conditions Kubernetes reports while deleting content: `remaining` counts objects by
    /// resource, `finalizers` the objects each finalizer still holds.
    public static func conditions(
        remaining: [String: Int], finalizers: [String: Int] = [:], failures: [String], old: [NamespaceCondition],
        now: Time = .now()
    ) -> [NamespaceCondition] {
        func condition(
            _ type: String, _ active: Bool, reason: String, message: String, okReason: String, okMessage: String
        ) -> NamespaceCondition {
            let status = active ? "True" : "False"
            let previous = old.first { $0.type == type }
            let since = previous?.status == status ? (previous?.lastTransitionTime ?? now) : now
            return NamespaceCondition(
                type: type, status: status, lastTransitionTime: since, reason: active ? reason : okReason,
                message: active ? message : okMessage)
        }
        let counts = remaining.sorted { $0.key < $1.key }.map { "\($0.key) has \($0.value) resource instances" }
        let held = finalizers.sorted { $0.key < $1.key }.map { "\($0.key) in \($0.value) resource instances" }
        return [
            condition(
                "NamespaceDeletionContentFailure", !failures.isEmpty, reason: "ContentDeletionFailed",
                message: "Failed to delete all resource types, \(failures.count) remaining: "
                    + failures.joined(separator: ", "),
                okReason: "ContentDeleted",
                okMessage: "All content successfully deleted, may be waiting on finalization"),
            condition(
                "NamespaceContentRemaining", !remaining.isEmpty, reason: "SomeResourcesRemain",
                message: "Some resources are remaining: " + counts.joined(separator: ", "),
                okReason: "ContentRemoved", okMessage: "All content successfully removed"),
            condition(
                "NamespaceFinalizersRemaining", !finalizers.isEmpty, reason: "SomeFinalizersRemain",
                message: "Some content in the namespace has finalizers remaining: " + held.joined(separator: ", "),
                okReason: "ContentHasNoFinalizers", okMessage: "All content-preserving finalizers finished"),
        ]
    }

    private func setConditions(
        _ namespace: Namespace, remaining: [String: Int], finalizers: [String: Int], failures: [String]
    ) async throws {
        let old = namespace.status.conditions ?? []
        var next = Self.conditions(remaining: remaining, finalizers: finalizers, failures: failures, old: old)
        // Keep any other condition as it is.
        next += old.filter { o in !next.contains { $0.type == o.type } }
        let changed =
            next.count != old.count
            || next.contains { n in
                guard let o = old.first(where: { $0.type == n.type }) else { return true }
                return o.status != n.status || o.message != n.message
            }
        guard changed else { return }
        var updated = namespace
        updated.status.conditions = next
        do {
            _ = try await context.client.updateStatus(updated)
        } catch {
            if error.isNotFound || error.isConflict { return }
            throw error
        }
    }
}
