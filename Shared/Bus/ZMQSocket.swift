import CZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// A ZeroMQ context. Thread-safe; one per process is enough.
public final class ZMQContext: @unchecked Sendable {
    package let handle: UnsafeMutableRawPointer

    public init(ioThreads: Int32 = 1) {
        handle = zmq_ctx_new()!
        zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads)
        zmq_ctx_set(handle, ZMQ_BLOCKY, 0)  // sockets closed without linger never block termination
    }

    /// The process-wide context used when none is given.
    public static let shared = ZMQContext()

    /// Terminates the context. Every socket must have been closed; retries on EINTR.
    public func terminate() {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

/// One libzmq socket. Not thread-safe: it is created, used and closed on one thread (`SocketThread`).
package final class ZMQSocket {
    package let handle: UnsafeMutableRawPointer
    package private(set) var isClosed = false

    package init(context: ZMQContext, type: Int32) throws(BusError) {
        guard let handle = zmq_socket(context.handle, type) else { throw BusError.zmq("zmq_socket") }
        self.handle = handle
        try set(ZMQ_LINGER, Int32(0))
    }

    package func set(_ option: Int32, _ value: Int32) throws(BusError) {
        var v = value
        if zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) != 0 {
            throw BusError.zmq("zmq_setsockopt(\(option))")
        }
    }

    package func set(_ option: Int32, _ value: Int64) throws(BusError) {
        var v = value
        if zmq_setsockopt(handle, option, &v, MemoryLayout<Int64>.size) != 0 {
            throw BusError.zmq("zmq_setsockopt(\(option))")
        }
    }

    package func set(_ option: Int32, bytes: [UInt8]) throws(BusError) {
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        if rc != 0 { throw BusError.zmq("zmq_setsockopt(\(option))") }
    }

    package func bind(_ endpoint: String) throws(BusError) {
        if zmq_bind(handle, endpoint) != 0 { throw BusError.zmq("bind \(endpoint)") }
    }

    package func connect(_ endpoint: String) throws(BusError) {
        if zmq_connect(handle, endpoint) != 0 { throw BusError.zmq("connect \(endpoint)") }
    }

    /// Connects to the broker, as a CurveZMQ client when `credentials` are given (plain otherwise).
    package func connect(_ endpoint: String, as credentials: BusCredentials?) throws(BusError) {
        if let credentials { try credentials.secure(self) }
        try connect(endpoint)
    }

    package func subscribe(_ prefix: String) throws(BusError) { try set(ZMQ_SUBSCRIBE, bytes: Array(prefix.utf8)) }
    package func unsubscribe(_ prefix: String) throws(BusError) { try set(ZMQ_UNSUBSCRIBE, bytes: Array(prefix.utf8)) }

    /// Sends a multipart message. Returns false when the socket would block (`DONTWAIT`) or drops by design.
    @discardableResult
    package func send(_ frames: [[UInt8]], dontWait: Bool = true) throws(BusError) -> Bool {
        for (i, frame) in frames.enumerated() {
            var flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            if dontWait { flags |= ZMQ_DONTWAIT }
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                let e = zmq_errno()
                if e == EINTR { continue }
                // Only the first frame can block; libzmq sends the rest atomically once the first is accepted.
                if e == EAGAIN || e == EHOSTUNREACH { return false }
                throw BusError.zmq("zmq_send", errno: e)
            }
        }
        return true
    }

    /// Receives one whole multipart message without blocking; nil when none is waiting.
    /// Frames above `maxFrameBytes` are still received (so the socket stays in step) but mark the message oversized.
    package func receive() throws(BusError) -> [[UInt8]]? {
        var userID: String?
        return try receive(userID: &userID, wantUserID: false)
    }

    /// Receives one whole multipart message, with the `User-Id` its connection was given by the ZAP handler (nil
    /// on a socket without authentication).
    package func receiveWithUserID() throws(BusError) -> (frames: [[UInt8]], userID: String?)? {
        var userID: String?
        guard let frames = try receive(userID: &userID, wantUserID: true) else { return nil }
        return (frames, userID)
    }

    private func receive(userID: inout String?, wantUserID: Bool) throws(BusError) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        frames.reserveCapacity(5)
        var msg = zmq_msg_t()
        while true {
            zmq_msg_init(&msg)
            var rc: Int32
            repeat {
                rc = zmq_msg_recv(&msg, handle, frames.isEmpty ? ZMQ_DONTWAIT : 0)
            } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 {
                let e = zmq_errno()
                zmq_msg_close(&msg)
                if e == EAGAIN && frames.isEmpty { return nil }
                throw BusError.zmq("zmq_msg_recv", errno: e)
            }
            let size = zmq_msg_size(&msg)
            let data = zmq_msg_data(&msg)!
            frames.append([UInt8](UnsafeRawBufferPointer(start: data, count: size)))
            // A ROUTER's own routing-id frame carries no metadata: the first frame that does gives it.
            if wantUserID && userID == nil, let property = zmq_msg_gets(&msg, "User-Id"), property.pointee != 0 {
                userID = String(cString: property)
            }
            let more = zmq_msg_more(&msg) != 0
            zmq_msg_close(&msg)
            if !more { return frames }
        }
    }

    package func close() {
        guard !isClosed else { return }
        isClosed = true
        zmq_close(handle)
    }

    deinit { close() }
}
