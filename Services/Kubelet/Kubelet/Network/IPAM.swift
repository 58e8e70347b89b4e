import Foundation
public import Schema

/// One address handed out by `IPAM`.
public struct IPAMAllocation: Sendable, Hashable, Codable {
    public var ip: IPv4
    public var podUID: String

    public init(ip: IPv4, podUID: String) {
        self.ip = ip
        self.podUID = podUID
    }
}

/// Hands out the addresses of a node's pod range, host-local style: one file per address, created with `O_EXCL`.
///
/// An allocation is the file `<network>/ipam/<range with _>/<ip>` holding the pod uid. Creating it with `O_EXCL` is
/// the lock: two allocators (two tasks, or a kubelet and its restarted successor) can never both create the same
/// file, so an address is never handed out twice. `.1` is the node's (gateway) address; the network and broadcast
/// addresses are never used. Allocation continues after the last address handed out, so a freed address is not
/// reused at once.
public struct IPAM: Sendable {
    /// The node's pod range (`10.244.1.0/24`).
    public let range: CIDR
    /// The folder that holds the allocation files of `range`.
    public let directory: String

    private static let lastReservedFile = "last_reserved_ip"

    /// An IPAM for `range` that keeps its files under `networkDirectory/ipam/`.
    public init(range: CIDR, networkDirectory: String) throws {
        guard range.prefix <= 30 else {
            throw PodNetworkError.invalidConfiguration(
                "pod CIDR \(range) is too small: a node's range needs at least /30 (a gateway and one pod)")
        }
        self.range = range
        self.directory = "\(networkDirectory)/ipam/\(range.fileName)"
    }

    /// The node's address, `.1` of the range; pods use it as their gateway to the service range.
    public var gateway: IPv4 { range.host(1)! }

    /// The addresses pods can get: everything but the network, gateway and broadcast addresses.
    public var capacity: UInt64 { range.size - 3 }

    /// The pod's address: the one it already holds, or a new one.
    public func allocate(podUID: String) throws -> IPv4 {
        guard !podUID.isEmpty, !podUID.contains("/"), !podUID.contains("\n") else {
            throw PodNetworkError.invalidConfiguration("invalid pod uid \"\(podUID)\"")
        }
        if let held = lookup(podUID: podUID) { return held }
        try createDirectory()
        let first: UInt64 = 2
        let last = range.size - 2
        var candidate = first
        if let hint = readString("\(directory)/\(IPAM.lastReservedFile)").flatMap({ IPv4($0) }),
            range.contains(hint)
        {
            let offset = UInt64(hint.value - range.network.value)
            candidate = offset >= last ? first : max(offset + 1, first)
        }
        for _ in 0..<(last - first + 1) {
            let ip = range.host(candidate)!
            if try claim(ip, podUID: podUID) {
                // Always 16 bytes (the longest address, padded), so it is overwritten in place.
                let hint = "\(ip)".padding(toLength: 15, withPad: " ", startingAt: 0) + "\n"
                try? StateFile.overwrite("\(directory)/\(IPAM.lastReservedFile)", with: Array(hint.utf8))
                return ip
            }
            candidate = candidate >= last ? first : candidate + 1
        }
        throw PodNetworkError.exhausted(
            "no IP addresses available in range \(range): \(capacity) pods already hold one on this node; "
                + "delete finished pods, or give the node a wider --pod-cidr")
    }

    /// The address the pod holds, if any.
    public func lookup(podUID: String) -> IPv4? {
        list().first { $0.podUID == podUID }?.ip
    }

    /// Frees every address the pod holds; returns them (empty when it held none).
    @discardableResult
    public func release(podUID: String) throws -> [IPv4] {
        var released: [IPv4] = []
        for allocation in list() where allocation.podUID == podUID {
            try release(allocation.ip)
            released.append(allocation.ip)
        }
        return released
    }

    /// Frees one address; succeeds when it was free already.
    public func release(_ ip: IPv4) throws {
        if unlink("\(directory)/\(ip)") != 0, errno != ENOENT {
            throw PodNetworkError.system("release \(ip) (remove \(directory)/\(ip))", errno: errno)
        }
    }

    /// Every address handed out now, in address order.
    public func list() -> [IPAMAllocation] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var allocations: [IPAMAllocation] = []
        for name in names {
            guard let ip = IPv4(name), range.contains(ip) else { continue }
            // An empty file is an allocation whose writer has not written yet (or died first): still taken.
            let uid = readString("\(directory)/\(name)") ?? ""
            allocations.append(IPAMAllocation(ip: ip, podUID: uid))
        }
        return allocations.sorted { $0.ip < $1.ip }
    }

    /// Removes every allocation file and the range's folder.
    public func removeAll() throws {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw PodNetworkError.invalidConfiguration("cannot remove \(directory): \(error)")
        }
    }

    private func createDirectory() throws {
        try StateFile.createDirectory(directory)
    }

    /// Creates the allocation file for `ip`; false when another pod holds it.
    private func claim(_ ip: IPv4, podUID: String) throws -> Bool {
        let path = "\(directory)/\(ip)"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw PodNetworkError.system("allocate \(ip) (create \(path))", errno: errno)
        }
        defer { close(fd) }
        let bytes = Array(podUID.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let saved = errno
            unlink(path)
            throw PodNetworkError.system("allocate \(ip) (write \(path))", errno: saved)
        }
        return true
    }

    private func readString(_ path: String) -> String? { StateFile.text(path) }
}
