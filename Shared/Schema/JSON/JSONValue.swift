import Foundation

/// A JSON document that keeps integers exact (`int`) apart from fractional numbers (`double`).
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member named `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members[key]
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` when this is an array and the index is in range, else `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The value at a path of object keys (array indexes as decimal strings), or `nil`.
    public subscript(path path: [String]) -> JSONValue? {
        get {
            var current: JSONValue? = self
            for component in path {
                switch current {
                case .object(let members)?: current = members[component]
                case .array(let elements)?:
                    guard let index = Int(component), elements.indices.contains(index) else { return nil }
                    current = elements[index]
                default: return nil
                }
            }
            return current
        }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            var members = objectValue ?? [:]
            var child = members[first] ?? .object([:])
            child[path: Array(path.dropFirst())] = newValue
            if path.count == 1 {
                members[first] = newValue
            } else {
                members[first] = child
            }
            self = .object(members)
        }
    }

    /// The members when this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string when this is a string.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The integer when this is an integer, or a double with no fractional part.
    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18: return Int64(value)
        default: return nil
        }
    }

    /// The number as a `Double` when this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The Boolean when this is a Boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Applies an RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces.
    public func mergePatched(with patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = objectValue ?? [:]
        for (key, value) in patchMembers {
            if case .null = value {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).mergePatched(with: value)
            }
        }
        return .object(result)
    }

    /// Parses JSON text (UTF-8).
    public static func parse(_ bytes: [UInt8]) throws(SchemaError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// Parses JSON text.
    public static func parse(_ text: String) throws(SchemaError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Compact JSON; with `sortedKeys` all keys are sorted, otherwise `apiVersion`, `kind`, `metadata` come first.
    public func encoded(sortedKeys: Bool = false) -> [UInt8] {
        var writer = JSONWriter(sortedKeys: sortedKeys)
        writer.write(self)
        return writer.bytes
    }

    /// Compact JSON as a string.
    public func encodedString(sortedKeys: Bool = false) -> String {
        String(decoding: encoded(sortedKeys: sortedKeys), as: UTF8.self)
    }

    /// Encodes any `Encodable` value into a `JSONValue`, straight into the tree (by its `JSONTreeCodable`
    /// conformance, else `JSONValueEncoder`): the value Foundation's JSONEncoder would have written and `parse` read
    /// back.
    public init<T: Encodable>(encoding value: T) throws(SchemaError) {
        if let direct = JSONTree.encodeDirectly(value) {
            self = direct
            return
        }
        do {
            let encoder = JSONValueEncoder()
            try encoder.encode(value)
            self = encoder.slot.value
        } catch {
            throw SchemaError.encoding("\(T.self)", cause: error)
        }
    }

    /// Decodes this value as `T`, straight from the tree (by its `JSONTreeCodable` conformance, else
    /// `JSONValueDecoder`); type errors name the dotted field path.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws(SchemaError) -> T {
        do {
            return try JSONValueDecoder(value: self).decode(T.self)
        } catch let error as DecodingError {
            throw SchemaError.invalidObject([FieldError(decodingError: error, in: self)])
        } catch {
            throw SchemaError.decoding("\(T.self)", cause: error)
        }
    }
}

extension JSONValue: Codable {
    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as the JSON it represents.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON with sorted keys.
    public var description: String { encodedString(sortedKeys: true) }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A Boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An exact integer.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A fractional number.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object; later duplicate keys win.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
