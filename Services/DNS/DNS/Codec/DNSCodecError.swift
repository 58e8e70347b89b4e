/// Why bytes are not a DNS message (or a message cannot be written): what was wrong and where.
public struct DNSCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case truncated
        case badLabelType
        case pointerForward
        case tooManyPointers
        case labelTooLong
        case nameTooLong
        case badRecordData
        case duplicateOPT
        case badOPT
        case rcodeNeedsEDNS
        case tooLarge
    }

    let code: Code
    /// The byte offset where the problem was found.
    public let offset: Int
    public let message: String

    init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "malformed DNS message at byte \(offset): \(message)" }

    static func truncated(at offset: Int, _ what: String) -> DNSCodecError {
        DNSCodecError(.truncated, at: offset, "message ends inside \(what)")
    }

    public static func == (lhs: DNSCodecError, rhs: DNSCodecError) -> Bool {
        lhs.code == rhs.code && lhs.offset == rhs.offset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(offset)
    }

    /// The message was shorter than what its header or a field claimed.
    public var isTruncation: Bool { code == .truncated }
    /// A compression pointer pointed at or after itself, or names chained too many pointers.
    public var isPointerLoop: Bool { code == .pointerForward || code == .tooManyPointers }
}
