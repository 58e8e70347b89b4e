import ArgumentParser
import Kubelet
import Logging

/// Builds the container runtime `--runtime` names.
enum RuntimeFactory {
    static func make(_ name: String, stateDirectory: String, imageCatalog: String?, logger: Logger) throws
        -> any ContainerRuntime
    {
        switch name {
        case "process":
            guard let shim = ProcessRuntime.resolveShimPath() else {
                throw ValidationError(
                    "--runtime process needs kubus-shim: build it (swift build --product kubus-shim) or set KUBUS_SHIM")
            }
            let catalog: ImageCatalog
            do {
                catalog = try ImageCatalog.loadDefault(flag: imageCatalog)
            } catch {
                throw ValidationError("--image-catalog: \(error)")
            }
            return ProcessRuntime(stateDirectory: stateDirectory, shimPath: shim, catalog: catalog, logger: logger)
        case "runc", "sim":
            throw ValidationError("--runtime \(name): not available in this build (its branch is not merged yet)")
        default:
            throw ValidationError("--runtime: \"\(name)\" is not one of process, runc, sim")
        }
    }

    /// Stops and removes every container the runtime keeps under `stateDirectory`.
    static func removeAll(_ name: String, stateDirectory: String, logger: Logger) async throws {
        switch name {
        case "process": ProcessRuntime.removeAll(stateDirectory: stateDirectory)
        default: throw ValidationError("cleanup --runtime \(name): not available in this build")
        }
    }
}
