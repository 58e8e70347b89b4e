import Foundation
import Schema

/// A blocking rtnetlink socket: the handful of link, address and route requests a pod's set-up needs, without
/// starting an `ip` process for each (starting one costs more than the kernel work it asks for).
///
/// The socket lives in the network namespace of the thread that opened it, for its whole life: that is how one
/// thread configures both the host and a pod's namespace.
final class RouteNetlink {
    private let fd: Int32
    private var sequence: UInt32 = 0

    /// Opens a socket in the calling thread's network namespace.
    init() throws {
        fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Netlink.route)
        guard fd >= 0 else { throw PodNetworkError.system("open an rtnetlink socket", errno: errno) }
    }

    deinit { close(fd) }

    /// Creates a veth pair: `name` here, attached to the bridge `master` and up; its peer `peerName` inside the
    /// namespace open at `peerNamespace`.
    func addVeth(name: String, master: UInt32, peerName: String, peerNamespace: Int32) throws {
        var message = NetlinkMessage(type: Netlink.newLink, flags: Netlink.create | Netlink.exclusive)
        message.appendInterfaceInfo(index: 0, flags: Netlink.up, change: Netlink.up)
        message.attribute(Netlink.interfaceName, string: name)
        message.attribute(Netlink.master, u32: master)
        message.nested(Netlink.linkInfo) { info in
            info.attribute(Netlink.infoKind, string: "veth")
            info.nested(Netlink.infoData) { data in
                data.nested(Netlink.vethPeer) { peer in
                    peer.appendInterfaceInfo(index: 0, flags: 0, change: 0)
                    peer.attribute(Netlink.interfaceName, string: peerName)
                    peer.attribute(Netlink.namespaceFD, u32: UInt32(bitPattern: peerNamespace))
                }
            }
        }
        try execute(&message, "create the veth pair \(name)/\(peerName)")
    }

    /// Brings the link with `index` up.
    func setUp(index: UInt32, name: String) throws {
        var message = NetlinkMessage(type: Netlink.newLink, flags: 0)
        message.appendInterfaceInfo(index: Int32(index), flags: Netlink.up, change: Netlink.up)
        try execute(&message, "bring \(name) up")
    }

    /// Deletes the link `name`; false when there was none.
    @discardableResult
    func deleteLink(name: String) throws -> Bool {
        var message = NetlinkMessage(type: Netlink.deleteLink, flags: 0)
        message.appendInterfaceInfo(index: 0, flags: 0, change: 0)
        message.attribute(Netlink.interfaceName, string: name)
        do {
            try execute(&message, "delete link \(name)")
            return true
        } catch let error as NetlinkError where error.errno == ENODEV {
            return false
        }
    }

    /// Adds `address/prefix` to the link with `index`.
    func addAddress(_ address: IPv4, prefix: Int, index: UInt32, name: String) throws {
        var message = NetlinkMessage(type: Netlink.newAddress, flags: Netlink.create | Netlink.exclusive)
        message.append([UInt8(AF_INET), UInt8(prefix), 0, 0])  // ifaddrmsg: family, prefix, flags, scope
        message.append(index)
        message.attribute(Netlink.addressLocal, bytes: address.octets)
        message.attribute(Netlink.addressAddress, bytes: address.octets)
        try execute(&message, "add \(address)/\(prefix) to \(name)")
    }

    /// Adds a route to `destination` via `gateway` on the link with `index`, in the main table.
    func addRoute(_ destination: CIDR, via gateway: IPv4, index: UInt32, name: String) throws {
        var message = NetlinkMessage(type: Netlink.newRoute, flags: Netlink.create | Netlink.exclusive)
        // rtmsg: family, dst_len, src_len, tos, table main, protocol boot, scope universe, type unicast; flags.
        message.append([UInt8(AF_INET), UInt8(destination.prefix), 0, 0, 254, 3, 0, 1])
        message.append(UInt32(0))
        message.attribute(Netlink.routeDestination, bytes: destination.network.octets)
        message.attribute(Netlink.routeGateway, bytes: gateway.octets)
        message.attribute(Netlink.routeOutputInterface, u32: index)
        try execute(&message, "add the route \(destination) via \(gateway) dev \(name)")
    }

    /// Sends the request and waits for the kernel's acknowledgement.
    private func execute(_ message: inout NetlinkMessage, _ what: String) throws {
        sequence &+= 1
        message.finish(sequence: sequence)
        let sent = message.bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == message.bytes.count else { throw NetlinkError(what: what, errno: errno) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw NetlinkError(what: what, errno: n < 0 ? errno : EIO) }
            var offset = 0
            while offset + 16 <= n {
                let length = Int(buffer.load(at: offset, as: UInt32.self))
                let type = buffer.load(at: offset + 4, as: UInt16.self)
                let seq = buffer.load(at: offset + 8, as: UInt32.self)
                guard length >= 16 else { break }
                if seq == sequence, type == Netlink.error, offset + 20 <= n {
                    let code = buffer.load(at: offset + 16, as: Int32.self)
                    if code == 0 { return }
                    throw NetlinkError(what: what, errno: -code)
                }
                offset += (length + 3) & ~3
            }
        }
    }
}

/// A failed rtnetlink request.
struct NetlinkError: Error, CustomStringConvertible {
    var what: String
    var errno: Int32

    var description: String { "\(what): \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// One rtnetlink request under construction: header, fixed part, attributes.
struct NetlinkMessage {
    private(set) var bytes: [UInt8]

    init(type: UInt16, flags: UInt16) {
        bytes = []
        append(UInt32(0))  // length, set by finish
        append(type)
        append(Netlink.request | Netlink.acknowledge | flags)
        append(UInt32(0))  // sequence, set by finish
        append(UInt32(0))  // port id: the kernel fills it in
    }

    mutating func append(_ value: UInt32) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
    mutating func append(_ value: UInt16) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    /// An ifinfomsg: family unspecified, the link index, flags and which flags to change.
    mutating func appendInterfaceInfo(index: Int32, flags: UInt32, change: UInt32) {
        append([0, 0, 0, 0])  // family, padding, type
        append(UInt32(bitPattern: index))
        append(flags)
        append(change)
    }

    mutating func attribute(_ type: UInt16, bytes payload: [UInt8]) {
        append(UInt16(4 + payload.count))
        append(type)
        append(payload)
        pad()
    }

    mutating func attribute(_ type: UInt16, string: String) { attribute(type, bytes: Array(string.utf8) + [0]) }

    mutating func attribute(_ type: UInt16, u32: UInt32) {
        withUnsafeBytes(of: u32) { attribute(type, bytes: Array($0)) }
    }

    mutating func nested(_ type: UInt16, _ body: (inout NetlinkMessage) -> Void) {
        let start = bytes.count
        append(UInt16(0))
        append(type)
        var inner = NetlinkMessage(empty: ())
        body(&inner)
        append(inner.bytes)
        let length = UInt16(bytes.count - start)
        withUnsafeBytes(of: length) { bytes.replaceSubrange(start..<start + 2, with: $0) }
    }

    mutating func finish(sequence: UInt32) {
        withUnsafeBytes(of: UInt32(bytes.count)) { bytes.replaceSubrange(0..<4, with: $0) }
        withUnsafeBytes(of: sequence) { bytes.replaceSubrange(8..<12, with: $0) }
    }

    private init(empty: Void) { bytes = [] }

    private mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }
}

/// The rtnetlink numbers used here (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h), which Glibc does not
/// export to Swift.
enum Netlink {
    static let route: Int32 = 0  // NETLINK_ROUTE
    static let request: UInt16 = 0x1
    static let acknowledge: UInt16 = 0x4
    static let exclusive: UInt16 = 0x200
    static let create: UInt16 = 0x400
    static let error: UInt16 = 2
    static let newLink: UInt16 = 16
    static let deleteLink: UInt16 = 17
    static let newAddress: UInt16 = 20
    static let newRoute: UInt16 = 24
    static let up: UInt32 = 0x1  // IFF_UP
    static let interfaceName: UInt16 = 3  // IFLA_IFNAME
    static let master: UInt16 = 10  // IFLA_MASTER
    static let linkInfo: UInt16 = 18  // IFLA_LINKINFO
    static let namespaceFD: UInt16 = 28  // IFLA_NET_NS_FD
    static let infoKind: UInt16 = 1  // IFLA_INFO_KIND
    static let infoData: UInt16 = 2  // IFLA_INFO_DATA
    static let vethPeer: UInt16 = 1  // VETH_INFO_PEER
    static let addressAddress: UInt16 = 1  // IFA_ADDRESS
    static let addressLocal: UInt16 = 2  // IFA_LOCAL
    static let routeDestination: UInt16 = 1  // RTA_DST
    static let routeOutputInterface: UInt16 = 4  // RTA_OIF
    static let routeGateway: UInt16 = 5  // RTA_GATEWAY
}

extension [UInt8] {
    fileprivate func load<T: FixedWidthInteger>(at offset: Int, as type: T.Type) -> T {
        withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }
}
