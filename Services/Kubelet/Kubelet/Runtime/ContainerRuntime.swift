public import Foundation

/// What a kubelet asks of a container runtime: the CRI, cut to what Kubus needs.
///
/// A runtime runs containers whose lifetime does not depend on the kubelet: a kubelet that stops or is
/// swapped for a new build leaves them running, and the next one finds them again with `listContainers()`
/// (re-adoption). Every call is idempotent where Kubernetes' CRI is: stopping a stopped container or removing
/// a removed one succeeds.
public protocol ContainerRuntime: Sendable {
    /// `process`, `runc` or `sim`.
    var name: String { get }

    /// Resolves `image` to something this runtime can start; throws `ImagePullError` (the pod goes
    /// `ErrImagePull`, then `ImagePullBackOff`) with a message that says how to make the image available.
    func pullImage(_ image: String) async throws -> ResolvedImage

    /// Creates and starts one container; returns its id once the process runs (or has already exited).
    func startContainer(_ config: ContainerConfig, image: ResolvedImage) async throws -> String

    /// The container's state now; nil when the runtime does not know the id.
    func containerStatus(_ id: String) async -> RuntimeContainerStatus?

    /// Sends SIGTERM to the container's main process, waits up to `gracePeriod`, then SIGKILL; returns once it
    /// has exited.
    func stopContainer(_ id: String, gracePeriod: Duration) async throws

    /// Forgets a stopped container and frees what it held (its writable layer, cgroup). Logs are the kubelet's.
    func removeContainer(_ id: String) async throws

    /// Every container this runtime knows (running or exited and not removed), for re-adoption.
    func listContainers() async -> [RuntimeContainerStatus]

    /// Starts `command` inside a running container (its namespaces, filesystem view and cgroup).
    func exec(_ id: String, command: [String], tty: Bool, stdin: Bool) async throws -> any ExecProcess
}

/// An image resolved by a runtime.
public struct ResolvedImage: Sendable, Hashable, Codable {
    /// The image as the pod names it (`nginx:1.25`).
    public var image: String
    /// The image id reported in `containerStatuses[].imageID`.
    public var imageID: String
    /// The image's entrypoint (Docker ENTRYPOINT; Kubernetes `command` replaces it).
    public var entrypoint: [String]
    /// The image's default arguments (Docker CMD; Kubernetes `args` replaces them).
    public var cmd: [String]
    /// Environment the image sets (`PATH`, ...); the container's env overrides it.
    public var env: [EnvPair]
    /// The image's working directory.
    public var workingDir: String?
    /// The root filesystem for runtimes that need one (`runc`); nil for `process` (the host's `/`).
    public var rootfs: String?
    /// The image's USER, applied when the container's securityContext names no user.
    public var user: Int64?
    public var group: Int64?
    /// A read-only layer of the image's own files over the host's (`process`; see `ImageLayer`).
    public var layer: String?

    public init(
        image: String, imageID: String, entrypoint: [String] = [], cmd: [String] = [], env: [EnvPair] = [],
        workingDir: String? = nil, rootfs: String? = nil
    ) {
        self.image = image
        self.imageID = imageID
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.rootfs = rootfs
    }
}

/// One environment variable, in order.
public struct EnvPair: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A host folder or file mounted into a container.
public struct MountSpec: Sendable, Hashable, Codable {
    /// Path on the host.
    public var hostPath: String
    /// Absolute path inside the container.
    public var containerPath: String
    public var readOnly: Bool

    public init(hostPath: String, containerPath: String, readOnly: Bool = false) {
        self.hostPath = hostPath
        self.containerPath = containerPath
        self.readOnly = readOnly
    }
}

/// Everything a runtime needs to start one container; the kubelet has already resolved env, volumes and argv.
public struct ContainerConfig: Sendable, Hashable, Codable {
    /// The pod's uid, namespace and name (labels the runtime stores so `listContainers()` can re-adopt).
    public var podUID: String
    public var podNamespace: String
    public var podName: String
    /// The container's name in the pod spec.
    public var name: String
    /// 0 for the first run, then the restart count: one log file and one writable layer per attempt.
    public var attempt: Int
    /// The full argv to execute (entrypoint/command + cmd/args, `$(VAR)` already expanded).
    public var argv: [String]
    /// The environment, in order; later entries win.
    public var env: [EnvPair]
    public var workingDir: String?
    /// Mounts, in order; later ones may sit inside earlier ones.
    public var mounts: [MountSpec]
    /// The pod's hostname (`uts` namespace).
    public var hostname: String
    /// The pod's network namespace to join (`/run/netns/...`); nil shares the host's network.
    public var networkNamespacePath: String?
    /// Content for `/etc/hosts` and `/etc/resolv.conf` inside the container, when the kubelet manages them.
    public var hostsFile: String?
    public var resolvConf: String?
    /// Where the runtime writes the container's stdout and stderr, one CRI log line each
    /// (`2026-11-25T12:00:00.123456789Z stdout F text`).
    public var logPath: String
    /// Limits: CPU in millicores (cgroup quota) and memory in bytes; nil leaves them unlimited.
    public var cpuLimitMillis: Int64?
    public var memoryLimitBytes: Int64?
    /// CPU request in millicores (cgroup shares).
    public var cpuRequestMillis: Int64?
    /// Keep stdin open and/or give the process a terminal.
    public var stdin: Bool
    public var tty: Bool
    /// `runAsUser` / `runAsGroup` from the security context.
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    /// The image the container runs, for status.
    public var image: String
    /// Capabilities, `no_new_privs`, read-only root and seccomp; nil in a config an older kubelet wrote (then the
    /// container ran with every capability, as before these were applied).
    public var security: ContainerSecurity?

    public init(
        podUID: String, podNamespace: String, podName: String, name: String, attempt: Int, argv: [String],
        env: [EnvPair] = [], workingDir: String? = nil, mounts: [MountSpec] = [], hostname: String,
        networkNamespacePath: String? = nil, hostsFile: String? = nil, resolvConf: String? = nil, logPath: String,
        cpuLimitMillis: Int64? = nil, memoryLimitBytes: Int64? = nil, cpuRequestMillis: Int64? = nil,
        stdin: Bool = false, tty: Bool = false, runAsUser: Int64? = nil, runAsGroup: Int64? = nil, image: String,
        security: ContainerSecurity? = ContainerSecurity()
    ) {
        self.podUID = podUID
        self.podNamespace = podNamespace
        self.podName = podName
        self.name = name
        self.attempt = attempt
        self.argv = argv
        self.env = env
        self.workingDir = workingDir
        self.mounts = mounts
        self.hostname = hostname
        self.networkNamespacePath = networkNamespacePath
        self.hostsFile = hostsFile
        self.resolvConf = resolvConf
        self.logPath = logPath
        self.cpuLimitMillis = cpuLimitMillis
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuRequestMillis = cpuRequestMillis
        self.stdin = stdin
        self.tty = tty
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.image = image
        self.security = security
    }
}

/// A container as the runtime sees it.
public struct RuntimeContainerStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case created, running, exited
    }

    public var id: String
    public var podUID: String
    public var podNamespace: String
    public var podName: String
    public var name: String
    public var attempt: Int
    public var image: String
    public var imageID: String
    public var state: State
    /// The main process on the host, while running.
    public var pid: Int32?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var exitCode: Int32?
    /// The signal that ended it, if one did.
    public var signal: Int32?
    /// `Completed`, `Error`, `OOMKilled` or `ContainerCannotRun`, as Kubernetes reports them.
    public var reason: String?
    public var message: String?
    public var logPath: String

    public init(
        id: String, podUID: String, podNamespace: String, podName: String, name: String, attempt: Int,
        image: String, imageID: String, state: State, pid: Int32? = nil, startedAt: Date? = nil,
        finishedAt: Date? = nil, exitCode: Int32? = nil, signal: Int32? = nil, reason: String? = nil,
        message: String? = nil, logPath: String
    ) {
        self.id = id
        self.podUID = podUID
        self.podNamespace = podNamespace
        self.podName = podName
        self.name = name
        self.attempt = attempt
        self.image = image
        self.imageID = imageID
        self.state = state
        self.pid = pid
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.logPath = logPath
    }
}

/// A process started by `exec` in a container.
public protocol ExecProcess: Sendable {
    /// Writes to the process's stdin (or terminal).
    func write(_ bytes: [UInt8]) async throws
    /// Closes stdin.
    func closeStdin() async
    /// Resizes the terminal.
    func resize(rows: Int, cols: Int) async
    /// The next output: `(stream, bytes)` with stream 1 (stdout, or the terminal) or 2 (stderr); nil at the end.
    func read() async -> (stream: Int, bytes: [UInt8])?
    /// Waits for the process to end; its exit code (128 + signal when killed).
    func wait() async -> Int32
    /// Kills the process.
    func kill() async
}

/// The image could not be resolved; the pod waits in `ErrImagePull` / `ImagePullBackOff` with this message.
public struct ImagePullError: Error, Sendable, CustomStringConvertible {
    public var image: String
    public var message: String

    public init(image: String, message: String) {
        self.image = image
        self.message = message
    }

    public var description: String { message }
}

/// A runtime failed to create or start a container (`CreateContainerError` / `RunContainerError`).
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
