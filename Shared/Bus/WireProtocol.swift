/// Frame constants of the Kubus request protocol (after Majordomo, ZeroMQ RFC 7/18).
///
/// Client ↔ broker: `["", "KUBUS/C1", service, envelope, payload]` both ways.
/// Worker → broker: `["", "KUBUS/W1", "READY", service, capacity]`, `["", "KUBUS/W1", "HEARTBEAT"]`,
/// `["", "KUBUS/W1", "REPLY", clientAddress, "", envelope, payload]`, `["", "KUBUS/W1", "DISCONNECT"]`.
/// Broker → worker: `["", "KUBUS/W1", "REQUEST", clientAddress, "", envelope, payload]`,
/// `["", "KUBUS/W1", "HEARTBEAT"]`, `["", "KUBUS/W1", "DISCONNECT"]`.
/// Events: `[topic, envelope, payload]`.
public enum WireProtocol {
    public static let client: [UInt8] = Array("KUBUS/C1".utf8)
    public static let worker: [UInt8] = Array("KUBUS/W1".utf8)
    public static let ready: [UInt8] = Array("READY".utf8)
    public static let heartbeat: [UInt8] = Array("HEARTBEAT".utf8)
    public static let request: [UInt8] = Array("REQUEST".utf8)
    public static let reply: [UInt8] = Array("REPLY".utf8)
    public static let disconnect: [UInt8] = Array("DISCONNECT".utf8)

    /// The service name the broker answers itself (`services` lists registered services).
    public static let brokerService = "bus"

    /// Heartbeat interval between workers and the broker; a peer is dead after `heartbeatLiveness` misses.
    public static let heartbeatIntervalMs = 1000
    public static let heartbeatLiveness = 3

    /// Largest request, reply or event the bus carries, envelope and payload together (64 MiB). Clients refuse to
    /// send more, the broker answers more with 413, a worker replaces a larger reply with a 500.
    public static let maxMessageBytes: Int64 = 64 << 20

    /// Largest frame a socket receives before libzmq drops the connection (`ZMQ_MAXMSGSIZE`): twice
    /// `maxMessageBytes`, so a message over the limit still arrives and is answered with an error.
    public static let maxFrameBytes: Int64 = 2 * maxMessageBytes

    /// `"64 MiB (67108864 bytes)"`, for error messages.
    public static var maxMessageDescription: String { "\(maxMessageBytes >> 20) MiB (\(maxMessageBytes) bytes)" }
}
