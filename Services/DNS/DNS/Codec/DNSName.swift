/// A domain name in wire form: length-prefixed labels ending with the root's zero byte (RFC 1035 §3.1).
///
/// Comparison and hashing ignore ASCII case, as DNS does (RFC 4343); the bytes keep the case they were given, so an
/// answer can echo a question's case. At most 255 bytes in all and 63 per label, as the wire allows.
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    /// The wire form, the final zero byte included.
    public private(set) var wire: [UInt8]

    /// The longest name the wire allows, in bytes.
    public static let maxLength = 255
    /// The longest label the wire allows, in bytes.
    public static let maxLabelLength = 63

    /// The root name (`.`).
    public static let root = DNSName(trustedWire: [0])

    /// Wraps bytes already known to be a valid, uncompressed wire name.
    init(trustedWire: [UInt8]) {
        wire = trustedWire
    }

    /// A name from its labels (raw bytes, no escaping); nil when a label is empty or too long, or the name too long.
    public init?<Labels: Sequence>(labels: Labels) where Labels.Element: Collection, Labels.Element.Element == UInt8 {
        var wire: [UInt8] = []
        for label in labels {
            guard !label.isEmpty, label.count <= Self.maxLabelLength else { return nil }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
        }
        wire.append(0)
        guard wire.count <= Self.maxLength else { return nil }
        self.wire = wire
    }

    /// Parses presentation form: `web.default.svc.cluster.local` (a final dot is optional; every name is absolute),
    /// with `\.` and `\DDD` escapes as in zone files. Nil for an empty label, a label or name that is too long, or a
    /// bad escape.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        if bytes == [0x2E] || bytes.isEmpty {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var label: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x5C {  // backslash
                guard i + 1 < bytes.count else { return nil }
                let next = bytes[i + 1]
                if (0x30...0x39).contains(next) {
                    let digits = bytes[(i + 1)..<min(i + 4, bytes.count)]
                    guard digits.count == 3, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
                    let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                    guard value <= 255 else { return nil }
                    label.append(UInt8(value))
                    i += 4
                } else {
                    label.append(next)
                    i += 2
                }
                continue
            }
            if b == 0x2E {
                guard !label.isEmpty else { return nil }
                labels.append(label)
                label = []
            } else {
                label.append(b)
            }
            i += 1
        }
        if !label.isEmpty { labels.append(label) }
        self.init(labels: labels)
    }

    /// Whether this is the root name.
    public var isRoot: Bool { wire.count == 1 }

    /// How many labels the name has (the root has none).
    public var labelCount: Int {
        var count = 0
        var i = 0
        while wire[i] != 0 {
            count += 1
            i += Int(wire[i]) + 1
        }
        return count
    }

    /// The byte offsets in `wire` where each label's length byte is.
    var labelOffsets: [Int] {
        var offsets: [Int] = []
        var i = 0
        while wire[i] != 0 {
            offsets.append(i)
            i += Int(wire[i]) + 1
        }
        return offsets
    }

    /// The labels, as raw bytes.
    public var labels: [ArraySlice<UInt8>] {
        labelOffsets.map { wire[($0 + 1)...($0 + Int(wire[$0]))] }
    }

    /// The name without its first `count` labels (its ancestor); the root when there are no more.
    public func dropFirst(_ count: Int = 1) -> DNSName {
        var i = 0
        var left = count
        while left > 0, wire[i] != 0 {
            i += Int(wire[i]) + 1
            left -= 1
        }
        return DNSName(trustedWire: Array(wire[i...]))
    }

    /// `label.self`; nil when the result would be too long or the label is empty or longer than 63 bytes.
    public func prepending(_ label: some StringProtocol) -> DNSName? {
        let bytes = Array(label.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.maxLabelLength, wire.count + bytes.count + 1 <= Self.maxLength
        else { return nil }
        return DNSName(trustedWire: [UInt8(bytes.count)] + bytes + wire)
    }

    /// Whether the name is `zone` or below it.
    public func isSubdomain(of zone: DNSName) -> Bool {
        relativeLabelCount(to: zone) != nil
    }

    /// How many labels the name has above `zone` (0 for the zone itself); nil when the name is not in `zone`.
    public func relativeLabelCount(to zone: DNSName) -> Int? {
        let extra = labelCount - zone.labelCount
        guard extra >= 0 else { return nil }
        var i = 0
        for _ in 0..<extra { i += Int(wire[i]) + 1 }
        guard wire.count - i == zone.wire.count else { return nil }
        return DNSName.equalFolded(wire[i...], zone.wire[...]) ? extra : nil
    }

    /// The same name in lower case.
    public var lowercased: DNSName {
        DNSName(trustedWire: wire.map(DNSName.fold))
    }

    /// Presentation form with a final dot, escaping as dig does (`\.` inside a label, `\DDD` for unprintable bytes).
    public var description: String {
        if isRoot { return "." }
        var text = ""
        for label in labels {
            for b in label {
                switch b {
                case 0x2E, 0x5C, 0x22, 0x28, 0x29, 0x3B, 0x40, 0x24:
                    text.append("\\")
                    text.unicodeScalars.append(UnicodeScalar(b))
                case 0x21...0x7E:
                    text.unicodeScalars.append(UnicodeScalar(b))
                default:
                    text += "\\" + String(repeating: "0", count: b < 10 ? 2 : (b < 100 ? 1 : 0)) + String(b)
                }
            }
            text += "."
        }
        return text
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.wire.count == rhs.wire.count && equalFolded(lhs.wire[...], rhs.wire[...])
    }

    public func hash(into hasher: inout Hasher) {
        for b in wire { hasher.combine(DNSName.fold(b)) }
    }

    /// ASCII lower case of one byte.
    @inline(__always)
    static func fold(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }

    /// Byte-wise equality ignoring ASCII case.
    static func equalFolded(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex {
            if a[i] != b[j] && fold(a[i]) != fold(b[j]) { return false }
            i += 1
            j += 1
        }
        return true
    }
}

/// One label's bytes, compared and hashed ignoring ASCII case; a cheap key for lookups by a label of a question.
public struct DNSLabel: Sendable, Hashable, CustomStringConvertible {
    public let bytes: ArraySlice<UInt8>

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    public init(_ text: String) {
        bytes = Array(text.utf8)[...]
    }

    public static func == (lhs: DNSLabel, rhs: DNSLabel) -> Bool {
        DNSName.equalFolded(lhs.bytes, rhs.bytes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        for b in bytes { hasher.combine(DNSName.fold(b)) }
    }

    /// Whether the label equals `text`, ignoring case.
    public func equals(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { buffer in
            guard buffer.count == bytes.count else { return false }
            var i = bytes.startIndex
            for b in buffer {
                if DNSName.fold(bytes[i]) != DNSName.fold(b) { return false }
                i += 1
            }
            return true
        }
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }
}
