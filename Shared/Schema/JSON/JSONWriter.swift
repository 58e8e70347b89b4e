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
        case .null: bytes.append(contentsOf: Array("null".utf8))
        case .bool(let flag): bytes.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .int(let number): bytes.append(contentsOf: Array(String(number).utf8))
        case .double(let number): bytes.append(contentsOf: Array(Self.format(number).utf8))
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
            for (index, key) in orderedKeys(members).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(members[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private func orderedKeys(_ members: [String: JSONValue]) -> [String] {
        if sortedKeys { return members.keys.sorted() }
        let leading = ["apiVersion", "kind", "metadata"].filter { members[$0] != nil }
        return leading + members.keys.filter { !leading.contains($0) }
    }

    /// Formats a double so that it reads back as a double (non-finite numbers become `null`).
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        return "\(number)"
    }

    private mutating func writeString(_ string: String) { JSONText.appendString(string, to: &bytes) }
}
