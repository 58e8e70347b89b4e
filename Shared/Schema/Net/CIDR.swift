/// An IPv4 network in CIDR notation (`10.244.0.0/16`), always held in canonical form (host bits zero).
public struct CIDR: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The network address (the first address of the range).
    public let network: IPv4
    /// The prefix length, 0 to 32.
    public let prefix: Int

    /// The range of `prefix` bits that contains `address`.
    public init?(address: IPv4, prefix: Int) {
        guard (0...32).contains(prefix) else { return nil }
        self.prefix = prefix
        self.network = IPv4(address.value & CIDR.mask(prefix))
    }

    /// Parses `a.b.c.d/n`; host bits are cleared (`10.244.1.7/16` is `10.244.0.0/16`). Nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4(parts[0]), parts[1].allSatisfy(\.isASCII),
            let prefix = Int(parts[1])
        else { return nil }
        self.init(address: address, prefix: prefix)
    }

    /// The netmask for a prefix length (`/24` is `255.255.255.0`).
    public static func mask(_ prefix: Int) -> UInt32 {
        prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix)
    }

    /// How many addresses the range holds, network and broadcast included.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefix) }

    /// The last address of the range (its broadcast address).
    public var broadcast: IPv4 { IPv4(network.value | ~CIDR.mask(prefix)) }

    /// The netmask in dotted-quad form.
    public var netmask: IPv4 { IPv4(CIDR.mask(prefix)) }

    /// Whether `address` is inside the range.
    public func contains(_ address: IPv4) -> Bool {
        address.value & CIDR.mask(prefix) == network.value
    }

    /// Whether every address of `other` is inside this range.
    public func contains(_ other: CIDR) -> Bool {
        other.prefix >= prefix && contains(other.network)
    }

    /// Whether the two ranges share at least one address.
    public func overlaps(_ other: CIDR) -> Bool {
        contains(other.network) || other.contains(network)
    }

    /// The `n`th address of the range (`0` is the network address); nil outside the range.
    public func host(_ n: UInt64) -> IPv4? {
        guard n < size else { return nil }
        return IPv4(network.value + UInt32(n))
    }

    /// The `index`th sub-range of length `prefix` (`10.244.0.0/16`'s `subnet(prefix: 24, index: 3)` is
    /// `10.244.3.0/24`); nil when there is no such sub-range.
    public func subnet(prefix subPrefix: Int, index: UInt64) -> CIDR? {
        guard subPrefix >= prefix, subPrefix <= 32 else { return nil }
        let count = UInt64(1) << UInt64(subPrefix - prefix)
        guard index < count else { return nil }
        let step = UInt64(1) << UInt64(32 - subPrefix)
        return CIDR(address: IPv4(network.value + UInt32(index * step)), prefix: subPrefix)
    }

    /// The range of the same length that follows this one (`10.244.1.0/24` → `10.244.2.0/24`); nil at the end of
    /// the IPv4 space.
    public var next: CIDR? {
        guard let address = broadcast.advanced(by: 1) else { return nil }
        return CIDR(address: address, prefix: prefix)
    }

    /// The text form with `/` replaced by `_`, usable as a file name (`10.244.1.0_24`).
    public var fileName: String { "\(network)_\(prefix)" }

    public var description: String { "\(network)/\(prefix)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let cidr = CIDR(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid IPv4 CIDR \"\(text)\""))
        }
        self = cidr
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
