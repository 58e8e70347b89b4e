/// A value that is either an integer or a string such as `"25%"` or a port name.
public enum IntOrString: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case string(String)

    /// Decodes from a JSON integer or string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes as a JSON integer or string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    /// The integer, or the string as written.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let value): return value
        }
    }

    /// The integer, if this is one.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Whether this is a percentage string like `"25%"`.
    public var isPercent: Bool {
        if case .string(let value) = self { return value.hasSuffix("%") && Int(value.dropLast()) != nil }
        return false
    }

    /// Resolves against `total`: an integer as is, a percentage of `total` rounded up or down.
    public func resolve(total: Int, roundUp: Bool) throws(SchemaError) -> Int {
        switch self {
        case .int(let value):
            return value
        case .string(let text):
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else {
                throw SchemaError.intOrString("invalid value for IntOrString: invalid type: string is not a percentage")
            }
            let product = percent * total
            if roundUp {
                return product >= 0 ? (product + 99) / 100 : product / 100
            }
            return product >= 0 ? product / 100 : (product - 99) / 100
        }
    }
}

extension IntOrString: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// An integer.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
}
