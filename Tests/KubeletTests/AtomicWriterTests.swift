import Foundation
import Testing

@testable import Kubelet

@Suite struct AtomicWriterTests {
    func withTempDir(_ body: (String) throws -> Void) throws {
        let dir = NSTemporaryDirectory() + "kubus-aw-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func writesThroughTheDataSymlink() throws {
        try withTempDir { dir in
            let writer = AtomicWriter(directory: dir)
            #expect(
                try writer.write([
                    "a": .init(bytes: Array("1".utf8)), "sub/b": .init(bytes: Array("2".utf8), mode: 0o600),
                ]))
            #expect(read("\(dir)/a") == "1")
            #expect(read("\(dir)/sub/b") == "2")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/a") == "..data/a")
            let data = try FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/..data")
            #expect(data.hasPrefix("..20"))
            let attrs = try FileManager.default.attributesOfItem(atPath: "\(dir)/\(data)/sub/b")
            #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test func unchangedContentIsNotRewritten() throws {
        try withTempDir { dir in
            let writer = AtomicWriter(directory: dir)
            try writer.write(["a": .init(bytes: Array("1".utf8))])
            #expect(try !writer.write(["a": .init(bytes: Array("1".utf8))]))
        }
    }

    @Test func updateSwapsAndRemovesStaleKeys() throws {
        try withTempDir { dir in
            let writer = AtomicWriter(directory: dir)
            try writer.write(["a": .init(bytes: Array("1".utf8)), "old": .init(bytes: Array("x".utf8))])
            let before = try FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/..data")
            #expect(try writer.write(["a": .init(bytes: Array("2".utf8))]))
            let after = try FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/..data")
            #expect(before != after)
            #expect(read("\(dir)/a") == "2")
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/old"))
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/\(before)"))
        }
    }
}
