import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension ProcessRuntime {
    public func exec(_ id: String, command: [String], tty: Bool, stdin: Bool) async throws -> any ExecProcess {
        guard !command.isEmpty else { throw RuntimeError("exec: a command is required") }
        guard let current = status(of: id) else { throw RuntimeError("container \(id) not found") }
        guard current.state == .running, let pid = current.pid else {
            throw RuntimeError("container \(current.name) is not running (state \(current.state.rawValue))")
        }
        let files = StateFiles(directory: directory(of: id))
        let config = files.data("config.json").flatMap { try? JSONDecoder().decode(ContainerConfig.self, from: $0) }
        let image = files.data("image.json").flatMap { try? JSONDecoder().decode(ResolvedImage.self, from: $0) }
        var arguments = ["exec", "--pid", String(pid), "--dir", directory(of: id)]
        if tty { arguments.append("--tty") }
        if let cwd = config?.workingDir ?? image?.workingDir, !cwd.isEmpty { arguments += ["--cwd", cwd] }
        arguments.append("--")
        arguments += command
        // The command dies with the shim (PR_SET_PDEATHSIG), so killing the shim is enough.
        return try HostExecProcess.start(argv: [shimPath] + arguments, tty: tty, stdin: stdin)
    }
}
