public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files `kubus-up` keeps in the cluster's state folder.
///
/// - `up.pid`: the supervisor's pid; the supervisor holds an exclusive `flock` on it while it runs, so a pid
///   file left behind by a killed supervisor is told apart from a live one.
/// - `up.status`: JSON the supervisor rewrites on every change (services, pids, restarts, start times).
/// - `up.children`: the children's pids and start times, to stop strays after the supervisor was killed with -9.
/// - `logs/<instance>.log` for each service instance, `logs/up.log` for the supervisor.
public struct StateDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var logsDirectory: String { path + "/logs" }
    public var pidFile: String { path + "/up.pid" }
    public var statusFile: String { path + "/up.status" }
    public var childrenFile: String { path + "/up.children" }
    public var supervisorLog: String { logsDirectory + "/up.log" }
    /// The bus's key folder (`BusKeyring`): its key pair, the registry of admitted keys, the services' key files.
    public var keysDirectory: String { path + "/keys" }
    /// The key file of the cluster's administrator (kubusctl and kubus-up's own readiness checks).
    public var adminKeyFile: String { keysDirectory + "/admin.key" }
    public func log(for instance: String) -> String { logsDirectory + "/\(instance).log" }
    public func serviceStateDirectory(for instance: String) -> String { path + "/\(instance)" }

    /// Creates the state and logs folders.
    public func create() throws(UpError) {
        do {
            try FileManager.default.createDirectory(atPath: logsDirectory, withIntermediateDirectories: true)
        } catch {
            throw .system("create \(logsDirectory)", errno: errno)
        }
    }

    /// The pid of the supervisor that runs on this folder, or nil when none does.
    public func runningSupervisor() -> Int32? {
        let fd = open(pidFile, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) != 0 else {
            flock(fd, LOCK_UN)
            return nil
        }
        let text = (try? ProcFS.readSmallFile(pidFile)) ?? ""
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Takes the supervisor lock and writes this process's pid, or says who holds it.
    public func acquireSupervisorLock() throws(UpError) -> SupervisorLock {
        let fd = open(pidFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system("open \(pidFile)", errno: errno) }
        var locked = false
        // A `status` or `down` may hold a shared lock for an instant; try a few times.
        for _ in 0..<20 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                locked = true
                break
            }
            usleep(50_000)
        }
        guard locked else {
            close(fd)
            let pid = runningSupervisor().map { " (supervisor pid \($0))" } ?? ""
            throw .alreadyRunning(
                "a Kubus cluster is already running from \(path)\(pid); stop it with `kubus-up down`, "
                    + "see it with `kubus-up status`, or start another one with a different --state-dir and --bus")
        }
        let text = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return SupervisorLock(fd: fd, path: pidFile)
    }

    // MARK: Status

    public func writeStatus(_ status: ClusterStatus) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(status) else { return }
        writeAtomically(data, to: statusFile)
    }

    public func readStatus() -> ClusterStatus? {
        guard let data = FileManager.default.contents(atPath: statusFile) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ClusterStatus.self, from: data)
    }

    // MARK: Children

    public func writeChildren(_ children: [ChildRecord]) {
        guard let data = try? JSONEncoder().encode(children) else { return }
        writeAtomically(data, to: childrenFile)
    }

    public func readChildren() -> [ChildRecord] {
        guard let data = FileManager.default.contents(atPath: childrenFile) else { return [] }
        return (try? JSONDecoder().decode([ChildRecord].self, from: data)) ?? []
    }

    /// Stops children a killed supervisor left behind (SIGTERM, then SIGKILL after `timeout`), checking each
    /// pid's start time so that an unrelated process that reused the pid is left alone. Returns what it stopped.
    public func stopStrays(timeout: Duration = .seconds(10)) -> [ChildRecord] {
        let strays = readChildren().filter { $0.isSameProcessAlive }
        for c in strays.reversed() { kill(c.pid, SIGTERM) }
        let deadline = ContinuousClock.now + timeout
        while strays.contains(where: { $0.isSameProcessAlive }) && ContinuousClock.now < deadline { usleep(100_000) }
        for c in strays where c.isSameProcessAlive { kill(c.pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: childrenFile)
        return strays
    }

    /// Removes the files a stopped supervisor leaves: status, children and pid file.
    public func removeRunFiles() {
        for f in [statusFile, childrenFile] { try? FileManager.default.removeItem(atPath: f) }
    }

    private func writeAtomically(_ data: Data, to path: String) {
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: data) else { return }
        rename(tmp, path)
    }
}

/// The supervisor's hold on `up.pid`; released when the supervisor exits, however it exits.
public final class SupervisorLock: Sendable {
    private let fd: Int32
    private let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Removes the pid file and lets go of the lock.
    public func release() {
        unlink(path)
        close(fd)
    }
}

/// A child process as recorded in `up.children`.
public struct ChildRecord: Codable, Sendable, Equatable {
    public var name: String
    public var pid: Int32
    /// From /proc/<pid>/stat; tells this process from a later one with the same pid.
    public var startTime: UInt64?

    public init(name: String, pid: Int32, startTime: UInt64?) {
        self.name = name
        self.pid = pid
        self.startTime = startTime
    }

    public var isSameProcessAlive: Bool {
        guard ProcessSpawner.isAlive(pid) else { return false }
        guard let startTime else { return true }
        return ProcFS.stat(pid)?.startTime == startTime
    }
}

/// What `up.status` holds.
public struct ClusterStatus: Codable, Sendable, Equatable {
    public var supervisorPid: Int32
    public var bus: String
    public var stateDir: String
    public var clusterFile: String
    /// idle, startingUp, running, stopping, finished.
    public var phase: String
    public var startedAt: Date
    public var updatedAt: Date
    public var instances: [InstanceStatus]

    public struct InstanceStatus: Codable, Sendable, Equatable {
        public var name: String
        public var service: String
        public var command: String
        public var pid: Int32?
        /// notStarted, launching, starting, running, waitingToRestart, stopping, killed, stopped.
        public var state: String
        public var restarts: Int
        /// When the current process started.
        public var startedAt: Date?
        public var log: String
        public var ready: String?
    }
}
