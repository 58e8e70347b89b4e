public import CZeroMQ

/// An error from the bus: a ZeroMQ call that failed, a malformed message, a request that timed out.
public struct BusError: Error, CustomStringConvertible, Sendable, Equatable {
    private enum Code: Sendable, Equatable {
        case zmq(operation: String, errno: Int32)
        case malformed
        case timeout
        case closed
        case invalidEndpoint
        case tooLarge
        case credentials
        case handshake
    }

    private let code: Code
    /// What went wrong, in words a user can act on.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A libzmq call returned an error; `errno` is libzmq's.
    public static func zmq(_ operation: String, errno: Int32 = zmq_errno()) -> BusError {
        let text = String(cString: zmq_strerror(errno))
        return BusError(.zmq(operation: operation, errno: errno), "\(operation): \(text) (errno \(errno))")
    }

    /// A message that does not follow the wire protocol.
    public static func malformed(_ detail: String) -> BusError { BusError(.malformed, "malformed message: \(detail)") }

    /// A request that got no reply before its deadline.
    public static func timeout(_ detail: String) -> BusError { BusError(.timeout, detail) }

    /// The socket or its thread was closed.
    public static let closed = BusError(.closed, "the bus connection is closed")

    /// An endpoint that is neither `tcp://host:port` nor `ipc://path` nor `inproc://name`.
    public static func invalidEndpoint(_ endpoint: String) -> BusError {
        BusError(.invalidEndpoint, "invalid bus endpoint \"\(endpoint)\": use tcp://HOST:PORT or ipc:///PATH")
    }

    /// A message over `WireProtocol.maxMessageBytes`, refused before it was sent.
    public static func tooLarge(_ detail: String) -> BusError { BusError(.tooLarge, detail) }

    /// A key file or key registry entry that cannot be used; the message names the file and what is wrong.
    public static func credentials(_ detail: String) -> BusError { BusError(.credentials, detail) }

    /// The bus would not complete the connection's handshake (security mechanism or key refused); the message says
    /// why and what to change.
    public static func handshake(_ detail: String) -> BusError { BusError(.handshake, detail) }

    public var isTooLarge: Bool { code == .tooLarge }
    public var isTimeout: Bool { code == .timeout }
    public var isClosed: Bool { code == .closed }
    public var isHandshake: Bool { code == .handshake }
    /// The libzmq errno, when the error came from libzmq.
    public var zmqErrno: Int32? {
        if case .zmq(_, let e) = code { return e }
        return nil
    }

    public var description: String { message }
}
