import Dispatch
import Foundation
public import Schema

/// The dummy interface that holds kubus-dns' link-local address (169.254.20.10, the address NodeLocal DNSCache
/// uses), so the server has a host address of its own that pods reach through the service proxy's DNAT and that
/// nothing else on the host listens on. Set up and removed with iproute2; both steps are idempotent.
///
/// A kernel built without dummy interfaces (some VM kernels: `ip link add … type dummy` says "Unknown device
/// type") gets the address on the loopback interface instead, labelled `lo:<name>` so cleanup finds it.
public struct LinkLocalInterface: Sendable {
    /// kubus-dns' default interface.
    public static let defaultName = "kubus-dns0"
    /// NodeLocal DNSCache's link-local address.
    public static let defaultAddress = IPv4("169.254.20.10")!

    public var name: String
    public var address: IPv4

    public init(name: String = Self.defaultName, address: IPv4 = Self.defaultAddress) {
        self.name = name
        self.address = address
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Whether this process can set the interface up: root with iproute2 installed.
    public static var isPossible: Bool { geteuid() == 0 && ipCommand != nil }

    static var ipCommand: String? {
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// The label of the address on `lo` when the kernel has no dummy interfaces (at most 15 bytes).
    static func loopbackLabel(_ name: String) -> String { "lo:" + name.prefix(12) }

    /// `ip link add NAME type dummy` (unless it exists), `ip link set NAME up`, `ip addr replace ADDRESS/32 dev NAME`;
    /// on a kernel without dummy interfaces, `ip addr replace ADDRESS/32 dev lo label lo:NAME`. Returns where the
    /// address went.
    @discardableResult
    public func setUp() async throws -> String {
        guard let ip = Self.ipCommand else { throw Failure(description: "the ip command (iproute2) is not installed") }
        var device = name
        var label: [String] = []
        let show = try await Self.run(ip, ["-o", "link", "show", "dev", name])
        if show.status != 0 {
            let add = try await Self.run(ip, ["link", "add", name, "type", "dummy"])
            if add.output.contains("Unknown device type") || add.output.contains("Not supported") {
                device = "lo"
                label = ["label", Self.loopbackLabel(name)]
            } else if add.status != 0 && !add.output.contains("File exists") {
                throw Failure(description: "ip link add \(name) type dummy failed: \(add.output)")
            }
        }
        var steps = [["addr", "replace", "\(address)/32", "dev", device] + label]
        if device == name { steps.insert(["link", "set", name, "up"], at: 0) }
        for arguments in steps {
            let result = try await Self.run(ip, arguments)
            guard result.status == 0 else {
                throw Failure(description: "ip \(arguments.joined(separator: " ")) failed: \(result.output)")
            }
        }
        return device == name
            ? "dummy interface \(name)" : "lo (label \(Self.loopbackLabel(name)); this kernel has no dummy interfaces)"
    }

    /// `ip link del NAME`, and the addresses labelled `lo:NAME` on `lo`; nothing to do when neither exists. Returns
    /// what was removed.
    @discardableResult
    public static func remove(name: String) async throws -> [String] {
        guard let ip = ipCommand else { throw Failure(description: "the ip command (iproute2) is not installed") }
        var removed: [String] = []
        let label = loopbackLabel(name)
        let addresses = try await run(ip, ["-4", "-o", "addr", "show", "dev", "lo", "label", label])
        for line in addresses.output.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let inet = words.firstIndex(of: "inet"), inet + 1 < words.count else { continue }
            let cidr = String(words[inet + 1])
            let result = try await run(ip, ["addr", "del", cidr, "dev", "lo", "label", label])
            if result.status == 0 { removed.append("\(cidr) from lo") }
        }
        let show = try await run(ip, ["-d", "-o", "link", "show", "dev", name])
        guard show.status == 0 else { return removed }
        // Only ever remove what kubus-dns creates: a dummy interface.
        guard show.output.contains("dummy") else {
            throw Failure(description: "interface \(name) is not a dummy interface; not removing it")
        }
        let result = try await run(ip, ["link", "del", name])
        if result.status != 0 && !result.output.contains("Cannot find device") {
            throw Failure(description: "ip link del \(name) failed: \(result.output)")
        }
        if result.status == 0 { removed.append("interface \(name)") }
        return removed
    }

    /// Runs a short command off the cooperative threads; its status and combined output.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: Failure(description: "cannot run \(executable): \(error)"))
                    return
                }
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                continuation.resume(returning: (process.terminationStatus, text))
            }
        }
    }
}
