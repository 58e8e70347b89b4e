import CZeroMQ
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What runs on a `SocketThread`: it owns the sockets and is only ever touched by that thread.
package protocol SocketDriver: AnyObject, SendableMetatype {
    associatedtype Command: Sendable
    /// Sockets to poll for input, in a stable order.
    var pollSockets: [ZMQSocket] { get }
    /// A socket at `index` of `pollSockets` has input: drain it.
    func readable(_ index: Int)
    /// Commands sent from other threads, in order.
    func perform(_ commands: [Command])
    /// Called after every poll; returns milliseconds until the next call is due (-1: no timer).
    func tick() -> Int
    /// Closes every socket. Called once, on the thread, when it stops.
    func shutdown()
}

/// A dedicated thread that owns ZeroMQ sockets and bridges them to the rest of the program.
///
/// Other threads hand it commands through a locked queue and an eventfd that wakes its `zmq_poll`
/// (libzmq sockets are not thread-safe, so they never leave this thread).
package final class SocketThread<Command: Sendable>: Sendable {
    private struct Mailbox {
        var commands: [Command] = []
        var stopping = false
    }

    private let mailbox = Mutex(Mailbox())
    private let wakeFD: Int32
    private let done = Mutex<Bool>(false)
    private let doneSignal = DispatchSemaphore(value: 0)
    private let owner = Mutex<pthread_t?>(nil)

    /// Starts the thread and builds its driver there; throws what the driver's construction threw.
    package init<D: SocketDriver>(name: String, makeDriver: @escaping @Sendable () throws(BusError) -> D)
        throws(BusError)
    where D.Command == Command {
        wakeFD = kubus_eventfd()
        let started = DispatchSemaphore(value: 0)
        let startError = Mutex<BusError?>(nil)
        let box = UncheckedBox(self)
        let fd = wakeFD
        startThread(name: name) {
            let driver: D
            do throws(BusError) {
                driver = try makeDriver()
            } catch {
                startError.withLock { $0 = error }
                started.signal()
                box.value.finish()
                return
            }
            started.signal()
            box.value.loop(driver: driver, wakeFD: fd)
        }
        started.wait()
        if let error = startError.withLock({ $0 }) {
            close(wakeFD)
            throw error
        }
    }

    /// Queues a command for the thread.
    package func send(_ command: Command) {
        let wake = mailbox.withLock { box -> Bool in
            guard !box.stopping else { return false }
            box.commands.append(command)
            return box.commands.count == 1
        }
        if wake { signalWake() }
    }

    /// Queues a command built under the queue's lock, so commands built by `make` are queued in call order.
    package func send(_ make: () -> Command) {
        let wake = mailbox.withLock { box -> Bool in
            guard !box.stopping else { return false }
            box.commands.append(make())
            return box.commands.count == 1
        }
        if wake { signalWake() }
    }

    /// Asks the thread to stop without waiting (safe from callbacks that hold other locks).
    package func requestStop() {
        let first = mailbox.withLock { box -> Bool in
            defer { box.stopping = true }
            return !box.stopping
        }
        if first { signalWake() }
    }

    /// Stops the thread, closes its sockets and waits until it has exited. Safe to call more than once.
    package func stop() {
        let first = mailbox.withLock { box -> Bool in
            defer { box.stopping = true }
            return !box.stopping
        }
        if first { signalWake() }
        if done.withLock({ $0 }) { return }
        // Called from the socket thread itself (a stream's termination handler): it stops once it returns.
        if let me = owner.withLock({ $0 }), pthread_equal(me, pthread_self()) != 0 { return }
        doneSignal.wait()
        doneSignal.signal()  // let other callers of stop() through too
    }

    private func signalWake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func finish() {
        done.withLock { $0 = true }
        doneSignal.signal()
    }

    private func loop<D: SocketDriver>(driver: D, wakeFD: Int32) where D.Command == Command {
        owner.withLock { $0 = pthread_self() }
        var timeout = driver.tick()
        while true {
            // Drivers may replace a socket (a worker reconnecting), so the poll set is rebuilt each round.
            let sockets = driver.pollSockets
            var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
            items.append(zmq_pollitem_t(socket: nil, fd: wakeFD, events: Int16(ZMQ_POLLIN), revents: 0))
            let rc = zmq_poll(&items, Int32(items.count), timeout)
            if rc < 0 && zmq_errno() != EINTR { break }
            if rc > 0 {
                for i in 0..<sockets.count where items[i].revents & Int16(ZMQ_POLLIN) != 0 {
                    driver.readable(i)
                }
                if items[sockets.count].revents & Int16(ZMQ_POLLIN) != 0 {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                }
            }
            let (commands, stopping) = mailbox.withLock { box -> ([Command], Bool) in
                let c = box.commands
                box.commands.removeAll(keepingCapacity: true)
                return (c, box.stopping)
            }
            if !commands.isEmpty { driver.perform(commands) }
            if stopping { break }
            timeout = driver.tick()
        }
        driver.shutdown()
        close(wakeFD)
        finish()
    }
}

/// Moves a reference across a thread boundary the compiler cannot see is safe.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Starts a detached pthread with a name; the body owns everything it touches.
func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body, name)).toOpaque()
    var tid = pthread_t()
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
    let rc = pthread_create(
        &tid, &attr,
        { raw in
            let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
            kubus_set_thread_name(String(body.name.prefix(15)))
            body.body()
            return nil
        }, box)
    pthread_attr_destroy(&attr)
    precondition(rc == 0, "pthread_create failed: \(rc)")
}

final class ThreadBody {
    let body: @Sendable () -> Void
    let name: String
    init(_ body: @escaping @Sendable () -> Void, _ name: String) {
        self.body = body
        self.name = name
    }
}
