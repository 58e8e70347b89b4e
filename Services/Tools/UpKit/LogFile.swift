import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading service logs: the last lines for error messages, the whole file or a follow for `kubus-up logs`.
public enum LogFile {
    /// The last `count` lines of the file at `path` (empty when it cannot be read).
    public static func tail(_ path: String, lines count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 65_536 ? size - 65_536 : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.suffix(count).map(String.init)
    }

    /// "its log …: last lines:" followed by the lines, indented, for error messages.
    public static func excerpt(_ path: String, lines count: Int = 12) -> String {
        var lines = tail(path, lines: count)
        // Only this run's lines: from the last header kubus-up wrote when it started the process.
        if let header = lines.lastIndex(where: { $0.hasPrefix("--- kubus-up ") }) { lines = Array(lines[header...]) }
        guard !lines.isEmpty else { return "its log \(path) is empty" }
        return "last lines of \(path):\n" + lines.map { "    " + $0 }.joined(separator: "\n")
    }

    /// Copies the file to standard output from `offset`, returning the new offset.
    @discardableResult
    public static func copy(_ path: String, from offset: UInt64) -> UInt64 {
        guard let handle = FileHandle(forReadingAtPath: path) else { return offset }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        // A file shorter than what was read was truncated or replaced: start again.
        var position = size < offset ? 0 : offset
        try? handle.seek(toOffset: position)
        while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
            FileHandle.standardOutput.write(chunk)
            position += UInt64(chunk.count)
        }
        return position
    }

    /// The offset where the last `count` lines of the file begin.
    public static func offsetOfLastLines(_ path: String, _ count: Int) -> UInt64 {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 1_048_576 ? size - 1_048_576 : 0
        try? handle.seek(toOffset: start)
        let bytes = [UInt8]((try? handle.readToEnd()) ?? Data())
        var newlines = 0
        var i = bytes.count - 1
        if i >= 0 && bytes[i] == UInt8(ascii: "\n") { i -= 1 }
        while i >= 0 {
            if bytes[i] == UInt8(ascii: "\n") {
                newlines += 1
                if newlines == count { return start + UInt64(i + 1) }
            }
            i -= 1
        }
        return start
    }
}
