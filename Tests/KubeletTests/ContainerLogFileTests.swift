import Foundation
import Testing

@testable import Kubelet

@Suite struct ContainerLogFileTests {
    let sample = """
        2026-11-25T12:00:00.000000001Z stdout F hello
        2026-11-25T12:00:00.000000002Z stderr P part
        2026-11-25T12:00:00.000000003Z stderr F ial
        2026-11-25T12:00:01.000000000Z stdout F world
        2026-11-25T12:00:02.000000000Z stdout F incomp
        """

    @Test func parsesCompleteLinesOnly() {
        let bytes = Array(sample.utf8)
        let (text, consumed) = ContainerLogFile.parse(bytes[...], timestamps: false)
        #expect(text == "hello\npartial\nworld\n")
        #expect(consumed == bytes.count - "2026-11-25T12:00:02.000000000Z stdout F incomp".utf8.count)
    }

    @Test func timestampsPrefixLines() {
        let (text, _) = ContainerLogFile.parse(Array("2026-11-25T12:00:00Z stdout F hi\n".utf8)[...], timestamps: true)
        #expect(text == "2026-11-25T12:00:00Z hi\n")
    }

    @Test func readsFromOffsetsAndTails() throws {
        let path = NSTemporaryDirectory() + "kubus-log-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (sample + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let all = ContainerLogFile.read(path: path, offset: nil, tailLines: nil, timestamps: false)
        #expect(all.text == "hello\npartial\nworld\nincomp\n")
        #expect(all.offset == ContainerLogFile.size(path))
        let tail = ContainerLogFile.read(path: path, offset: nil, tailLines: 2, timestamps: false)
        #expect(tail.text == "world\nincomp\n")
        let none = ContainerLogFile.read(path: path, offset: all.offset, tailLines: nil, timestamps: false)
        #expect(none.text.isEmpty)
    }
}
