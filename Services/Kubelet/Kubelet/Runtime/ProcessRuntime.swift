import Foundation
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The `process` runtime: each container is a host process in new pid, mount, uts and ipc namespaces, on a
/// copy-on-write overlay of the host's `/`, started and supervised by `kubus-shim` (see docs/runtime-process.md).
///
/// Every container lives in `<stateDirectory>/containers/<id>/`; the shim records what happens there (`pid`,
/// `started`, `exit`), so a new ProcessRuntime on the same folder finds every container again.
public final class ProcessRuntime: ContainerRuntime {
    public let name = "process"
    /// The runtime's folder; containers live in its `containers/` subfolder.
    public let stateDirectory: String
    /// The `kubus-shim` executable.
    public let shimPath: String
    /// Maps image names to programs on this host.
    public let catalog: ImageCatalog
    let logger: Logger
    /// Each container's `config.json` and `image.json` as a status in state `created`: they never change once the
    /// container exists, so a listing (every pod sync reads every container's status) decodes them once, not each
    /// time. Entries go with their folders.
    private let described = Mutex<[String: RuntimeContainerStatus]>([:])

    /// Creates a runtime that keeps its containers under `stateDirectory`.
    public init(stateDirectory: String, shimPath: String, catalog: ImageCatalog, logger: Logger) {
        self.stateDirectory = stateDirectory
        self.shimPath = shimPath
        self.catalog = catalog
        self.logger = logger
    }

    /// A runtime with the shim `resolveShimPath()` finds and the catalog `ImageCatalog.loadDefault(flag:)` loads.
    public convenience init(stateDirectory: String, imageCatalogPath: String? = nil, logger: Logger) throws {
        guard let shimPath = Self.resolveShimPath() else {
            throw RuntimeError(
                "kubus-shim not found: build it (swift build --product kubus-shim), put it next to kubus-kubelet, "
                    + "or set KUBUS_SHIM")
        }
        let catalog = try ImageCatalog.loadDefault(flag: imageCatalogPath)
        self.init(stateDirectory: stateDirectory, shimPath: shimPath, catalog: catalog, logger: logger)
    }

    var containersDirectory: String { stateDirectory + "/containers" }

    func directory(of id: String) -> String { containersDirectory + "/" + id }

    public func pullImage(_ image: String) async throws -> ResolvedImage {
        var resolved = try catalog.resolve(image, shimPath: shimPath)
        if let files = catalog.entry(for: image)?.files, !files.isEmpty {
            do {
                resolved.layer = try ImageLayer.build(
                    files, in: stateDirectory + "/layers", catalogFolder: catalog.folder)
            } catch {
                throw ImagePullError(image: image, message: "cannot prepare the files of image \"\(image)\": \(error)")
            }
        }
        if let entry = catalog.entry(for: image), let applets = entry.applets {
            // The folder is bind-mounted at a fixed path inside the container (see `startContainer`): the state
            // folder itself may be under /tmp or /run, which containers get fresh.
            let made = try appletFolder(for: applets, wrappers: entry.appletWrappers ?? [:])
            let folder = Self.appletMountPrefix + (made as NSString).lastPathComponent
            let path =
                resolved.env.last { $0.name == "PATH" }?.value
                ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            resolved.env.removeAll { $0.name == "PATH" }
            resolved.env.insert(EnvPair(name: "PATH", value: folder + ":" + path), at: 0)
        }
        return resolved
    }

    /// Where the shim appears inside containers that run it (the pause image).
    static let shimMountPath = "/run/kubus/kubus-shim"

    /// Where a multi-call binary's applet folder appears inside containers.
    static let appletMountPrefix = "/run/kubus/applets/"

    /// The bind mount of the applet folder an image's PATH names, if it names one.
    func appletMount(for image: ResolvedImage) -> MountSpec? {
        guard let path = image.env.last(where: { $0.name == "PATH" })?.value else { return nil }
        for entry in path.split(separator: ":") where entry.hasPrefix(Self.appletMountPrefix) {
            let name = String(entry.dropFirst(Self.appletMountPrefix.count))
            return MountSpec(
                hostPath: stateDirectory + "/applets/" + name, containerPath: String(entry), readOnly: true)
        }
        return nil
    }

    /// `<stateDirectory>/applets/<binary name>[-<wrappers' hash>]`: one symlink per applet of a multi-call binary,
    /// or the catalog's wrapper script for that applet, made once.
    func appletFolder(for binary: String, wrappers: [String: String] = [:]) throws -> String {
        var name = (binary as NSString).lastPathComponent
        if !wrappers.isEmpty {
            let text = wrappers.sorted { $0.key < $1.key }.map { $0.key + "\u{0}" + $0.value }.joined(
                separator: "\u{0}")
            name += "-" + SHA256Digest.hex(of: Array(text.utf8)).prefix(12)
        }
        let folder = stateDirectory + "/applets/" + name
        if access(folder + "/sh", F_OK) == 0 { return folder }
        let list = Process()
        list.executableURL = URL(fileURLWithPath: binary)
        list.arguments = ["--list"]
        let output = Pipe()
        list.standardOutput = output
        list.standardError = FileHandle.nullDevice
        try list.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        list.waitUntilExit()
        let temporary = folder + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        for applet in String(decoding: data, as: UTF8.self).split(separator: "\n") where !applet.contains("/") {
            if let script = wrappers[String(applet)] {
                try Data(script.utf8).write(to: URL(fileURLWithPath: temporary + "/" + applet))
                chmod(temporary + "/" + applet, 0o755)
            } else {
                symlink(binary, temporary + "/" + applet)
            }
        }
        if rename(temporary, folder) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)  // another start made it first
        }
        return folder
    }

    public func startContainer(_ config: ContainerConfig, image: ResolvedImage) async throws -> String {
        var argv = config.argv
        if argv.isEmpty { argv = image.entrypoint + image.cmd }
        guard !argv.isEmpty else {
            throw RuntimeError(
                "container \"\(config.name)\" has no command: image \"\(image.image)\" sets neither entrypoint nor "
                    + "cmd; give the container a command")
        }
        guard !containersDirectory.contains(","), !containersDirectory.contains(":") else {
            // The folder goes into the overlay's mount options, where commas and colons are separators.
            throw RuntimeError(
                "the process runtime's state folder \(stateDirectory) contains ',' or ':': choose another --state-dir")
        }
        var config = config
        if let applets = appletMount(for: image) { config.mounts.insert(applets, at: 0) }
        if argv.first == shimPath {
            // The pause image runs the shim itself: bind it at a fixed path, as the shim's own folder may be under
            // /tmp or /run, which containers get fresh.
            argv[0] = Self.shimMountPath
            config.mounts.insert(
                MountSpec(hostPath: shimPath, containerPath: Self.shimMountPath, readOnly: true), at: 0)
        }
        let id = Self.newContainerID()
        let dir = directory(of: id)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        try Self.writeAtomically(try encoder.encode(config), to: dir, name: "config.json")
        try Self.writeAtomically(try encoder.encode(image), to: dir, name: "image.json")
        let launch = Self.launchFile(config: config, image: image, argv: argv)
        try Self.writeAtomically(launch, to: dir, name: "launch")

        let clock = ContinuousClock()
        let began = clock.now
        let launcher: pid_t
        do {
            launcher = try Self.spawn(shimPath, arguments: ["run", dir])
        } catch {
            try? FileManager.default.removeItem(atPath: dir)
            throw RuntimeError("cannot start kubus-shim at \(shimPath): \(error); set KUBUS_SHIM or build it")
        }
        // The launcher exits once the container runs (D/pid) or failed to start (D/exit).
        let launcherStatus = await Self.waitForExit(of: launcher, timeout: .seconds(60))
        let files = StateFiles(directory: dir)
        guard files.exists("pid") || files.exists("exit") else {
            let shimLog = (files.string("shim.log") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if launcherStatus == nil {
                kill(launcher, SIGKILL)
                _ = await Self.waitForExit(of: launcher, timeout: .seconds(5))
            }
            if let shim = files.number("shim.pid") {
                Self.signal(pid: Int32(shim), starttime: files.number("shim.starttime"), SIGKILL)
            }
            Self.removeContainerFolder(dir)
            let outcome = launcherStatus.map { "exit status \($0)" } ?? "no answer within 60s"
            throw RuntimeError(
                "kubus-shim failed to start container \"\(config.name)\" of pod \(config.podNamespace)/"
                    + "\(config.podName) (\(outcome)): \(shimLog.isEmpty ? "no message" : shimLog)")
        }
        logger.debug(
            "container started",
            metadata: [
                "kubus.pod": "\(config.podNamespace)/\(config.podName)", "kubus.container": "\(config.name)",
                "kubus.containerID": "\(id)", "kubus.startMillis": "\((clock.now - began).milliseconds)",
            ])
        return id
    }

    public func containerStatus(_ id: String) async -> RuntimeContainerStatus? {
        status(of: id)
    }

    public func stopContainer(_ id: String, gracePeriod: Duration) async throws {
        let dir = directory(of: id)
        let files = StateFiles(directory: dir)
        guard var current = status(of: id) else { return }
        if current.state == .created {
            // Still starting: give the shim a moment to record the pid.
            _ = await poll(timeout: .seconds(5)) { files.exists("pid") || files.exists("exit") }
            guard let again = status(of: id) else { return }
            current = again
        }
        guard current.state == .running, let pid = current.pid else { return }
        let deadline = ContinuousClock.now + gracePeriod
        if gracePeriod > .zero {
            Self.signal(pid: pid, starttime: files.number("pid.starttime"), SIGTERM)
            if await poll(until: deadline, { files.exists("exit") || !self.shimAlive(files) }) { return }
        }
        Self.signal(pid: pid, starttime: files.number("pid.starttime"), SIGKILL)
        if await poll(timeout: .seconds(10), { files.exists("exit") || !self.shimAlive(files) }) { return }
        throw RuntimeError(
            "container \(id) did not exit after SIGKILL; its shim (pid \(files.number("shim.pid") ?? 0)) "
                + "may be stuck: see \(dir)/shim.log")
    }

    public func removeContainer(_ id: String) async throws {
        let dir = directory(of: id)
        guard FileManager.default.fileExists(atPath: dir) else { return }
        if let current = status(of: id), current.state != .exited {
            try await stopContainer(id, gracePeriod: .zero)
        }
        let files = StateFiles(directory: dir)
        // The shim removes the cgroup and exits right after writing `exit`; wait for it, then make sure.
        _ = await poll(timeout: .seconds(2)) { !self.shimAlive(files) }
        Self.removeContainerFolder(dir)
        described.withLock { _ = $0.removeValue(forKey: id) }
    }

    public func listContainers() async -> [RuntimeContainerStatus] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: containersDirectory)) ?? []
        let present = Set(ids)
        described.withLock { cache in
            if cache.keys.contains(where: { !present.contains($0) }) {
                cache = cache.filter { present.contains($0.key) }
            }
        }
        return ids.sorted().compactMap { status(of: $0) }
    }

    /// The container's state from its folder; nil when it has none.
    func status(of id: String) -> RuntimeContainerStatus? {
        guard Self.isContainerID(id) else { return nil }
        let files = StateFiles(directory: directory(of: id))
        // The folder may have gone since it was described (removed by a cleanup, or a failed start).
        guard files.exists("config.json") else { return nil }
        var status: RuntimeContainerStatus
        if let known = described.withLock({ $0[id] }) {
            status = known
        } else {
            guard let configData = files.data("config.json"),
                let config = try? JSONDecoder().decode(ContainerConfig.self, from: configData)
            else { return nil }
            let image = files.data("image.json").flatMap { try? JSONDecoder().decode(ResolvedImage.self, from: $0) }
            status = RuntimeContainerStatus(
                id: id, podUID: config.podUID, podNamespace: config.podNamespace, podName: config.podName,
                name: config.name, attempt: config.attempt, image: config.image, imageID: image?.imageID ?? "",
                state: .created, logPath: config.logPath)
            // image.json is written before the shim starts; one not readable yet is read again next time.
            if image != nil { described.withLock { $0[id] = status } }
        }
        status.startedAt = files.number("started").map(Self.date(fromNanoseconds:))
        let readExit = { files.data("exit").flatMap { try? JSONDecoder().decode(ExitRecord.self, from: $0) } }
        var exit = readExit()
        if exit == nil {
            if shimAlive(files) {
                if let pid = files.number("pid") {
                    status.state = .running
                    status.pid = Int32(pid)
                }
                return status
            }
            // The shim records the exit, then ends: one that ended since the first read has left its record now.
            exit = readExit()
        }
        if let exit {
            status.state = .exited
            status.exitCode = exit.exitCode
            status.signal = exit.signal
            status.finishedAt = Self.date(fromNanoseconds: exit.finishedAt)
            status.reason = exit.reason
            status.message = exit.message?.isEmpty == false ? exit.message : nil
            return status
        }
        if !files.exists("shim.pid"), let created = files.modificationDate("config.json"),
            Date().timeIntervalSince(created) < 30
        {
            return status  // the shim is still being spawned
        }
        status.state = .exited
        status.exitCode = 255
        status.reason = "Unknown"
        status.message = "the container's kubus-shim ended without recording an exit status (killed?)"
        status.finishedAt = files.modificationDate("pid") ?? files.modificationDate("config.json")
        return status
    }

    func shimAlive(_ files: StateFiles) -> Bool {
        guard let pid = files.number("shim.pid") else { return false }
        return Self.processAlive(pid: pid_t(pid), starttime: files.number("shim.starttime"))
    }

    /// Polls `condition` with a short backoff (1 ms, doubling to 20 ms) until it holds or `deadline` passes.
    func poll(until deadline: ContinuousClock.Instant, _ condition: () -> Bool) async -> Bool {
        var delay = Duration.milliseconds(1)
        while true {
            if condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(20))
        }
    }

    func poll(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        await poll(until: ContinuousClock.now + timeout, condition)
    }
}

/// D/exit as the shim writes it.
struct ExitRecord: Codable {
    var exitCode: Int32
    var signal: Int32?
    var finishedAt: Int64
    var reason: String
    var message: String?
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
