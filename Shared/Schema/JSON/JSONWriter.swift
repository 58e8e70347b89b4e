import JSONCore

/// Writes compact JSON.
struct JSONWriter {
    let sortedKeys: Bool
    var bytes: [UInt8] = []

    init(sortedKeys: Bool) {
        self.sortedKeys = sortedKeys
        bytes.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): JSONText.appendInteger(number, to: &bytes)
        case .double(let number): bytes.append(contentsOf: Self.format(number).utf8)
        case .string(let string): writeString(string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            if sortedKeys {
                for key in members.keys.sorted() { writeMember(key, members[key]!, first: &first) }
            } else {
                // `apiVersion`, `kind` and `metadata` first, as Kubernetes writes them; the rest as they come.
                for key in Self.leadingKeys { if let member = members[key] { writeMember(key, member, first: &first) } }
                for (key, member) in members where !Self.isLeading(key) { writeMember(key, member, first: &first) }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let leadingKeys = ["apiVersion", "kind", "metadata"]

    private static func isLeading(_ key: String) -> Bool { leadingKeys.contains(key) }

    private mutating func writeMember(_ key: String, _ value: JSONValue, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        write(value)
    }

    /// Formats a double so that it reads back as a double (non-finite numbers become `null`).
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        return "\(number)"
    }

    private mutating func writeString(_ string: String) { JSONText.appendString(string, to: &bytes) }
}
