/// A resource amount like `100m`, `0.5`, `200Mi` or `1e3`, kept exactly as `mantissa × 10^exponent`.
///
/// Formatting follows Kubernetes' canonical form: `0.5` prints as `500m`, `1024Mi` as `1Gi`, `12000` as `12k`.
public struct Quantity: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// How a quantity prints.
    public enum Format: String, Sendable, Hashable {
        /// Powers of 1024: Ki, Mi, Gi, Ti, Pi, Ei.
        case binarySI = "BinarySI"
        /// Powers of 1000: n, u, m, k, M, G, T, P, E.
        case decimalSI = "DecimalSI"
        /// Scientific notation: e3, E6.
        case decimalExponent = "DecimalExponent"
    }

    /// The regular expression Kubernetes documents for quantities.
    public static let pattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"

    /// Significant digits; the value is `mantissa × 10^exponent`.
    public private(set) var mantissa: Int64
    /// Power of ten applied to `mantissa`.
    public private(set) var exponent: Int
    /// The format used when printing.
    public var format: Format

    /// Creates `mantissa × 10^exponent`.
    public init(mantissa: Int64, exponent: Int = 0, format: Format = .decimalSI) {
        self.mantissa = mantissa
        self.exponent = exponent
        self.format = format
        normalize()
    }

    /// A whole number of units, e.g. bytes or cores.
    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(mantissa: value, exponent: 0, format: format)
    }

    /// Thousandths of a unit, e.g. millicores.
    public init(milli: Int64, format: Format = .decimalSI) {
        self.init(mantissa: milli, exponent: -3, format: format)
    }

    /// Parses Kubernetes quantity syntax.
    public init(parsing text: String) throws(SchemaError) {
        self = try Quantity.parse(text)
    }

    private mutating func normalize() {
        if mantissa == 0 {
            exponent = 0
            return
        }
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
    }

    /// Whether the value is zero.
    public var isZero: Bool { mantissa == 0 }

    /// The sign: -1, 0 or 1.
    public var sign: Int { mantissa == 0 ? 0 : (mantissa < 0 ? -1 : 1) }

    /// The value in whole units, rounded up (away from zero), like Kubernetes' `Value()`.
    public var value: Int64 { scaled(by: 0) }

    /// The value in thousandths, rounded up (away from zero), like Kubernetes' `MilliValue()`.
    public var milliValue: Int64 { scaled(by: 3) }

    /// The value as a `Double` (approximate).
    public var doubleValue: Double { Double(mantissa) * pow10(exponent) }

    /// `value × 10^power` rounded away from zero, saturating at the `Int64` bounds.
    public func scaled(by power: Int) -> Int64 {
        let shift = exponent + power
        if shift >= 0 {
            var result = mantissa
            for _ in 0..<shift {
                let (product, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { return mantissa < 0 ? .min : .max }
                result = product
            }
            return result
        }
        if -shift > 18 { return mantissa == 0 ? 0 : (mantissa < 0 ? -1 : 1) }
        var divisor: Int64 = 1
        for _ in 0..<(-shift) { divisor *= 10 }
        let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
        if remainder == 0 { return quotient }
        return mantissa < 0 ? quotient - 1 : quotient + 1
    }

    /// Compares by value; formats are ignored.
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.mantissa == rhs.mantissa && lhs.exponent == rhs.exponent
    }

    /// Hashes the value; formats are ignored.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(mantissa)
        hasher.combine(exponent)
    }

    /// Orders by value.
    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        if lhs.sign != rhs.sign { return lhs.sign < rhs.sign }
        let common = min(lhs.exponent, rhs.exponent)
        if let left = lhs.mantissaAligned(to: common), let right = rhs.mantissaAligned(to: common) {
            return left < right
        }
        return lhs.doubleValue < rhs.doubleValue
    }

    private func mantissaAligned(to target: Int) -> Int64? {
        var result = mantissa
        for _ in 0..<(exponent - target) {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }

    /// The sum, in the left operand's format — the right one's when the left is zero, as Kubernetes' `Add` does
    /// (a sum started from 0 of `600Mi` is `600Mi`).
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        let format = lhs.isZero ? rhs.format : lhs.format
        let common = min(lhs.exponent, rhs.exponent)
        if let left = lhs.mantissaAligned(to: common), let right = rhs.mantissaAligned(to: common) {
            let (sum, overflow) = left.addingReportingOverflow(right)
            if !overflow { return Quantity(mantissa: sum, exponent: common, format: format) }
        }
        return Quantity(approximating: lhs.doubleValue + rhs.doubleValue, format: format)
    }

    /// The difference, in the left operand's format.
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        lhs + Quantity(mantissa: -rhs.mantissa, exponent: rhs.exponent, format: rhs.format)
    }

    /// Adds in place.
    public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }

    /// Subtracts in place.
    public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }

    private init(approximating value: Double, format: Format) {
        var exponent = 0
        var scaled = value
        while scaled.magnitude >= 9e17 {
            scaled /= 10
            exponent += 1
        }
        self.init(mantissa: Int64(scaled.rounded()), exponent: exponent, format: format)
    }

    // MARK: Parsing

    private static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binarySuffixes: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]

    /// Parses Kubernetes quantity syntax: a signed decimal number and an optional SI, binary or exponent suffix.
    public static func parse(_ text: String) throws(SchemaError) -> Quantity {
        let scalars = Array(text.utf8)
        guard !scalars.isEmpty else { throw SchemaError.quantity(text, detail: "quantities must not be empty") }
        var index = 0
        var negative = false
        if scalars[0] == UInt8(ascii: "+") || scalars[0] == UInt8(ascii: "-") {
            negative = scalars[0] == UInt8(ascii: "-")
            index = 1
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var seenDigit = false
        while index < scalars.count {
            let byte = scalars[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                seenDigit = true
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index += 1
        }
        guard seenDigit else { throw SchemaError.quantity(text) }
        let suffix = String(decoding: scalars[index...], as: UTF8.self)
        // Strip leading zeros; keep at most 18 significant digits exactly.
        while digits.count > 1, digits.first == 0 { digits.removeFirst() }
        var mantissa: Int64 = 0
        var exponent = -fractionDigits
        var dropped = false
        for (position, digit) in digits.enumerated() {
            if position >= 18 {
                exponent += 1
                if digit != 0 { dropped = true }
                continue
            }
            mantissa = mantissa * 10 + Int64(digit)
        }
        if dropped { mantissa += 1 }  // Kubernetes rounds up when precision is lost.
        if negative { mantissa = -mantissa }

        var format = Format.decimalSI
        if let power = decimalSuffixes[suffix] {
            exponent += power
        } else if let power = binarySuffixes[suffix] {
            format = .binarySI
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: Int64(1) << power)
            if overflow {
                // Beyond Int64: keep an approximation rather than failing.
                let approximate =
                    Double(mantissa) * Double(sign: .plus, exponent: power, significand: 1) * pow10(exponent)
                return Quantity(approximating: approximate, format: .binarySI)
            }
            mantissa = product
        } else if let first = suffix.first, first == "e" || first == "E" {
            guard suffix.count > 1, let power = Int(suffix.dropFirst()) else {
                throw SchemaError.quantity(text)
            }
            format = .decimalExponent
            exponent += power
        } else {
            throw SchemaError.quantity(text)
        }
        return Quantity(mantissa: mantissa, exponent: exponent, format: format)
    }

    // MARK: Formatting

    /// The canonical Kubernetes form, e.g. `500m`, `1Gi`, `1536Mi`, `12k`, `1e3`.
    public var description: String {
        if mantissa == 0 { return "0" }
        var mantissa = self.mantissa
        var exponent = self.exponent
        // Kubernetes never prints below nano; it rounds up to 1n.
        if exponent < -9 {
            var divisor: Int64 = 1
            var fits = true
            for _ in 0..<(-9 - exponent) {
                let (product, overflow) = divisor.multipliedReportingOverflow(by: 10)
                if overflow {
                    fits = false
                    break
                }
                divisor = product
            }
            if fits {
                let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
                mantissa = remainder == 0 ? quotient : (mantissa < 0 ? quotient - 1 : quotient + 1)
            } else {
                mantissa = mantissa < 0 ? -1 : 1
            }
            exponent = -9
        }
        var format = self.format
        if format == .binarySI {
            if exponent < 0 || Swift.abs(doubleValue) < 1024 {
                format = .decimalSI
            } else if let whole = mantissaAligned(to: 0) {
                var value = whole
                var power = 0
                while power < 6, value % 1024 == 0 {
                    value /= 1024
                    power += 1
                }
                let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                return "\(value)\(suffixes[power])"
            } else {
                format = .decimalSI
            }
        }
        // Shift to an exponent that is a multiple of three.
        while ((exponent % 3) + 3) % 3 != 0 {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            if overflow { break }
            mantissa = product
            exponent -= 1
        }
        if format == .decimalExponent {
            return exponent == 0 ? "\(mantissa)" : "\(mantissa)e\(exponent)"
        }
        while exponent > 18 {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: 1000)
            if overflow { return "\(mantissa)e\(exponent)" }
            mantissa = product
            exponent -= 3
        }
        let suffixes = [-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
        return "\(mantissa)\(suffixes[exponent] ?? "e\(exponent)")"
    }

    // MARK: Codable

    /// Decodes from a string like `"200Mi"` or a JSON number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else {
            let number = try container.decode(Double.self)
            text = "\(number)"
        }
        do {
            self = try Quantity.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error)
            )
        }
    }

    /// Encodes the canonical string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Quantity: ExpressibleByStringLiteral {
    /// Parses a literal; traps on malformed text, so use only for constants.
    public init(stringLiteral value: String) {
        do {
            self = try Quantity.parse(value)
        } catch {
            preconditionFailure(error.message)
        }
    }
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 {
        for _ in 0..<exponent { result *= 10 }
    } else {
        for _ in 0..<(-exponent) { result /= 10 }
    }
    return result
}
