public import ControllerKit

/// Every controller `kubus-controller` can run, by name.
public enum ControllerCatalog {
    /// The controller types, in the order `kubus-controller --help` lists them.
    public static let all: [any Controller.Type] = [
        ReplicaSetController.self, GarbageCollector.self, NamespaceController.self, ServiceAccountController.self,
        DeploymentController.self,
        StatefulSetController.self, DaemonSetController.self,
        JobController.self, CronJobController.self,
        NodeLifecycleController.self, PersistentVolumeController.self, EndpointsController.self,
        LoadBalancerController.self,
    ]

    /// The controller named `name`.
    public static func controller(named name: String) -> (any Controller.Type)? {
        all.first { $0.name == name }
    }

    /// Every controller's name.
    public static var names: [String] { all.map { $0.name } }
}
