import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `runc exec` process: its stdio through pipes, or through a pseudo-terminal when `tty` is set.
final class RuncExecProcess: ExecProcess, @unchecked Sendable {
    private let pid: pid_t
    private let pidFile: String
    private let lock = NSLock()
    /// Where `write` goes: the stdin pipe or the terminal's master side; -1 once closed.
    private var inputFD: Int32
    private let terminalFD: Int32?
    private let output = ExecOutputQueue()
    private let exit = ExecExitLatch()

    private init(pid: pid_t, pidFile: String, inputFD: Int32, terminalFD: Int32?) {
        self.pid = pid
        self.pidFile = pidFile
        self.inputFD = inputFD
        self.terminalFD = terminalFD
    }

    /// Spawns `argv` (a `runc exec` command line) and starts pumping its output.
    static func start(argv: [String], tty: Bool, stdin: Bool, pidFile: String) throws -> RuncExecProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []  // Closed on failure.
        var childEnds: [Int32] = []  // Closed in the parent after the spawn.
        defer { for fd in childEnds { close(fd) } }
        var inputFD: Int32 = -1
        var readers: [(fd: Int32, stream: Int)] = []
        var terminalFD: Int32?

        if tty {
            let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            var unlock: Int32 = 0
            var number: UInt32 = 0
            // TIOCSPTLCK and TIOCGPTN (unlockpt and ptsname; Glibc's Swift module lacks posix_openpt and friends).
            guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0
            else {
                if master >= 0 { close(master) }
                throw RuntimeError("cannot open a pseudo-terminal: \(HostCommand.errnoText())")
            }
            let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard slave >= 0 else {
                close(master)
                throw RuntimeError("cannot open the pseudo-terminal /dev/pts/\(number): \(HostCommand.errnoText())")
            }
            childEnds.append(slave)
            parentEnds.append(master)
            for target: Int32 in [0, 1, 2] { posix_spawn_file_actions_adddup2(&actions, slave, target) }
            inputFD = fcntl(master, F_DUPFD_CLOEXEC, 0)
            parentEnds.append(inputFD)
            readers.append((master, 1))
            terminalFD = master
        } else {
            if stdin {
                let fds = try HostCommand.channel()
                childEnds.append(fds[0])
                parentEnds.append(fds[1])
                posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
                inputFD = fds[1]
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            for stream in [1, 2] {
                let fds: [Int32]
                do {
                    fds = try HostCommand.channel()
                } catch {
                    for fd in parentEnds { close(fd) }
                    throw error
                }
                childEnds.append(fds[1])
                parentEnds.append(fds[0])
                posix_spawn_file_actions_adddup2(&actions, fds[1], Int32(stream))
                readers.append((fds[0], stream))
            }
        }

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
        guard rc == 0 else {
            for fd in parentEnds { close(fd) }
            throw RuntimeError("cannot start \(argv[0]): \(String(cString: strerror(rc)))")
        }

        let process = RuncExecProcess(pid: pid, pidFile: pidFile, inputFD: inputFD, terminalFD: terminalFD)
        let output = process.output
        output.expect(readers.count)
        let closeAfterReading = terminalFD == nil
        for reader in readers {
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 16384)
                while true {
                    let count = Glibc.read(reader.fd, &buffer, buffer.count)
                    if count > 0 {
                        output.push(stream: reader.stream, bytes: Array(buffer[0..<count]))
                    } else if count < 0 && errno == EINTR {
                        continue
                    } else {
                        break  // EOF, or EIO once every holder of the terminal's slave side has closed it.
                    }
                }
                // The terminal's master stays open for writes and resizes until the process has ended.
                if closeAfterReading { close(reader.fd) }
                output.finishOne()
            }
        }
        let exit = process.exit
        let child = pid
        Thread.detachNewThread {
            let status = HostCommand.reap(child)
            try? FileManager.default.removeItem(atPath: pidFile)
            exit.resolve(status)
        }
        return process
    }

    deinit {
        if inputFD >= 0 { close(inputFD) }
        if let terminalFD { close(terminalFD) }
    }

    func write(_ bytes: [UInt8]) async throws {
        let fd = lock.withLock { inputFD }
        guard fd >= 0 else { throw RuntimeError("stdin of the exec process is closed") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw RuntimeError("write to the exec process: \(HostCommand.errnoText())")
            }
            offset += written
        }
    }

    func closeStdin() async {
        if terminalFD != nil {
            // A terminal has no separate stdin to close; end-of-file is Ctrl-D, as a user would type it.
            try? await write([4])
            return
        }
        lock.withLock {
            if inputFD >= 0 { close(inputFD) }
            inputFD = -1
        }
    }

    func resize(rows: Int, cols: Int) async {
        guard let terminalFD else { return }
        var size = winsize(ws_row: UInt16(clamping: rows), ws_col: UInt16(clamping: cols), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(terminalFD, UInt(TIOCSWINSZ), &size)
        // runc copies its terminal's size into the container's on SIGWINCH.
        if !exit.isResolved { Glibc.kill(pid, SIGWINCH) }
    }

    func read() async -> (stream: Int, bytes: [UInt8])? {
        await output.next()
    }

    func wait() async -> Int32 {
        await exit.value()
    }

    func kill() async {
        guard !exit.isResolved else { return }
        // SIGKILL to runc itself would orphan the process in the container: kill the process runc started.
        if let target = RuncRuntime.readInt(pidFile), target > 0 {
            Glibc.kill(Int32(target), SIGKILL)
        } else {
            Glibc.kill(pid, SIGTERM)
        }
    }
}

/// Output chunks from reader threads, handed to one consumer in order.
final class ExecOutputQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(stream: Int, bytes: [UInt8])] = []
    private var open = 0
    private var waiter: CheckedContinuation<(stream: Int, bytes: [UInt8])?, Never>?

    func expect(_ readers: Int) { lock.withLock { open = readers } }

    func push(stream: Int, bytes: [UInt8]) {
        lock.lock()
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(returning: (stream, bytes))
        } else {
            items.append((stream, bytes))
            lock.unlock()
        }
    }

    func finishOne() {
        lock.lock()
        open -= 1
        if open <= 0, let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(returning: nil)
        } else {
            lock.unlock()
        }
    }

    func next() async -> (stream: Int, bytes: [UInt8])? {
        await withCheckedContinuation { continuation in
            lock.lock()
            if !items.isEmpty {
                let item = items.removeFirst()
                lock.unlock()
                continuation.resume(returning: item)
            } else if open <= 0 {
                lock.unlock()
                continuation.resume(returning: nil)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}

/// The exit status of a process, awaited by any number of callers.
final class ExecExitLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    var isResolved: Bool { lock.withLock { status != nil } }

    func resolve(_ value: Int32) {
        let waiting = lock.withLock {
            status = value
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume(returning: value) }
    }

    func value() async -> Int32 {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let status {
                lock.unlock()
                continuation.resume(returning: status)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }
}
