/// The bookkeeping of one forwarded connection, as a value the session driver feeds with what happened: bytes
/// from the pod, the client's polls and sends. It holds the pod's bytes until the client acknowledges them, so a
/// poll the bus client retries gets the same bytes again, and drops the part of a retried send already written.
public struct PortForwardStream: Sendable, Hashable {
    /// Bytes from the pod held at most; the driver stops reading from the pod above this (back-pressure).
    public let bufferLimit: Int
    /// Bytes one reply carries at most.
    public let replyLimit: Int

    /// Stream offset of `inbound.first`: everything before it was acknowledged by the client.
    private(set) var base: Int64 = 0
    /// The pod's bytes the client has not acknowledged yet.
    private(set) var inbound: [UInt8] = []
    /// The pod closed its side.
    private(set) var podClosed = false
    /// Why the connection failed, once it did.
    private(set) var failure: String?
    /// Bytes of the client's stream accepted for the pod.
    private(set) var accepted: Int64 = 0
    /// The client's write side was closed.
    private(set) var writeClosed = false

    public init(bufferLimit: Int = 4 << 20, replyLimit: Int = 1 << 20) {
        self.bufferLimit = bufferLimit
        self.replyLimit = replyLimit
    }

    /// What a poll gets.
    public struct Reply: Sendable, Hashable {
        public var bytes: [UInt8]
        /// The pod closed its side and these are its last bytes.
        public var eof: Bool
        public var error: String?
    }

    /// What a send asks the driver to do.
    public enum SendAction: Sendable, Hashable {
        /// Write these bytes (possibly none: everything was written before), then shut down the write side if
        /// `closeWrite`.
        case write([UInt8], closeWrite: Bool)
        /// The client skipped bytes: its stream and ours disagree.
        case gap(expected: Int64, got: Int64)
    }

    // MARK: The pod's side

    /// Bytes read from the pod.
    public mutating func podSent(_ bytes: [UInt8]) {
        inbound += bytes
    }

    /// The pod closed its write side.
    public mutating func podFinished() {
        podClosed = true
    }

    /// The connection failed; later polls report it once the bytes before it are returned.
    public mutating func connectionFailed(_ message: String) {
        if failure == nil { failure = message }
    }

    /// Whether the driver may read more from the pod.
    public var wantsMoreFromPod: Bool { inbound.count < bufferLimit && failure == nil }

    // MARK: The client's side

    /// The client holds every byte before `offset`: they are dropped.
    public mutating func acknowledge(_ offset: Int64) {
        let drop = Int(min(max(0, offset - base), Int64(inbound.count)))
        guard drop > 0 else { return }
        inbound.removeFirst(drop)
        base += Int64(drop)
    }

    /// Whether a poll from `offset` has something to return now (bytes, the end, or a failure).
    public func ready(from offset: Int64) -> Bool {
        offset < base + Int64(inbound.count) || podClosed || failure != nil
    }

    /// The pod's bytes from `offset` on (at most `replyLimit`), and whether they are the last.
    public func reply(from offset: Int64) -> Reply {
        let start = Int(min(max(0, offset - base), Int64(inbound.count)))
        let end = min(inbound.count, start + replyLimit)
        let bytes = Array(inbound[start..<end])
        let all = end == inbound.count
        return Reply(bytes: bytes, eof: all && podClosed && failure == nil, error: all ? failure : nil)
    }

    /// A send of `bytes` at stream offset `offset`: the part not written before, in order.
    public mutating func send(_ bytes: [UInt8], at offset: Int64, closeWrite: Bool) -> SendAction {
        guard offset <= accepted else { return .gap(expected: accepted, got: offset) }
        let skip = Int(min(Int64(bytes.count), accepted - offset))
        let fresh = Array(bytes[skip...])
        accepted += Int64(fresh.count)
        let close = closeWrite && !writeClosed
        if closeWrite { writeClosed = true }
        return .write(fresh, closeWrite: close)
    }
}
