import ArgumentParser
import Foundation
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
        case "runc":
            guard let shim = ProcessRuntime.resolveShimPath() else {
                throw ValidationError(
                    "--runtime runc needs kubus-shim: build it (swift build --product kubus-shim) or set KUBUS_SHIM")
            }
            guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runc") else {
                throw ValidationError("--runtime runc needs /usr/sbin/runc: apt-get install runc")
            }
            return RuncRuntime.forKubelet(kubeletStateDirectory: stateDirectory, shimPath: shim, logger: logger)
        case "sim":
            throw ValidationError("--runtime sim runs SimKubelet, not a container runtime")
        default:
            throw ValidationError("--runtime: \"\(name)\" is not one of process, runc, sim")
        }
    }

    /// Stops and removes every container either runtime keeps under `stateDirectory`.
    static func removeAll(stateDirectory: String, logger: Logger) async {
        ProcessRuntime.removeAll(stateDirectory: stateDirectory)
        await RuncRuntime.removeAll(stateDirectory: stateDirectory + "/runc")
    }
}
