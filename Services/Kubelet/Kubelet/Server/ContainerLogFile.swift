import Foundation

/// Reads a container's CRI log file (`<RFC 3339 time> <stdout|stderr> <P|F> <text>` per line) for `logs`.
public enum ContainerLogFile {
    /// A chunk of the log: the text of the complete lines from `offset`, and where the next read starts.
    public struct Chunk: Sendable, Hashable {
        public var text: String
        public var offset: Int64
    }

    /// Parses the complete CRI lines of `bytes`; a trailing line without its newline is left for the next read.
    /// `P` (partial) entries join the next entry without a newline, as `kubectl logs` shows them.
    public static func parse(_ bytes: ArraySlice<UInt8>, timestamps: Bool) -> (text: String, consumed: Int) {
        var text = ""
        var consumed = 0
        var start = bytes.startIndex
        var atLineStart = true
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = bytes[start..<newline]
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: false)
            if fields.count >= 3 {
                let stamp = String(decoding: fields[0], as: UTF8.self)
                let tag = fields[2]
                let content = fields.count > 3 ? String(decoding: fields[3], as: UTF8.self) : ""
                if timestamps && atLineStart { text += stamp + " " }
                text += content
                if tag.first == UInt8(ascii: "P") {
                    atLineStart = false
                } else {
                    text += "\n"
                    atLineStart = true
                }
            } else {
                // Not a CRI line: pass it through as it is.
                text += String(decoding: line, as: UTF8.self) + "\n"
            }
            consumed = newline - bytes.startIndex + 1
            start = newline + 1
        }
        return (text, consumed)
    }

    /// Reads from `offset` (nil: the start, or the last `tailLines` lines) to the end of the complete lines.
    public static func read(path: String, offset: Int64?, tailLines: Int?, timestamps: Bool) -> Chunk {
        guard let handle = FileHandle(forReadingAtPath: path) else { return Chunk(text: "", offset: offset ?? 0) }
        defer { try? handle.close() }
        var from = offset ?? 0
        if offset == nil, let tail = tailLines, tail >= 0 {
            let all = (try? handle.readToEnd()).map(Array.init) ?? []
            var count = 0
            var index = all.count
            // Walk back over `tail` complete lines.
            var i = all.count - 1
            if i >= 0 && all[i] == UInt8(ascii: "\n") { i -= 1 }
            while i >= 0 {
                if all[i] == UInt8(ascii: "\n") {
                    count += 1
                    if count == tail { break }
                }
                i -= 1
            }
            index = tail == 0 ? all.count : max(0, i + 1)
            from = Int64(index)
            let parsed = parse(all[index...], timestamps: timestamps)
            return Chunk(text: parsed.text, offset: from + Int64(parsed.consumed))
        }
        do {
            try handle.seek(toOffset: UInt64(max(0, from)))
        } catch {
            return Chunk(text: "", offset: from)
        }
        let data = (try? handle.read(upToCount: 4 << 20)).map(Array.init) ?? []
        let parsed = parse(data[...], timestamps: timestamps)
        return Chunk(text: parsed.text, offset: from + Int64(parsed.consumed))
    }

    /// The file's size, or 0.
    public static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
