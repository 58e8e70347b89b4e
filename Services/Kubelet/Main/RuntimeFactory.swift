import ArgumentParser
import Kubelet
import Logging

/// Builds the container runtime `--runtime` names.
enum RuntimeFactory {
    static func make(_ name: String, stateDirectory: String, imageCatalog: String?, logger: Logger) throws -> any ContainerRuntime {
        switch name {
        case "process", "runc", "sim":
            throw ValidationError("--runtime \(name): not available in this build (its branch is not merged yet)")
        default:
            throw ValidationError("--runtime: \"\(name)\" is not one of process, runc, sim")
        }
    }

    static func removeAll(_ name: String, stateDirectory: String, logger: Logger) async throws {}
}
