import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A finished host command: its exit status and what it printed.
struct HostCommandResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: Data

    var succeeded: Bool { status == 0 }
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Runs host programs (runc, umoci, kubus-shim, ip) with posix_spawn, off the cooperative thread pool.
enum HostCommand {
    /// Runs `argv` to the end with stdin from /dev/null and returns its status and output.
    static func run(_ argv: [String]) async throws -> HostCommandResult {
        let outPipe = try channel()
        let errPipe: [Int32]
        do {
            errPipe = try channel()
        } catch {
            close(outPipe[0])
            close(outPipe[1])
            throw error
        }
        let pid: pid_t
        do {
            pid = try spawn(argv, stdout: outPipe[1], stderr: errPipe[1])
        } catch {
            for fd in outPipe + errPipe { close(fd) }
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])
        let outFD = outPipe[0]
        let errFD = errPipe[0]
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let (stdout, stderr) = drain(outFD, errFD)
                close(outFD)
                close(errFD)
                continuation.resume(returning: HostCommandResult(status: reap(pid), stdout: stdout, stderr: stderr))
            }
        }
    }

    /// Starts `argv` with stdin from /dev/null and stdout/stderr appended to `outputPath`; returns its pid and reaps
    /// it in the background (for programs that daemonize and leave their first process behind quickly).
    static func start(_ argv: [String], outputPath: String) throws -> pid_t {
        let fd = open(outputPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RuntimeError("open \(outputPath): \(errnoText())") }
        defer { close(fd) }
        let pid = try spawn(argv, stdout: fd, stderr: fd)
        Thread.detachNewThread { _ = reap(pid) }
        return pid
    }

    private static func spawn(_ argv: [String], stdout: Int32, stderr: Int32) throws -> pid_t {
        try spawn(argv) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
            posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        }
    }

    /// The one way the kubelet starts a host program: `argv[0]` is its path; `stdio` arranges its descriptors; the
    /// child gets default signal handling and an empty signal mask, whatever the kubelet blocks or ignores.
    static func spawn(_ argv: [String], stdio: (inout posix_spawn_file_actions_t) -> Void) throws(SpawnFailure) -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        stdio(&actions)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, cArgs, environ)
        guard rc == 0 else { throw SpawnFailure(program: argv[0], code: rc) }
        return pid
    }

    /// A program that could not be started, with the `errno` posix_spawn gave.
    struct SpawnFailure: Error, CustomStringConvertible {
        var program: String
        var code: Int32
        var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
    }

    /// A new pseudo-terminal, close-on-exec: `(master, slave)`.
    static func openTerminal() throws -> (master: Int32, slave: Int32) {
        // posix_openpt, unlockpt and ptsname spelled with what Swift's Glibc module exposes: TIOCSPTLCK
        // (_IOW('T', 0x31, int)) and TIOCGPTN (_IOR('T', 0x30, unsigned int)).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            if master >= 0 { close(master) }
            throw RuntimeError("cannot open a pseudo-terminal: \(errnoText())")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            close(master)
            throw RuntimeError("cannot open the pseudo-terminal /dev/pts/\(number): \(errnoText())")
        }
        return (master, slave)
    }

    /// Reads both descriptors until both reach end of file.
    private static func drain(_ outFD: Int32, _ errFD: Int32) -> (Data, Data) {
        var out = Data()
        var err = Data()
        var fds = [
            pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 16384)
        while fds.contains(where: { $0.fd >= 0 }) {
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count > 0 {
                    if index == 0 {
                        out.append(contentsOf: buffer[0..<count])
                    } else {
                        err.append(contentsOf: buffer[0..<count])
                    }
                } else if count == 0 || errno != EINTR {
                    fds[index].fd = -1
                }
            }
        }
        return (out, err)
    }

    /// Waits for `pid`; its exit status, or 128 + signal.
    static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return exitStatus(status)
    }

    /// Decodes a wait status the way shells do: the exit code, or 128 + the signal.
    static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// A connected pair of close-on-exec descriptors, `[read end, write end]`, created atomically so a program
    /// spawned at the same moment on another thread never inherits one (Glibc's Swift module lacks `pipe2`).
    static func channel() throws -> [Int32] {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw RuntimeError("socketpair: \(errnoText())") }
        shutdown(fds[0], Int32(SHUT_WR))
        shutdown(fds[1], Int32(SHUT_RD))
        return fds
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
