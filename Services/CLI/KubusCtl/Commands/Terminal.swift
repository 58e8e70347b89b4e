import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The local terminal: raw mode restored on every exit path, window size and its changes.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Rows and columns of the terminal on `fd`.
    static func size(_ fd: Int32) -> (rows: Int, cols: Int)? {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0 else { return nil }
        return (Int(ws.ws_row), Int(ws.ws_col))
    }

    /// The saved settings to restore from a signal handler (which may not capture context).
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var savedFD: Int32 = -1

    /// Runs `body` with `fd` in raw mode; restores the settings when it returns, throws, or on SIGTERM/SIGHUP/SIGQUIT.
    static func withRawMode<T>(_ fd: Int32, _ body: () async throws -> T) async throws -> T {
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return try await body() }
        saved = original
        savedFD = fd
        var raw = original
        cfmakeraw(&raw)
        // Keep output post-processing so "\n" still returns the carriage on the local side.
        raw.c_oflag = original.c_oflag
        tcsetattr(fd, TCSANOW, &raw)
        for sig in [SIGTERM, SIGHUP, SIGQUIT, SIGINT] {
            signal(sig) { sig in
                if Terminal.savedFD >= 0 { tcsetattr(Terminal.savedFD, TCSANOW, &Terminal.saved) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        defer {
            tcsetattr(fd, TCSANOW, &original)
            savedFD = -1
            for sig in [SIGTERM, SIGHUP, SIGQUIT, SIGINT] { signal(sig, SIG_DFL) }
        }
        return try await body()
    }

    /// The terminal's new size after each SIGWINCH.
    static func resizes(_ fd: Int32) -> AsyncStream<(rows: Int, cols: Int)> {
        AsyncStream { continuation in
            signal(SIGWINCH, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
            source.setEventHandler {
                if let size = size(fd) { continuation.yield(size) }
            }
            let box = SignalSourceBox(source)
            continuation.onTermination = { _ in box.source.cancel() }
            source.resume()
        }
    }
}

extension Terminal {
    /// SIGINT and SIGTERM as they arrive, instead of ending the process: commands that run until interrupted
    /// (`port-forward`) stop cleanly and exit 0, as kubectl's do.
    static func interrupts() -> AsyncStream<Int32> {
        AsyncStream { continuation in
            var boxes: [SignalSourceBox] = []
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { continuation.yield(sig) }
                boxes.append(SignalSourceBox(source))
                source.resume()
            }
            let all = boxes
            continuation.onTermination = { _ in
                for box in all { box.source.cancel() }
            }
        }
    }
}

/// Holds a dispatch source for cancellation from another thread (cancel is thread-safe).
private final class SignalSourceBox: @unchecked Sendable {
    let source: any DispatchSourceSignal
    init(_ source: any DispatchSourceSignal) { self.source = source }
}
