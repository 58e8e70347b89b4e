import Foundation
import Testing
import UpKit

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct CrashReportsTests {
    private func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "kubus-crash-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A service killed by SIGSEGV in its state folder leaves its core there; the supervisor keeps it as
    /// crashes/core.<pid> and says so.
    @Test func aCrashedProcessLeavesItsCoreInItsStateFolder() throws {
        let kernelPattern = (try? String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8)) ?? ""
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        CrashReports.allowCoreDumps()
        let reports = CrashReports(stateDirectory: folder)
        let started = Date()
        let pid = try ProcessSpawner.spawn(
            executable: "/bin/sh", arguments: ["-c", "kill -SEGV $$"], environment: [:], logPath: nil,
            workingDirectory: folder)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        let description = ProcessSpawner.describe(waitStatus: status)
        #expect(description.hasPrefix("was killed by signal 11 (SIGSEGV)"))
        let found = reports.collect(pid: pid, since: started)
        if kernelPattern.trimmingCharacters(in: .whitespacesAndNewlines) == "core" {
            #expect(description.hasSuffix(", core dumped"))
            #expect(found == "core \(folder)/crashes/core.\(pid)")
            #expect(FileManager.default.fileExists(atPath: "\(folder)/crashes/core.\(pid)"))
        }
    }

    @Test func keepsTheNewestCoresAndSummarisesABacktrace() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reports = CrashReports(stateDirectory: folder, keep: 2)
        reports.prepare()
        for (index, pid) in [11, 12, 13].enumerated() {
            let path = "\(reports.folder)/core.\(pid)"
            _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSinceNow: Double(index - 10))], ofItemAtPath: path)
        }
        let backtrace = """

            *** Program crashed: Bad pointer dereference at 0x0000000000000008 ***

            Platform: x86_64 Linux (Debian GNU/Linux 12 (bookworm))

            Thread 3 "kubus-worker" crashed:

            0 0x000055 PodWorkers.sync(key:) + 12 in kubus-kubelet at /src/PodWorkers.swift:100:5
            1 [ra] 0x000056 KubeletService.work() + 40 in kubus-kubelet

            """
        try backtrace.write(toFile: "\(reports.folder)/kubus-kubelet-14-2026.log", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: "\(folder)/core", contents: Data("y".utf8))
        let found = try #require(reports.collect(pid: 14, since: Date()))
        #expect(
            found.hasPrefix("core \(reports.folder)/core.14; backtrace \(reports.folder)/kubus-kubelet-14-2026.log: "))
        #expect(
            found.contains(
                "Program crashed: Bad pointer dereference at 0x0000000000000008 | 0 0x000055 PodWorkers.sync(key:)"))
        let cores = try FileManager.default.contentsOfDirectory(atPath: reports.folder).filter { $0.hasPrefix("core.") }
        #expect(Set(cores) == ["core.14", "core.13"])
        #expect(reports.backtraceSetting(existing: nil) == "enable=yes,symbolicate=full,output-to=\(reports.folder)")
        #expect(reports.backtraceSetting(existing: "enable=no") == "enable=no")
    }
}
