import JSONCore

/// The envelope frame of every bus message: a flat JSON object of strings and integers.
///
/// Kept flat on purpose so any language can read it and so the broker and subscribers can parse it in a
/// microsecond without a general JSON decoder. Keys the protocol defines are typed properties; any other
/// key is kept, as text, in `extra`.
public struct Envelope: Sendable, Hashable {
    /// The message type: an event type (`WatchEvent`, `Sync`, `Load`) or a request operation (`create`, `range`).
    public var type: String
    /// Request id: the reply carries the same id; a retried request keeps it so the write stays idempotent.
    public var id: String?
    /// The publishing stream (one per publisher instance) and its sequence number, starting at 1.
    public var stream: String?
    public var seq: Int64?
    /// Wall-clock send time, nanoseconds since 1970.
    public var time: Int64?
    /// Reply status: an HTTP-like code as Kubernetes' Status uses (200, 201, 404, 409, 422, 503, ...).
    public var code: Int?
    /// How long, in milliseconds, the broker may hold a request while no worker of its service is up.
    public var timeout: Int?
    /// Store revision that produced a watch event, and the previous revision of the same kind (gap detection).
    public var rev: Int64?
    public var prev: Int64?
    /// Watch event type: ADDED, MODIFIED, DELETED.
    public var event: String?
    /// Any other key, as text.
    public var extra: [String: String]

    public init(
        type: String, id: String? = nil, stream: String? = nil, seq: Int64? = nil, time: Int64? = nil,
        code: Int? = nil, timeout: Int? = nil, rev: Int64? = nil, prev: Int64? = nil, event: String? = nil,
        extra: [String: String] = [:]
    ) {
        self.type = type
        self.id = id
        self.stream = stream
        self.seq = seq
        self.time = time
        self.code = code
        self.timeout = timeout
        self.rev = rev
        self.prev = prev
        self.event = event
        self.extra = extra
    }
}

extension Envelope {
    /// Compact JSON, keys in a fixed order.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        out.append(UInt8(ascii: "{"))
        Self.append(string: type, key: "type", to: &out)
        if let id { Self.append(string: id, key: "id", to: &out) }
        if let stream { Self.append(string: stream, key: "stream", to: &out) }
        if let seq { Self.append(integer: seq, key: "seq", to: &out) }
        if let time { Self.append(integer: time, key: "time", to: &out) }
        if let code { Self.append(integer: Int64(code), key: "code", to: &out) }
        if let timeout { Self.append(integer: Int64(timeout), key: "timeout", to: &out) }
        if let rev { Self.append(integer: rev, key: "rev", to: &out) }
        if let prev { Self.append(integer: prev, key: "prev", to: &out) }
        if let event { Self.append(string: event, key: "event", to: &out) }
        if !extra.isEmpty {
            for (k, v) in extra.sorted(by: { $0.key < $1.key }) { Self.append(string: v, key: k, to: &out) }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func append(key: String, to out: inout [UInt8]) {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        JSONText.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    private static func append(string: String, key: String, to out: inout [UInt8]) {
        append(key: key, to: &out)
        JSONText.appendString(string, to: &out)
    }

    private static func append(integer: Int64, key: String, to out: inout [UInt8]) {
        append(key: key, to: &out)
        JSONText.appendInteger(integer, to: &out)
    }

    /// Parses an envelope frame. Only a flat object of strings, integers, booleans and nulls is accepted. A key
    /// given twice keeps its last value, as with any JSON object decoded into a dictionary.
    public static func decode(_ bytes: [UInt8]) throws(BusError) -> Envelope {
        var parser = FlatJSONParser(bytes: bytes)
        var env = Envelope(type: "")
        var hasType = false
        // A protocol key whose value had the wrong type; a later value of the same key replaces it.
        var wrongTypes: [Field] = []
        try parser.parseObject { (key, value) throws(BusError) in
            guard let field = key.field else {
                let k = key.name
                switch value {
                case .string(let s): env.extra[k] = s
                case .int(let i): env.extra[k] = String(i)
                case .bool(let b): env.extra[k] = String(b)
                case .null: env.extra[k] = nil
                }
                return
            }
            if !wrongTypes.isEmpty { wrongTypes.removeAll { $0 == field } }
            switch (field, value) {
            case (.type, .string(let s)):
                env.type = s
                hasType = true
            case (.type, _): hasType = false
            case (.id, .string(let s)): env.id = s
            case (.stream, .string(let s)): env.stream = s
            case (.event, .string(let s)): env.event = s
            case (.seq, .int(let i)): env.seq = i
            case (.time, .int(let i)): env.time = i
            case (.code, .int(let i)): env.code = Int(i)
            case (.timeout, .int(let i)): env.timeout = Int(i)
            case (.rev, .int(let i)): env.rev = i
            case (.prev, .int(let i)): env.prev = i
            case (_, .null): env.clear(field)
            case (_, _):
                env.clear(field)
                wrongTypes.append(field)
            }
        }
        guard hasType else { throw BusError.malformed("envelope has no string field \"type\"") }
        if let field = wrongTypes.first {
            throw BusError.malformed("envelope field \"\(field.rawValue)\" has the wrong type")
        }
        return env
    }

    /// The keys the protocol defines, which `decode` reads into typed properties.
    enum Field: String, CaseIterable {
        case type, id, stream, seq, time, code, timeout, rev, prev, event
    }

    private mutating func clear(_ field: Field) {
        switch field {
        case .type: break
        case .id: id = nil
        case .stream: stream = nil
        case .seq: seq = nil
        case .time: time = nil
        case .code: code = nil
        case .timeout: timeout = nil
        case .rev: rev = nil
        case .prev: prev = nil
        case .event: event = nil
        }
    }
}

extension Envelope {
    /// The string `id` of an envelope that `decode` refused (a nested value, a field of the wrong type), so that an
    /// error reply can still carry the id the client waits for; nil when the frame is not a JSON object or has no
    /// string `id` at its top level.
    public static func salvageID(_ bytes: [UInt8]) -> String? {
        var parser = FlatJSONParser(bytes: bytes)
        return parser.topLevelString("id")
    }
}

/// A parser for one flat JSON object, used for envelopes.
struct FlatJSONParser {
    enum Value: Equatable {
        case string(String)
        case int(Int64)
        case bool(Bool)
        case null
    }

    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// A key of the object: one of the envelope's protocol keys, or any other name.
    struct Key {
        let field: Envelope.Field?
        /// The key as text (made only when asked: protocol keys are matched on their bytes).
        private let bytes: ArraySlice<UInt8>
        private let unescaped: String?

        init(bytes: ArraySlice<UInt8>, unescaped: String?) {
            self.bytes = bytes
            self.unescaped = unescaped
            field = unescaped.map { Envelope.Field(rawValue: $0) } ?? Key.match(bytes)
        }

        var name: String { unescaped ?? String(decoding: bytes, as: UTF8.self) }

        private static func match(_ k: ArraySlice<UInt8>) -> Envelope.Field? {
            guard let first = k.first else { return nil }
            let candidate: Envelope.Field
            switch (first, k.count) {
            case (UInt8(ascii: "t"), 4): candidate = k[k.startIndex + 1] == UInt8(ascii: "y") ? .type : .time
            case (UInt8(ascii: "i"), 2): candidate = .id
            case (UInt8(ascii: "s"), 6): candidate = .stream
            case (UInt8(ascii: "s"), 3): candidate = .seq
            case (UInt8(ascii: "c"), 4): candidate = .code
            case (UInt8(ascii: "t"), 7): candidate = .timeout
            case (UInt8(ascii: "r"), 3): candidate = .rev
            case (UInt8(ascii: "p"), 4): candidate = .prev
            case (UInt8(ascii: "e"), 5): candidate = .event
            default: return nil
            }
            return k.elementsEqual(candidate.rawValue.utf8) ? candidate : nil
        }
    }

    /// Parses the object, handing each member to `visit` in order (a key given twice is visited twice).
    mutating func parseObject(_ visit: (Key, Value) throws(BusError) -> Void) throws(BusError) {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            i += 1
            return try finish()
        }
        while true {
            skipSpace()
            let key = try parseKey()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            try visit(key, try parseValue())
            skipSpace()
            guard let c = peek() else { throw BusError.malformed("envelope JSON ends early") }
            i += 1
            if c == UInt8(ascii: "}") { return try finish() }
            if c != UInt8(ascii: ",") {
                throw BusError.malformed("envelope JSON: expected ',' or '}' at byte \(i - 1)")
            }
        }
    }

    /// Parses the object into a dictionary (a key given twice keeps its last value).
    mutating func parseObject() throws(BusError) -> [String: Value] {
        var result: [String: Value] = [:]
        try parseObject { (key, value) throws(BusError) in result[key.name] = value }
        return result
    }

    /// The value of `key` when it is a string at the top level of an object, skipping values of any shape (nested
    /// objects, arrays, fractions) without judging them; nil when the text is not an object or lacks that string.
    mutating func topLevelString(_ key: String) -> String? {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { return nil }
        i += 1
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "}") { return nil }
            guard let name = try? parseString() else { return nil }
            skipSpace()
            guard (try? expect(UInt8(ascii: ":"))) != nil else { return nil }
            skipSpace()
            if name == key, peek() == UInt8(ascii: "\"") { return try? parseString() }
            guard skipAnyValue() else { return nil }
            skipSpace()
            guard peek() == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }

    /// Skips one JSON value of any shape, strings and nesting included; false at the end of the text.
    private mutating func skipAnyValue() -> Bool {
        var depth = 0
        while let c = peek() {
            switch c {
            case UInt8(ascii: "\""):
                guard (try? parseString()) != nil else { return false }
                if depth == 0 { return true }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return true }
                depth -= 1
                if depth == 0 {
                    i += 1
                    return true
                }
            case UInt8(ascii: ","):
                if depth == 0 { return true }
            default: break
            }
            i += 1
        }
        return false
    }

    private mutating func finish() throws(BusError) {
        skipSpace()
        if i != bytes.count { throw BusError.malformed("envelope JSON has trailing bytes at \(i)") }
    }

    private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func expect(_ c: UInt8) throws(BusError) {
        guard peek() == c else {
            throw BusError.malformed("envelope JSON: expected '\(Character(Unicode.Scalar(c)))' at byte \(i)")
        }
        i += 1
    }

    private mutating func parseValue() throws(BusError) -> Value {
        guard let c = peek() else { throw BusError.malformed("envelope JSON ends early") }
        switch c {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            i += 1
            while let d = peek(), d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") { i += 1 }
            if let d = peek(), d == UInt8(ascii: ".") || d == UInt8(ascii: "e") || d == UInt8(ascii: "E") {
                throw BusError.malformed("envelope numbers must be integers (byte \(i))")
            }
            guard let n = Self.integer(bytes[start..<i]) else {
                throw BusError.malformed("envelope integer out of range at byte \(start)")
            }
            return .int(n)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: throw BusError.malformed("envelope values must be strings, integers, booleans or null (byte \(i))")
        }
    }

    private mutating func literal(_ word: String) throws(BusError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
            throw BusError.malformed("envelope JSON: bad literal at byte \(i)")
        }
        i += w.count
    }

    /// Decimal digits with an optional leading minus, as Int64; nil when out of range or without digits.
    private static func integer(_ text: ArraySlice<UInt8>) -> Int64? {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits = digits.dropFirst() }
        guard digits.count <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for d in digits { magnitude = magnitude * 10 + UInt64(d &- UInt8(ascii: "0")) }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// A key: matched on its bytes when it has no escape, unescaped first when it has.
    private mutating func parseKey() throws(BusError) -> Key {
        let (raw, plain) = try scanString()
        return Key(bytes: raw, unescaped: plain ? nil : try unescape(Array(raw)))
    }

    private mutating func parseString() throws(BusError) -> String {
        let (raw, plain) = try scanString()
        if plain { return String(decoding: raw, as: UTF8.self) }
        return try unescape(Array(raw))
    }

    /// Moves past one string; its bytes between the quotes, and whether they hold no escape.
    private mutating func scanString() throws(BusError) -> (raw: ArraySlice<UInt8>, plain: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = i
        var plain = true
        while let c = peek(), c != UInt8(ascii: "\"") {
            if c == UInt8(ascii: "\\") {
                plain = false
                i += 2
            } else {
                i += 1
            }
        }
        guard i < bytes.count else { throw BusError.malformed("envelope JSON: unterminated string") }
        let raw = bytes[start..<i]
        i += 1
        return (raw, plain)
    }

    private func unescape(_ raw: [UInt8]) throws(BusError) -> String {
        var out: [UInt8] = []
        var j = 0
        while j < raw.count {
            let c = raw[j]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                j += 1
                continue
            }
            guard j + 1 < raw.count else { throw BusError.malformed("envelope JSON: bad escape") }
            let e = raw[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard j + 4 <= raw.count, let v = UInt32(String(decoding: raw[j..<j + 4], as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(v)
                else { throw BusError.malformed("envelope JSON: bad \\u escape") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                j += 4
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
