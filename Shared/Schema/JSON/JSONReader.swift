/// Reads JSON text straight into values, member by member, with `JSONParser`'s rules (strict RFC 8259) and without
/// building a `JSONValue` tree: the decoder for small fixed-shape messages on a hot path (the store's write request
/// and reply), where a tree and Foundation's coders cost more than the work. Every error names the field it met.
///
///     var reader = JSONReader(bytes)
///     try reader.readObject(at: "") { reader, key, path in
///         switch key {
///         case "name": name = try reader.readString(at: path)
///         default: try reader.skipValue()
///         }
///     }
///     try reader.end()
public struct JSONReader {
    private var parser: JSONParser

    public init(_ bytes: [UInt8]) {
        parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
    }

    /// Reads an object; `body` gets each member's key and its path (`parent.key`) and must read or skip the value.
    /// Members whose value is `null` are skipped here: to every message read this way, null is the same as absent.
    public mutating func readObject(
        at path: String, _ body: (inout JSONReader, String, String) throws(SchemaError) -> Void
    ) throws(SchemaError) {
        guard next == UInt8(ascii: "{") else { throw mismatch(at: path, expected: "an object") }
        if try open(closing: UInt8(ascii: "}")) { return }
        repeat {
            guard next == UInt8(ascii: "\"") else { throw parser.error("expected a string key") }
            let key = try parser.parseString()
            parser.skipWhitespace()
            guard next == UInt8(ascii: ":") else { throw parser.error("expected ':'") }
            parser.position += 1
            parser.skipWhitespace()
            if try readNull() { continue }
            try body(&self, key, path.isEmpty ? key : path + "." + key)
        } while try !afterItem(closing: UInt8(ascii: "}"), in: "object")
    }

    /// Reads an array; `body` gets each element's path (`parent[i]`) and must read or skip the element.
    public mutating func readArray(at path: String, _ body: (inout JSONReader, String) throws(SchemaError) -> Void)
        throws(SchemaError)
    {
        guard next == UInt8(ascii: "[") else { throw mismatch(at: path, expected: "an array") }
        if try open(closing: UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            try body(&self, "\(path)[\(index)]")
            index += 1
        } while try !afterItem(closing: UInt8(ascii: "]"), in: "array")
    }

    /// Enters the object or array whose opening bracket is next; true when it is empty (and already left).
    private mutating func open(closing: UInt8) throws(SchemaError) -> Bool {
        try parser.enter()
        parser.position += 1
        parser.skipWhitespace()
        guard next == closing else { return false }
        parser.position += 1
        parser.depth -= 1
        parser.skipWhitespace()
        return true
    }

    /// After a member or element: moves past a comma (false: another follows) or the closing bracket (true).
    private mutating func afterItem(closing: UInt8, in container: String) throws(SchemaError) -> Bool {
        parser.skipWhitespace()
        switch next {
        case UInt8(ascii: ","):
            parser.position += 1
            parser.skipWhitespace()
            return false
        case closing:
            parser.position += 1
            parser.depth -= 1
            parser.skipWhitespace()
            return true
        case nil: throw parser.error("unexpected end of input in \(container)")
        default: throw parser.error("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
        }
    }

    public mutating func readString(at path: String) throws(SchemaError) -> String {
        guard next == UInt8(ascii: "\"") else { throw mismatch(at: path, expected: "a string") }
        defer { parser.skipWhitespace() }
        return try parser.parseString()
    }

    public mutating func readInt64(at path: String) throws(SchemaError) -> Int64 {
        guard let byte = next, byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte),
            case .int(let value) = try parser.parseNumber()
        else { throw mismatch(at: path, expected: "an integer") }
        parser.skipWhitespace()
        return value
    }

    public mutating func readBool(at path: String) throws(SchemaError) -> Bool {
        switch next {
        case UInt8(ascii: "t"):
            try parser.expect("true")
            parser.skipWhitespace()
            return true
        case UInt8(ascii: "f"):
            try parser.expect("false")
            parser.skipWhitespace()
            return false
        default: throw mismatch(at: path, expected: "true or false")
        }
    }

    /// Consumes a `null` and returns true, or returns false and leaves any other value to be read.
    public mutating func readNull() throws(SchemaError) -> Bool {
        guard next == UInt8(ascii: "n") else { return false }
        try parser.expect("null")
        parser.skipWhitespace()
        return true
    }

    /// Skips one value of any type.
    public mutating func skipValue() throws(SchemaError) {
        _ = try parser.parseValue()
        parser.skipWhitespace()
    }

    /// Checks that nothing but whitespace follows.
    public func end() throws(SchemaError) {
        guard parser.position == parser.bytes.count else {
            throw parser.error("unexpected data after the top-level value")
        }
    }

    /// The error for a required member that was not there.
    public static func missing(_ path: String) -> SchemaError {
        .invalidObject([.required(path)])
    }

    /// The error for a member whose string value is not one of `supported`.
    public static func notSupported(_ path: String, _ value: String, supported: [String]) -> SchemaError {
        .invalidObject([.notSupported(path, value, supported: supported)])
    }

    private var next: UInt8? { parser.position < parser.bytes.count ? parser.bytes[parser.position] : nil }

    private func mismatch(at path: String, expected: String) -> SchemaError {
        guard next != nil else { return parser.error("unexpected end of input") }
        return parser.error("field \(path.isEmpty ? "(the document)" : path): expected \(expected)")
    }
}
