import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Runs containers as OCI bundles with the real runc, each under a `kubus-shim supervise` that outlives the kubelet.
///
/// Layout of `stateDirectory`:
/// - `runc/`: runc's own state (`runc --root`), so Kubus' containers never mix with others on the host.
/// - `containers/<id>/`: `record.json` (the container's config and image), `bundle/config.json`, `bundle/rootfs`
///   (an overlay: the image's unpacked rootfs below, `upper/` and `work/` of this container above), `etc/` (hosts,
///   hostname, resolv.conf), `container.pid` (runc's `--pid-file`), `runc.log`, and the shim's state files
///   `shim.pid`, `pid`, `started` and `exit`.
public final class RuncRuntime: ContainerRuntime {
    public let name = "runc"
    /// The folder this runtime owns.
    public let stateDirectory: String
    let shimPath: String
    let runcPath: String
    let imageStore: OCIImageStore
    let logger: Logger

    /// Creates a runtime keeping its state in `stateDirectory`; containers already recorded there are re-adopted.
    public init(
        stateDirectory: String, shimPath: String, imageStore: OCIImageStore, runcPath: String = "/usr/sbin/runc",
        logger: Logger
    ) {
        self.stateDirectory = stateDirectory
        self.shimPath = shimPath
        self.imageStore = imageStore
        self.runcPath = runcPath
        self.logger = logger
    }

    /// The runc runtime as a kubelet wires it: its state in `<kubelet state>/runc`, unpacked images in
    /// `<kubelet state>/runc/images`, layouts from `imageDirectories` (default: `<kubelet state>/images` and the
    /// repository's `images/`).
    public static func forKubelet(
        kubeletStateDirectory: String, imageDirectories: [String] = [], shimPath: String,
        runcPath: String = "/usr/sbin/runc", logger: Logger
    ) -> RuncRuntime {
        let state = (kubeletStateDirectory as NSString).appendingPathComponent("runc")
        let directories =
            imageDirectories.isEmpty
            ? OCIImageStore.defaultImageDirectories(stateDirectory: kubeletStateDirectory) : imageDirectories
        let store = OCIImageStore(imageDirectories: directories, cacheDirectory: state + "/images", logger: logger)
        return RuncRuntime(
            stateDirectory: state, shimPath: shimPath, imageStore: store, runcPath: runcPath, logger: logger)
    }

    var runcRoot: String { stateDirectory + "/runc" }
    var containersDirectory: String { stateDirectory + "/containers" }
    func directory(_ id: String) -> String { containersDirectory + "/" + id }

    /// What `record.json` holds: enough to report the container and to clean it up after a kubelet restart.
    struct Record: Codable, Sendable {
        var id: String
        var config: ContainerConfig
        var image: ResolvedImage
        var createdAt: Date
    }

    /// The shim's `exit` file.
    struct ExitFile: Codable, Sendable {
        var exitCode: Int32
        var signal: Int32?
        var finishedAt: Int64?
        var reason: String?
        var message: String?
    }

    // MARK: ContainerRuntime

    public func pullImage(_ image: String) async throws -> ResolvedImage {
        try await imageStore.resolve(image)
    }

    public func startContainer(_ config: ContainerConfig, image: ResolvedImage) async throws -> String {
        guard let lower = image.rootfs else {
            throw RuntimeError(
                "image \"\(image.image)\" has no root filesystem; the runc runtime needs an OCI image layout or a"
                    + " rootfs folder (see docs/runtime-runc.md)")
        }
        if lower.contains(":") || lower.contains(",") {
            throw RuntimeError(
                "the image root filesystem path \(lower) contains ':' or ',', which overlayfs cannot take")
        }
        let id = Self.makeID(config)
        let folder = directory(id)
        let files = FileManager.default
        var logger = self.logger
        logger[metadataKey: "kubus.pod"] = "\(config.podNamespace)/\(config.podName)"
        logger[metadataKey: "kubus.container"] = "\(config.name)"
        logger[metadataKey: "kubus.container.id"] = "\(id)"
        if let profile = config.security?.seccomp {
            logger.warning(
                "seccomp profile not applied by the runc runtime yet (the process runtime applies it): the container runs without a seccomp filter",
                metadata: ["kubus.seccomp": "\(profile)"])
        }

        do {
            for sub in ["bundle/rootfs", "upper", "work", "etc"] {
                try files.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            }
            let record = Record(id: id, config: config, image: image, createdAt: Date())
            try Self.writeAtomically(JSONEncoder().encode(record), to: folder + "/record.json")

            var etc = OCISpec.EtcFiles()
            etc.hostname = folder + "/etc/hostname"
            try Self.writeAtomically(Data((config.hostname + "\n").utf8), to: folder + "/etc/hostname")
            if let hosts = config.hostsFile {
                etc.hosts = folder + "/etc/hosts"
                try Self.writeAtomically(Data(hosts.utf8), to: folder + "/etc/hosts")
            }
            if let resolv = config.resolvConf {
                etc.resolvConf = folder + "/etc/resolv.conf"
                try Self.writeAtomically(Data(resolv.utf8), to: folder + "/etc/resolv.conf")
            }
            let rootfs = folder + "/bundle/rootfs"
            try Self.mountOverlay(lower: lower, upper: folder + "/upper", work: folder + "/work", target: rootfs)
            var spec = OCISpec.make(containerID: id, config: config, image: image, rootfs: rootfs, etc: etc)
            let terminalWrapper = config.tty ? Self.terminalWrapperPath : nil
            if config.tty && terminalWrapper == nil {
                logger.warning("no /usr/bin/script (util-linux) to give runc a terminal: the container runs on pipes")
                spec.process.terminal = false
            }
            try Self.writeAtomically(spec.jsonData(), to: folder + "/bundle/config.json")
            try files.createDirectory(
                atPath: (config.logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)

            var runc = [
                runcPath, "--root", runcRoot, "--log", folder + "/runc.log", "--log-format", "json",
                "run", "--keep", "--pid-file", folder + "/container.pid", "--bundle", folder + "/bundle", id,
            ]
            if let terminalWrapper {
                // runc in the foreground passes a terminal to the container only from a controlling terminal of
                // its own; script(1) gives it one and copies the terminal's output to the shim's log pipe.
                // Its input is the FIFO `terminal.in`, held open read-write so it never reads end-of-file (which
                // script would pass on to the container's terminal).
                let input = folder + "/terminal.in"
                guard mkfifo(input, 0o600) == 0 else {
                    throw RuntimeError("mkfifo \(input): \(HostCommand.errnoText())")
                }
                runc = [
                    "/bin/sh", "-c", "exec 0<>\"$1\"; shift; exec \"$@\"", "sh", input,
                    terminalWrapper, "--quiet", "--flush", "--return", "--echo", "never", "--command",
                    runc.map(Self.shellQuoted).joined(separator: " "), "/dev/null",
                ]
            }
            let argv = [shimPath, "supervise", folder, "--log", config.logPath, "--"] + runc
            _ = try HostCommand.start(argv, outputPath: folder + "/shim.out")
        } catch {
            logger.warning("cannot create container", metadata: ["kubus.error": "\(error)"])
            await cleanUp(id: id, podUID: config.podUID)
            throw error as? RuntimeError ?? RuntimeError("cannot create container \(config.name): \(error)")
        }

        // Wait until runc has started the process (container.pid) or everything already ended (exit).
        var delay: UInt64 = 2_000_000
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if files.fileExists(atPath: folder + "/container.pid") || files.fileExists(atPath: folder + "/exit") {
                logger.debug("container started")
                return id
            }
            if let shim = Self.readInt(folder + "/shim.pid"), !Self.isAlive(Int32(shim)),
                !files.fileExists(atPath: folder + "/exit")
            {
                break
            }
            try? await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 50_000_000)
        }
        let shimOutput = ["shim.out", "shim.log"].compactMap {
            try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8)
        }.joined()
        logger.warning("container did not start", metadata: ["kubus.shim.output": "\(shimOutput)"])
        try? await stopContainer(id, gracePeriod: .zero)
        await cleanUp(id: id, podUID: config.podUID)
        throw RuntimeError(
            "container \(config.name) did not start: kubus-shim at \(shimPath) recorded neither a pid nor an exit"
                + (shimOutput.isEmpty ? "" : " (\(shimOutput.trimmingCharacters(in: .whitespacesAndNewlines)))"))
    }

    public func containerStatus(_ id: String) async -> RuntimeContainerStatus? {
        guard Self.isValidID(id), let record = Self.readRecord(directory(id)) else { return nil }
        return status(of: record)
    }

    public func stopContainer(_ id: String, gracePeriod: Duration) async throws {
        guard Self.isValidID(id), FileManager.default.fileExists(atPath: directory(id)) else { return }
        if isExited(id) { return }
        _ = try? await runc(["kill", id, "TERM"])
        if gracePeriod > .zero {
            if await waitExited(id, for: gracePeriod) { return }
        }
        _ = try? await runc(["kill", "--all", id, "KILL"])
        if await waitExited(id, for: .seconds(10)) { return }
        // The shim is gone (killed) and cannot record the exit: once runc says the container stopped, it has.
        if let state = await runcState(id), state.status != "running", state.status != "created" { return }
        if await runcState(id) == nil, !Self.shimAlive(directory(id)) { return }
        throw RuntimeError("container \(id) did not exit after SIGKILL; check `runc --root \(runcRoot) state \(id)`")
    }

    public func removeContainer(_ id: String) async throws {
        guard Self.isValidID(id), FileManager.default.fileExists(atPath: directory(id)) else { return }
        if !isExited(id) { try await stopContainer(id, gracePeriod: .zero) }
        let podUID = Self.readRecord(directory(id))?.config.podUID
        try await removeFolder(id: id, podUID: podUID)
    }

    public func listContainers() async -> [RuntimeContainerStatus] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: containersDirectory)) ?? []
        return ids.sorted().compactMap { id in Self.readRecord(directory(id)).map { status(of: $0) } }
    }

    public func exec(_ id: String, command: [String], tty: Bool, stdin: Bool) async throws -> any ExecProcess {
        guard Self.isValidID(id), FileManager.default.fileExists(atPath: directory(id)) else {
            throw RuntimeError("container \(id) not found")
        }
        guard !command.isEmpty else { throw RuntimeError("exec needs a command") }
        guard let record = Self.readRecord(directory(id)), status(of: record).state == .running else {
            throw RuntimeError("container \(id) is not running")
        }
        let pidFile = directory(id) + "/exec-\(UInt32.random(in: 0...UInt32.max)).pid"
        var argv = [runcPath, "--root", runcRoot, "exec", "--pid-file", pidFile]
        if tty { argv.append("--tty") }
        argv += [id] + command
        let hooks = HostExecProcess.Hooks(
            kill: { runc in
                // SIGKILL to runc itself would orphan the process in the container: kill the process runc started.
                if let target = Self.readInt(pidFile), target > 0 {
                    Glibc.kill(Int32(target), SIGKILL)
                } else {
                    Glibc.kill(runc, SIGTERM)
                }
            },
            // runc copies its terminal's size into the container's on SIGWINCH.
            resized: { runc in Glibc.kill(runc, SIGWINCH) },
            exited: { try? FileManager.default.removeItem(atPath: pidFile) })
        return try HostExecProcess.start(argv: argv, tty: tty, stdin: stdin, hooks: hooks)
    }

    // MARK: Status

    private func status(of record: Record) -> RuntimeContainerStatus {
        let folder = directory(record.id)
        let config = record.config
        var status = RuntimeContainerStatus(
            id: record.id, podUID: config.podUID, podNamespace: config.podNamespace, podName: config.podName,
            name: config.name, attempt: config.attempt, image: config.image, imageID: record.image.imageID,
            state: .created, logPath: config.logPath)
        status.startedAt = Self.readInt(folder + "/started").map(Self.date(fromNanoseconds:))
        let containerPID = Self.readInt(folder + "/container.pid").map { Int32($0) }

        var exit = Self.readExit(folder)
        if exit == nil {
            if let pid = containerPID, Self.isContainerProcess(pid, id: record.id) {
                status.state = .running
                status.pid = pid
                return status
            }
            if Self.shimAlive(folder) {
                status.state = containerPID == nil ? .created : .running
                return status
            }
            // The shim records the exit, then ends: one that ended since the first read has left its record now.
            exit = Self.readExit(folder)
        }
        if let exit {
            status.state = .exited
            status.exitCode = exit.exitCode
            status.signal = exit.signal
            status.finishedAt = exit.finishedAt.map(Self.date(fromNanoseconds:)) ?? Date()
            if containerPID == nil {
                status.reason = "ContainerCannotRun"
                status.message = Self.runcError(folder) ?? exit.message ?? "runc could not start the container"
                if status.exitCode == 0 { status.exitCode = 128 }
            } else if oomKilled(record) {
                status.reason = "OOMKilled"
                status.signal = SIGKILL
            } else {
                status.reason = exit.exitCode == 0 ? "Completed" : (exit.reason == "OOMKilled" ? "OOMKilled" : "Error")
                status.message = exit.message.flatMap { $0.isEmpty ? nil : $0 }
            }
            return status
        }
        status.state = .exited
        status.exitCode = 255
        status.reason = "Unknown"
        status.message = "kubus-shim of this container exited without recording the container's exit"
        status.finishedAt = Self.modificationDate(folder + "/container.pid") ?? record.createdAt
        return status
    }

    private func isExited(_ id: String) -> Bool {
        guard let record = Self.readRecord(directory(id)) else { return true }
        return status(of: record).state == .exited
    }

    private func waitExited(_ id: String, for duration: Duration) async -> Bool {
        let deadline = ContinuousClock.now + duration
        var delay: UInt64 = 5_000_000
        while true {
            if isExited(id) { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 100_000_000)
        }
    }

    /// Whether the kernel OOM-killed a process in the container's memory cgroup (kept by `runc run --keep`).
    private func oomKilled(_ record: Record) -> Bool {
        let cgroup = OCISpec.cgroupsPath(podUID: record.config.podUID, containerID: record.id)
        for file in ["/sys/fs/cgroup/memory\(cgroup)/memory.oom_control", "/sys/fs/cgroup\(cgroup)/memory.events"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
                if let count = Int(line.dropFirst("oom_kill ".count)), count > 0 { return true }
            }
        }
        return false
    }

    // MARK: runc

    struct RuncState: Decodable {
        var id: String
        var pid: Int32
        var status: String
    }

    func runc(_ arguments: [String]) async throws -> HostCommandResult {
        try await HostCommand.run([runcPath, "--root", runcRoot] + arguments)
    }

    func runcState(_ id: String) async -> RuncState? {
        guard let result = try? await runc(["state", id]), result.succeeded else { return nil }
        return try? JSONDecoder().decode(RuncState.self, from: result.stdout)
    }

    /// Deletes the runc container, unmounts the overlay, removes the folder and the cgroups.
    private func removeFolder(id: String, podUID: String?) async throws {
        let result = try? await runc(["delete", "--force", id])
        if let result, !result.succeeded, !result.stderrText.contains("does not exist") {
            logger.warning(
                "runc delete failed", metadata: ["kubus.container.id": "\(id)", "kubus.error": "\(result.stderrText)"])
        }
        try Self.unmountAll(under: directory(id))
        try FileManager.default.removeItem(atPath: directory(id))
        if let podUID { Self.removeCgroups(podUID: podUID, containerID: id) }
    }

    private func cleanUp(id: String, podUID: String) async {
        do {
            try await removeFolder(id: id, podUID: podUID)
        } catch {
            logger.warning(
                "cannot clean up container", metadata: ["kubus.container.id": "\(id)", "kubus.error": "\(error)"])
        }
    }

    /// Stops and removes every container recorded in `stateDirectory`, with runc's state and cgroups; keeps the
    /// unpacked image cache. For tests and `kubus-kubelet cleanup`.
    public static func removeAll(stateDirectory: String, runcPath: String = "/usr/sbin/runc") async {
        let containers = stateDirectory + "/containers"
        let root = stateDirectory + "/runc"
        for id in (try? FileManager.default.contentsOfDirectory(atPath: containers)) ?? [] {
            let folder = containers + "/" + id
            _ = try? await HostCommand.run([runcPath, "--root", root, "kill", "--all", id, "KILL"])
            if let shim = readInt(folder + "/shim.pid"), shimAlive(folder) {
                // Give the shim a moment to record the exit, then make sure it is gone.
                for _ in 0..<50 where isAlive(Int32(shim)) { try? await Task.sleep(nanoseconds: 20_000_000) }
                kill(Int32(shim), SIGKILL)
            }
            _ = try? await HostCommand.run([runcPath, "--root", root, "delete", "--force", id])
            try? unmountAll(under: folder)
            if let record = readRecord(folder) { removeCgroups(podUID: record.config.podUID, containerID: id) }
            if (try? unmountAll(under: folder)) != nil { try? FileManager.default.removeItem(atPath: folder) }
        }
        // Containers runc knows but whose folder is gone.
        if let list = try? await HostCommand.run([runcPath, "--root", root, "list", "--quiet"]), list.succeeded {
            for id in list.stdoutText.split(separator: "\n").map(String.init) where !id.isEmpty {
                _ = try? await HostCommand.run([runcPath, "--root", root, "delete", "--force", id])
            }
        }
        try? FileManager.default.removeItem(atPath: containers)
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: Files, mounts, processes

    /// util-linux's script(1), which gives runc a terminal for `tty` containers; nil when the host lacks it.
    static let terminalWrapperPath: String? =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/script")
        ? "/usr/bin/script" : nil

    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func makeID(_ config: ContainerConfig) -> String {
        let name = config.name.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "\(config.podUID.prefix(8))-\(name.prefix(40))-\(config.attempt)-\(suffix)"
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id != "." && id != ".."
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    static func readRecord(_ folder: String) -> Record? {
        guard let data = FileManager.default.contents(atPath: folder + "/record.json") else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    static func readExit(_ folder: String) -> ExitFile? {
        guard let data = FileManager.default.contents(atPath: folder + "/exit") else { return nil }
        return try? JSONDecoder().decode(ExitFile.self, from: data)
    }

    static func readInt(_ path: String) -> Int64? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Int64(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The last error runc logged (`runc --log ... --log-format json`), e.g. an executable that is not found.
    static func runcError(_ folder: String) -> String? {
        guard let text = try? String(contentsOfFile: folder + "/runc.log", encoding: .utf8) else { return nil }
        struct Entry: Decodable {
            var level: String?
            var msg: String?
        }
        let entries = text.split(separator: "\n").compactMap {
            try? JSONDecoder().decode(Entry.self, from: Data($0.utf8))
        }
        return entries.last { $0.level == "error" || $0.level == "fatal" }?.msg
    }

    static func date(fromNanoseconds value: Int64) -> Date {
        Date(timeIntervalSince1970: Double(value) / 1_000_000_000)
    }

    static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Writes `path` whole (a temporary file renamed into place), without syncing the disk (see `StateFile`).
    static func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try StateFile.replace(path, with: data)
        } catch {
            throw RuntimeError("cannot write \(path): \(error)")
        }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state != "Z" && state != "X"
    }

    /// Whether `pid` is alive and in the container's cgroup, so a reused pid is never taken for the container.
    static func isContainerProcess(_ pid: Int32, id: String) -> Bool {
        guard isAlive(pid), let cgroups = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else {
            return false
        }
        return cgroups.contains("/\(id)\n") || cgroups.hasSuffix("/\(id)")
    }

    /// Whether the shim recorded in the folder still runs (and is that shim, not a reused pid).
    static func shimAlive(_ folder: String) -> Bool {
        guard let pid = readInt(folder + "/shim.pid"), isAlive(Int32(pid)),
            let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
        else { return false }
        return String(decoding: cmdline, as: UTF8.self).contains(folder)
    }

    static func mountOverlay(lower: String, upper: String, work: String, target: String) throws {
        let options = "lowerdir=\(lower),upperdir=\(upper),workdir=\(work)"
        guard mount("overlay", target, "overlay", 0, options) == 0 else {
            throw RuntimeError("cannot mount the container's overlay at \(target): \(HostCommand.errnoText())")
        }
    }

    /// Unmounts every mount at or below `folder`, deepest first; throws if one stays.
    static func unmountAll(under folder: String) throws {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        let points = text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = unescapeMountPath(String(fields[4]))
            return point == folder || point.hasPrefix(prefix) ? point : nil
        }
        for point in points.sorted(by: { $0.count > $1.count }) where umount2(point, Int32(MNT_DETACH)) != 0 {
            if errno != EINVAL && errno != ENOENT {
                throw RuntimeError("cannot unmount \(point): \(HostCommand.errnoText())")
            }
        }
    }

    private static func unescapeMountPath(_ path: String) -> String {
        path.replacingOccurrences(of: "\\040", with: " ").replacingOccurrences(of: "\\011", with: "\t")
            .replacingOccurrences(of: "\\012", with: "\n").replacingOccurrences(of: "\\134", with: "\\")
    }

    /// Removes the container's cgroups if runc left them, and the pod's once it is empty; the shared `/kubus`
    /// parent stays.
    static func removeCgroups(podUID: String, containerID: String) {
        let base = "/sys/fs/cgroup"
        let controllers = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        var roots = controllers.map { base + "/" + $0 }
        roots.append(base)  // cgroup v2
        for root in roots {
            rmdir(root + OCISpec.cgroupsPath(podUID: podUID, containerID: containerID))
            rmdir(root + "/kubus/" + podUID)
        }
    }
}
