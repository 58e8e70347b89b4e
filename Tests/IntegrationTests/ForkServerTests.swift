import Foundation
import Testing
import UpKit

#if canImport(Glibc)
    import Glibc
#endif

/// kubus-up forks the programs `kubus` hosts from one zygote (docs/operations.md, "Services forked from one
/// image"): each is kubus-up's child with its own command line, environment and working folder, at the zygote's
/// load address (so it shares the pages the zygote relocated); a command that is not hosted is still exec'd; a
/// service killed is forked again; a rebuilt binary gets a new zygote; `KUBUS_UP_FORK=0` execs everything.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ForkServerTests {
    /// A cluster of a bus, a store and a shell command, run by kubus-up from a copy of the built binaries (so the
    /// test can replace `kubus` as a rebuild would).
    final class UpCluster {
        let dir: String
        let bin: String
        let state: String
        let environment: [String: String]

        init(fork: Bool = true) throws {
            dir = NSTemporaryDirectory() + "kubus-fork-\(UUID().uuidString.prefix(8))"
            bin = dir + "/bin"
            state = dir + "/state"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            let built = try TestCluster.binaryFolder()
            for name in ["kubus", "kubus-up"] {
                try FileManager.default.copyItem(atPath: built + "/" + name, toPath: bin + "/" + name)
            }
            let file = """
                bus: ipc://\(dir)/bus
                stateDir: \(state)
                services:
                  - name: bus
                    command: kubus-bus
                    ready: bus
                  - name: store
                    command: kubus-store
                    args: [--backend, sqlite]
                    ready: store
                  - name: own
                    command: /bin/sh
                    args: [-c, "exec sleep 600"]
                """
            try file.write(toFile: dir + "/cluster.yaml", atomically: true, encoding: .utf8)
            var env = ProcessInfo.processInfo.environment
            env["KUBUS_BUS"] = nil
            env["KUBUS_UP_FORK"] = fork ? nil : "0"
            environment = env
        }

        @discardableResult
        func up(_ arguments: [String]) -> (Int32, String) {
            let out = dir + "/up-\(UUID().uuidString.prefix(6)).out"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bin + "/kubus-up")
            p.arguments = arguments
            p.environment = environment
            p.standardInput = FileHandle.nullDevice
            // A file, not a pipe: the supervisor `start` leaves behind would hold a pipe open.
            let handle = FileHandle(forWritingAtPath: out)
            p.standardOutput = handle
            p.standardError = handle
            do { try p.run() } catch { return (-1, "\(error)") }
            p.waitUntilExit()
            try? handle?.close()
            return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
        }

        func start() throws {
            let (status, out) = up(["start", "-f", dir + "/cluster.yaml", "--state-dir", state])
            guard status == 0 else { throw TestCluster.ClusterError("kubus-up start failed (\(status)): \(out)") }
        }

        func down() {
            up(["down", "--state-dir", state])
            try? FileManager.default.removeItem(atPath: dir)
        }

        var status: ClusterStatus? { StateDirectory(path: state).readStatus() }

        func pid(_ name: String) -> Int32? { status?.instances.first { $0.name == name }?.pid }

        /// Waits until `name` runs with a pid other than `old`; returns it.
        func newPid(_ name: String, other old: Int32?) async throws -> Int32 {
            for _ in 0..<150 {
                if let p = pid(name), p != old, ProcessSpawner.isAlive(p),
                    status?.instances.first(where: { $0.name == name })?.state == "running"
                {
                    return p
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw TestCluster.ClusterError("\(name) did not run again: \(String(describing: status))")
        }
    }

    static func parent(_ pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return Int32(text[text.index(after: close)...].split(separator: " ")[1])
    }

    static func nulSeparated(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    static func comm(_ pid: Int32) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The "Max core file size" line of /proc/PID/limits.
    static func coreLimit(_ pid: Int32) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("Max core file size") }.map(String.init)
    }

    /// Where `pid` has `kubus` mapped (the start of its first mapping); nil when it does not map it.
    static func loadAddress(_ pid: Int32) -> String? {
        guard let maps = try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8) else { return nil }
        return maps.split(separator: "\n").first { $0.hasSuffix("/kubus") }.map { String($0.prefix { $0 != "-" }) }
    }

    /// The supervisor's live children named kubus-zygote (one it has stopped may stay a zombie until it reaps it).
    static func zygotes(of supervisor: Int32) -> [Int32] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.filter { parent($0) == supervisor && comm($0) == "kubus-zygote" && ProcessSpawner.isAlive($0) }
    }

    @Test func hostedProgramsAreForkedFromOneZygoteAndRestartedFromIt() async throws {
        let cluster = try UpCluster()
        defer { cluster.down() }
        try cluster.start()
        let supervisor = try #require(cluster.status?.supervisorPid)
        let zygotes = Self.zygotes(of: supervisor)
        try #require(zygotes.count == 1, "one fork server under kubus-up: \(zygotes)")
        let zygote = zygotes[0]
        let zygoteAddress = try #require(Self.loadAddress(zygote))
        // kubus-up's supervisor runs from `kubus` too, and forked the zygote from its own image before main.
        #expect(Self.loadAddress(supervisor) == zygoteAddress, "the zygote was forked from the supervisor")
        #expect(Self.nulSeparated("/proc/\(zygote)/cmdline") == ["kubus-zygote"])

        for name in ["bus", "store"] {
            let pid = try #require(cluster.pid(name))
            #expect(Self.parent(pid) == supervisor, "\(name) is kubus-up's child")
            #expect(Self.loadAddress(pid) == zygoteAddress, "\(name) was forked from the zygote")
            #expect(Self.comm(pid) == "kubus-\(name)")
            let argv = Self.nulSeparated("/proc/\(pid)/cmdline")
            #expect(argv.first == cluster.bin + "/kubus-\(name)", "\(argv)")
            #expect(argv.contains("--state-dir") && argv.contains(cluster.state + "/\(name)"), "\(argv)")
            let env = Self.nulSeparated("/proc/\(pid)/environ")
            #expect(env.contains("KUBUS_SERVICE=\(name)"), "\(env)")
            let cwd = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
            #expect(cwd == cluster.state + "/\(name)")
            // Cores are kept as for an exec'd service: the supervisor's core limit.
            #expect(Self.coreLimit(pid) != nil && Self.coreLimit(pid) == Self.coreLimit(supervisor))
            // Its output goes to its own log, as with exec.
            let log = try String(contentsOfFile: cluster.state + "/logs/\(name).log", encoding: .utf8)
            #expect(log.contains("starting \(name)"))
        }
        // A command kubus does not host is exec'd as before.
        let own = try #require(cluster.pid("own"))
        #expect(Self.loadAddress(own) == nil)
        #expect(Self.parent(own) == supervisor)

        // Killed, a service is forked again by the same zygote.
        let store = try #require(cluster.pid("store"))
        kill(store, SIGKILL)
        let again = try await cluster.newPid("store", other: store)
        #expect(Self.loadAddress(again) == zygoteAddress)
        #expect(Self.zygotes(of: supervisor) == [zygote])

        // A rebuilt binary: the next service started comes from a new zygote running the new file.
        let copy = cluster.bin + "/kubus.new"
        try FileManager.default.copyItem(atPath: cluster.bin + "/kubus", toPath: copy)
        #expect(rename(copy, cluster.bin + "/kubus") == 0)
        kill(again, SIGKILL)
        let third = try await cluster.newPid("store", other: again)
        let newZygotes = Self.zygotes(of: supervisor)
        #expect(newZygotes.count == 1 && newZygotes != [zygote], "\(newZygotes)")
        let newAddress = try #require(newZygotes.first.flatMap { Self.loadAddress($0) })
        #expect(Self.loadAddress(third) == newAddress)
        #expect(!ProcessSpawner.isAlive(zygote), "the old zygote is stopped")

        // Down stops everything, the zygote too.
        cluster.up(["down", "--state-dir", cluster.state])
        for pid in [third, own, supervisor] + newZygotes {
            for _ in 0..<50 where ProcessSpawner.isAlive(pid) { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!ProcessSpawner.isAlive(pid), "\(pid) stopped")
        }
    }

    @Test func withForkingOffEveryServiceIsExecd() async throws {
        let cluster = try UpCluster(fork: false)
        defer { cluster.down() }
        try cluster.start()
        let supervisor = try #require(cluster.status?.supervisorPid)
        #expect(Self.zygotes(of: supervisor).isEmpty)
        let bus = try #require(cluster.pid("bus"))
        let store = try #require(cluster.pid("store"))
        #expect(Self.parent(bus) == supervisor)
        #expect(Self.loadAddress(bus) != nil)
        // Each exec lays the binary out afresh (where the kernel randomizes layouts).
        let aslr = (try? String(contentsOfFile: "/proc/sys/kernel/randomize_va_space", encoding: .utf8)) ?? "0"
        if aslr.trimmingCharacters(in: .whitespacesAndNewlines) != "0" {
            #expect(Self.loadAddress(bus) != Self.loadAddress(store))
        }
    }
}
