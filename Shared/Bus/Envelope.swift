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
        out.reserveCapacity(96)
        out.append(UInt8(ascii: "{"))
        func key(_ k: String) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: k.utf8)
            out.append(contentsOf: "\":".utf8)
        }
        func str(_ k: String, _ v: String?) {
            guard let v else { return }
            key(k)
            JSONText.appendString(v, to: &out)
        }
        func int<T: BinaryInteger>(_ k: String, _ v: T?) {
            guard let v else { return }
            key(k)
            out.append(contentsOf: String(v).utf8)
        }
        str("type", type)
        str("id", id)
        str("stream", stream)
        int("seq", seq)
        int("time", time)
        int("code", code)
        int("timeout", timeout)
        int("rev", rev)
        int("prev", prev)
        str("event", event)
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { str(k, v) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Parses an envelope frame. Only a flat object of strings, integers, booleans and nulls is accepted.
    public static func decode(_ bytes: [UInt8]) throws(BusError) -> Envelope {
        var parser = FlatJSONParser(bytes: bytes)
        let fields = try parser.parseObject()
        guard case .string(let type)? = fields["type"] else {
            throw BusError.malformed("envelope has no string field \"type\"")
        }
        var env = Envelope(type: type)
        for (k, v) in fields where k != "type" {
            switch (k, v) {
            case ("id", .string(let s)): env.id = s
            case ("stream", .string(let s)): env.stream = s
            case ("event", .string(let s)): env.event = s
            case ("seq", .int(let i)): env.seq = i
            case ("time", .int(let i)): env.time = i
            case ("code", .int(let i)): env.code = Int(i)
            case ("timeout", .int(let i)): env.timeout = Int(i)
            case ("rev", .int(let i)): env.rev = i
            case ("prev", .int(let i)): env.prev = i
            case ("id", _), ("stream", _), ("event", _), ("seq", _), ("time", _), ("code", _), ("timeout", _),
                ("rev", _), ("prev", _):
                if case .null = v { continue }
                throw BusError.malformed("envelope field \"\(k)\" has the wrong type")
            case (_, .string(let s)): env.extra[k] = s
            case (_, .int(let i)): env.extra[k] = String(i)
            case (_, .bool(let b)): env.extra[k] = String(b)
            case (_, .null): continue
            }
        }
        return env
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

    mutating func parseObject() throws(BusError) -> [String: Value] {
        var result: [String: Value] = [:]
        skipSpace()
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            i += 1
            return try finish(result)
        }
        while true {
            skipSpace()
            let key = try parseString()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            result[key] = try parseValue()
            skipSpace()
            guard let c = peek() else { throw BusError.malformed("envelope JSON ends early") }
            i += 1
            if c == UInt8(ascii: "}") { return try finish(result) }
            if c != UInt8(ascii: ",") {
                throw BusError.malformed("envelope JSON: expected ',' or '}' at byte \(i - 1)")
            }
        }
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

    private mutating func finish(_ result: [String: Value]) throws(BusError) -> [String: Value] {
        skipSpace()
        if i != bytes.count { throw BusError.malformed("envelope JSON has trailing bytes at \(i)") }
        return result
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
            guard let n = Int64(String(decoding: bytes[start..<i], as: UTF8.self)) else {
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

    private mutating func parseString() throws(BusError) -> String {
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
        if plain { return String(decoding: raw, as: UTF8.self) }
        return try unescape(Array(raw))
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
