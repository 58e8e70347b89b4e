import Foundation
import Logging
import Testing

@testable import Kubelet

/// Runs busybox containers with the real runc: root only, and only where runc, umoci and busybox-static exist.
@Suite(
    .serialized, .timeLimit(.minutes(2)), .enabled(if: RuncFixture.unavailableReason == nil, RuncFixture.skipComment))
struct RuncRuntimeTests {
    @Test func echoCompletesAndLogsToTheCRIFile() async throws {
        try await RuncFixture.with { fixture in
            _ = try await fixture.runtime.pullImage("busybox")  // unpack first: time only the start
            let clock = ContinuousClock()
            let begin = clock.now
            let id = try await fixture.start(argv: ["echo", "hello"])
            print("runc runtime: startContainer took \(clock.now - begin)")
            let status = try await fixture.waitExited(id)
            #expect(status.state == .exited)
            #expect(status.exitCode == 0)
            #expect(status.reason == "Completed")
            #expect(status.imageID.hasPrefix("busybox@sha256:"))
            let log = fixture.log(id)
            #expect(log.contains(" stdout F hello\n"), "log: \(log)")
        }
    }

    @Test func exitCodeEnvAndArgsReachTheProcess() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(
                argv: ["sh", "-c", "echo \"$GREETING $*\"; echo oops >&2; exit 3", "sh", "a", "b"],
                env: [EnvPair(name: "GREETING", value: "hi there")])
            let status = try await fixture.waitExited(id)
            #expect(status.exitCode == 3)
            #expect(status.reason == "Error")
            let log = fixture.log(id)
            #expect(log.contains(" stdout F hi there a b\n"), "log: \(log)")
            #expect(log.contains(" stderr F oops\n"), "log: \(log)")
        }
    }

    @Test func missingExecutableCannotRun() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(argv: ["no-such-program"])
            let status = try await fixture.waitExited(id)
            #expect(status.reason == "ContainerCannotRun")
            #expect(status.exitCode != 0)
            #expect(status.message?.contains("no-such-program") == true, "message: \(status.message ?? "nil")")
        }
    }

    @Test func bindMountsAreVisibleAndReadOnlyWhenAsked() async throws {
        try await RuncFixture.with { fixture in
            let volume = fixture.root + "/volume"
            try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
            try Data("from the host\n".utf8).write(to: URL(fileURLWithPath: volume + "/file"))
            let id = try await fixture.start(
                argv: ["sh", "-c", "cat /data/file; cat /ro/file; echo x > /data/new; echo x > /ro/new || echo ro"],
                mounts: [
                    MountSpec(hostPath: volume, containerPath: "/data"),
                    MountSpec(hostPath: volume, containerPath: "/ro", readOnly: true),
                ])
            let status = try await fixture.waitExited(id)
            #expect(status.exitCode == 0)
            let log = fixture.log(id)
            #expect(log.components(separatedBy: " stdout F from the host\n").count == 3, "log: \(log)")
            #expect(log.contains(" stdout F ro\n"), "log: \(log)")
            #expect(FileManager.default.fileExists(atPath: volume + "/new"))
        }
    }

    @Test func containersOfOneImageDoNotSeeEachOthersWrites() async throws {
        try await RuncFixture.with { fixture in
            let script = "cat /tmp/mark 2>/dev/null || echo none; echo $NAME > /tmp/mark; echo $NAME > /etc/motd"
            let first = try await fixture.start(argv: ["sh", "-c", script], env: [EnvPair(name: "NAME", value: "one")])
            _ = try await fixture.waitExited(first)
            let second = try await fixture.start(
                argv: ["sh", "-c", script], env: [EnvPair(name: "NAME", value: "two")], name: "other")
            _ = try await fixture.waitExited(second)
            #expect(fixture.log(first).contains(" stdout F none\n"))
            #expect(fixture.log(second).contains(" stdout F none\n"), "the second container saw the first one's file")
            let image = try await fixture.runtime.pullImage("busybox")
            let rootfs = try #require(image.rootfs)
            #expect(!FileManager.default.fileExists(atPath: rootfs + "/tmp/mark"), "a container wrote into the image")
            #expect(!FileManager.default.fileExists(atPath: rootfs + "/etc/motd"))
        }
    }

    @Test func stopHonoursATermTrapWithinTheGracePeriod() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(
                argv: ["sh", "-c", "trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.1; done"])
            try await fixture.waitForLog(id, " stdout F ready\n")
            try await fixture.runtime.stopContainer(id, gracePeriod: .seconds(20))
            let status = try #require(await fixture.runtime.containerStatus(id))
            #expect(status.state == .exited)
            #expect(status.exitCode == 0)
            #expect(fixture.log(id).contains(" stdout F bye\n"))
        }
    }

    @Test func stopKillsAProcessThatIgnoresTerm() async throws {
        try await RuncFixture.with { fixture in
            // pid 1 of a pid namespace ignores signals it has no handler for.
            let id = try await fixture.start(argv: ["sleep", "1000"])
            try await fixture.runtime.stopContainer(id, gracePeriod: .milliseconds(300))
            let status = try #require(await fixture.runtime.containerStatus(id))
            #expect(status.state == .exited)
            #expect(status.exitCode == 137)
            try await fixture.runtime.stopContainer(id, gracePeriod: .seconds(1))  // idempotent
        }
    }

    @Test func execRunsInsideTheContainer() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(
                argv: ["sleep", "1000"], hostsFile: "127.0.0.1 localhost\n10.244.1.5 web\n",
                resolvConf: "nameserver 10.96.0.10\n")
            let status = try #require(await fixture.runtime.containerStatus(id))
            #expect(status.state == .running)
            #expect(status.pid != nil)

            let process = try await fixture.runtime.exec(
                id, command: ["cat", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf"], tty: false, stdin: false)
            var output: [UInt8] = []
            while let chunk = await process.read() { output += chunk.bytes }
            #expect(await process.wait() == 0)
            #expect(
                String(decoding: output, as: UTF8.self)
                    == "web\n127.0.0.1 localhost\n10.244.1.5 web\nnameserver 10.96.0.10\n")

            let failing = try await fixture.runtime.exec(id, command: ["sh", "-c", "exit 7"], tty: false, stdin: false)
            while await failing.read() != nil {}
            #expect(await failing.wait() == 7)

            let input = try await fixture.runtime.exec(id, command: ["cat"], tty: false, stdin: true)
            try await input.write(Array("through stdin\n".utf8))
            await input.closeStdin()
            var echoed: [UInt8] = []
            while let chunk = await input.read() { echoed += chunk.bytes }
            #expect(await input.wait() == 0)
            #expect(String(decoding: echoed, as: UTF8.self) == "through stdin\n")

            let terminal = try await fixture.runtime.exec(
                id, command: ["sh", "-c", "tty; stty size"], tty: true, stdin: true)
            await terminal.resize(rows: 33, cols: 101)
            var screen: [UInt8] = []
            while let chunk = await terminal.read() { screen += chunk.bytes }
            #expect(await terminal.wait() == 0)
            #expect(
                String(decoding: screen, as: UTF8.self).contains("/dev/pts/"),
                "\(String(decoding: screen, as: UTF8.self))")
        }
    }

    @Test func memoryLimitExceededIsOOMKilled() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(
                argv: ["dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"], memoryLimit: 32 << 20)
            let status = try await fixture.waitExited(id)
            #expect(status.reason == "OOMKilled")
            #expect(status.exitCode == 137)
        }
    }

    @Test func removeStopsARunningContainer() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(argv: ["sleep", "1000"])
            let pid = try #require(await fixture.runtime.containerStatus(id)?.pid)
            try await fixture.runtime.removeContainer(id)
            #expect(await fixture.runtime.containerStatus(id) == nil)
            #expect(!RuncRuntime.isContainerProcess(pid, id: id))
            try await fixture.runtime.removeContainer(id)  // idempotent
        }
    }

    @Test func aNewRuntimeReadoptsRunningContainers() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(argv: ["sleep", "1000"])
            let second = fixture.makeRuntime()
            let listed = await second.listContainers()
            let found = try #require(listed.first { $0.id == id })
            #expect(found.state == .running)
            #expect(found.podUID == fixture.podUID && found.name == "app")
            try await second.stopContainer(id, gracePeriod: .milliseconds(200))
            #expect(await second.containerStatus(id)?.state == .exited)
            try await second.removeContainer(id)
            #expect(await fixture.runtime.containerStatus(id) == nil)
            #expect(await second.listContainers().isEmpty)
            let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
            #expect(!mounts.contains(fixture.root))
            #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/kubus/\(fixture.podUID)"))
        }
    }

    @Test func ttyContainerGetsATerminalAndLogsIt() async throws {
        try await RuncFixture.with { fixture in
            let id = try await fixture.start(argv: ["sh", "-c", "tty; echo \"term=$TERM\"; exit 4"], tty: true)
            let status = try await fixture.waitExited(id)
            #expect(status.exitCode == 4)
            let log = fixture.log(id)
            #expect(log.contains("/dev/pts/") && log.contains("term=xterm"), "log: \(log)")
            #expect(!log.contains("^@"), "log: \(log)")

            // An interactive shell waits on its terminal (no end-of-file) until it is stopped.
            let shell = try await fixture.start(argv: ["sh"], name: "shell", tty: true)
            try await fixture.waitForLog(shell, "built-in shell")  // the banner of an interactive ash
            #expect(await fixture.runtime.containerStatus(shell)?.state == .running)
            try await fixture.runtime.stopContainer(shell, gracePeriod: .milliseconds(300))
            #expect(await fixture.runtime.containerStatus(shell)?.state == .exited)
        }
    }

    @Test func joinsThePodNetworkNamespace() async throws {
        try await RuncFixture.with { fixture in
            let namespace = "kubus-runc-test-\(UInt32.random(in: 0...UInt32.max))"
            let added = try await HostCommand.run(["/usr/sbin/ip", "netns", "add", namespace])
            try #require(added.succeeded, "ip netns add: \(added.stderrText)")
            do {
                _ = try await HostCommand.run([
                    "/usr/sbin/ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up",
                ])
                let id = try await fixture.start(
                    argv: ["sh", "-c", "ip -o link | cut -d: -f2"], networkNamespacePath: "/run/netns/\(namespace)")
                let status = try await fixture.waitExited(id)
                #expect(status.exitCode == 0)
                let interfaces = fixture.log(id).split(separator: "\n").map { $0.split(separator: " ").last ?? "" }
                #expect(interfaces == ["lo"], "log: \(fixture.log(id))")
            } catch {
                _ = try? await HostCommand.run(["/usr/sbin/ip", "netns", "del", namespace])
                throw error
            }
            _ = try await HostCommand.run(["/usr/sbin/ip", "netns", "del", namespace])
        }
    }

    @Test func unknownImageIsAnImagePullError() async throws {
        try await RuncFixture.with { fixture in
            await #expect(throws: ImagePullError.self) { _ = try await fixture.runtime.pullImage("nginx:0.0.1") }
            await #expect(throws: ImagePullError.self) { _ = try await fixture.runtime.pullImage("busybox:0.0.1") }
        }
    }
}

/// A temp folder with the busybox image built into it and a RuncRuntime on it; removes everything afterwards.
struct RuncFixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let shimPath = repository + "/.build/debug/kubus-shim"

    static let unavailableReason: String? = {
        if getuid() != 0 { return "the runc runtime tests need root (runc, overlay mounts, cgroups)" }
        for tool in ["/usr/sbin/runc", "/usr/bin/umoci", "/bin/busybox"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is missing; scripts/setup.sh installs runc, umoci and busybox-static"
        }
        if !FileManager.default.isExecutableFile(atPath: shimPath) { return "\(shimPath) is missing; run swift build" }
        return nil
    }()
    static var skipComment: Comment { Comment(rawValue: unavailableReason ?? "") }

    /// The busybox layout, built once per test run into the build folder (a build product, read-only to the tests:
    /// each test unpacks it into its own cache). The script returns at once when the layout is up to date.
    static let builtImages = Task<String, any Error> {
        let images = repository + "/.build/kubus-test-images"
        let build = try await HostCommand.run([repository + "/scripts/build-busybox-image.sh", images])
        guard build.succeeded else { throw RuntimeError("build-busybox-image.sh failed: \(build.stderrText)") }
        return images
    }

    let root: String
    let podUID = "\(UUID().uuidString.lowercased())"
    let runtime: RuncRuntime
    let store: OCIImageStore

    var stateDirectory: String { root + "/state" }

    static func with(_ body: (RuncFixture) async throws -> Void) async throws {
        let root = "/tmp/kubus-runc-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var failure: (any Error)?
        do {
            let images = try await builtImages.value
            let store = OCIImageStore(
                imageDirectories: [images], cacheDirectory: root + "/state/images", logger: Logger(label: "test"))
            let fixture = RuncFixture(root: root, store: store)
            try await body(fixture)
        } catch {
            failure = error
        }
        await RuncRuntime.removeAll(stateDirectory: root + "/state")
        try? RuncRuntime.unmountAll(under: root)
        try? FileManager.default.removeItem(atPath: root)
        if let failure { throw failure }
    }

    private init(root: String, store: OCIImageStore) {
        self.root = root
        self.store = store
        self.runtime = RuncRuntime(
            stateDirectory: root + "/state", shimPath: Self.shimPath, imageStore: store, logger: Logger(label: "test"))
    }

    func makeRuntime() -> RuncRuntime {
        RuncRuntime(
            stateDirectory: stateDirectory, shimPath: Self.shimPath, imageStore: store, logger: Logger(label: "test"))
    }

    func logPath(_ name: String) -> String { root + "/logs/\(name).log" }

    func start(
        argv: [String], env: [EnvPair] = [], mounts: [MountSpec] = [], name: String = "app",
        memoryLimit: Int64? = nil, tty: Bool = false, networkNamespacePath: String? = nil,
        hostsFile: String? = nil, resolvConf: String? = nil
    ) async throws -> String {
        let image = try await runtime.pullImage("busybox")
        let config = ContainerConfig(
            podUID: podUID, podNamespace: "default", podName: "web", name: name, attempt: 0, argv: argv, env: env,
            mounts: mounts, hostname: "web", networkNamespacePath: networkNamespacePath, hostsFile: hostsFile,
            resolvConf: resolvConf, logPath: logPath(name),
            memoryLimitBytes: memoryLimit, tty: tty, image: "busybox")
        return try await runtime.startContainer(config, image: image)
    }

    func log(_ id: String) -> String {
        guard let status = RuncRuntime.readRecord(stateDirectory + "/containers/" + id) else { return "" }
        return (try? String(contentsOfFile: status.config.logPath, encoding: .utf8)) ?? ""
    }

    /// Waits for the container to exit; the suite's time limit bounds the wait.
    func waitExited(_ id: String) async throws -> RuntimeContainerStatus {
        while true {
            let status = try #require(await runtime.containerStatus(id))
            if status.state == .exited { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func waitForLog(_ id: String, _ text: String) async throws {
        while !log(id).contains(text) { try await Task.sleep(for: .milliseconds(20)) }
    }
}
