import CZygote
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// kubus-up's fork server: one `kubus` process, started as `kubus-zygote`, that forks every service the
/// multi-call binary hosts instead of kubus-up starting each by exec (docs/operations.md, "Services forked from one
/// image").
///
/// A process started by exec relocates its own copy of every pointer in `kubus` and in the shared libraries it
/// maps — about 2 MiB that no other process can share (docs/benchmarks.md, "Memory of the default cluster").
/// Forked from one image that did this once, the services share those pages. The zygote forks from a C
/// constructor (Services/Tools/Zygote), before `main` and while it is a single thread, and each service then starts
/// from `main` as it would after exec: its own arguments, environment, working folder, log, signal state and
/// process group. It is forked twice, so that it becomes kubus-up's child (kubus-up is a child subreaper) and is
/// reaped, signalled and restarted as before.
///
/// What changes: every forked service shares the zygote's address-space layout and the Swift runtime's hash
/// seed, chosen afresh each time kubus-up starts (ASLR per cluster rather than per process, as Android's zygote).
/// `KUBUS_UP_FORK=0` turns it off. When the binary on disk changes (a new build), the next service started gets a
/// new zygote from the new file, so swapping a component for a new build works as before.
final class ForkServer {
    /// The zygote's pid (kubus-up's child).
    let pid: Int32
    /// The multi-call binary it runs.
    let binary: String
    private let socket: Int32
    private let identity: FileIdentity?

    /// Whether kubus-up forks services: unless `KUBUS_UP_FORK` is 0, false, no or off.
    static func isEnabled(environment: [String: String]) -> Bool {
        guard let value = environment["KUBUS_UP_FORK"]?.lowercased() else { return true }
        return !["0", "false", "no", "off"].contains(value)
    }

    /// Makes kubus-up the parent of the services the zygote forks (they are orphaned at once).
    static func becomeSubreaper() throws(UpError) {
        let rc = kubus_zygote_become_subreaper()
        guard rc == 0 else { throw .system("become a child subreaper", errno: -rc) }
    }

    /// Starts a zygote running `binary`, working in `workingDirectory`, its output in `logPath`.
    init(binary: String, workingDirectory: String, logPath: String, environment: [String: String]) throws(UpError) {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .system("create the fork server's socket", errno: errno)
        }
        // Above 3, so that moving it to 3 in the child is a real dup2 (which clears close-on-exec).
        let childEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
        close(pair[1])
        guard childEnd >= 0 else {
            close(pair[0])
            throw .system("create the fork server's socket", errno: errno)
        }
        defer { close(childEnd) }
        try? FileManager.default.createDirectory(atPath: workingDirectory, withIntermediateDirectories: true)
        let directory = (binary as NSString).deletingLastPathComponent
        do {
            pid = try ProcessSpawner.spawn(
                executable: binary, arguments: [], environment: environment, logPath: logPath,
                extraFDs: [(childEnd, KUBUS_ZYGOTE_FD)], workingDirectory: workingDirectory,
                argv0: directory + "/kubus-zygote")
        } catch {
            close(pair[0])
            throw error
        }
        socket = pair[0]
        self.binary = binary
        identity = FileIdentity(path: binary)
    }

    /// The zygote this supervisor forked from its own image before main (Detacher starts it with
    /// KUBUS_UP_FORK_SERVER=fork), serving `binary` when that is the file this process runs; nil when there is none.
    init?(inheritedFor binary: String) {
        var sock: Int32 = -1
        let pid = kubus_zygote_inherited(&sock)
        guard pid > 0, sock >= 0 else { return nil }
        self.pid = pid
        socket = sock
        self.binary = binary
        // The image this process (and so the zygote) was loaded from; a file replaced since is another inode.
        identity = FileIdentity(path: "/proc/self/exe")
    }

    /// The glibc tunables kubus-up gives the services `kubus` hosts and their zygote, whose malloc settings every
    /// service it forks keeps.
    static let mallocTunables = "glibc.malloc.arena_max=1"

    /// `environment` with what a zygote must have when it starts, because its runtime reads it then and every
    /// service it forks keeps it: one malloc arena, and Swift backtraces into `crashes/` of the working folder
    /// (each service's state folder). Values already there (the user's) are kept.
    static func zygoteEnvironment(_ environment: [String: String]) -> [String: String] {
        var env = environment
        if env["GLIBC_TUNABLES"] == nil { env["GLIBC_TUNABLES"] = mallocTunables }
        if env["SWIFT_BACKTRACE"]?.isEmpty ?? true { env["SWIFT_BACKTRACE"] = CrashReports.forkedBacktraceSetting }
        return env
    }

    /// The environment variable that asks the supervisor's image to fork its zygote before main (Zygote/zygote.c).
    static let inheritVariable = "KUBUS_UP_FORK_SERVER"

    /// Whether it still serves the file at `binary` as it is now: alive, and the file not replaced since it
    /// started.
    var isCurrent: Bool {
        ProcessSpawner.isAlive(pid) && identity != nil && FileIdentity(path: binary) == identity
    }

    /// Forks a service: `argv0` names the program (as for exec of the multi-call binary), `arguments` follow it.
    /// Returns its pid. Throws when the zygote cannot (then start the service by exec).
    func spawn(
        argv0: String, arguments: [String], environment: [String: String], logPath: String?,
        workingDirectory: String?, newProcessGroup: Bool = true, timeoutMilliseconds: Int32 = 5000
    ) throws(UpError) -> Int32 {
        var fds: [Int32] = []
        defer { for fd in fds { close(fd) } }
        if let logPath {
            let fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .system("open \(logPath)", errno: errno) }
            fds.append(fd)
        }
        let request = Self.request(
            argv: [argv0] + arguments, environment: environment, workingDirectory: workingDirectory,
            newProcessGroup: newProcessGroup, hasLog: logPath != nil)
        let rc = request.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                kubus_zygote_request(
                    socket, chars.baseAddress, chars.count, fds, Int32(fds.count), timeoutMilliseconds)
            }
        }
        guard rc > 0 else { throw .system("fork \(argv0) from the fork server (pid \(pid))", errno: -rc) }
        return rc
    }

    /// Closes the socket (the zygote exits when it sees that) and kills it.
    func stop() {
        close(socket)
        kill(pid, SIGKILL)
    }

    /// A request's bytes, as Services/Tools/Zygote/zygote.c reads them.
    static func request(
        argv: [String], environment: [String: String], workingDirectory: String?, newProcessGroup: Bool,
        hasLog: Bool
    ) -> [UInt8] {
        var fields = ["KZ1", workingDirectory ?? "", newProcessGroup ? "1" : "0", hasLog ? "1" : "0"]
        fields.append(String(argv.count))
        fields += argv
        let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        fields.append(String(env.count))
        fields += env
        var bytes: [UInt8] = []
        for field in fields {
            bytes += field.utf8.filter { $0 != 0 }
            bytes.append(0)
        }
        return bytes
    }

    /// A file as it is now: replaced or rebuilt, it differs.
    struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: timespec

        init?(path: String) {
            var s = stat()
            guard stat(path, &s) == 0 else { return nil }
            device = UInt64(s.st_dev)
            inode = UInt64(s.st_ino)
            size = Int64(s.st_size)
            modified = s.st_mtim
        }

        static func == (a: FileIdentity, b: FileIdentity) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }
    }
}
