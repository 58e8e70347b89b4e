public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Child processes started with `posix_spawn` from a thread of their own, which waits for them.
///
/// The thread that starts a child stays blocked in `waitpid` until the child exits, so a child started under
/// `setpriv --pdeathsig` (which ties the signal to the starting *thread*) gets it only when kubus-ingress itself
/// dies. Children get their own process group (so a terminal's Ctrl-C reaches only kubus-ingress, which stops them
/// in order), default signal handlers and an empty signal mask, and no descriptor but 0, 1 and 2.
public enum ChildProcess {
    /// A child that could not be started.
    public struct SpawnError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Starts `arguments` (the first is the executable's path) with stdout and stderr on `output` (stdin is
    /// /dev/null); `onExit` is called with the pid and wait status from the waiting thread once the child has
    /// exited. Returns the child's pid, which is also its process group.
    public static func start(
        _ arguments: [String], output: Int32, onExit: @escaping @Sendable (pid_t, Int32) -> Void
    ) throws(SpawnError) -> pid_t {
        let started = Started()
        let thread = Thread {
            let result = spawn(arguments, output: output)
            started.set(result)
            guard case .success(let pid) = result else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            onExit(pid, status)
        }
        thread.name = "kubus-ingress-child"
        thread.start()
        switch started.wait() {
        case .success(let pid): return pid
        case .failure(let error): throw error
        }
    }

    /// Runs `arguments` to completion with stdout and stderr captured (at most 64 KiB kept); returns the exit
    /// status (128 + signal when killed) and the output. Waits on a thread of its own, not on Swift's pool.
    public static func run(_ arguments: [String]) async throws(SpawnError) -> (status: Int32, output: String) {
        let result: Result<(Int32, String), SpawnError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                var fds: [Int32] = [0, 0]
                guard ChildProcess.pipe(&fds) == 0 else {
                    continuation.resume(
                        returning: .failure(SpawnError(description: "pipe: \(String(cString: strerror(errno)))")))
                    return
                }
                let spawned = spawn(arguments, output: fds[1])
                close(fds[1])
                guard case .success(let pid) = spawned else {
                    close(fds[0])
                    if case .failure(let error) = spawned { continuation.resume(returning: .failure(error)) }
                    return
                }
                var output: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 16_384)
                while true {
                    let n = read(fds[0], &buffer, buffer.count)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    if output.count < 65_536 { output += buffer[0..<n] }
                }
                close(fds[0])
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                continuation.resume(returning: .success((exitCode(status), String(decoding: output, as: UTF8.self))))
            }
            thread.name = "kubus-ingress-run"
            thread.start()
        }
        switch result {
        case .success(let (status, output)): return (status, output)
        case .failure(let error): throw error
        }
    }

    /// The exit code of a wait status; 128 + the signal for a child killed by one, as shells report it.
    public static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// "exit status 1" or "killed by signal 9".
    public static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        return signal == 0 ? "exit status \((status >> 8) & 0xFF)" : "killed by signal \(signal)"
    }

    private static func spawn(_ arguments: [String], output: Int32) -> Result<pid_t, SpawnError> {
        guard let path = arguments.first else { return .failure(SpawnError(description: "no command")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        _ = c_posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, &argv, environ)
        guard rc == 0 else {
            return .failure(SpawnError(description: "cannot start \(path): \(String(cString: strerror(rc)))"))
        }
        return .success(pid)
    }

    /// A pipe whose two ends close on exec, made atomically so no child started meanwhile inherits them.
    public static func pipe(_ fds: inout [Int32]) -> Int32 {
        fds.withUnsafeMutableBufferPointer { c_pipe2($0.baseAddress!, O_CLOEXEC) }
    }

    /// The spawning thread's result, handed to the caller.
    private final class Started: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<pid_t, SpawnError>?

        func set(_ value: Result<pid_t, SpawnError>) {
            condition.lock()
            result = value
            condition.signal()
            condition.unlock()
        }

        func wait() -> Result<pid_t, SpawnError> {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return result!
        }
    }
}

// glibc has these (2.34 and later for closefrom), but Swift's Glibc module declares them only for _GNU_SOURCE.
// swift-format-ignore: AlwaysUseLowerCamelCase
@_silgen_name("pipe2")
private func c_pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

// swift-format-ignore: AlwaysUseLowerCamelCase
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func c_posix_spawn_file_actions_addclosefrom_np(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32
) -> Int32
