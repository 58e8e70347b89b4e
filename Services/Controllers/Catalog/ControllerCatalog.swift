public import ControllerKit
import Foundation

/// Every controller `kubus-controller` can run, by name.
public enum ControllerCatalog {
    /// The controller types, in the order `kubus-controller --help` lists them.
    public static let all: [any Controller.Type] = [
        ReplicaSetController.self, GarbageCollector.self, NamespaceController.self, ServiceAccountController.self,
        DeploymentController.self,
        StatefulSetController.self, DaemonSetController.self,
        JobController.self, CronJobController.self,
        NodeLifecycleController.self, PersistentVolumeController.self, EndpointsController.self,
        LoadBalancerController.self, ResourceQuotaController.self,
    ]

    /// The controller named `name`.
    public static func controller(named name: String) -> (any Controller.Type)? {
        all.first { $0.name == name }
    }

    /// Every controller's name.
    public static var names: [String] { all.map { $0.name } }

    /// The controllers a `kubus-controller` argument names: one name, names joined by commas, or `all`; nil for an
    /// unknown or repeated name, or none.
    public static func controllers(named list: String) -> [any Controller.Type]? {
        if list == "all" { return all }
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !names.isEmpty, Set(names).count == names.count else { return nil }
        var types: [any Controller.Type] = []
        for name in names {
            guard let type = controller(named: name) else { return nil }
            types.append(type)
        }
        return types
    }
}
