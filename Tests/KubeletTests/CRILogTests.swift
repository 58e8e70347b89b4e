import Foundation
import Testing

@testable import Kubelet

@Suite struct CRILogTests {
    private static let sample = """
        2026-11-25T12:00:00.000000001Z stdout F hello
        2026-11-25T12:00:00.000000002Z stderr F oops
        2026-11-25T12:00:00.000000003Z stdout P part one,
        2026-11-25T12:00:00.000000004Z stdout P  two,
        2026-11-25T12:00:00.000000005Z stdout F  three
        2026-11-25T12:00:00.000000006Z stdout F 

        """

    @Test func parsesRecords() throws {
        let record = try #require(CRILog.parse(line: "2026-11-25T12:00:00.5Z stderr P a b  c"))
        #expect(record.timestamp == "2026-11-25T12:00:00.5Z")
        #expect(record.stream == .stderr)
        #expect(record.partial)
        #expect(record.content == "a b  c")
        #expect(CRILog.parse(line: "not a log line") == nil)
        #expect(CRILog.parse(line: "2026-11-25T12:00:00Z stdout F")?.content == "")
    }

    @Test func joinsPartialRecords() {
        let chunk = CRILog.parse(data: Array(Self.sample.utf8))
        #expect(chunk.text() == "hello\noops\npart one, two, three\n\n")
        #expect(chunk.nextOffset == Int64(Self.sample.utf8.count))
        #expect(chunk.lines[2].timestamp == "2026-11-25T12:00:00.000000003Z")
    }

    @Test func holdsBackAnIncompleteLineUntilFlushed() {
        let text = "2026-11-25T12:00:00Z stdout F done\n2026-11-25T12:00:01Z stdout P wait\n2026-11-25T12:00:02Z std"
        let chunk = CRILog.parse(data: Array(text.utf8))
        #expect(chunk.text() == "done\n")
        #expect(chunk.nextOffset == Int64("2026-11-25T12:00:00Z stdout F done\n".utf8.count))
        #expect(CRILog.parse(data: Array(text.utf8), flushPartial: true).text() == "done\nwait\n")
    }

    @Test func readsTailsAndContinuesFromAnOffset() throws {
        let path = NSTemporaryDirectory() + "kubus-crilog-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.sample.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CRILog.read(path: path, tailLines: 2).text() == "part one, two, three\n\n")
        #expect(
            try CRILog.read(path: path, stream: .stderr).text(timestamps: true)
                == "2026-11-25T12:00:00.000000002Z oops\n")
        let first = try CRILog.read(path: path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-11-25T12:00:01Z stdout F more\n".utf8))
        try handle.close()
        let next = try CRILog.read(path: path, from: first.nextOffset)
        #expect(next.text() == "more\n")
        #expect(try CRILog.read(path: path, from: next.nextOffset).lines.isEmpty)
        #expect(try CRILog.read(path: path + ".missing").lines.isEmpty)
    }

    @Test func parsesTimestamps() throws {
        let date = try #require(CRILog.date(fromTimestamp: "2026-11-25T12:00:00.250000000Z"))
        #expect(date.timeIntervalSince1970 == 1_795_608_000.25)
        let offset = try #require(CRILog.date(fromTimestamp: "2026-11-25T13:00:00+01:00"))
        #expect(offset.timeIntervalSince1970 == 1_795_608_000)
    }
}
