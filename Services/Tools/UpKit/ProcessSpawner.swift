#if canImport(Glibc)
    import Glibc
#endif

/// Starts child processes with posix_spawn: stdin from /dev/null, stdout and stderr appended to a log file,
/// default signal dispositions and an empty signal mask (the supervisor ignores SIGTERM; its children must not),
/// and optionally a process group of their own so a terminal's Ctrl-C reaches only the supervisor.
public enum ProcessSpawner {
    /// Spawns `executable` with `arguments` (without argv[0]) and `environment`; returns the pid. argv[0] is
    /// `argv0` (the program a multi-call binary is to run), else `executable`.
    /// `extraFDs` maps an open descriptor to the number it gets in the child; `workingDirectory` is its current
    /// folder (default: the supervisor's).
    public static func spawn(
        executable: String, arguments: [String], environment: [String: String], logPath: String?,
        newProcessGroup: Bool = true, extraFDs: [(Int32, Int32)] = [], workingDirectory: String? = nil,
        argv0: String? = nil
    ) throws(UpError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let workingDirectory {
            guard let addChdir = addChdirFunction else {
                throw .system(
                    "start \(executable) in \(workingDirectory) (this C library lacks posix_spawn chdir)", errno: ENOSYS
                )
            }
            _ = addChdir(&actions, workingDirectory)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var logFD: Int32 = -1
        if let logPath {
            logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard logFD >= 0 else { throw .system("open \(logPath)", errno: errno) }
            posix_spawn_file_actions_adddup2(&actions, logFD, 1)
            posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        }
        defer { if logFD >= 0 { close(logFD) } }
        for (from, to) in extraFDs { posix_spawn_file_actions_adddup2(&actions, from, to) }
        // Nothing else the spawner has open reaches the child: a supervisor started from `out=$(kubus-up start)` or a
        // test's pipe would otherwise hold the caller's pipe open for as long as the cluster runs.
        if let closeFrom = addCloseFromFunction {
            _ = closeFrom(&actions, max(2, extraFDs.map(\.1).max() ?? 2) + 1)
        }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attr, 0)
        }
        posix_spawnattr_setflags(&attr, Int16(flags))

        let argv: [UnsafeMutablePointer<CChar>?] = ([argv0 ?? executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
        guard rc == 0 else { throw .system("start \(executable)", errno: rc) }
        return pid
    }

    private typealias AddCloseFromFunction =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32)
        -> Int32

    // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does not declare either.
    private static let addCloseFromFunction: AddCloseFromFunction? = dlsym(
        dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np"
    ).map { unsafeBitCast($0, to: AddCloseFromFunction.self) }

    private typealias AddChdirFunction =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    // glibc 2.29+ has posix_spawn_file_actions_addchdir_np, but Swift's Glibc module does not declare it.
    private static let addChdirFunction: AddChdirFunction? = dlsym(
        dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np"
    ).map { unsafeBitCast($0, to: AddChdirFunction.self) }

    /// Signals the process group `pid` leads (a service and whatever it started), or `pid` alone if it leads none.
    public static func signalGroup(_ pid: Int32, _ signal: Int32) {
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// The current process's environment.
    public static func currentEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    /// Reaps one exited child without blocking: its pid, how it ended, and whether a signal ended it; nil when
    /// none has exited.
    public static func reapAny() -> (pid: Int32, description: String, signaled: Bool)? {
        var status: Int32 = 0
        let pid = waitpid(-1, &status, WNOHANG)
        guard pid > 0 else { return nil }
        return (pid, describe(waitStatus: status), status & 0x7f != 0)
    }

    /// "exited with status 1", "was killed by signal 9 (SIGKILL)", "… (SIGSEGV), core dumped".
    public static func describe(waitStatus status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        let core = status & 0x80 != 0 ? ", core dumped" : ""
        return "was killed by signal \(signal)\(signalName(signal).map { " (\($0))" } ?? "")\(core)"
    }

    static func signalName(_ s: Int32) -> String? {
        switch s {
        case SIGTERM: "SIGTERM"
        case SIGKILL: "SIGKILL"
        case SIGINT: "SIGINT"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGBUS: "SIGBUS"
        case SIGHUP: "SIGHUP"
        case SIGPIPE: "SIGPIPE"
        default: nil
        }
    }

    /// Whether `pid` names a live process (a zombie counts as gone).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        if let stat = ProcFS.stat(pid), stat.state == "Z" { return false }
        return true
    }
}

/// Reads `/proc/<pid>/stat`, to tell a process from a later one that reused its pid.
public enum ProcFS {
    public struct Stat: Sendable, Equatable {
        public var state: Character
        /// Clock ticks after boot when the process started (field 22).
        public var startTime: UInt64
    }

    public static func stat(_ pid: Int32) -> Stat? {
        guard let text = try? readSmallFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else {
            return nil
        }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After "pid (comm)": state is field 3, starttime field 22.
        guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        return Stat(state: state, startTime: start)
    }

    static func readSmallFile(_ path: String) throws(UpError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open \(path)", errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
