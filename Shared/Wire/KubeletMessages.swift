import Schema

/// Messages of a kubelet. Each kubelet serves the bus service `kubelet.<nodeName>` (`KubeletService.name(for:)`);
/// the envelope `type` is the operation. Streams (`logs -f`, `exec`, `portforward`) are long polls: each request
/// waits up to `waitMillis` for new output and returns what there is, so nothing rides on pub/sub and nothing is
/// dropped.
/// The JSON shapes are documented in docs/protocol.md.
public enum KubeletService {
    /// The bus service name of the kubelet of `node`.
    public static func name(for node: String) -> String { "kubelet.\(node)" }
}

/// `logs`: a container's log, from its CRI log file.
public struct LogsRequest: Sendable, Hashable, Codable {
    public var namespace: String
    public var pod: String
    /// The container; may be omitted when the pod has one.
    public var container: String?
    /// The previous (terminated) instance of the container.
    public var previous: Bool?
    /// Only the last N lines (first request of a stream).
    public var tailLines: Int?
    /// Continue from this byte offset of the log file (what the previous reply returned).
    public var offset: Int64?
    /// Wait up to this long for more output when there is none (follow).
    public var waitMillis: Int?
    /// Prefix each line with its RFC 3339 timestamp.
    public var timestamps: Bool?

    public init(
        namespace: String, pod: String, container: String? = nil, previous: Bool? = nil, tailLines: Int? = nil,
        offset: Int64? = nil, waitMillis: Int? = nil, timestamps: Bool? = nil
    ) {
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.previous = previous
        self.tailLines = tailLines
        self.offset = offset
        self.waitMillis = waitMillis
        self.timestamps = timestamps
    }
}

/// The reply to `logs`.
public struct LogsReply: Sendable, Hashable, Codable {
    /// The text of the log lines (without the CRI prefixes), newline-terminated.
    public var text: String
    /// The offset to pass to continue.
    public var offset: Int64
    /// The container instance has terminated and everything it wrote was returned: a follower stops.
    public var done: Bool

    public init(text: String, offset: Int64, done: Bool) {
        self.text = text
        self.offset = offset
        self.done = done
    }
}

/// `exec.start`: runs a command in a container.
public struct ExecStartRequest: Sendable, Hashable, Codable {
    public var namespace: String
    public var pod: String
    public var container: String?
    public var command: [String]
    public var stdin: Bool
    public var tty: Bool
    public var rows: Int?
    public var cols: Int?

    public init(
        namespace: String, pod: String, container: String? = nil, command: [String], stdin: Bool = false,
        tty: Bool = false, rows: Int? = nil, cols: Int? = nil
    ) {
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.command = command
        self.stdin = stdin
        self.tty = tty
        self.rows = rows
        self.cols = cols
    }
}

/// The reply to `exec.start`.
public struct ExecStartReply: Sendable, Hashable, Codable {
    /// The session id for `exec.io`.
    public var session: String

    public init(session: String) {
        self.session = session
    }
}

/// `exec.io`: sends input to a session and collects its output. A session nobody polls for 60 s is killed.
public struct ExecIORequest: Sendable, Hashable, Codable {
    public var session: String
    /// Bytes for stdin, base64.
    public var stdin: String?
    /// Close stdin after writing.
    public var closeStdin: Bool?
    /// New terminal size.
    public var rows: Int?
    public var cols: Int?
    /// Wait up to this long for output when there is none.
    public var waitMillis: Int?

    public init(
        session: String, stdin: String? = nil, closeStdin: Bool? = nil, rows: Int? = nil, cols: Int? = nil,
        waitMillis: Int? = nil
    ) {
        self.session = session
        self.stdin = stdin
        self.closeStdin = closeStdin
        self.rows = rows
        self.cols = cols
        self.waitMillis = waitMillis
    }
}

/// The reply to `exec.io`.
public struct ExecIOReply: Sendable, Hashable, Codable {
    /// Output since the last poll, base64 (with a terminal, everything comes as stdout).
    public var stdout: String
    public var stderr: String
    /// Set once the command has ended and all output was returned.
    public var exitCode: Int?

    public init(stdout: String, stderr: String, exitCode: Int? = nil) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}

/// `portforward.start`: opens a TCP connection to `port` of a pod, from inside the pod's network namespace
/// (its `localhost`), as the kubelet's port forwarding does.
public struct PortForwardStartRequest: Sendable, Hashable, Codable {
    public var namespace: String
    public var pod: String
    public var port: Int

    public init(namespace: String, pod: String, port: Int) {
        self.namespace = namespace
        self.pod = pod
        self.port = port
    }
}

/// The reply to `portforward.start`.
public struct PortForwardStartReply: Sendable, Hashable, Codable {
    /// The session id for `portforward.io`.
    public var session: String

    public init(session: String) {
        self.session = session
    }
}

/// `portforward.io`: moves bytes of one forwarded connection both ways. Every field is idempotent, so a request
/// the bus client retries after a timeout changes nothing twice: `send` carries its stream offset, and `received`
/// acknowledges what the client already holds. A session nobody polls for 60 s is closed.
public struct PortForwardIORequest: Sendable, Hashable, Codable {
    public var session: String
    /// Bytes for the pod, base64, starting at byte `sendOffset` of the client's stream.
    public var send: String?
    public var sendOffset: Int64?
    /// The client has nothing more to send: shut down the connection's write side after `send`.
    public var closeWrite: Bool?
    /// When set, the reply carries the pod's bytes from this offset on (the client holds everything before it).
    public var received: Int64?
    /// Wait up to this long for bytes from the pod when there are none.
    public var waitMillis: Int?
    /// Close the connection and end the session.
    public var close: Bool?

    public init(
        session: String, send: String? = nil, sendOffset: Int64? = nil, closeWrite: Bool? = nil,
        received: Int64? = nil, waitMillis: Int? = nil, close: Bool? = nil
    ) {
        self.session = session
        self.send = send
        self.sendOffset = sendOffset
        self.closeWrite = closeWrite
        self.received = received
        self.waitMillis = waitMillis
        self.close = close
    }
}

/// The reply to `portforward.io`.
public struct PortForwardIOReply: Sendable, Hashable, Codable {
    /// The pod's bytes from the request's `received` offset on, base64 (empty when it asked for none).
    public var data: String
    /// The pod closed its side and every byte it sent was returned.
    public var eof: Bool
    /// The connection failed (reset by the pod); the bytes before the failure were returned.
    public var error: String?

    public init(data: String, eof: Bool, error: String? = nil) {
        self.data = data
        self.eof = eof
        self.error = error
    }
}
