import Foundation
import Logging
import Testing

@testable import Kubelet

#if canImport(Glibc)
    import Glibc
#endif

/// Real containers through kubus-shim: needs root (namespaces, mounts, cgroups) and a built shim.
private let shimPath = ProcessRuntime.resolveShimPath()
private let canRun = getuid() == 0 && shimPath != nil
private let skipReason: Comment =
    "needs root (namespaces, mounts, cgroups) and kubus-shim built (swift build --product kubus-shim)"

/// Runs `body` with a ProcessRuntime on a fresh temp folder; removes every container, cgroup and file after.
private func withRuntime(_ body: (ProcessRuntime, String) async throws -> Void) async throws {
    let root = NSTemporaryDirectory() + "kubus-process-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer {
        ProcessRuntime.removeAll(stateDirectory: root + "/state")
        try? FileManager.default.removeItem(atPath: root)
    }
    let catalog = try ImageCatalog.load(path: repositoryRoot() + "/compose/images.yaml")
    var logger = Logger(label: "kubus.test.process")
    logger.logLevel = .warning
    let runtime = ProcessRuntime(stateDirectory: root + "/state", shimPath: shimPath!, catalog: catalog, logger: logger)
    try await body(runtime, root)
}

func repositoryRoot() -> String {
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while folder.path != "/" {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            return folder.path
        }
        folder.deleteLastPathComponent()
    }
    return FileManager.default.currentDirectoryPath
}

private func config(
    _ root: String, _ argv: [String], name: String = "c", pod: String = "p", podUID: String? = nil,
    mounts: [MountSpec] = [], memory: Int64? = nil, env: [EnvPair] = []
) -> ContainerConfig {
    ContainerConfig(
        podUID: podUID ?? "test-\(UUID().uuidString.lowercased())", podNamespace: "default", podName: pod,
        name: name, attempt: 0, argv: argv, env: env, mounts: mounts, hostname: pod,
        logPath: root + "/logs/\(pod)_\(name)_\(UUID().uuidString).log", memoryLimitBytes: memory, image: "busybox")
}

private func image(_ runtime: ProcessRuntime) async throws -> ResolvedImage {
    try await runtime.pullImage("busybox")
}

/// Waits until the container has exited (tests only: the runtime's own waits are in stopContainer).
private func waitExited(_ runtime: ProcessRuntime, _ id: String) async throws -> RuntimeContainerStatus {
    for _ in 0..<3000 {
        if let status = await runtime.containerStatus(id), status.state == .exited { return status }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw RuntimeError("container \(id) did not exit")
}

private func logText(_ status: RuntimeContainerStatus) throws -> String {
    try CRILog.read(path: status.logPath, flushPartial: true).text()
}

@Suite(.serialized, .enabled(if: canRun, skipReason)) struct ProcessRuntimeTests {
    @Test func exitZeroIsCompletedWithOutputInTheLog() async throws {
        try await withRuntime { runtime, root in
            let clock = ContinuousClock()
            let start = clock.now
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "echo hello; echo oops >&2"]), image: try await image(runtime))
            print("process runtime: startContainer took \(clock.now - start)")
            #expect(id.count == 64)
            let status = try await waitExited(runtime, id)
            #expect(status.exitCode == 0)
            #expect(status.reason == "Completed")
            #expect(status.startedAt != nil && status.finishedAt != nil)
            let log = try String(contentsOfFile: status.logPath, encoding: .utf8)
            #expect(log.contains(" stdout F hello\n"))
            #expect(log.contains(" stderr F oops\n"))
            #expect(try logText(status) == "hello\noops\n" || (try logText(status)) == "oops\nhello\n")
        }
    }

    @Test func exitThreeIsError() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "exit 3"]), image: try await image(runtime))
            let status = try await waitExited(runtime, id)
            #expect(status.exitCode == 3)
            #expect(status.reason == "Error")
        }
    }

    @Test func commandNotFoundCannotRun() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["no-such-command-kubus"]), image: try await image(runtime))
            let status = try await waitExited(runtime, id)
            #expect(status.exitCode == 127)
            #expect(status.reason == "ContainerCannotRun")
            #expect(status.message == "exec: \"no-such-command-kubus\": executable file not found in $PATH")
        }
    }

    @Test func commandIsPidOneAndSeesThePodHostname() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "echo pid=$$ host=$(hostname) etc=$(cat /etc/hostname)"], pod: "web-0"),
                image: try await image(runtime))
            let status = try await waitExited(runtime, id)
            #expect(try logText(status) == "pid=1 host=web-0 etc=web-0\n")
        }
    }

    @Test func replicasDoNotSeeEachOthersTmpAndRunFiles() async throws {
        try await withRuntime { runtime, root in
            let script =
                "cat /tmp/shared /var/run/app.pid 2>/dev/null; echo $HOSTNAME > /tmp/shared; "
                + "echo $HOSTNAME > /var/run/app.pid; sleep 0.3; cat /tmp/shared /var/run/app.pid"
            let first = try await runtime.startContainer(
                config(root, ["sh", "-c", script], pod: "a"), image: try await image(runtime))
            let second = try await runtime.startContainer(
                config(root, ["sh", "-c", script], pod: "b"), image: try await image(runtime))
            #expect(try logText(try await waitExited(runtime, first)) == "a\na\n")
            #expect(try logText(try await waitExited(runtime, second)) == "b\nb\n")
            #expect(!FileManager.default.fileExists(atPath: "/var/run/app.pid"))
        }
    }

    @Test func bindMountsAreVisibleAndReadOnlyWhenAsked() async throws {
        try await withRuntime { runtime, root in
            let volume = root + "/volume"
            try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
            try "from host".write(toFile: volume + "/data.txt", atomically: true, encoding: .utf8)
            let mounts = [
                MountSpec(hostPath: volume, containerPath: "/data"),
                MountSpec(hostPath: volume, containerPath: "/var/run/secrets/ro", readOnly: true),
            ]
            let id = try await runtime.startContainer(
                config(
                    root,
                    [
                        "sh", "-c",
                        "cat /data/data.txt; echo; echo written > /data/out.txt; "
                            + "(echo x > /var/run/secrets/ro/y) 2>/dev/null || echo read-only",
                    ],
                    mounts: mounts),
                image: try await image(runtime))
            let status = try await waitExited(runtime, id)
            #expect(try logText(status) == "from host\nread-only\n")
            #expect(try String(contentsOfFile: volume + "/out.txt", encoding: .utf8) == "written\n")
            #expect(!FileManager.default.fileExists(atPath: "/run/secrets/ro"))
        }
    }

    @Test func memoryLimitExceededIsOOMKilled() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(
                    root, ["python3", "-c", "x = bytearray(200 * 1024 * 1024); print(len(x))"],
                    memory: 32 * 1024 * 1024),
                image: try await image(runtime))
            let status = try await waitExited(runtime, id)
            #expect(status.reason == "OOMKilled")
            #expect(status.exitCode == 137)
        }
    }

    @Test func sigtermIsHonouredByATrap() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(
                    root, ["sh", "-c", "trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.05; done"]),
                image: try await image(runtime))
            try await waitForLog(runtime, id, "ready")
            try await runtime.stopContainer(id, gracePeriod: .seconds(30))
            let status = try #require(await runtime.containerStatus(id))
            #expect(status.state == .exited)
            #expect(status.exitCode == 0)
            #expect(try logText(status).hasSuffix("bye\n"))
        }
    }

    @Test func sigtermIgnoringProcessIsKilledAfterTheGracePeriod() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.05; done"]),
                image: try await image(runtime))
            try await waitForLog(runtime, id, "ready")
            try await runtime.stopContainer(id, gracePeriod: .milliseconds(300))
            let status = try #require(await runtime.containerStatus(id))
            #expect(status.state == .exited)
            #expect(status.exitCode == 137)
            #expect(status.signal == 9)
        }
    }

    @Test func execReturnsOutputAndExitCodeAndSeesTheContainersFiles() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "echo inside > /tmp/marker; echo ready; exec sleep 1000"], pod: "exec-pod"),
                image: try await image(runtime))
            try await waitForLog(runtime, id, "ready")
            let process = try await runtime.exec(
                id, command: ["sh", "-c", "cat /tmp/marker; hostname; echo err >&2; exit 7"], tty: false, stdin: false)
            var stdout = ""
            var stderr = ""
            while let (stream, bytes) = await process.read() {
                if stream == 1 { stdout += String(decoding: bytes, as: UTF8.self) }
                if stream == 2 { stderr += String(decoding: bytes, as: UTF8.self) }
            }
            #expect(await process.wait() == 7)
            #expect(stdout == "inside\nexec-pod\n")
            #expect(stderr == "err\n")

            let interactive = try await runtime.exec(id, command: ["cat"], tty: false, stdin: true)
            try await interactive.write(Array("typed\n".utf8))
            await interactive.closeStdin()
            var echoed = ""
            while let (_, bytes) = await interactive.read() { echoed += String(decoding: bytes, as: UTF8.self) }
            #expect(echoed == "typed\n")
            #expect(await interactive.wait() == 0)

            let terminal = try await runtime.exec(
                id, command: ["sh", "-c", "tty >/dev/null && echo tty-ok"], tty: true, stdin: false)
            var terminalOutput = ""
            while let (_, bytes) = await terminal.read() { terminalOutput += String(decoding: bytes, as: UTF8.self) }
            #expect(await terminal.wait() == 0)
            #expect(terminalOutput.contains("tty-ok"))

            let sized = try await runtime.exec(id, command: ["sh", "-c", "read x; stty size"], tty: true, stdin: true)
            await sized.resize(rows: 42, cols: 132)
            try await sized.write(Array("\n".utf8))
            var sizedOutput = ""
            while let (_, bytes) = await sized.read() { sizedOutput += String(decoding: bytes, as: UTF8.self) }
            #expect(await sized.wait() == 0)
            #expect(sizedOutput.contains("42 132"))
            try await runtime.stopContainer(id, gracePeriod: .zero)
        }
    }

    /// exec runs with the container's configured environment and user, as CRI does, not with what its main process
    /// left in /proc/PID/environ (nginx overwrites that with its process title; here `env -i` replaces it).
    @Test func execSeesTheConfiguredEnvironmentAndUser() async throws {
        try await withRuntime { runtime, root in
            var spec = config(
                root, ["sh", "-c", "echo ready; exec env -i sleep 1000"], pod: "env-pod",
                env: [EnvPair(name: "SECRET_USERNAME", value: "my-app")])
            spec.runAsUser = 65534
            spec.runAsGroup = 65534
            let id = try await runtime.startContainer(spec, image: try await image(runtime))
            try await waitForLog(runtime, id, "ready")
            let process = try await runtime.exec(
                id, command: ["sh", "-c", "printenv SECRET_USERNAME; id -u"], tty: false, stdin: false)
            var stdout = ""
            while let (stream, bytes) = await process.read() {
                if stream == 1 { stdout += String(decoding: bytes, as: UTF8.self) }
            }
            #expect(await process.wait() == 0)
            #expect(stdout == "my-app\n65534\n")
            try await runtime.stopContainer(id, gracePeriod: .zero)
        }
    }

    @Test func aNewRuntimeOnTheSameFolderReadoptsAndStops() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "echo ready; exec sleep 1000"]), image: try await image(runtime))
            try await waitForLog(runtime, id, "ready")
            let again = ProcessRuntime(
                stateDirectory: runtime.stateDirectory, shimPath: runtime.shimPath, catalog: runtime.catalog,
                logger: Logger(label: "kubus.test.process.again"))
            let listed = await again.listContainers()
            #expect(listed.map(\.id) == [id])
            #expect(listed.first?.state == .running)
            #expect(listed.first?.podName == "p")
            try await again.stopContainer(id, gracePeriod: .seconds(1))
            #expect(await again.containerStatus(id)?.state == .exited)
            try await again.removeContainer(id)
            #expect(await again.containerStatus(id) == nil)
            #expect(await runtime.listContainers().isEmpty)
            try await again.removeContainer(id)  // idempotent
        }
    }

    @Test func aKilledShimReportsUnknown() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "exec sleep 1000"]), image: try await image(runtime))
            let files = StateFiles(directory: runtime.directory(of: id))
            kill(pid_t(try #require(files.number("shim.pid"))), SIGKILL)
            let status = try await waitExited(runtime, id)
            #expect(status.exitCode == 255)
            #expect(status.reason == "Unknown")
        }
    }

    @Test func superviseModeLogsAndRecordsExit() async throws {
        let dir = NSTemporaryDirectory() + "kubus-supervise-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pid = try ProcessRuntime.spawn(
            shimPath!,
            arguments: ["supervise", dir, "--log", dir + "/logs/c.log", "--", "sh", "-c", "echo out; exit 4"])
        #expect(await ProcessRuntime.waitForExit(of: pid) == 0)
        let files = StateFiles(directory: dir)
        for _ in 0..<500 where !files.exists("exit") { try await Task.sleep(for: .milliseconds(10)) }
        let exit = try JSONDecoder().decode(ExitRecord.self, from: try #require(files.data("exit")))
        #expect(exit.exitCode == 4)
        #expect(exit.reason == "Error")
        #expect(files.number("pid") != nil)
        #expect(try CRILog.read(path: dir + "/logs/c.log").text() == "out\n")
    }

    @Test func pauseImageRunsTheShimsPause() async throws {
        try await withRuntime { runtime, root in
            let pause = try await runtime.pullImage("registry.k8s.io/pause:3.9")
            #expect(pause.entrypoint == [runtime.shimPath, "pause"])
            let id = try await runtime.startContainer(config(root, pause.entrypoint), image: pause)
            let status = try #require(await runtime.containerStatus(id))
            #expect(status.state == .running)
            // pid 1 drops signals it has no handler for: wait until pause has installed its SIGTERM handler.
            try await waitForHandler(pid: try #require(status.pid), signal: SIGTERM)
            try await runtime.stopContainer(id, gracePeriod: .seconds(5))
            #expect(await runtime.containerStatus(id)?.exitCode == 0)
        }
    }

    @Test func nginxServesItsDefaultPageInThePodsNetworkNamespace() async throws {
        let namespace = "kubus-test-\(UInt32.random(in: 0...UInt32.max))"
        guard run("/usr/sbin/ip", ["netns", "add", namespace]) == 0 else {
            Issue.record("cannot create network namespace \(namespace)")
            return
        }
        defer { _ = run("/usr/sbin/ip", ["netns", "delete", namespace]) }
        _ = run("/usr/sbin/ip", ["-n", namespace, "link", "set", "lo", "up"])
        try await withRuntime { runtime, root in
            let nginx = try await runtime.pullImage("nginx:1.25")
            // As the official image: /usr/share/nginx/html is served (a volume mounted there shows), requests are
            // logged on stdout, workers run as nginx.
            let html = root + "/html"
            try FileManager.default.createDirectory(atPath: html, withIntermediateDirectories: true)
            try "from a volume\n".write(toFile: html + "/index.html", atomically: true, encoding: .utf8)
            var web = config(
                root, nginx.entrypoint + nginx.cmd, name: "nginx", pod: "web",
                mounts: [MountSpec(hostPath: html, containerPath: "/usr/share/nginx/html", readOnly: true)])
            web.networkNamespacePath = "/run/netns/" + namespace
            let id = try await runtime.startContainer(web, image: nginx)
            var page = ""
            for _ in 0..<500 {
                let fetch = try await runtime.exec(
                    id, command: ["/bin/busybox", "wget", "-q", "-O", "-", "http://127.0.0.1/"], tty: false,
                    stdin: false)
                page = ""
                while let (stream, bytes) = await fetch.read() {
                    if stream == 1 { page += String(decoding: bytes, as: UTF8.self) }
                }
                if await fetch.wait() == 0 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(page == "from a volume\n")
            let workers = try await runtime.exec(
                id, command: ["sh", "-c", "ps -e -o user,args | grep '[w]orker process'"], tty: false, stdin: false)
            var listing = ""
            while let (_, bytes) = await workers.read() { listing += String(decoding: bytes, as: UTF8.self) }
            #expect(listing.contains("nginx"))
            try await runtime.stopContainer(id, gracePeriod: .seconds(10))
            let status = try #require(await runtime.containerStatus(id))
            #expect(status.state == .exited)
            #expect(try logText(status).contains("\"GET / HTTP/1.1\" 200"))
        }
    }

    /// Debian's busybox-static crashes on wget's -T (it is built without the option but still parses it into a
    /// null pointer); the image's wget, as exec and the container's PATH find it, takes -T and --timeout as
    /// busybox 1.36 does and says when time ran out. (busybox's own ash runs its built-in applet instead.)
    @Test func busyboxWgetTakesATimeout() async throws {
        try await withRuntime { runtime, root in
            let busybox = try await runtime.pullImage("busybox:1.36")
            let port = Int.random(in: 20000...40000)
            let id = try await runtime.startContainer(
                config(
                    root,
                    ["sh", "-c", "sleep 9 | nc -l -p \(port) & sleep 9 | nc -l -p \(port + 1) & echo ready; wait"]),
                image: busybox)
            try await waitForLog(runtime, id, "ready")
            for command in [
                ["wget", "-q", "-T", "1", "-O-", "http://127.0.0.1:\(port)/"],
                ["wget", "--spider", "--timeout=1", "http://127.0.0.1:\(port + 1)/"],
            ] {
                let process = try await runtime.exec(id, command: command, tty: false, stdin: false)
                var stderr = ""
                while let (stream, bytes) = await process.read() {
                    if stream == 2 { stderr += String(decoding: bytes, as: UTF8.self) }
                }
                #expect(await process.wait() == 1, "\(command)")
                #expect(stderr.hasSuffix("wget: download timed out\n"), "\(command): \(stderr)")
            }
            try await runtime.stopContainer(id, gracePeriod: .zero)
        }
    }

    /// The busybox image's /bin/sh is busybox's ash, not the host's dash.
    @Test func busyboxShellIsAsh() async throws {
        try await withRuntime { runtime, root in
            let busybox = try await runtime.pullImage("registry.k8s.io/busybox:1.27.2")
            let id = try await runtime.startContainer(
                config(root, ["/bin/sh", "-c", "[[ 1 == 1 ]] && echo -en 'a\\tb'"]), image: busybox)
            let status = try await waitExited(runtime, id)
            #expect(status.exitCode == 0)
            #expect(try logText(status) == "a\tb\n")
        }
    }

    @Test func stdinFIFOAndTerminalReachTheContainer() async throws {
        try await withRuntime { runtime, root in
            var reader = config(root, ["sh", "-c", "read line; echo got:$line"], name: "reader")
            reader.stdin = true
            let id = try await runtime.startContainer(reader, image: try await image(runtime))
            let fd = open(runtime.directory(of: id) + "/stdin", O_WRONLY)
            #expect(fd >= 0)
            let line = Array("hello\n".utf8)
            #expect(line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == line.count)
            close(fd)
            #expect(try logText(try await waitExited(runtime, id)) == "got:hello\n")

            var terminal = config(root, ["sh", "-c", "test -t 0 && test -t 1 && tty >/dev/null && echo tty-ok"])
            terminal.tty = true
            let terminalID = try await runtime.startContainer(terminal, image: try await image(runtime))
            let status = try await waitExited(runtime, terminalID)
            #expect(status.exitCode == 0)
            #expect(try logText(status) == "tty-ok\n")
        }
    }

    @Test func setupFailuresAreReportedNotThrown() async throws {
        try await withRuntime { runtime, root in
            var lost = config(root, ["true"])
            lost.networkNamespacePath = "/run/netns/kubus-test-missing-\(UInt32.random(in: 0...UInt32.max))"
            let id = try await runtime.startContainer(lost, image: try await image(runtime))
            let status = try await waitExited(runtime, id)
            #expect(status.reason == "ContainerCannotRun")
            #expect(status.exitCode == 128)
            #expect(status.message?.hasPrefix("cannot open network namespace /run/netns/kubus-test-missing-") == true)

            let broken = ProcessRuntime(
                stateDirectory: runtime.stateDirectory, shimPath: root + "/no-such-shim", catalog: runtime.catalog,
                logger: Logger(label: "kubus.test.process.broken"))
            await #expect(throws: RuntimeError.self) {
                _ = try await broken.startContainer(config(root, ["true"]), image: try await image(runtime))
            }
            #expect(await broken.listContainers().map(\.id) == [id])
        }
    }

    @Test func runsAsTheRequestedUserWithCPULimits() async throws {
        try await withRuntime { runtime, root in
            var limited = config(root, ["sh", "-c", "id -u; id -g; echo ready; exec sleep 1000"], podUID: "test-cpu")
            limited.runAsUser = 65534
            limited.runAsGroup = 65534
            limited.cpuLimitMillis = 500
            limited.cpuRequestMillis = 250
            let id = try await runtime.startContainer(limited, image: try await image(runtime))
            try await waitForLog(runtime, id, "ready")
            let cgroup = ProcessRuntime.cgroupDirectories(podUID: "test-cpu", id: id)
            if cgroup.count == 3 {
                let quota = try String(contentsOfFile: cgroup[1] + "/cpu.cfs_quota_us", encoding: .utf8)
                let shares = try String(contentsOfFile: cgroup[1] + "/cpu.shares", encoding: .utf8)
                #expect(quota.trimmingCharacters(in: .whitespacesAndNewlines) == "50000")
                #expect(shares.trimmingCharacters(in: .whitespacesAndNewlines) == "256")
            } else {
                let max = try String(contentsOfFile: cgroup[0] + "/cpu.max", encoding: .utf8)
                #expect(max.hasPrefix("50000 100000"))
            }
            try await runtime.stopContainer(id, gracePeriod: .zero)
            let status = try #require(await runtime.containerStatus(id))
            #expect(try logText(status) == "65534\n65534\nready\n")
            try await runtime.removeContainer(id)
            #expect(cgroup.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        }
    }

    @Test func longLinesAreCutAt16KiBAndJoinedByTheReader() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(root, ["sh", "-c", "head -c 40000 /dev/zero | tr '\\0' x; echo; printf tail"]),
                image: try await image(runtime))
            let status = try await waitExited(runtime, id)
            let records = try String(contentsOfFile: status.logPath, encoding: .utf8).split(separator: "\n")
                .compactMap { CRILog.parse(line: $0) }
            #expect(records.map(\.partial) == [true, true, false, true])
            #expect(records.map(\.content.count) == [16384, 16384, 40000 - 2 * 16384, 4])
            #expect(try logText(status) == String(repeating: "x", count: 40000) + "\ntail\n")
        }
    }

    @Test func removeAllKillsEveryContainerAndFreesItsCgroupsAndFolders() async throws {
        try await withRuntime { runtime, root in
            let id = try await runtime.startContainer(
                config(
                    root, ["sh", "-c", "exec sleep 1000"], podUID: "test-removeall-\(UInt32.random(in: 0...UInt32.max))"
                ),
                image: try await image(runtime))
            let status = try #require(await runtime.containerStatus(id))
            let pid = try #require(status.pid)
            let shim = try #require(StateFiles(directory: runtime.directory(of: id)).number("shim.pid"))
            let cgroups = ProcessRuntime.cgroupDirectories(podUID: status.podUID, id: id)
            ProcessRuntime.removeAll(stateDirectory: runtime.stateDirectory)
            #expect(!ProcessRuntime.processAlive(pid: pid, starttime: nil))
            #expect(!ProcessRuntime.processAlive(pid: pid_t(shim), starttime: nil))
            #expect(cgroups.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
            #expect(!FileManager.default.fileExists(atPath: runtime.directory(of: id)))
            #expect(await runtime.listContainers().isEmpty)
        }
    }

    @Test func startLatency() async throws {
        try await withRuntime { runtime, root in
            let resolved = try await image(runtime)
            let clock = ContinuousClock()
            var samples: [Duration] = []
            for index in 0..<20 {
                let start = clock.now
                _ = try await runtime.startContainer(config(root, ["true"], name: "c\(index)"), image: resolved)
                samples.append(clock.now - start)
            }
            samples.sort()
            print(
                "process runtime start latency over 20 starts: p50 \(samples[10]), p90 \(samples[18]), "
                    + "max \(samples[19])")
            #expect(samples.count == 20)
        }
    }
}

private func waitForLog(_ runtime: ProcessRuntime, _ id: String, _ text: String) async throws {
    let status = try #require(await runtime.containerStatus(id))
    for _ in 0..<3000 {
        if (try? CRILog.read(path: status.logPath).text())?.contains(text) == true { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw RuntimeError("container \(id) never logged \(text)")
}

/// Waits until `pid` catches `signal` (the SigCgt mask of /proc/P/status).
private func waitForHandler(pid: Int32, signal: Int32) async throws {
    for _ in 0..<3000 {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
            let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16),
            mask & (1 << UInt64(signal - 1)) != 0
        {
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw RuntimeError("process \(pid) never installed a handler for signal \(signal)")
}

/// Runs a host tool (test setup only) and returns its exit code.
private func run(_ executable: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    do {
        try process.run()
    } catch {
        return -1
    }
    process.waitUntilExit()
    return process.terminationStatus
}

/// The small readers every container status uses (no root needed).
@Suite struct StateFilesTests {
    @Test func integersWithWhiteSpaceAroundThem() async throws {
        try await withNetworkStateDirectory { dir in
            let files = StateFiles(directory: dir)
            let cases: [(String, Int64?)] = [(" 42\n", 42), ("-7", -7), ("1 2", nil), (" \n", nil), ("x1", nil)]
            for (text, expected) in cases {
                try StateFile.create("\(dir)/n", with: Array(text.utf8))
                #expect(files.number("n") == expected, "\(text)")
            }
        }
    }

    /// The start time is field 22 of /proc/PID/stat, also for a command name with spaces and parentheses.
    @Test func processStartTimeIsField22() throws {
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        let expected = try #require(Int64(fields[19]))
        #expect(ProcessRuntime.processStartTime(pid: getpid()) == expected)
        #expect(ProcessRuntime.processAlive(pid: getpid(), starttime: expected))
        #expect(!ProcessRuntime.processAlive(pid: getpid(), starttime: expected + 1))
        #expect(ProcessRuntime.processStartTime(pid: 0x3fff_ffff) == nil)
    }

    @Test func filesReadWholeAndAbsentOnesAreNil() async throws {
        try await withNetworkStateDirectory { dir in
            try StateFile.create("\(dir)/pid", with: Array("1234\n".utf8))
            let files = StateFiles(directory: dir)
            #expect(files.number("pid") == 1234)
            #expect(files.string("pid") == "1234\n")
            #expect(files.data("missing") == nil)
            #expect(files.number("missing") == nil)
        }
    }
}
