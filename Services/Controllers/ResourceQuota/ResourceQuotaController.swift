import Client
public import ControllerKit
import Logging
import Schema

/// Keeps each ResourceQuota's `status` true (Kubernetes' resourcequota controller): `hard` as the spec says and
/// `used` summed over what its namespace holds, read through the api. The api charges new objects as it admits
/// them; this controller gives back what deleted and finished objects used — at once for pods, services and
/// claims (it watches them), at the next resync for other kinds — and corrects any charge for a create that
/// then failed.
public final class ResourceQuotaController: Controller {
    /// The controller's name.
    public static let name = "resourcequota"

    private let context: ControllerContext
    private let quotas: SharedInformer<ResourceQuota>

    /// Creates the controller; keys are quotas' `namespace/name`.
    public init(context: ControllerContext) {
        self.context = context
        let quotas = context.informers.informer(ResourceQuota.self)
        self.quotas = quotas
        quotas.addEventHandler { event in
            guard event.type != .deleted else { return }
            let quota = event.object
            // A quota whose status does not say its spec's limits yet, or was just made: count it.
            if event.type == .added || quota.status.hard != quota.spec.hard || event.old?.spec != quota.spec {
                await context.enqueue(ObjectKey.of(quota))
            }
        }
        /// A change that gives back or changes usage re-counts every quota of the namespace.
        @Sendable func recount(_ namespace: String?) async {
            for quota in quotas.list(namespace: namespace) { await context.enqueue(ObjectKey.of(quota)) }
        }
        context.informers.informer(Pod.self).addEventHandler { event in
            let finished = ["Succeeded", "Failed"]
            guard
                event.type == .deleted
                    || (finished.contains(event.object.status.phase ?? "")
                        && !finished.contains(event.old?.status.phase ?? ""))
            else { return }
            await recount(event.object.metadata.namespace)
        }
        context.informers.informer(Service.self).addEventHandler { event in
            guard
                event.type == .deleted || event.old?.spec.type != event.object.spec.type
                    || event.old?.spec.ports?.count != event.object.spec.ports?.count
            else { return }
            await recount(event.object.metadata.namespace)
        }
        context.informers.informer(PersistentVolumeClaim.self).addEventHandler { event in
            guard event.type == .deleted || event.old?.spec.resources != event.object.spec.resources else { return }
            await recount(event.object.metadata.namespace)
        }
    }

    /// Every quota.
    public func resyncKeys() -> [String] { quotas.list().map { ObjectKey.of($0) } }

    /// Writes the quota's status when what its namespace uses, or its `hard`, differs from it.
    public func reconcile(_ key: String) async throws {
        guard var quota = quotas.get(key: key), quota.metadata.deletionTimestamp == nil,
            let namespace = quota.metadata.namespace
        else { return }
        let hard = quota.spec.hard ?? [:]
        var objects: [(KindInfo, JSONValue)] = []
        for info in QuotaUsage.kinds(for: hard.keys) {
            let items = try await context.client.list(kind: info.kind, namespace: namespace).items
            objects += items.map { (info, $0) }
        }
        let used = QuotaUsage.used(quota, objects: objects)
        guard quota.status.hard != quota.spec.hard || quota.status.used != used else { return }
        quota.status = ResourceQuotaStatus(hard: quota.spec.hard, used: used)
        do {
            _ = try await context.client.updateStatus(quota)
        } catch {
            if error.isNotFound { return }
            throw error
        }
        context.logger.debug("quota counted", metadata: ["kubus.quota": "\(key)"])
    }
}
