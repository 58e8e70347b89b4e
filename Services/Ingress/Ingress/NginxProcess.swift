public import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs nginx as kubus-ingress's child: writes the configuration it is given, checks it with `nginx -t`, starts
/// nginx on the first one and reloads it (SIGHUP) on each change, starts it again when it dies, and stops it when
/// kubus-ingress stops (a graceful SIGQUIT, then SIGTERM, then SIGKILL).
///
/// nginx runs under `setpriv --pdeathsig TERM`, so it also stops when kubus-ingress is killed outright; a stale
/// nginx left by a previous instance on the same state folder is stopped at start. Its output (error log and the
/// access log) is copied into kubus-ingress's own standard error.
public final class NginxProcess: ServiceLifecycle.Service, Sendable {
    /// What the status service reports about nginx.
    public struct Status: Sendable, Hashable {
        public var pid: Int32?
        public var restarts = 0
        public var reloads = 0
        /// The latest configuration written (nil before the first).
        public var configuredAt: Date?
        /// Why the last configuration was refused, if it was.
        public var lastError: String?
        /// How nginx last exited by itself.
        public var lastExit: String?
    }

    enum Event: Sendable {
        case configurationWritten
        case exited(pid: Int32, status: Int32)
        case backoffElapsed
        case shutdown
        case escalate(pid: Int32, step: Int)
    }

    private let configuration: IngressConfiguration
    private let logger: Logger
    private let events: AsyncStream<Event>
    private let post: AsyncStream<Event>.Continuation
    private let machine = Mutex(NginxLifecycle())
    private let state = Mutex(Shared())
    private let origin = ContinuousClock.now

    private struct Shared {
        var applied: String?
        var status = Status()
        var logPipe: (read: Int32, write: Int32)?
    }

    /// Creates the process runner; `prepare()` must succeed before configurations are applied.
    public init(configuration: IngressConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "kubus.component"] = "nginx"
        self.logger = logger
        (events, post) = AsyncStream.makeStream(of: Event.self)
    }

    public var status: Status {
        var s = state.withLock { $0.status }
        let m = machine.withLock { $0 }
        s.pid = m.pid
        s.restarts = m.restarts
        s.reloads = m.reloads
        return s
    }

    // MARK: Preparing

    /// Makes the state folders, the default certificate and the log pipe, and stops an nginx a previous
    /// kubus-ingress left running on this state folder.
    public func prepare() async throws {
        let c = configuration
        let fm = FileManager.default
        for folder in [c.stateDirectory, c.certificateDirectory, c.temporaryDirectory] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        chmod(c.certificateDirectory, 0o700)
        guard fm.isExecutableFile(atPath: c.nginxPath) else {
            throw IngressError(
                "nginx not found at \(c.nginxPath): install it (apt-get install nginx-light, or run scripts/setup.sh) or pass --nginx"
            )
        }
        stopStaleNginx()
        if !fm.fileExists(atPath: c.defaultCertificatePath) { try await makeDefaultCertificate() }
        var fds: [Int32] = [0, 0]
        guard ChildProcess.pipe(&fds) == 0 else {
            throw IngressError("cannot make nginx's log pipe: \(String(cString: strerror(errno)))")
        }
        // A large pipe, so a slow reader does not stall nginx's workers on a burst of log lines.
        _ = fcntl(fds[1], 1031, 1 << 20)  // F_SETPIPE_SZ
        let (readEnd, writeEnd) = (fds[0], fds[1])
        state.withLock { $0.logPipe = (readEnd, writeEnd) }
        let reader = Thread { Self.copyLog(from: readEnd) }
        reader.name = "kubus-ingress-nginx-log"
        reader.start()
    }

    /// Copies nginx's output to standard error, whole reads at a time (nginx writes whole lines).
    private static func copyLog(from fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            var offset = 0
            while offset < n {
                let w = buffer.withUnsafeBytes { write(2, $0.baseAddress! + offset, n - offset) }
                if w < 0 && errno == EINTR { continue }
                if w <= 0 { break }
                offset += w
            }
        }
        close(fd)
    }

    /// A self-signed certificate for hosts without one, as ingress-nginx's "Fake Certificate".
    private func makeDefaultCertificate() async throws {
        let c = configuration
        let key = c.temporaryDirectory + "/default.key"
        let crt = c.temporaryDirectory + "/default.crt"
        defer {
            unlink(key)
            unlink(crt)
        }
        let (status, output) = try await ChildProcess.run([
            c.opensslPath, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "3650", "-subj", "/O=Kubus/CN=Kubus Ingress Controller Fake Certificate",
            "-addext", "subjectAltName=DNS:ingress.local", "-keyout", key, "-out", crt,
        ])
        guard status == 0, let certificate = try? String(contentsOfFile: crt, encoding: .utf8),
            let privateKey = try? String(contentsOfFile: key, encoding: .utf8)
        else {
            throw IngressError(
                "cannot make the default certificate with \(c.opensslPath): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        try Self.writePrivate(certificate + privateKey, to: c.defaultCertificatePath)
    }

    /// Stops the nginx whose pid file is in this state folder, if it still runs from this folder's configuration.
    private func stopStaleNginx() {
        guard let text = try? String(contentsOfFile: configuration.pidPath, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
            let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")),
            String(decoding: cmdline, as: UTF8.self).contains(configuration.nginxConfigPath)
        else { return }
        logger.warning("stopping the nginx a previous kubus-ingress left running", metadata: ["kubus.pid": "\(pid)"])
        kill(-pid, SIGTERM)
        kill(pid, SIGTERM)
        for _ in 0..<60 where kill(pid, 0) == 0 { usleep(50_000) }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }

    // MARK: Applying configurations

    /// Writes `certificates` (path → PEM, 0600) and `text` as nginx's configuration after `nginx -t` accepts it,
    /// removes certificate files no longer used, and has nginx serve it. Returns false when `text` is what nginx
    /// already has. Throws when nginx refuses the configuration; the previous one stays in force.
    @discardableResult
    public func apply(_ text: String, certificates: [String: String]) async throws -> Bool {
        let c = configuration
        for (path, pem) in certificates where (try? String(contentsOfFile: path, encoding: .utf8)) != pem {
            try Self.writePrivate(pem, to: path)
        }
        if state.withLock({ $0.applied }) == text,
            (try? String(contentsOfFile: c.nginxConfigPath, encoding: .utf8)) == text
        {
            return false
        }
        let candidate = c.nginxConfigPath + ".next"
        try Data(text.utf8).write(to: URL(fileURLWithPath: candidate))
        let (status, output) = try await ChildProcess.run([
            c.nginxPath, "-t", "-q", "-p", c.stateDirectory + "/", "-c", candidate,
        ])
        guard status == 0 else {
            let message = output.trimmingCharacters(in: .whitespacesAndNewlines)
            state.withLock { $0.status.lastError = message }
            throw IngressError(
                "nginx refused the rendered configuration (kept the previous one; candidate in \(candidate)): \(message)"
            )
        }
        guard rename(candidate, c.nginxConfigPath) == 0 else {
            throw IngressError("cannot write \(c.nginxConfigPath): \(String(cString: strerror(errno)))")
        }
        removeUnusedCertificates(keeping: Set(certificates.keys))
        state.withLock {
            $0.applied = text
            $0.status.configuredAt = Date()
            $0.status.lastError = nil
        }
        post.yield(.configurationWritten)
        return true
    }

    private func removeUnusedCertificates(keeping: Set<String>) {
        let folder = configuration.certificateDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasSuffix(".pem") {
            let path = folder + "/" + name
            if path != configuration.defaultCertificatePath && !keeping.contains(path) { unlink(path) }
        }
    }

    /// Writes `text` to `path` readable by its owner only, replacing the file atomically.
    static func writePrivate(_ text: String, to path: String) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw IngressError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                close(fd)
                throw IngressError("cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            throw IngressError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    // MARK: Running

    /// Supervises nginx until graceful shutdown (or cancellation), then stops it.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { group in
                    for await event in events {
                        if drive(event, group: &group) { break }
                    }
                    group.cancelAll()
                }
            } onCancel: { [post] in
                post.yield(.shutdown)
            }
        } onGracefulShutdown: { [post] in
            post.yield(.shutdown)
        }
        // Cancelled before nginx had stopped (the event stream ends on cancellation): stop it now.
        if let pid = machine.withLock({ $0.pid }) {
            kill(pid, SIGTERM)
            for _ in 0..<40 where kill(pid, 0) == 0 { usleep(50_000) }
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        if let write = state.withLock({ s -> Int32? in
            defer { s.logPipe = nil }
            return s.logPipe?.write
        }) {
            close(write)
        }
    }

    /// Feeds one event to the lifecycle and performs its action; returns true when the lifecycle has finished.
    private func drive(_ event: Event, group: inout DiscardingTaskGroup) -> Bool {
        let now = (ContinuousClock.now - origin) / .seconds(1)
        var action: NginxLifecycle.Action = machine.withLock { m in
            switch event {
            case .configurationWritten: return m.configurationWritten()
            case .exited(let pid, _): return m.exited(pid: pid, now: now)
            case .backoffElapsed: return m.backoffElapsed()
            case .shutdown: return m.shutdown()
            case .escalate: return .none
            }
        }
        switch event {
        case .exited(let pid, let status):
            // Workers left by a master that died would keep the listening sockets (and an old configuration).
            kill(-pid, SIGKILL)
            let stopping = action == .finished
            if !stopping {
                let how = ChildProcess.describe(status)
                state.withLock { $0.status.lastExit = how }
                logger.error(
                    "nginx exited; starting it again", metadata: ["kubus.pid": "\(pid)", "kubus.exit": "\(how)"])
            } else {
                logger.info("nginx stopped", metadata: ["kubus.pid": "\(pid)"])
            }
        case .escalate(let pid, let step):
            guard machine.withLock({ $0.pid }) == pid else { break }
            if step == 1 {
                logger.warning("nginx did not quit within 5 s; terminating it", metadata: ["kubus.pid": "\(pid)"])
                kill(pid, SIGTERM)
                group.addTask { [post] in
                    try? await Task.sleep(for: .seconds(3))
                    post.yield(.escalate(pid: pid, step: 2))
                }
            } else {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
        default: break
        }
        while true {
            switch action {
            case .none: return false
            case .finished: return true
            case .start:
                do {
                    let pid = try startNginx()
                    logger.info(
                        "nginx started",
                        metadata: ["kubus.pid": "\(pid)", "kubus.config": "\(configuration.nginxConfigPath)"])
                    action = machine.withLock { $0.started(pid: pid, now: now) }
                } catch {
                    logger.error("cannot start nginx", metadata: ["kubus.error": "\(error)"])
                    state.withLock { $0.status.lastExit = "\(error)" }
                    action = machine.withLock { $0.startFailed() }
                }
            case .reload(let pid):
                kill(pid, SIGHUP)
                logger.debug("nginx reloading", metadata: ["kubus.pid": "\(pid)"])
                return false
            case .startAfter(let seconds):
                group.addTask { [post] in
                    try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                    post.yield(.backoffElapsed)
                }
                return false
            case .stop(let pid):
                kill(pid, SIGQUIT)
                group.addTask { [post] in
                    try? await Task.sleep(for: .seconds(5))
                    post.yield(.escalate(pid: pid, step: 1))
                }
                return false
            }
        }
    }

    private func startNginx() throws -> Int32 {
        let c = configuration
        guard let output = state.withLock({ $0.logPipe?.write }) else {
            throw IngressError("nginx's log pipe is not open: prepare() first")
        }
        var command = [c.nginxPath, "-p", c.stateDirectory + "/", "-c", c.nginxConfigPath]
        // The parent-death signal makes nginx stop with kubus-ingress even when it is killed outright.
        if FileManager.default.isExecutableFile(atPath: Self.setprivPath) {
            command = [Self.setprivPath, "--pdeathsig", "TERM", "--"] + command
        }
        let post = self.post
        return try ChildProcess.start(command, output: output) { pid, status in
            post.yield(.exited(pid: pid, status: status))
        }
    }

    static let setprivPath = "/usr/bin/setpriv"
}

/// An error of kubus-ingress, saying what went wrong and what to do.
public struct IngressError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
