public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files the shim and the runtime keep in one container's folder.
struct StateFiles {
    let directory: String

    func path(_ name: String) -> String { directory + "/" + name }

    func exists(_ name: String) -> Bool { access(path(name), F_OK) == 0 }

    // Plain reads: every pod sync reads these small files for each container, and Foundation's
    // `FileManager.contents` and `trimmingCharacters` cost several times the system calls.
    func data(_ name: String) -> Data? { StateFile.read(path(name)).map { Data($0) } }

    func string(_ name: String) -> String? { StateFile.read(path(name)).map { String(decoding: $0, as: UTF8.self) } }

    func number(_ name: String) -> Int64? { StateFile.text(path(name)).flatMap { Int64($0) } }

    func modificationDate(_ name: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path(name)))?[.modificationDate] as? Date
    }
}

extension ProcessRuntime {
    /// A new container id: 64 lowercase hex characters, as Docker and containerd make them.
    static func newContainerID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func isContainerID(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    static func date(fromNanoseconds nanoseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(nanoseconds) / 1e9)
    }

    /// Writes `D/name` whole (a temporary file renamed into place), without syncing the disk (see `StateFile`).
    static func writeAtomically(_ data: Data, to directory: String, name: String) throws {
        do {
            try StateFile.replace(directory + "/" + name, with: data)
        } catch {
            throw RuntimeError("cannot write \(directory)/\(name): \(error)")
        }
    }

    /// D/launch: NUL-terminated tokens, a key then its value(s), the shape `kubus-shim run` parses in C.
    static func launchFile(config: ContainerConfig, image: ResolvedImage, argv: [String]) -> Data {
        var tokens: [String] = []
        func add(_ key: String, _ values: String...) {
            tokens.append(key)
            tokens.append(contentsOf: values)
        }
        for argument in argv { add("argv", argument) }
        for pair in mergedEnvironment(config: config, image: image) { add("env", pair.name + "=" + pair.value) }
        for mount in config.mounts { add("mount", mount.hostPath, mount.containerPath, mount.readOnly ? "ro" : "rw") }
        add("hostname", config.hostname)
        add("log", config.logPath)
        add("podUID", config.podUID)
        if let netns = config.networkNamespacePath, !netns.isEmpty { add("netns", netns) }
        if let hosts = config.hostsFile { add("hosts", hosts) }
        if let resolv = config.resolvConf { add("resolv", resolv) }
        if let cwd = config.workingDir ?? image.workingDir, !cwd.isEmpty { add("cwd", cwd) }
        if let layer = image.layer { add("layer", layer) }
        if let value = config.cpuLimitMillis { add("cpuLimitMillis", String(value)) }
        if let value = config.memoryLimitBytes { add("memoryLimitBytes", String(value)) }
        if let value = config.cpuRequestMillis { add("cpuRequestMillis", String(value)) }
        if let value = config.runAsUser { add("uid", String(value)) }
        if let value = config.runAsGroup { add("gid", String(value)) }
        if let security = config.security {
            add("caps", String(security.capabilityMask, radix: 16))
            if security.noNewPrivileges { add("noNewPrivs", "1") }
            if security.readOnlyRootFilesystem { add("readOnlyRoot", "1") }
            if let profile = security.seccomp { add("seccomp", profile) }
        }
        if config.stdin { add("stdin", "1") }
        if config.tty { add("tty", "1") }
        var data = Data()
        for token in tokens {
            // A NUL inside a value would split it; Kubernetes forbids them in env and args anyway.
            data.append(contentsOf: token.utf8.filter { $0 != 0 })
            data.append(0)
        }
        return data
    }

    /// The image's environment, then the container's (later wins, first position kept), plus the defaults Docker
    /// gives every container (PATH, HOSTNAME, HOME).
    static func mergedEnvironment(config: ContainerConfig, image: ResolvedImage) -> [EnvPair] {
        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values[name] == nil { order.append(name) }
            values[name] = value
        }
        set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        set("HOSTNAME", config.hostname)
        for pair in image.env { set(pair.name, pair.value) }
        for pair in config.env { set(pair.name, pair.value) }
        if values["HOME"] == nil { set("HOME", config.runAsUser.map { $0 == 0 ? "/root" : "/" } ?? "/root") }
        if config.tty, values["TERM"] == nil { set("TERM", "xterm") }
        return order.map { EnvPair(name: $0, value: values[$0]!) }
    }

    /// Starts `executable` with `arguments`; stdio from `stdio` (or /dev/null), default signal handling, an empty
    /// signal mask and no inherited descriptors beyond stdio.
    static func spawn(_ executable: String, arguments: [String], stdio: (Int32, Int32, Int32)? = nil) throws -> pid_t {
        do {
            return try HostCommand.spawn([executable] + arguments) { actions in
                if let (input, output, error) = stdio {
                    posix_spawn_file_actions_adddup2(&actions, input, 0)
                    posix_spawn_file_actions_adddup2(&actions, output, 1)
                    posix_spawn_file_actions_adddup2(&actions, error, 2)
                } else {
                    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
                }
            }
        } catch {
            throw RuntimeError(String(cString: strerror(error.code)))
        }
    }

    /// Waits for a child without blocking a thread of the cooperative pool (polls with a short backoff); its exit
    /// code, or nil when `timeout` passed first.
    static func waitForExit(of pid: pid_t, timeout: Duration = .seconds(3600)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        var delay = Duration.microseconds(500)
        while true {
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid { return HostCommand.exitStatus(status) }
            if rc < 0 && errno != EINTR { return -1 }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(2))  // on the pod-startup path: wake often, it is cheap
        }
    }

    /// Field 22 of /proc/P/stat (start time in clock ticks), which tells a process from a later one with its pid.
    static func processStartTime(pid: pid_t) -> Int64? {
        guard let stat = StateFile.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: UInt8(ascii: ")"))
        else { return nil }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        // fields[0] is field 3 (state); field 22 is fields[19].
        guard fields.count > 19, !fields[0].elementsEqual([UInt8(ascii: "Z")]) else { return nil }
        return Int64(String(decoding: fields[19], as: UTF8.self))
    }

    static func processAlive(pid: pid_t, starttime: Int64?) -> Bool {
        guard pid > 0, let actual = processStartTime(pid: pid) else { return false }
        return starttime == nil || starttime == actual
    }

    /// Signals `pid` unless it has ended or is another process by now.
    static func signal(pid: Int32, starttime: Int64?, _ signal: Int32) {
        guard processAlive(pid: pid, starttime: starttime) else { return }
        kill(pid, signal)
    }

    /// The cgroup folders the shim creates for a container (v1: memory, cpu, pids; v2: one).
    static func cgroupDirectories(podUID: String, id: String) -> [String] {
        let pod = podUID.isEmpty ? "none" : podUID
        if access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 {
            return ["/sys/fs/cgroup/kubus/\(pod)/\(id)"]
        }
        return ["memory", "cpu", "pids"].map { "/sys/fs/cgroup/\($0)/kubus/\(pod)/\(id)" }
    }

    /// Kills what is left in the container's cgroups, removes them (and the pod's when empty), unmounts anything
    /// under the folder and deletes it.
    static func removeContainerFolder(_ dir: String) {
        let files = StateFiles(directory: dir)
        let id = (dir as NSString).lastPathComponent
        let config = files.data("config.json").flatMap { try? JSONDecoder().decode(ContainerConfig.self, from: $0) }
        for cgroup in cgroupDirectories(podUID: config?.podUID ?? "", id: id)
        where FileManager.default.fileExists(atPath: cgroup) {
            for _ in 0..<100 {
                let procs = (try? String(contentsOfFile: cgroup + "/cgroup.procs", encoding: .utf8)) ?? ""
                for pid in procs.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
                if rmdir(cgroup) == 0 || errno == ENOENT { break }
                usleep(5000)
            }
            rmdir((cgroup as NSString).deletingLastPathComponent)
        }
        for mountPoint in mountPoints(under: dir).reversed() { umount2(mountPoint, Int32(MNT_DETACH)) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func mountPoints(under dir: String) -> [String] {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = String(fields[4])
            return point == dir || point.hasPrefix(dir + "/") ? point : nil
        }
    }

    /// Kills every container and shim recorded under `stateDirectory`, removes their cgroups and folders: for tests
    /// and `kubus-kubelet cleanup`. Blocking; safe to call from `defer`.
    public static func removeAll(stateDirectory: String) {
        let containers = stateDirectory + "/containers"
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: containers)) ?? []
        for id in ids {
            let files = StateFiles(directory: containers + "/" + id)
            if let pid = files.number("pid") {
                signal(pid: Int32(pid), starttime: files.number("pid.starttime"), SIGKILL)
            }
            if let shim = files.number("shim.pid") {
                // Let the shim record the exit and remove the cgroup, then make sure it is gone.
                for _ in 0..<200 where processAlive(pid: pid_t(shim), starttime: files.number("shim.starttime")) {
                    usleep(5000)
                }
                signal(pid: Int32(shim), starttime: files.number("shim.starttime"), SIGKILL)
            }
            removeContainerFolder(files.directory)
        }
        try? FileManager.default.removeItem(atPath: containers)
    }

    /// Where `kubus-shim` is: `KUBUS_SHIM`, else next to the running executable, else in `.build/debug` or
    /// `.build/release` of the repository around the executable or the current folder.
    public static func resolveShimPath(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        if let path = environment["KUBUS_SHIM"], !path.isEmpty { return path }
        var candidates: [String] = []
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let executableDirectory = (executable as NSString).deletingLastPathComponent
        if !executableDirectory.isEmpty { candidates.append(executableDirectory + "/kubus-shim") }
        for start in [executableDirectory, FileManager.default.currentDirectoryPath] where !start.isEmpty {
            var folder = start
            while folder != "/" && !folder.isEmpty {
                candidates.append(folder + "/.build/debug/kubus-shim")
                candidates.append(folder + "/.build/release/kubus-shim")
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        return candidates.first { access($0, X_OK) == 0 }
    }
}
