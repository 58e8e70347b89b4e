import Foundation

/// The few tar features `cp` needs, as kubectl's `cp` uses them: write a ustar stream of files and folders for
/// `tar -xmf -` in the container, and read what `tar cf -` (busybox or GNU) writes back.
enum TarArchive {
    /// One entry.
    struct Entry: Equatable, Sendable {
        enum Kind: Equatable, Sendable {
            case file
            case directory
            case symlink(String)
            /// Anything else (hard links, devices): skipped.
            case other(UInt8)
        }

        var name: String
        var kind: Kind
        var mode: Int
        var data: Data = Data()
    }

    // MARK: Writing

    /// The archive of `entries`, ending with two zero blocks.
    static func write(_ entries: [Entry], mtime: Int = Int(Date().timeIntervalSince1970)) -> Data {
        var out = Data()
        for entry in entries {
            var name = entry.name
            if case .directory = entry.kind, !name.hasSuffix("/") { name += "/" }
            let (prefix, short) = split(name)
            if short == nil {
                // Too long for ustar's name and prefix: a GNU long-name entry first.
                var longName = Data(name.utf8)
                longName.append(0)
                out += header(
                    name: "././@LongLink", prefix: "", mode: 0, size: longName.count, mtime: 0, type: UInt8(ascii: "L"))
                out += padded(longName)
            }
            let type: UInt8
            var linkname = ""
            switch entry.kind {
            case .file: type = UInt8(ascii: "0")
            case .directory: type = UInt8(ascii: "5")
            case .symlink(let target):
                type = UInt8(ascii: "2")
                linkname = target
            case .other(let flag): type = flag
            }
            let size = entry.kind == .file ? entry.data.count : 0
            out += header(
                name: short ?? String(name.suffix(99)), prefix: prefix, mode: entry.mode, size: size, mtime: mtime,
                type: type, linkname: linkname)
            if size > 0 { out += padded(entry.data) }
        }
        out += Data(count: 1024)
        return out
    }

    /// ustar's split of a long name into prefix (≤155) and name (≤100); nil name when it cannot be split.
    static func split(_ name: String) -> (prefix: String, name: String?) {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ("", name) }
        for index in stride(from: min(bytes.count - 1, 155), through: 1, by: -1) where bytes[index] == UInt8(ascii: "/")
        {
            let rest = bytes.count - index - 1
            if rest <= 100 && rest > 0 {
                return (
                    String(decoding: bytes[..<index], as: UTF8.self),
                    String(decoding: bytes[(index + 1)...], as: UTF8.self)
                )
            }
        }
        return ("", nil)
    }

    static func header(
        name: String, prefix: String, mode: Int, size: Int, mtime: Int, type: UInt8, linkname: String = ""
    ) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, length: Int) {
            for (index, byte) in text.utf8.prefix(length).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, length: Int) {
            let digits = String(value, radix: 8)
            put(
                String(repeating: "0", count: max(0, length - 1 - digits.count)) + digits, at: offset,
                length: length - 1)
        }
        put(name, at: 0, length: 100)
        octal(mode, at: 100, length: 8)
        octal(0, at: 108, length: 8)
        octal(0, at: 116, length: 8)
        octal(size, at: 124, length: 12)
        octal(mtime, at: 136, length: 12)
        block[156] = type
        put(linkname, at: 157, length: 100)
        put("ustar", at: 257, length: 6)
        put("00", at: 263, length: 2)
        put("root", at: 265, length: 32)
        put("root", at: 297, length: 32)
        put(prefix, at: 345, length: 155)
        for index in 148..<156 { block[index] = UInt8(ascii: " ") }
        let sum = block.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: max(0, 6 - digits.count)) + digits, at: 148, length: 6)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        return Data(block)
    }

    static func padded(_ data: Data) -> Data {
        var out = data
        let remainder = data.count % 512
        if remainder != 0 { out += Data(count: 512 - remainder) }
        return out
    }

    // MARK: Reading

    /// The entries of an archive (GNU long names and pax `path`/`linkpath` records applied).
    static func read(_ data: Data) throws(CtlError) -> [Entry] {
        let bytes = [UInt8](data)
        var entries: [Entry] = []
        var offset = 0
        var longName: String?
        var longLink: String?
        while offset + 512 <= bytes.count {
            let block = bytes[offset..<(offset + 512)]
            if block.allSatisfy({ $0 == 0 }) { break }
            guard checksumMatches(block) else { throw CtlError("tar contents corrupted: bad header checksum") }
            let size = number(block, 124, 12)
            let type = block[block.startIndex + 156]
            let start = offset + 512
            guard start + size <= bytes.count else { throw CtlError("tar contents corrupted: truncated entry") }
            let body = Data(bytes[start..<(start + size)])
            offset = start + ((size + 511) / 512) * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = cString(body[...])
                continue
            case UInt8(ascii: "K"):
                longLink = cString(body[...])
                continue
            case UInt8(ascii: "x"):
                let records = pax(body)
                if let path = records["path"] { longName = path }
                if let link = records["linkpath"] { longLink = link }
                continue
            case UInt8(ascii: "g"):
                continue
            default:
                break
            }
            var name =
                longName
                ?? {
                    let prefix = string(block, 345, 155)
                    let short = string(block, 0, 100)
                    return prefix.isEmpty ? short : prefix + "/" + short
                }()
            let link = longLink ?? string(block, 157, 100)
            longName = nil
            longLink = nil
            let kind: Entry.Kind
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "2"): kind = .symlink(link)
            default: kind = .other(type)
            }
            if kind == .directory, name.hasSuffix("/") { name.removeLast() }
            entries.append(
                Entry(name: name, kind: kind, mode: number(block, 100, 8) & 0o7777, data: kind == .file ? body : Data())
            )
        }
        return entries
    }

    static func checksumMatches(_ block: ArraySlice<UInt8>) -> Bool {
        var sum = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        return number(block, 148, 8) == sum
    }

    /// An octal field, or GNU's base-256 form (high bit set).
    static func number(_ block: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> Int {
        let field = block[(block.startIndex + offset)..<(block.startIndex + offset + length)]
        if let first = field.first, first & 0x80 != 0 {
            return field.dropFirst().reduce(Int(first & 0x7f)) { $0 << 8 | Int($1) }
        }
        let text = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return Int(text, radix: 8) ?? 0
    }

    static func string(_ block: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> String {
        let field = block[(block.startIndex + offset)..<(block.startIndex + offset + length)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    static func cString(_ data: Data.SubSequence) -> String {
        String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// pax records: `LEN key=value\n`.
    static func pax(_ data: Data) -> [String: String] {
        var records: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let record = line[line.index(after: space)...]
            guard let eq = record.firstIndex(of: "=") else { continue }
            records[String(record[..<eq])] = String(record[record.index(after: eq)...])
        }
        return records
    }
}
