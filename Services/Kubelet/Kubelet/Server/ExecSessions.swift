import Foundation
import Schema
import Synchronization

/// The `exec` sessions of a kubelet: each runs one `ExecProcess`, buffers its output until polled, and is killed
/// when nobody polled it for `idleTimeout`.
public final class ExecSessions: Sendable {
    final class Session: Sendable {
        struct Buffer {
            var stdout: [UInt8] = []
            var stderr: [UInt8] = []
            var exitCode: Int32?
            var lastPoll = ContinuousClock.now
            var waiters: [CheckedContinuation<Void, Never>] = []
        }
        let process: any ExecProcess
        let buffer = Mutex(Buffer())

        init(process: any ExecProcess) {
            self.process = process
        }

        func notify() {
            let waiters = buffer.withLock { b -> [CheckedContinuation<Void, Never>] in
                let w = b.waiters
                b.waiters.removeAll()
                return w
            }
            for w in waiters { w.resume() }
        }
    }

    /// Output collected since the last poll.
    public struct Output: Sendable {
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        public var exitCode: Int32?
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let starts: AsyncStream<(String, Session)>.Continuation
    private let startStream: AsyncStream<(String, Session)>
    private let idleTimeout: Duration

    public init(idleTimeout: Duration = .seconds(60)) {
        self.idleTimeout = idleTimeout
        (startStream, starts) = AsyncStream.makeStream(of: (String, Session).self)
    }

    /// Adds a session for `process`; returns its id.
    public func add(_ process: any ExecProcess) -> String {
        let id = RandomUID.make()
        let session = Session(process: process)
        sessions.withLock { $0[id] = session }
        starts.yield((id, session))
        return id
    }

    /// Whether the session exists.
    public func contains(_ id: String) -> Bool { sessions.withLock { $0[id] != nil } }

    /// Writes stdin, resizes, then waits up to `wait` for output; the session ends once its exit code was returned.
    public func poll(
        _ id: String, stdin: [UInt8]?, closeStdin: Bool, rows: Int?, cols: Int?, wait: Duration
    ) async throws -> Output? {
        guard let session = sessions.withLock({ $0[id] }) else { return nil }
        session.buffer.withLock { $0.lastPoll = .now }
        if let stdin, !stdin.isEmpty { try await session.process.write(stdin) }
        if closeStdin { await session.process.closeStdin() }
        if let rows, let cols { await session.process.resize(rows: rows, cols: cols) }
        let empty = session.buffer.withLock { $0.stdout.isEmpty && $0.stderr.isEmpty && $0.exitCode == nil }
        if empty && wait > .zero {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let ready = session.buffer.withLock { b -> Bool in
                            if !b.stdout.isEmpty || !b.stderr.isEmpty || b.exitCode != nil { return true }
                            b.waiters.append(c)
                            return false
                        }
                        if ready { c.resume() }
                    }
                }
                group.addTask { try? await Task.sleep(for: wait) }
                await group.next()
                group.cancelAll()
                session.notify()
            }
        }
        let output = session.buffer.withLock { b -> Output in
            let o = Output(stdout: b.stdout, stderr: b.stderr, exitCode: b.exitCode)
            b.stdout.removeAll()
            b.stderr.removeAll()
            b.lastPoll = .now
            return o
        }
        if output.exitCode != nil { sessions.withLock { _ = $0.removeValue(forKey: id) } }
        return output
    }

    /// Pumps every session's output and reaps idle ones until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let idle = sessions.withLock { s -> [(String, Session)] in
                        let now = ContinuousClock.now
                        let idle = s.filter { now - $0.value.buffer.withLock { $0.lastPoll } > idleTimeout }
                        for (id, _) in idle { s[id] = nil }
                        return Array(idle)
                    }
                    for (_, session) in idle { await session.process.kill() }
                }
                // Stopping: end every session.
                for (_, session) in sessions.withLock({ $0 }) { await session.process.kill() }
            }
            for await (_, session) in startStream {
                if Task.isCancelled { break }
                group.addTask {
                    while let (stream, bytes) = await session.process.read() {
                        session.buffer.withLock { b in
                            if stream == 2 { b.stderr += bytes } else { b.stdout += bytes }
                        }
                        session.notify()
                    }
                    let code = await session.process.wait()
                    session.buffer.withLock { $0.exitCode = code }
                    session.notify()
                }
            }
        }
    }

    /// Ends `run`.
    public func finish() { starts.finish() }
}
