import Foundation
import NIOCore
import Schema
import Synchronization

/// The `portforward` sessions of a kubelet: each carries one TCP connection to a pod's port. The pod's bytes wait
/// in the session's `PortForwardStream` until the client polls them; the client's bytes are written in stream order
/// before its send is answered. A session nobody polled for `idleTimeout` is closed.
public final class PortForwardSessions: Sendable {
    final class Session: Sendable {
        enum Outgoing: Sendable {
            case bytes([UInt8], end: Int64)
            case finish
        }

        struct State {
            var stream = PortForwardStream()
            var lastPoll = ContinuousClock.now
            /// Bytes of the client's stream written to the pod.
            var flushed: Int64 = 0
            var closed = false
            var waiters: [CheckedContinuation<Void, Never>] = []
        }

        let connection: PodPortDialer.Connection
        let state = Mutex(State())
        let outgoing: AsyncStream<Outgoing>
        let outgoingContinuation: AsyncStream<Outgoing>.Continuation

        init(connection: PodPortDialer.Connection) {
            self.connection = connection
            (outgoing, outgoingContinuation) = AsyncStream.makeStream(of: Outgoing.self)
        }

        /// Wakes everything waiting on this session; each waiter checks its own condition again.
        func notify() {
            let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                let w = s.waiters
                s.waiters.removeAll()
                return w
            }
            for w in waiters { w.resume() }
        }

        /// Waits until `condition` holds, the session is closed, or `timeout` passes.
        func wait(until condition: @escaping @Sendable (State) -> Bool, timeout: Duration? = nil) async {
            while true {
                let satisfied = state.withLock { $0.closed || condition($0) }
                if satisfied { return }
                let timedOut = await withTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                            let now = self.state.withLock { s -> Bool in
                                if s.closed || condition(s) { return true }
                                s.waiters.append(c)
                                return false
                            }
                            if now { c.resume() }
                        }
                        return false
                    }
                    if let timeout {
                        group.addTask {
                            try? await Task.sleep(for: timeout)
                            return true
                        }
                    }
                    let first = await group.next() ?? true
                    group.cancelAll()
                    self.notify()
                    return first
                }
                if timedOut || Task.isCancelled { return }
            }
        }

        func close() {
            let first = state.withLock { s -> Bool in
                defer { s.closed = true }
                return !s.closed
            }
            if first { outgoingContinuation.finish() }
            notify()
        }

        /// Reads from the pod and writes to it until the session is closed; then closes the connection.
        func run() async {
            try? await connection.executeThenClose { inbound, outbound in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for try await buffer in inbound {
                                self.state.withLock { $0.stream.podSent(Array(buffer.readableBytesView)) }
                                self.notify()
                                await self.wait(until: { $0.stream.wantsMoreFromPod })
                                if self.state.withLock({ $0.closed }) { return }
                            }
                            self.state.withLock { $0.stream.podFinished() }
                        } catch {
                            self.state.withLock { $0.stream.connectionFailed(PodPortDialer.reason(error)) }
                        }
                        self.notify()
                    }
                    group.addTask {
                        for await item in self.outgoing {
                            switch item {
                            case .bytes(let bytes, let end):
                                do {
                                    try await outbound.write(ByteBuffer(bytes: bytes))
                                } catch {
                                    self.state.withLock { $0.stream.connectionFailed(PodPortDialer.reason(error)) }
                                }
                                self.state.withLock { $0.flushed = max($0.flushed, end) }
                            case .finish:
                                outbound.finish()
                            }
                            self.notify()
                        }
                    }
                    await self.wait(until: { _ in false })
                    group.cancelAll()
                }
            }
        }
    }

    /// What a poll returns.
    public struct Output: Sendable {
        public var bytes: [UInt8]
        public var eof: Bool
        public var error: String?
    }

    /// A send that does not continue the client's stream.
    public struct Gap: Error, CustomStringConvertible {
        public var description: String
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let starts: AsyncStream<Session>.Continuation
    private let startStream: AsyncStream<Session>
    private let idleTimeout: Duration

    public init(idleTimeout: Duration = .seconds(60)) {
        self.idleTimeout = idleTimeout
        (startStream, starts) = AsyncStream.makeStream(of: Session.self)
    }

    /// Adds a session for `connection`; returns its id.
    func add(_ connection: PodPortDialer.Connection) -> String {
        let id = RandomUID.make()
        let session = Session(connection: connection)
        sessions.withLock { $0[id] = session }
        starts.yield(session)
        return id
    }

    /// The number of open sessions.
    public var count: Int { sessions.withLock { $0.count } }

    /// Writes what the client sent (waiting until the pod took it), then, when `received` is set, waits up to
    /// `wait` for the pod's bytes after it; `close` ends the session. Nil when there is no such session.
    public func io(
        _ id: String, send: [UInt8], sendOffset: Int64, closeWrite: Bool, received: Int64?, wait: Duration,
        close: Bool
    ) async throws -> Output? {
        guard let session = sessions.withLock({ $0[id] }) else { return nil }
        session.state.withLock { $0.lastPoll = .now }
        if !send.isEmpty || closeWrite {
            let action = session.state.withLock { s -> PortForwardStream.SendAction in
                let action = s.stream.send(send, at: sendOffset, closeWrite: closeWrite)
                // Queued under the lock, so the pod gets the bytes in stream order.
                if case .write(let bytes, let finish) = action {
                    if !bytes.isEmpty { session.outgoingContinuation.yield(.bytes(bytes, end: s.stream.accepted)) }
                    if finish { session.outgoingContinuation.yield(.finish) }
                }
                return action
            }
            switch action {
            case .gap(let expected, let got):
                throw Gap(description: "portforward session \"\(id)\": send at byte \(got), expected \(expected)")
            case .write:
                let target = sendOffset + Int64(send.count)
                await session.wait(until: { $0.flushed >= target || $0.stream.failure != nil })
            }
        }
        var output = Output(bytes: [], eof: false, error: nil)
        if let received {
            session.state.withLock { $0.stream.acknowledge(received) }
            session.notify()
            if wait > .zero { await session.wait(until: { $0.stream.ready(from: received) }, timeout: wait) }
            let reply = session.state.withLock { $0.stream.reply(from: received) }
            output = Output(bytes: reply.bytes, eof: reply.eof, error: reply.error)
        }
        if close {
            sessions.withLock { _ = $0.removeValue(forKey: id) }
            session.close()
        }
        session.state.withLock { $0.lastPoll = .now }
        return output
    }

    /// Runs every session and closes idle ones until cancelled; then closes them all.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let idle = sessions.withLock { s -> [Session] in
                        let now = ContinuousClock.now
                        let idle = s.filter { now - $0.value.state.withLock { $0.lastPoll } > idleTimeout }
                        for (id, _) in idle { s[id] = nil }
                        return idle.map(\.value)
                    }
                    for session in idle { session.close() }
                }
                for session in sessions.withLock({ s in
                    defer { s.removeAll() }
                    return Array(s.values)
                }) {
                    session.close()
                }
            }
            for await session in startStream {
                group.addTask { await session.run() }
            }
        }
    }

    /// Ends `run`.
    public func finish() { starts.finish() }
}
