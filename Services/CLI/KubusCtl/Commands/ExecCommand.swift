import ArgumentParser
import Bus
import Client
import Foundation
import Schema
import Wire

/// `kubusctl exec POD [-c C] [-i] [-t] -- CMD...`: exit status is the command's.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Execute a command in a container.")

    @OptionGroup var global: GlobalOptions

    @Option(name: [.short, .long], help: "The container; may be omitted when the pod has one.")
    var container: String?

    @Flag(name: [.short, .customLong("stdin")], help: "Pass stdin to the container.")
    var interactive = false

    @Flag(name: [.short, .long], help: "Stdin is a TTY.")
    var tty = false

    @Argument(help: "POD, pod/NAME or TYPE/NAME (deploy/web: one of its pods, as kubectl picks it).")
    var pod: String

    @Option(
        name: .customLong("pod-running-timeout"),
        help: ArgumentHelp("How long to wait for a workload's first pod (Go duration).", valueName: "duration"))
    var podRunningTimeout = GoDuration(.seconds(60), text: "1m0s")

    @Argument(parsing: .postTerminator, help: "-- COMMAND [ARG...]")
    var command: [String] = []

    func run() async throws {
        var exitCode: Int32 = 0
        try await Console.run {
            guard !command.isEmpty else { throw CtlError("you must specify at least one command for the container") }
            let client = try global.client()
            let namespace = global.resolvedNamespace
            let object = try await PodPicker.pods(
                for: pod, namespace: namespace, verb: "exec into", timeout: podRunningTimeout, client: client,
                order: PodPicker.byActivity)[0]
            let name = object.name
            let resolved = try ContainerChoice.resolve(object, requested: container)
            if let notice = resolved.notice { Console.err(notice) }
            let chosen = resolved.name
            try ContainerChoice.requireRunning(object, container: chosen)
            var useTTY = tty
            if tty && !Terminal.isTerminal(0) {
                Console.err("Unable to use a TTY - input is not a terminal or the right kind of file")
                useTTY = false
            }
            let call = KubeletCall(
                bus: client.bus, node: try ContainerChoice.node(of: object),
                timeout: max(.seconds(5), global.requestDuration))
            let size = useTTY ? Terminal.size(1) : nil
            let start = try await call.request(
                "exec.start",
                ExecStartRequest(
                    namespace: namespace, pod: name, container: chosen, command: command, stdin: interactive,
                    tty: useTTY,
                    rows: size?.rows, cols: size?.cols),
                as: ExecStartReply.self)
            let session = ExecSession(call: call, id: start.session)
            if useTTY && interactive {
                exitCode = try await Terminal.withRawMode(0) { try await session.run(stdin: true, tty: true) }
            } else {
                exitCode = try await session.run(stdin: interactive, tty: useTTY)
            }
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}

/// One exec session: long polls for output, stdin forwarded as it comes, window size on SIGWINCH.
struct ExecSession: Sendable {
    let call: KubeletCall
    let id: String

    /// Runs until the command ends; returns its exit code.
    func run(stdin: Bool, tty: Bool) async throws -> Int32 {
        let output = OutputSink()
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                while true {
                    let reply = try await call.request(
                        "exec.io", ExecIORequest(session: id, waitMillis: 500), as: ExecIOReply.self)
                    output.write(reply)
                    if let code = reply.exitCode { return Int32(truncatingIfNeeded: code) }
                }
            }
            if stdin {
                group.addTask {
                    for await chunk in StdinReader.chunks() {
                        let request =
                            chunk.isEmpty
                            ? ExecIORequest(session: id, closeStdin: true, waitMillis: 0)
                            : ExecIORequest(session: id, stdin: Data(chunk).base64EncodedString(), waitMillis: 0)
                        let reply = try await call.request("exec.io", request, as: ExecIOReply.self)
                        output.write(reply)
                        if let code = reply.exitCode { return Int32(truncatingIfNeeded: code) }
                    }
                    return nil
                }
            }
            if tty {
                group.addTask {
                    for await size in Terminal.resizes(1) {
                        _ = try? await call.request(
                            "exec.io", ExecIORequest(session: id, rows: size.rows, cols: size.cols, waitMillis: 0),
                            as: ExecIOReply.self)
                    }
                    return nil
                }
            }
            while let result = try await group.next() {
                if let code = result {
                    group.cancelAll()
                    return code
                }
            }
            return 0
        }
    }
}

/// Writes exec output to stdout and stderr in arrival order.
final class OutputSink: Sendable {
    private let lock = NSLock()

    func write(_ reply: ExecIOReply) {
        lock.withLock {
            if let out = Data(base64Encoded: reply.stdout), !out.isEmpty { FileHandle.standardOutput.write(out) }
            if let err = Data(base64Encoded: reply.stderr), !err.isEmpty { FileHandle.standardError.write(err) }
        }
    }
}

/// Standard input as chunks, read on its own thread; an empty chunk marks the end of input.
enum StdinReader {
    static func chunks() -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            let thread = Thread {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = read(0, &buffer, buffer.count)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 {
                        continuation.yield([])
                        continuation.finish()
                        return
                    }
                    continuation.yield(Array(buffer[0..<n]))
                }
            }
            thread.start()
        }
    }
}
