import Dispatch
import Foundation
import Schema

/// The dummy interface that holds kubus-dns' link-local address (169.254.20.10, the address NodeLocal DNSCache
/// uses), so the server has a host address of its own that pods reach through the service proxy's DNAT and that
/// nothing else on the host listens on. Set up and removed with iproute2; both steps are idempotent.
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
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `ip link add NAME type dummy` (unless it exists), `ip link set NAME up`, `ip addr replace ADDRESS/32 dev NAME`.
    public func setUp() async throws {
        guard let ip = Self.ipCommand else { throw Failure(description: "the ip command (iproute2) is not installed") }
        let show = try await Self.run(ip, ["-o", "link", "show", "dev", name])
        if show.status != 0 {
            let add = try await Self.run(ip, ["link", "add", name, "type", "dummy"])
            if add.status != 0 && !add.output.contains("File exists") {
                throw Failure(description: "ip link add \(name) type dummy failed: \(add.output)")
            }
        }
        for arguments in [["link", "set", name, "up"], ["addr", "replace", "\(address)/32", "dev", name]] {
            let result = try await Self.run(ip, arguments)
            guard result.status == 0 else {
                throw Failure(description: "ip \(arguments.joined(separator: " ")) failed: \(result.output)")
            }
        }
    }

    /// `ip link del NAME`; nothing to do when it does not exist. Returns whether an interface was removed.
    @discardableResult
    public static func remove(name: String) async throws -> Bool {
        guard let ip = ipCommand else { throw Failure(description: "the ip command (iproute2) is not installed") }
        let show = try await run(ip, ["-d", "-o", "link", "show", "dev", name])
        guard show.status == 0 else { return false }
        // Only ever remove what kubus-dns creates: a dummy interface.
        guard show.output.contains("dummy") else {
            throw Failure(description: "interface \(name) is not a dummy interface; not removing it")
        }
        let result = try await run(ip, ["link", "del", name])
        if result.status != 0 && !result.output.contains("Cannot find device") {
            throw Failure(description: "ip link del \(name) failed: \(result.output)")
        }
        return result.status == 0
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
