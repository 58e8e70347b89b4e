import Foundation
import Kubelet
import Synchronization

/// A container runtime in memory for unit tests: containers "run" until told to exit; exec echoes a script.
final class FakeRuntime: ContainerRuntime {
    let name = "process"
    private let state = Mutex<[String: RuntimeContainerStatus]>([:])

    func pullImage(_ image: String) async throws -> ResolvedImage {
        guard image != "missing" else { throw ImagePullError(image: image, message: "image \"missing\" is not known") }
        return ResolvedImage(image: image, imageID: "fake://\(image)")
    }

    func startContainer(_ config: ContainerConfig, image: ResolvedImage) async throws -> String {
        let id = "\(config.name)-\(config.attempt)"
        state.withLock {
            $0[id] = RuntimeContainerStatus(
                id: id, podUID: config.podUID, podNamespace: config.podNamespace, podName: config.podName,
                name: config.name, attempt: config.attempt, image: config.image, imageID: image.imageID,
                state: .running,
                pid: 100, startedAt: Date(), logPath: config.logPath)
        }
        return id
    }

    /// Adds a container as if a runtime had it already.
    func add(_ status: RuntimeContainerStatus) { state.withLock { $0[status.id] = status } }

    func containerStatus(_ id: String) async -> RuntimeContainerStatus? { state.withLock { $0[id] } }

    func stopContainer(_ id: String, gracePeriod: Duration) async throws {
        state.withLock {
            $0[id]?.state = .exited
            $0[id]?.exitCode = 143
            $0[id]?.finishedAt = Date()
        }
    }

    func removeContainer(_ id: String) async throws { state.withLock { _ = $0.removeValue(forKey: id) } }

    func listContainers() async -> [RuntimeContainerStatus] { state.withLock { Array($0.values) } }

    func exec(_ id: String, command: [String], tty: Bool, stdin: Bool) async throws -> any ExecProcess {
        guard state.withLock({ $0[id]?.state == .running }) else {
            throw RuntimeError("container \(id) is not running")
        }
        return FakeExec(output: [(1, Array("out\n".utf8)), (2, Array("err\n".utf8))], exitCode: 3)
    }
}

/// An exec'd process that writes `output` then exits with `exitCode`.
final class FakeExec: ExecProcess {
    private let output: Mutex<[(Int, [UInt8])]>
    private let exitCode: Int32
    let killed = Mutex(false)

    init(output: [(Int, [UInt8])], exitCode: Int32) {
        self.output = Mutex(output)
        self.exitCode = exitCode
    }

    func write(_ bytes: [UInt8]) async throws {}
    func closeStdin() async {}
    func resize(rows: Int, cols: Int) async {}
    func read() async -> (stream: Int, bytes: [UInt8])? {
        output.withLock { $0.isEmpty ? nil : $0.removeFirst() }.map { (stream: $0.0, bytes: $0.1) }
    }
    func wait() async -> Int32 { killed.withLock { $0 } ? 137 : exitCode }
    func kill() async { killed.withLock { $0 = true } }
}
