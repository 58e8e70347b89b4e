import ArgumentParser
import Client
import Foundation
import Schema
import Wire

/// `kubusctl cp SRC DEST` with one side `[namespace/]pod:path`: files and folders through `tar` in the container
/// over exec, as kubectl cp does (the container needs `tar`; busybox has it).
struct CpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Copy files and directories to and from containers.",
        discussion: """
            kubusctl cp ./site web-0:/usr/share/nginx/html; kubusctl cp demo/web-0:/var/log/nginx ./logs. \
            Symbolic links in the container are skipped, as in kubectl.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "SOURCE: a local path or [namespace/]pod:path") var source: String
    @Argument(help: "DESTINATION: a local path or [namespace/]pod:path") var destination: String

    @Option(name: [.short, .long], help: "The container; by default the pod's default or first one.")
    var container: String?

    func run() async throws {
        try await Console.run {
            let from = try CopySpec(source)
            let to = try CopySpec(destination)
            let upload = try CopySpec.direction(from, to)
            let remote = upload ? to : from
            let client = try global.client()
            let namespace = remote.namespace ?? global.resolvedNamespace
            let pod = try await client.get(kind: "Pod", namespace: namespace, name: remote.pod!)
            let chosen = try ContainerChoice.resolve(pod, requested: container)
            if let notice = chosen.notice { Console.err(notice) }
            try ContainerChoice.requireRunning(pod, container: chosen.name)
            let call = KubeletCall(
                bus: client.bus, node: try ContainerChoice.node(of: pod),
                timeout: max(.seconds(5), global.requestDuration))
            let exec = RemoteCommand(call: call, namespace: namespace, pod: pod.name, container: chosen.name)
            if upload {
                try await copyToPod(from.path, to.path, exec: exec)
            } else {
                try await copyFromPod(from.path, to.path, exec: exec)
            }
        }
    }

    /// Local → container: `tar -xmf - -C DIR` fed with the files, named as the destination.
    func copyToPod(_ local: String, _ remote: String, exec: RemoteCommand) async throws {
        var target = remote
        if target.hasSuffix("/") {
            target += (local as NSString).lastPathComponent
        } else if try await exec.run(["test", "-d", target]).exitCode == 0 {
            // An existing folder: the source goes inside it.
            target += "/" + (local as NSString).lastPathComponent
        }
        let name = (target as NSString).lastPathComponent
        let folder = (target as NSString).deletingLastPathComponent
        let archive = TarArchive.write(try CopyFiles.entries(from: local, as: name))
        var command = ["tar", "-xmf", "-"]
        if !folder.isEmpty { command += ["-C", folder] }
        let result = try await exec.run(command, input: archive)
        guard result.exitCode == 0 else { throw CtlError("command terminated with exit code \(result.exitCode)") }
    }

    /// Container → local: `tar cf - PATH`, unpacked under the destination (links skipped with a warning).
    func copyFromPod(_ remote: String, _ local: String, exec: RemoteCommand) async throws {
        let result = try await exec.run(["tar", "cf", "-", remote])
        guard result.exitCode == 0 else { throw CtlError("command terminated with exit code \(result.exitCode)") }
        let fileManager = FileManager.default
        var destination = local
        var isDirectory: ObjCBool = false
        let entries = try TarArchive.read(result.stdout)
        if entries.count == 1, entries[0].kind == .file,
            fileManager.fileExists(atPath: local, isDirectory: &isDirectory), isDirectory.boolValue
        {
            destination = local + "/" + (remote as NSString).lastPathComponent
        }
        for (path, entry) in try CopyFiles.destinations(of: entries, source: remote, destination: destination) {
            switch entry.kind {
            case .directory:
                try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
            case .file:
                try fileManager.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard
                    fileManager.createFile(
                        atPath: path, contents: entry.data, attributes: [.posixPermissions: entry.mode])
                else { throw CtlError("open \(path): cannot create the file") }
            case .symlink(let target):
                Console.err("warning: skipping symlink: \"\(path)\" -> \"\(target)\"")
            case .other:
                Console.err("warning: skipping \(entry.name): not a file or folder")
            }
        }
    }
}

/// A command run in a container through the kubelet's exec, its input sent and its output collected.
struct RemoteCommand: Sendable {
    let call: KubeletCall
    let namespace: String
    let pod: String
    let container: String

    /// Runs `command` with `input` on stdin; returns stdout and the exit code, stderr goes to ours.
    func run(_ command: [String], input: Data? = nil) async throws -> (stdout: Data, exitCode: Int32) {
        let start = try await call.request(
            "exec.start",
            ExecStartRequest(
                namespace: namespace, pod: pod, container: container, command: command, stdin: input != nil),
            as: ExecStartReply.self)
        let session = start.session
        let collected = OutputCollector()
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                while true {
                    let reply = try await call.request(
                        "exec.io", ExecIORequest(session: session, waitMillis: 500), as: ExecIOReply.self)
                    collected.add(reply)
                    if let code = reply.exitCode { return Int32(truncatingIfNeeded: code) }
                }
            }
            if let input {
                group.addTask {
                    let chunk = 48 * 1024
                    var offset = 0
                    while offset < input.count {
                        let end = min(offset + chunk, input.count)
                        let reply = try await call.request(
                            "exec.io",
                            ExecIORequest(
                                session: session, stdin: input[offset..<end].base64EncodedString(), waitMillis: 0),
                            as: ExecIOReply.self)
                        collected.add(reply)
                        if let code = reply.exitCode { return Int32(truncatingIfNeeded: code) }
                        offset = end
                    }
                    let reply = try await call.request(
                        "exec.io", ExecIORequest(session: session, closeStdin: true, waitMillis: 0),
                        as: ExecIOReply.self)
                    collected.add(reply)
                    return reply.exitCode.map { Int32(truncatingIfNeeded: $0) }
                }
            }
            while let result = try await group.next() {
                if let code = result {
                    group.cancelAll()
                    return (collected.stdout, code)
                }
            }
            return (collected.stdout, 0)
        }
    }
}

/// Gathers stdout from exec replies arriving on several tasks; stderr is written through.
final class OutputCollector: Sendable {
    private let buffer = NSLock()
    nonisolated(unsafe) private var data = Data()

    func add(_ reply: ExecIOReply) {
        buffer.withLock {
            if let out = Data(base64Encoded: reply.stdout) { data += out }
            if let err = Data(base64Encoded: reply.stderr), !err.isEmpty { FileHandle.standardError.write(err) }
        }
    }

    var stdout: Data { buffer.withLock { data } }
}
