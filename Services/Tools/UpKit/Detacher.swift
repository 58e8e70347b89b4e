import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starts the supervisor in the background: re-executes `kubus-up` with `--foreground` in a new session
/// and waits until it reports, through a pipe, that the cluster is ready or could not start.
public enum Detacher {
    /// The environment variable naming the pipe descriptor the supervisor reports on.
    public static let notifyVariable = "KUBUS_UP_NOTIFY_FD"
    static let notifyFD: Int32 = 3

    /// Launches `executable arguments` detached (argv[0] `argv0`, else `executable`), its output appended to the
    /// supervisor log; returns its pid once the cluster is ready.
    /// - Throws: `UpError.startup` with the supervisor's explanation when the cluster did not come up.
    public static func launch(
        executable: String, argv0: String? = nil, arguments: [String], stateDirectory: StateDirectory
    ) throws(UpError) -> Int32 {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .system("pipe", errno: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var env = ProcessSpawner.currentEnvironment()
        env[notifyVariable] = "\(notifyFD)"
        var workingDirectory: String? = nil
        if argv0 != nil, ForkServer.isEnabled(environment: env) {
            // From the multi-call binary, the supervisor forks the zygote from its own image before main, so the
            // supervisor, the zygote and the services share one copy of the relocated pages (ForkServer). The
            // zygote keeps the supervisor's malloc and backtrace settings, read at start-up: the services' own, and
            // a crash's backtrace into crashes/ of the working folder — the service's state folder, and the
            // supervisor's, which works there.
            env[ForkServer.inheritVariable] = "fork"
            env = ForkServer.zygoteEnvironment(env)
            workingDirectory = stateDirectory.path
            // The supervisor raises its core limit when it runs, after its constructor forked the zygote: raised
            // here, the zygote and every service it forks keep cores too (CrashReports).
            CrashReports.allowCoreDumps()
        }
        let pid: Int32
        do {
            pid = try ProcessSpawner.spawn(
                executable: executable, arguments: arguments, environment: env, logPath: stateDirectory.supervisorLog,
                newProcessGroup: false, extraFDs: [(fds[1], notifyFD)], workingDirectory: workingDirectory,
                argv0: argv0)
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        close(fds[1])
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        close(fds[0])
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("ready") { return pid }
        if text.hasPrefix("failed") {
            // Let it stop what it started, so that a retry does not find the cluster still running.
            var status: Int32 = 0
            let deadline = ContinuousClock.now + .seconds(60)
            while waitpid(pid, &status, WNOHANG) == 0 && ContinuousClock.now < deadline { usleep(50_000) }
            throw .startup(String(text.dropFirst("failed\n".count)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var status: Int32 = 0
        let how = waitpid(pid, &status, 0) == pid ? " (it \(ProcessSpawner.describe(waitStatus: status)))" : ""
        throw .startup(
            "the supervisor exited before the cluster was ready\(how); \(LogFile.excerpt(stateDirectory.supervisorLog))"
        )
    }

    /// Called first thing by a supervisor started by `launch`: leaves the launcher's session and returns the
    /// notifier for the pipe.
    public static func adoptNotifier() -> ReadyNotifier? {
        guard let text = ProcessEnvironmentValue.get(notifyVariable), let fd = Int32(text) else { return nil }
        unsetenv(notifyVariable)
        setsid()
        return ReadyNotifier(fd: fd)
    }
}

enum ProcessEnvironmentValue {
    static func get(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}
