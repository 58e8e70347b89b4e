import Foundation
import Testing

@testable import KubusCtl

@Suite struct CopyTests {
    @Test func fileSpecsAsKubectlParsesThem() throws {
        #expect(try CopySpec("web-0:/tmp/x") == CopySpec(pod: "web-0", path: "/tmp/x"))
        #expect(try CopySpec("demo/web-0:/tmp/x") == CopySpec(namespace: "demo", pod: "web-0", path: "/tmp/x"))
        #expect(try CopySpec("./local/file") == CopySpec(path: "./local/file"))
        #expect(throws: CopySpec.formatError) { try CopySpec(":/tmp/x") }
        #expect(throws: CopySpec.formatError) { try CopySpec("a/b/c:/tmp/x") }
        #expect(try CopySpec.direction(CopySpec("f"), CopySpec("p:/f")))
        #expect(try !CopySpec.direction(CopySpec("p:/f"), CopySpec("f")))
        #expect(throws: CtlError("one of src or dest must be a local file specification")) {
            try CopySpec.direction(CopySpec("p:/f"), CopySpec("q:/f"))
        }
        #expect(throws: CtlError("one of src or dest must be a remote file specification")) {
            try CopySpec.direction(CopySpec("f"), CopySpec("g"))
        }
        #expect(throws: CtlError("filepath can not be empty")) { try CopySpec.direction(CopySpec("f"), CopySpec("p:")) }
    }

    @Test func tarRoundTrip() throws {
        let longName = "dir/" + String(repeating: "a", count: 120) + "/" + String(repeating: "b", count: 90)
        let veryLong = String(repeating: "c", count: 180)
        let entries: [TarArchive.Entry] = [
            .init(name: "dir", kind: .directory, mode: 0o755),
            .init(name: "dir/hello.txt", kind: .file, mode: 0o644, data: Data("hello\n".utf8)),
            .init(name: "dir/empty", kind: .file, mode: 0o600),
            .init(name: "dir/link", kind: .symlink("hello.txt"), mode: 0o777),
            .init(name: longName, kind: .file, mode: 0o644, data: Data(repeating: 7, count: 1500)),
            .init(name: veryLong, kind: .file, mode: 0o644, data: Data("x".utf8)),
        ]
        let archive = TarArchive.write(entries)
        #expect(archive.count % 512 == 0)
        #expect(try TarArchive.read(archive) == entries)
    }

    @Test func theSystemTarReadsOursAndWeReadIts() throws {
        guard
            FileManager.default.isExecutableFile(atPath: "/usr/bin/tar")
                || FileManager.default.isExecutableFile(atPath: "/bin/tar")
        else { return }
        let folder = NSTemporaryDirectory() + "kubusctl-cp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/src/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("one\n".utf8).write(to: URL(fileURLWithPath: folder + "/src/a.txt"))
        try Data("two\n".utf8).write(to: URL(fileURLWithPath: folder + "/src/sub/b.txt"))
        // Ours, extracted by tar as the container would (`tar -xmf - -C DIR`).
        let archive = TarArchive.write(try CopyFiles.entries(from: folder + "/src", as: "copy"))
        try archive.write(to: URL(fileURLWithPath: folder + "/ours.tar"))
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        #expect(try shell("tar -xmf \(folder)/ours.tar -C \(folder)/out") == 0)
        #expect(FileManager.default.contents(atPath: folder + "/out/copy/sub/b.txt") == Data("two\n".utf8))
        // Theirs (`tar cf - /abs/path`), read and mapped to a destination as kubectl's untarAll does.
        #expect(try shell("tar cf \(folder)/theirs.tar \(folder)/src 2>/dev/null") == 0)
        let read = try TarArchive.read(Data(contentsOf: URL(fileURLWithPath: folder + "/theirs.tar")))
        let mapped = try CopyFiles.destinations(of: read, source: folder + "/src", destination: "/dest")
        let files = mapped.filter { $0.entry.kind == .file }.map(\.path).sorted()
        #expect(files == ["/dest/a.txt", "/dest/sub/b.txt"])
        #expect(mapped.first { $0.path == "/dest/a.txt" }?.entry.data == Data("one\n".utf8))
        // busybox's tar, the one in the pods, both ways, with a name too long for ustar.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/busybox") else { return }
        let long = String(repeating: "n", count: 150)
        try Data("long\n".utf8).write(to: URL(fileURLWithPath: folder + "/src/sub/" + long))
        try TarArchive.write(try CopyFiles.entries(from: folder + "/src", as: "bb"))
            .write(to: URL(fileURLWithPath: folder + "/ours2.tar"))
        #expect(try shell("busybox tar -xmf \(folder)/ours2.tar -C \(folder)/out") == 0)
        #expect(FileManager.default.contents(atPath: folder + "/out/bb/sub/" + long) == Data("long\n".utf8))
        #expect(try shell("cd \(folder) && busybox tar cf bb.tar src") == 0)
        let busybox = try TarArchive.read(Data(contentsOf: URL(fileURLWithPath: folder + "/bb.tar")))
        #expect(busybox.contains { $0.name == "src/sub/" + long && $0.data == Data("long\n".utf8) })
    }

    @Test func destinationsStayInsideTheTarget() throws {
        let entries: [TarArchive.Entry] = [.init(name: "etc/hosts", kind: .file, mode: 0o644, data: Data("h".utf8))]
        #expect(
            try CopyFiles.destinations(of: entries, source: "/etc/hosts", destination: "./hosts").map(\.path) == [
                "./hosts"
            ])
        #expect(throws: CtlError("tar contents corrupted")) {
            try CopyFiles.destinations(of: entries, source: "/var/log", destination: "./logs")
        }
        let escape: [TarArchive.Entry] = [.init(name: "var/log/../../x", kind: .file, mode: 0o644)]
        #expect(throws: CtlError.self) {
            try CopyFiles.destinations(of: escape, source: "/var/log", destination: "./logs")
        }
        #expect(CopyFiles.strippedPrefix("/var/log/") == "var/log")
        #expect(CopyFiles.strippedPrefix("./a/../b") == "b")
        #expect(throws: CtlError.self) { try CopyFiles.entries(from: "/no/such/file", as: "x") }
    }

    func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
