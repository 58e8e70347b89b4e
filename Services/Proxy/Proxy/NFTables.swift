import Foundation

/// Runs `nft` (Debian's nftables) for the proxy: one script per change through stdin, so each is one transaction.
public struct NFTables: Sendable {
    public let executable: String

    public init(executable: String? = nil) throws(ProxyError) {
        guard let path = executable ?? HostProgram.locate("nft") else {
            throw ProxyError("nft not found: install Debian's nftables (apt-get install nftables)")
        }
        self.executable = path
    }

    /// Applies `script` atomically; throws with nft's message and the offending lines when it refuses.
    public func apply(_ script: String) async throws(ProxyError) {
        let result = await HostProgram.run(executable, ["-f", "-"], input: script)
        guard result.status == 0 else {
            throw ProxyError("nft refused the proxy's rules (exit \(result.status)): \(result.output)")
        }
    }

    /// The table's listing, or nil when it does not exist.
    public func list(table: String) async -> String? {
        let result = await HostProgram.run(executable, ["list", "table", "ip", table])
        return result.status == 0 ? result.output : nil
    }

    /// Deletes the table if it exists.
    public func delete(table: String) async throws(ProxyError) {
        guard await list(table: table) != nil else { return }
        let result = await HostProgram.run(executable, ["delete", "table", "ip", table])
        guard result.status == 0 else { throw ProxyError("nft delete table ip \(table): \(result.output)") }
    }
}

/// A host program run to its end, off the cooperative thread pool.
enum HostProgram {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    static func locate(_ name: String) -> String? {
        for folder in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] where access("\(folder)/\(name)", X_OK) == 0 {
            return "\(folder)/\(name)"
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String], input: String? = nil) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let output = Pipe()
                let stdin = Pipe()
                process.standardOutput = output
                process.standardError = output
                process.standardInput = input == nil ? FileHandle.nullDevice : stdin
                do {
                    try process.run()
                } catch {
                    continuation.resume(returning: Result(status: -1, output: "cannot start \(executable): \(error)"))
                    return
                }
                if let input {
                    stdin.fileHandleForWriting.write(Data(input.utf8))
                    try? stdin.fileHandleForWriting.close()
                }
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(
                    returning: Result(
                        status: process.terminationStatus,
                        output: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
    }
}

/// A proxy failure, with what to do about it.
public struct ProxyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
