import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A command started for `exec` (`kubus-shim exec …` or `runc exec …`): its stdio through pipes, or through a
/// pseudo-terminal when `tty` is set; a thread per output stream and one waiting for the command to end.
final class HostExecProcess: ExecProcess, @unchecked Sendable {
    /// What differs between runtimes.
    struct Hooks: Sendable {
        /// Kills the command (`pid` is the process started).
        var kill: @Sendable (_ pid: pid_t) -> Void = { Glibc.kill($0, SIGKILL) }
        /// Called after the terminal was resized, while the command runs.
        var resized: @Sendable (_ pid: pid_t) -> Void = { _ in }
        /// Called once the command has ended and was reaped.
        var exited: @Sendable () -> Void = {}
    }

    private let pid: pid_t
    private let hooks: Hooks
    private let lock = NSLock()
    /// Where `write` goes: the stdin channel or the terminal's master side; -1 once closed or without stdin.
    private var inputFD: Int32
    private let terminalFD: Int32?
    private let output = ExecOutputQueue()
    private let exit = ExecExitLatch()

    private init(pid: pid_t, hooks: Hooks, inputFD: Int32, terminalFD: Int32?) {
        self.pid = pid
        self.hooks = hooks
        self.inputFD = inputFD
        self.terminalFD = terminalFD
    }

    /// Spawns `argv` and starts pumping its output.
    static func start(argv: [String], tty: Bool, stdin: Bool, hooks: Hooks = Hooks()) throws -> HostExecProcess {
        var parentEnds: [Int32] = []  // Closed on failure.
        var childEnds: [Int32] = []  // Closed in the parent after the spawn.
        defer { for fd in childEnds { close(fd) } }
        var inputFD: Int32 = -1
        var readers: [(fd: Int32, stream: Int)] = []
        var terminalFD: Int32?
        var stdio: [(source: Int32?, target: Int32)] = []  // nil: /dev/null

        do {
            if tty {
                let (master, slave) = try HostCommand.openTerminal()
                childEnds.append(slave)
                parentEnds.append(master)
                stdio = [(slave, 0), (slave, 1), (slave, 2)]
                if stdin {
                    inputFD = fcntl(master, F_DUPFD_CLOEXEC, 0)
                    parentEnds.append(inputFD)
                }
                readers.append((master, 1))
                terminalFD = master
            } else {
                if stdin {
                    let fds = try HostCommand.channel()
                    childEnds.append(fds[0])
                    parentEnds.append(fds[1])
                    stdio.append((fds[0], 0))
                    inputFD = fds[1]
                } else {
                    stdio.append((nil, 0))
                }
                for stream in [1, 2] {
                    let fds = try HostCommand.channel()
                    childEnds.append(fds[1])
                    parentEnds.append(fds[0])
                    stdio.append((fds[1], Int32(stream)))
                    readers.append((fds[0], stream))
                }
            }
        } catch {
            for fd in parentEnds { close(fd) }
            throw error
        }
        let pid: pid_t
        do {
            pid = try HostCommand.spawn(argv) { actions in
                for (source, target) in stdio {
                    if let source {
                        posix_spawn_file_actions_adddup2(&actions, source, target)
                    } else {
                        posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDONLY, 0)
                    }
                }
            }
        } catch {
            for fd in parentEnds { close(fd) }
            throw RuntimeError(error.description)
        }

        let process = HostExecProcess(pid: pid, hooks: hooks, inputFD: inputFD, terminalFD: terminalFD)
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
                // The terminal's master stays open for writes and resizes until the process is gone.
                if closeAfterReading { close(reader.fd) }
                output.finishOne()
            }
        }
        let exit = process.exit
        Thread.detachNewThread {
            let status = HostCommand.reap(pid)
            hooks.exited()
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
        guard fd >= 0 else { throw RuntimeError("stdin of the exec process is not open") }
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
        if !exit.isResolved { hooks.resized(pid) }
    }

    func read() async -> (stream: Int, bytes: [UInt8])? {
        await output.next()
    }

    func wait() async -> Int32 {
        await exit.value()
    }

    func kill() async {
        guard !exit.isResolved else { return }
        hooks.kill(pid)
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
