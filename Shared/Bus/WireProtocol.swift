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

    /// Largest message the broker and services accept; larger ones make libzmq drop the peer's connection.
    public static let maxMessageBytes: Int64 = 16 << 20
}
