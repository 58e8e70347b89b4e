import Dispatch
import Foundation

/// Runs the short host commands the pod network needs (`ip`), capturing their output.
///
/// Children are started with `posix_spawn` and waited for on a Dispatch thread, so a slow command never holds one
/// of Swift concurrency's few cooperative threads.
enum NetworkCommand {
    /// The result of one command.
    struct Output: Sendable {
        var status: Int32
        /// Standard output and standard error, interleaved as the command wrote them.
        var text: String
    }

    private static let searchPath = ["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin"]

    /// The absolute path of `name`, looked up in the system folders and then in `PATH`.
    static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        for folder in searchPath + path where access("\(folder)/\(name)", X_OK) == 0 {
            return "\(folder)/\(name)"
        }
        return nil
    }

    /// Runs `executable` and throws an error quoting the command, its input and its output unless it exits 0.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> String {
        let output = try await status(executable, arguments, input: input)
        guard output.status == 0 else {
            throw failure(executable, arguments, input: input, output: output)
        }
        return output.text
    }

    /// Runs `executable` and returns its exit status and output, whatever the status.
    static func status(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(executable, arguments, input: input) })
            }
        }
    }

    /// The error for a command that failed.
    static func failure(_ executable: String, _ arguments: [String], input: String?, output: Output) -> PodNetworkError
    {
        let command = ([executable] + arguments).map(quote).joined(separator: " ")
        var message = "command \(command) failed with exit status \(output.status)"
        let text = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        message += text.isEmpty ? " and printed nothing" : ": \(text)"
        if let input, !input.isEmpty {
            let lines = input.split(separator: "\n").enumerated().map { "\($0.offset + 1): \($0.element)" }
            message += " (its input: \(lines.joined(separator: "; ")))"
        }
        return .commandFailed(message)
    }

    private static func quote(_ word: String) -> String {
        word.contains(where: { $0 == " " || $0 == "\"" }) || word.isEmpty ? "\"\(word)\"" : word
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], input: String?) throws -> Output {
        // Sockets rather than pipes: created close-on-exec atomically (so a command started at the same moment on
        // another thread cannot inherit them and hold our read open), and input sent with MSG_NOSIGNAL cannot raise
        // SIGPIPE in the kubelet when the command exits without reading it.
        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        var inSocket: [Int32] = [-1, -1]
        var outSocket: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, flags, 0, &inSocket) == 0 else {
            throw PodNetworkError.system("socketpair", errno: errno)
        }
        guard socketpair(AF_UNIX, flags, 0, &outSocket) == 0 else {
            let saved = errno
            close(inSocket[0])
            close(inSocket[1])
            throw PodNetworkError.system("socketpair", errno: saved)
        }
        let pid: pid_t
        do {
            pid = try HostCommand.spawn([executable] + arguments) { actions in
                posix_spawn_file_actions_adddup2(&actions, inSocket[0], 0)
                posix_spawn_file_actions_adddup2(&actions, outSocket[1], 1)
                posix_spawn_file_actions_adddup2(&actions, outSocket[1], 2)
            }
        } catch {
            for fd in inSocket + outSocket { close(fd) }
            throw PodNetworkError.system("start \(executable)", errno: error.code)
        }
        close(inSocket[0])
        close(outSocket[1])
        // Input is a few lines, far below a pipe's buffer, so writing it all before reading cannot deadlock.
        if let input {
            let bytes = Array(input.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes {
                    send(inSocket[1], $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
        close(inSocket[1])
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(outSocket[0], $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            collected.append(contentsOf: buffer[0..<n])
        }
        close(outSocket[0])
        let text = String(decoding: collected, as: UTF8.self)
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) >= 0 { break }
            if errno == EINTR { continue }
            // Someone else reaped the child (a process-wide SIGCHLD reaper): judge by what it printed.
            let failed = ["RTNETLINK answers", "Command failed", "Error:", "Cannot "].contains { text.contains($0) }
            return Output(status: failed ? 1 : 0, text: text)
        }
        return Output(status: HostCommand.exitStatus(status), text: text)
    }
}
