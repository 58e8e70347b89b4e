import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension ProcessRuntime {
    public func exec(_ id: String, command: [String], tty: Bool, stdin: Bool) async throws -> any ExecProcess {
        guard !command.isEmpty else { throw RuntimeError("exec: a command is required") }
        guard let current = status(of: id) else { throw RuntimeError("container \(id) not found") }
        guard current.state == .running, let pid = current.pid else {
            throw RuntimeError("container \(current.name) is not running (state \(current.state.rawValue))")
        }
        let files = StateFiles(directory: directory(of: id))
        let config = files.data("config.json").flatMap { try? JSONDecoder().decode(ContainerConfig.self, from: $0) }
        let image = files.data("image.json").flatMap { try? JSONDecoder().decode(ResolvedImage.self, from: $0) }
        var arguments = ["exec", "--pid", String(pid)]
        if tty { arguments.append("--tty") }
        if let cwd = config?.workingDir ?? image?.workingDir, !cwd.isEmpty { arguments += ["--cwd", cwd] }
        arguments.append("--")
        arguments += command
        return try ShimExecProcess.start(shimPath: shimPath, arguments: arguments, tty: tty, stdin: stdin)
    }
}

/// A command run by `kubus-shim exec`: pipes (or a terminal) to it, a thread per output and one waiting for it.
final class ShimExecProcess: ExecProcess, @unchecked Sendable {
    private struct State {
        var chunks: [(stream: Int, bytes: [UInt8])] = []
        var openStreams: Int
        var readers: [CheckedContinuation<(stream: Int, bytes: [UInt8])?, Never>] = []
        var exitCode: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
        var inputFD: Int32
    }

    // _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int): Swift does not import these function-like macros.
    private static let ptyUnlock: UInt = 0x4004_5431
    private static let ptyNumber: UInt = 0x8004_5430

    let pid: pid_t
    private let terminalFD: Int32
    private let state: Mutex<State>

    private init(pid: pid_t, inputFD: Int32, terminalFD: Int32, streams: Int) {
        self.pid = pid
        self.terminalFD = terminalFD
        self.state = Mutex(State(openStreams: streams, inputFD: inputFD))
    }

    static func start(shimPath: String, arguments: [String], tty: Bool, stdin: Bool) throws -> ShimExecProcess {
        if tty {
            // posix_openpt, unlockpt and ptsname, spelled with what Swift's Glibc module exposes.
            let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            var unlock: Int32 = 0
            var number: UInt32 = 0
            guard master >= 0, ioctl(master, Self.ptyUnlock, &unlock) == 0,
                ioctl(master, Self.ptyNumber, &number) == 0
            else {
                if master >= 0 { close(master) }
                throw RuntimeError("exec: cannot open a terminal: \(String(cString: strerror(errno)))")
            }
            let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard slave >= 0 else {
                close(master)
                throw RuntimeError("exec: cannot open a terminal: \(String(cString: strerror(errno)))")
            }
            defer { close(slave) }
            let pid: pid_t
            do {
                pid = try ProcessRuntime.spawn(shimPath, arguments: arguments, stdio: (slave, slave, slave))
            } catch {
                close(master)
                throw error
            }
            let process = ShimExecProcess(pid: pid, inputFD: stdin ? master : -1, terminalFD: master, streams: 1)
            process.startReader(fd: master, stream: 1, closeAfter: true)
            process.startWaiter()
            return process
        }
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        if stdin {
            try makePipe(&input)
        } else {
            input[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        try makePipe(&output)
        try makePipe(&errors)
        let pid: pid_t
        do {
            pid = try ProcessRuntime.spawn(shimPath, arguments: arguments, stdio: (input[0], output[1], errors[1]))
        } catch {
            ([input[0], input[1], output[0], output[1], errors[0], errors[1]]).filter { $0 >= 0 }.forEach { close($0) }
            throw error
        }
        close(input[0])
        close(output[1])
        close(errors[1])
        let process = ShimExecProcess(pid: pid, inputFD: input[1], terminalFD: -1, streams: 2)
        process.startReader(fd: output[0], stream: 1, closeAfter: true)
        process.startReader(fd: errors[0], stream: 2, closeAfter: true)
        process.startWaiter()
        return process
    }

    private static func makePipe(_ fds: inout [Int32]) throws {
        guard pipe(&fds) == 0 else { throw RuntimeError("exec: pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    }

    private func startReader(fd: Int32, stream: Int, closeAfter: Bool) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }  // EOF, or EIO when the terminal's last user is gone
                deliver(stream: stream, bytes: Array(buffer[0..<count]))
            }
            if closeAfter {
                // A terminal's master is also stdin: forget it before closing so a late write cannot hit a reused fd.
                state.withLock { state in
                    if state.inputFD == fd { state.inputFD = -1 }
                }
                close(fd)
            }
            finishStream()
        }
        thread.name = "kubus-exec-reader"
        thread.start()
    }

    private func startWaiter() {
        let pid = self.pid
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let code = ProcessRuntime.exitCode(fromWaitStatus: status)
            let waiters = state.withLock { state in
                state.exitCode = code
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: code) }
        }
        thread.name = "kubus-exec-wait"
        thread.start()
    }

    private func deliver(stream: Int, bytes: [UInt8]) {
        let reader: CheckedContinuation<(stream: Int, bytes: [UInt8])?, Never>? = state.withLock { state in
            if !state.readers.isEmpty { return state.readers.removeFirst() }
            state.chunks.append((stream, bytes))
            return nil
        }
        reader?.resume(returning: (stream, bytes))
    }

    private func finishStream() {
        let readers = state.withLock { state in
            state.openStreams -= 1
            guard state.openStreams == 0 else { return [CheckedContinuation<(stream: Int, bytes: [UInt8])?, Never>]() }
            defer { state.readers = [] }
            return state.readers
        }
        for reader in readers { reader.resume(returning: nil) }
    }

    func write(_ bytes: [UInt8]) async throws {
        let fd = state.withLock { $0.inputFD }
        guard fd >= 0 else { throw RuntimeError("exec: stdin is not open") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw RuntimeError("exec: write to stdin: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    func closeStdin() async {
        let fd = state.withLock { state in
            defer { state.inputFD = -1 }
            return state.inputFD
        }
        if fd >= 0 && fd == terminalFD {
            // A terminal has no half-close: send the EOF character instead.
            var eof: UInt8 = 4
            _ = Glibc.write(fd, &eof, 1)
        } else if fd >= 0 {
            close(fd)
        }
    }

    func resize(rows: Int, cols: Int) async {
        guard terminalFD >= 0 else { return }
        var size = winsize(ws_row: UInt16(clamping: rows), ws_col: UInt16(clamping: cols), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(terminalFD, UInt(TIOCSWINSZ), &size)
    }

    func read() async -> (stream: Int, bytes: [UInt8])? {
        await withCheckedContinuation { continuation in
            let immediate: (stream: Int, bytes: [UInt8])?? = state.withLock { state in
                if !state.chunks.isEmpty { return .some(state.chunks.removeFirst()) }
                if state.openStreams == 0 { return .some(nil) }
                state.readers.append(continuation)
                return .none
            }
            if let value = immediate { continuation.resume(returning: value) }
        }
    }

    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let code: Int32? = state.withLock { state in
                if let code = state.exitCode { return code }
                state.waiters.append(continuation)
                return nil
            }
            if let code { continuation.resume(returning: code) }
        }
    }

    func kill() async {
        let exited = state.withLock { $0.exitCode != nil }
        // The command dies with the shim (PR_SET_PDEATHSIG).
        if !exited { Glibc.kill(pid, SIGKILL) }
    }
}
