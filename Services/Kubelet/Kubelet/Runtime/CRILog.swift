public import Foundation
import Schema

#if canImport(Glibc)
    import Glibc
#endif

/// Reads container logs in the CRI format: one record per line,
/// `<RFC 3339 nano timestamp> <stdout|stderr> <F|P> <content>`, where `P` records are parts of a longer line.
public enum CRILog {
    /// stdout or stderr.
    public enum Stream: String, Sendable, Hashable, Codable {
        case stdout, stderr
    }

    /// One record (one line of the file).
    public struct Record: Sendable, Hashable {
        public var timestamp: String
        public var stream: Stream
        /// `P`: the line continues in the next record of the same stream.
        public var partial: Bool
        public var content: String
    }

    /// One line of output, its partial records joined.
    public struct Line: Sendable, Hashable {
        /// The timestamp of its first record.
        public var timestamp: String
        public var stream: Stream
        public var content: String
    }

    /// What one read returned.
    public struct Chunk: Sendable, Hashable {
        public var lines: [Line]
        /// The byte offset to continue from: after the last complete line returned.
        public var nextOffset: Int64

        /// The lines as text, each newline-terminated, with `timestamp ` before each when asked.
        public func text(timestamps: Bool = false) -> String {
            var text = ""
            for line in lines {
                if timestamps {
                    text += line.timestamp
                    text += " "
                }
                text += line.content
                text += "\n"
            }
            return text
        }
    }

    /// Parses one record; nil when the line is not in the CRI format.
    public static func parse(line: Substring) -> Record? {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3 else { return nil }
        guard let stream = Stream(rawValue: String(fields[1])) else { return nil }
        let tag = fields[2]
        guard tag == "F" || tag == "P" else { return nil }
        return Record(
            timestamp: String(fields[0]), stream: stream, partial: tag == "P",
            content: fields.count > 3 ? String(fields[3]) : "")
    }

    /// Reads `path` from byte `offset`: whole lines only (a trailing line still being written waits for the next
    /// read, as do partial records not yet completed, unless `flushPartial` says the writer has finished).
    /// `tailLines` keeps the last N lines; `stream` keeps one stream.
    public static func read(
        path: String, from offset: Int64 = 0, tailLines: Int? = nil, stream: Stream? = nil,
        flushPartial: Bool = false
    ) throws -> Chunk {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if access(path, F_OK) != 0 { return Chunk(lines: [], nextOffset: offset) }
            throw CRILogError("cannot read log file \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(max(0, offset)))
        let data = try handle.readToEnd() ?? Data()
        var chunk = parse(data: Array(data), baseOffset: offset, flushPartial: flushPartial)
        if let stream { chunk.lines = chunk.lines.filter { $0.stream == stream } }
        if let tailLines, tailLines >= 0, chunk.lines.count > tailLines {
            chunk.lines = Array(chunk.lines.suffix(tailLines))
        }
        return chunk
    }

    /// Parses log bytes that start at `baseOffset` of the file (see `read`).
    public static func parse(data: [UInt8], baseOffset: Int64 = 0, flushPartial: Bool = false) -> Chunk {
        var lines: [Line] = []
        // A line being assembled from partial records: its stream, first timestamp, text so far, and start offset.
        var pending: (stream: Stream, timestamp: String, content: String, start: Int)?
        var position = 0
        var consumed = 0
        while position < data.count {
            guard let newline = data[position...].firstIndex(of: 0x0A) else { break }
            let recordStart = position
            let text = String(decoding: data[position..<newline], as: UTF8.self)
            position = newline + 1
            guard let record = parse(line: Substring(text)) else {
                consumed = position
                continue
            }
            if let current = pending, current.stream != record.stream {
                // Another stream interleaves: emit what the pending line has so far rather than hold both.
                lines.append(Line(timestamp: current.timestamp, stream: current.stream, content: current.content))
                pending = nil
            }
            if var current = pending {
                current.content += record.content
                pending = current
            } else {
                pending = (record.stream, record.timestamp, record.content, recordStart)
            }
            if !record.partial, let current = pending {
                lines.append(Line(timestamp: current.timestamp, stream: current.stream, content: current.content))
                pending = nil
            }
            consumed = position
        }
        if let current = pending {
            if flushPartial {
                lines.append(Line(timestamp: current.timestamp, stream: current.stream, content: current.content))
            } else {
                consumed = current.start
            }
        }
        return Chunk(lines: lines, nextOffset: baseOffset + Int64(consumed))
    }

    /// Parses a CRI timestamp (`2026-11-25T12:00:00.123456789Z`, any number of fraction digits, or an offset).
    public static func date(fromTimestamp timestamp: String) -> Date? { Time.parse(timestamp) }
}

/// A log file could not be read.
public struct CRILogError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
