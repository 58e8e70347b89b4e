import Foundation
public import Schema

/// Which pods `kubusctl drain` deletes, which it leaves, and why it refuses, with kubectl's filters and messages.
public struct DrainPlan: Sendable {
    /// What drain may do.
    public struct Options: Sendable, Hashable {
        public var force = false
        public var ignoreDaemonSets = false
        public var deleteEmptyDirData = false

        public init(force: Bool = false, ignoreDaemonSets: Bool = false, deleteEmptyDirData: Bool = false) {
            self.force = force
            self.ignoreDaemonSets = ignoreDaemonSets
            self.deleteEmptyDirData = deleteEmptyDirData
        }
    }

    /// The pods to delete.
    public var delete: [JSONValue] = []
    /// kubectl's warnings (`ignoring DaemonSet-managed Pods: ns/a, ns/b`), one per kind of reason.
    public var warnings: [String] = []
    /// The reasons drain cannot go ahead; when not empty, nothing is deleted.
    public var errors: [String] = []

    static let daemonSetFatal = "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
    static let daemonSetWarning = "ignoring DaemonSet-managed Pods"
    static let localStorageFatal = "cannot delete Pods with local storage (use --delete-emptydir-data to override)"
    static let localStorageWarning = "deleting Pods with local storage"
    static let unmanagedFatal = "cannot delete Pods that declare no controller (use --force to override)"
    static let unmanagedWarning = "deleting Pods that declare no controller"

    /// Plans the drain of the pods on one node.
    public init(pods: [JSONValue], options: Options) {
        var fatal: [(String, [String])] = []
        var warn: [(String, [String])] = []
        func note(_ list: inout [(String, [String])], _ message: String, _ pod: JSONValue) {
            let name = "\(pod.namespace)/\(pod.name)"
            if let i = list.firstIndex(where: { $0.0 == message }) {
                list[i].1.append(name)
            } else {
                list.append((message, [name]))
            }
        }
        for pod in pods {
            // Mirror (static) pods belong to their kubelet; drain leaves them.
            if pod.stringMap("metadata.annotations")["kubernetes.io/config.mirror"] != nil { continue }
            let controller = pod.list("metadata.ownerReferences").first { $0.at("controller")?.boolValue == true }
            let phase = pod.str("status.phase")
            let finished = phase == "Succeeded" || phase == "Failed"
            if controller?.str("kind") == "DaemonSet" {
                if options.ignoreDaemonSets {
                    note(&warn, Self.daemonSetWarning, pod)
                } else {
                    note(&fatal, Self.daemonSetFatal, pod)
                }
                continue
            }
            var ok = true
            if !finished, pod.list("spec.volumes").contains(where: { $0.at("emptyDir") != nil }) {
                if options.deleteEmptyDirData {
                    note(&warn, Self.localStorageWarning, pod)
                } else {
                    note(&fatal, Self.localStorageFatal, pod)
                    ok = false
                }
            }
            if !finished, controller == nil {
                if options.force {
                    note(&warn, Self.unmanagedWarning, pod)
                } else {
                    note(&fatal, Self.unmanagedFatal, pod)
                    ok = false
                }
            }
            if ok { delete.append(pod) }
        }
        // kubectl reports by filter, in its filter order.
        let order = [
            Self.daemonSetFatal, Self.daemonSetWarning, Self.localStorageFatal, Self.localStorageWarning,
            Self.unmanagedFatal, Self.unmanagedWarning,
        ]
        fatal.sort { order.firstIndex(of: $0.0)! < order.firstIndex(of: $1.0)! }
        warn.sort { order.firstIndex(of: $0.0)! < order.firstIndex(of: $1.0)! }
        errors = fatal.map { "\($0.0): \($0.1.joined(separator: ", "))" }
        warnings = warn.map { "\($0.0): \($0.1.joined(separator: ", "))" }
        if !errors.isEmpty { delete = [] }
    }

    /// The error line kubectl prints when it refuses: one reason bare, several as `[a, b]`.
    public func errorMessage(node: String) -> String? {
        guard !errors.isEmpty else { return nil }
        let joined = errors.count == 1 ? errors[0] : "[\(errors.joined(separator: ", "))]"
        return "unable to drain node \"\(node)\" due to error: \(joined), continuing command..."
    }
}
