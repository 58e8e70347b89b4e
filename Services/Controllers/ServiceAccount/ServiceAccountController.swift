import Client
public import ControllerKit
import Logging
import Schema

/// Makes sure every active namespace has the ServiceAccount `default`, recreating it when deleted
/// (Kubernetes' serviceaccounts controller).
public final class ServiceAccountController: Controller {
    /// The controller's name.
    public static let name = "serviceaccount"
    /// The ServiceAccount every namespace gets.
    public static let defaultName = "default"

    private let context: ControllerContext
    private let namespaces: SharedInformer<Namespace>
    private let serviceAccounts: SharedInformer<ServiceAccount>

    /// Creates the controller and its Namespace and ServiceAccount handlers; keys are namespace names.
    public init(context: ControllerContext) {
        self.context = context
        namespaces = context.informers.informer(Namespace.self)
        serviceAccounts = context.informers.informer(ServiceAccount.self)
        namespaces.addEventHandler { event in
            guard event.type != .deleted else { return }
            await context.enqueue(event.object.metadata.name ?? "")
        }
        serviceAccounts.addEventHandler { event in
            guard event.type == .deleted, event.object.metadata.name == Self.defaultName,
                let namespace = event.object.metadata.namespace
            else { return }
            await context.enqueue(namespace)
        }
    }

    /// Every namespace.
    public func resyncKeys() -> [String] { namespaces.list().compactMap(\.metadata.name) }

    /// Creates `default` in the namespace `key` when it is active and lacks one.
    public func reconcile(_ key: String) async throws {
        guard let namespace = namespaces.get(namespace: nil, name: key), !namespace.metadata.isBeingDeleted,
            namespace.status.phase != "Terminating"
        else { return }
        if serviceAccounts.get(namespace: key, name: Self.defaultName) != nil { return }
        let account = ServiceAccount(metadata: ObjectMeta(name: Self.defaultName, namespace: key))
        do {
            _ = try await context.client.create(account)
            context.logger.info("created the default ServiceAccount", metadata: ["kubus.namespace": "\(key)"])
        } catch {
            // Already there, or the namespace is going away (Forbidden, NotFound).
            if error.isAlreadyExists || error.reason == "Forbidden" || error.isNotFound { return }
            throw error
        }
    }
}
