/// An IPv4 address as a 32-bit number, most significant octet first.
public struct IPv4: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The address as a number (`10.0.0.1` is `0x0A00_0001`).
    public var value: UInt32

    public init(_ value: UInt32) {
        self.value = value
    }

    /// Parses dotted-quad notation (`10.244.1.7`); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let octet = UInt8(part),
                part.count == 1 || part.first != "0"
            else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    /// The four octets, most significant first.
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// The address `offset` after this one; nil when it would leave the IPv4 space.
    public func advanced(by offset: Int64) -> IPv4? {
        let next = Int64(value) + offset
        guard next >= 0, next <= Int64(UInt32.max) else { return nil }
        return IPv4(UInt32(next))
    }

    public var description: String { octets.map(String.init).joined(separator: ".") }

    public static func < (lhs: IPv4, rhs: IPv4) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let ip = IPv4(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid IPv4 address \"\(text)\""))
        }
        self = ip
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
