import Foundation
import Testing
import UpKit

#if canImport(Glibc)
    import Glibc
#endif

/// The built `kubus` runs every program kubus-up hosts in it, picked by argv[0] as kubus-up starts them or by the
/// first argument, and names the process after the program.
@Suite(.timeLimit(.minutes(2)))
struct MultiCallBinaryTests {
    /// Runs `kubus` with `argv0` and `arguments`, output into a file; returns the exit status and the output.
    func run(argv0: String?, _ arguments: [String]) throws -> (Int32, String) {
        let bin = try TestCluster.binaryFolder()
        let log = NSTemporaryDirectory() + "kubus-multicall-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let pid = try ProcessSpawner.spawn(
            executable: bin + "/kubus", arguments: arguments, environment: ProcessSpawner.currentEnvironment(),
            logPath: log, argv0: argv0.map { bin + "/" + $0 })
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xff, output)
    }

    @Test(arguments: MultiCall.programs)
    func everyHostedProgramAnswersByArgv0AndByName(_ program: String) throws {
        let (byArgv0, help) = try run(argv0: program, ["--help"])
        #expect(byArgv0 == 0, "\(program) --help through argv[0]: \(help)")
        #expect(help.contains("USAGE:"), "\(help)")
        let (byName, again) = try run(argv0: nil, [program, "--help"])
        #expect(byName == 0)
        #expect(again == help)
    }

    @Test func anUnknownProgramIsRefusedWithTheList() throws {
        let (status, output) = try run(argv0: nil, ["kubus-nonesuch"])
        #expect(status == 2)
        #expect(output.contains("PROGRAM is one of kubus-up, kubus-bus"))
    }

    /// `ps` and `pgrep` see the program's name, not `kubus`.
    @Test func theProcessIsNamedAfterItsProgram() throws {
        let bin = try TestCluster.binaryFolder()
        let state = NSTemporaryDirectory() + "kubus-multicall-\(UUID().uuidString)"
        // The bus binds its sockets in `state`; without the folder it exits at once, and a test that reads
        // /proc/<pid>/exe of an exited process fails by the race.
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let pid = try ProcessSpawner.spawn(
            executable: bin + "/kubus",
            arguments: ["--insecure", "--bus", "ipc://\(state)/bus", "--state-dir", state + "/bus"],
            environment: ProcessSpawner.currentEnvironment(), logPath: nil, argv0: bin + "/kubus-bus")
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        var name = ""
        for _ in 0..<100 {
            name = ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if name == "kubus-bus" { break }
            usleep(20_000)
        }
        #expect(name == "kubus-bus")
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        #expect(exe.hasSuffix("/kubus"))
    }
}
