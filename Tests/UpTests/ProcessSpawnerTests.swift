import Foundation
import Testing
import UpKit

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ProcessSpawnerTests {
    /// A child gets stdin, stdout, stderr and the descriptors it is handed, nothing else the spawner has open: the
    /// supervisor started by `out=$(kubus-up start)` must not keep the caller's pipe open while the cluster runs.
    @Test func aChildGetsOnlyTheDescriptorsItIsHanded() throws {
        let folder = NSTemporaryDirectory() + "kubus-spawn-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Two pipes whose ends are inheritable (no FD_CLOEXEC), as a caller's would be.
        var leaked: [Int32] = [0, 0]
        var handed: [Int32] = [0, 0]
        #expect(pipe(&leaked) == 0)
        #expect(pipe(&handed) == 0)
        defer { for fd in leaked + handed { close(fd) } }
        let log = folder + "/out.log"
        let pid = try ProcessSpawner.spawn(
            executable: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"], environment: [:], logPath: log,
            extraFDs: [(handed[1], 3)])
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        let listed = try String(contentsOfFile: log, encoding: .utf8).split(whereSeparator: \.isWhitespace)
            .compactMap { Int32($0) }
        // The shell's descriptors as ls saw them: the standard three and the handed one, not the leaked pipe's.
        #expect(listed.contains(3))
        #expect(Set(listed).isSubset(of: [0, 1, 2, 3]), "the child had \(listed); the leaked pipe is \(leaked)")
    }
}
