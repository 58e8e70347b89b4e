/// `Decoder` and `Encoder` over `JSONValue` itself: a typed object is decoded straight from the parsed tree and
/// encoded straight into one, without writing JSON text for Foundation's coders to parse again (issue 12: the api
/// normalizes every object it writes by a decode and two encodes, and the round trips through bytes were a fifth
/// of its CPU).
///
/// They follow Foundation's `JSONDecoder` and `JSONEncoder` where a document can tell: a `null` is absent for
/// `decodeIfPresent` and `valueNotFound` otherwise; integers decode from integral numbers (`1.0`, `1e3`) that fit;
/// a `Double` with an integral value is encoded as an integer (`1.0` → `1`), as Foundation writes it, so the tree
/// is the one Foundation's text would have parsed into. The errors are `DecodingError`s with Foundation's kinds and
/// coding paths (an integer that does not fit names its field, where Foundation names none).
enum JSONValueCoding {
    /// One step of a coding path, kept as a linked list so that a path is built only when an error asks for it.
    final class Path: Sendable {
        let parent: Path?
        let key: Key

        init(parent: Path?, key: Key) {
            self.parent = parent
            self.key = key
        }

        static func keys(_ path: Path?) -> [any CodingKey] {
            var keys: [any CodingKey] = []
            var node = path
            while let n = node {
                keys.append(n.key)
                node = n.parent
            }
            return keys.reversed()
        }
    }

    /// A key of a coding path: a member name, or an array index as Foundation names it (`Index 3`).
    struct Key: CodingKey, Sendable {
        let stringValue: String
        let intValue: Int?

        init(stringValue: String) {
            self.stringValue = stringValue
            intValue = nil
        }

        init(intValue: Int) {
            stringValue = "Index \(intValue)"
            self.intValue = intValue
        }

        init(_ key: any CodingKey) {
            stringValue = key.stringValue
            intValue = key.intValue
        }
    }

    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null value"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "a dictionary"
        }
    }
}

// MARK: Decoding

struct JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let path: JSONValueCoding.Path?

    init(value: JSONValue, path: JSONValueCoding.Path? = nil) {
        self.value = value
        self.path = path
    }

    var codingPath: [any CodingKey] { JSONValueCoding.Path.keys(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(
            type,
            .init(
                codingPath: codingPath,
                debugDescription: "Expected to decode \(expected) but found \(JSONValueCoding.kindName(value)) instead."
            ))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .object(let members):
            return KeyedDecodingContainer(KeyedJSONValueDecoding<Key>(members: members, path: path))
        case .null:
            throw DecodingError.valueNotFound(
                KeyedDecodingContainer<Key>.self,
                .init(
                    codingPath: codingPath,
                    debugDescription: "Cannot get keyed decoding container -- found null value instead"))
        default:
            throw mismatch([String: Any].self, "Dictionary<String, Any>")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .array(let items):
            return UnkeyedJSONValueDecoding(items: items, path: path)
        case .null:
            throw DecodingError.valueNotFound(
                (any UnkeyedDecodingContainer).self,
                .init(
                    codingPath: codingPath,
                    debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
        default:
            throw mismatch([Any].self, "Array<Any>")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value.isNull }

    private func notNull(_ type: Any.Type) throws {
        if value.isNull {
            throw DecodingError.valueNotFound(
                type,
                .init(
                    codingPath: codingPath,
                    debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        try notNull(type)
        guard case .bool(let b) = value else { throw mismatch(type, "Bool") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        try notNull(type)
        guard case .string(let s) = value else { throw mismatch(type, "String") }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        try notNull(type)
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw mismatch(type, "Double")
        }
    }

    func decode(_ type: Float.Type) throws -> Float {
        let d = try decode(Double.self)
        guard d.isNaN || d.isInfinite || abs(d) <= Double(Float.greatestFiniteMagnitude) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Parsed JSON number \(d) does not fit in Float."))
        }
        return Float(d)
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try notNull(type)
        let fits: T?
        switch value {
        case .int(let i): fits = T(exactly: i)
        case .double(let d): fits = d.isFinite ? T(exactly: d) : nil
        default: throw mismatch(type, "\(type)")
        }
        guard let fits else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath,
                    debugDescription: "expected an integer that fits in \(type), got \(value.encodedString())"))
        }
        return fits
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // The tree itself needs no decoding.
        if T.self == JSONValue.self, let same = value as? T { return same }
        do {
            if let direct = try JSONTree.decodeDirectly(T.self, from: value) { return direct }
        } catch {
            throw error.prefixed(by: codingPath)
        }
        return try T(from: self)
    }
}

struct KeyedJSONValueDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let path: JSONValueCoding.Path?

    var codingPath: [any CodingKey] { JSONValueCoding.Path.keys(path) }
    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func child(_ key: Key) throws -> JSONValueDecoder {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: codingPath,
                    debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return JSONValueDecoder(value: value, path: JSONValueCoding.Path(parent: path, key: .init(key)))
    }

    func decodeNil(forKey key: Key) throws -> Bool { try child(key).value.isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).integer(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).integer(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).integer(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).integer(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).integer(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).integer(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).integer(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).integer(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).integer(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoder(
            value: members["super"] ?? .null,
            path: JSONValueCoding.Path(parent: path, key: .init(stringValue: "super")))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(
            value: members[key.stringValue] ?? .null, path: JSONValueCoding.Path(parent: path, key: .init(key)))
    }
}

struct UnkeyedJSONValueDecoding: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let path: JSONValueCoding.Path?
    var currentIndex = 0

    init(items: [JSONValue], path: JSONValueCoding.Path?) {
        self.items = items
        self.path = path
    }

    var codingPath: [any CodingKey] { JSONValueCoding.Path.keys(path) }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private func next(_ type: Any.Type) throws -> JSONValueDecoder {
        let key = JSONValueCoding.Key(intValue: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [key], debugDescription: "Unkeyed container is at end."))
        }
        return JSONValueDecoder(value: items[currentIndex], path: JSONValueCoding.Path(parent: path, key: key))
    }

    mutating func decodeNil() throws -> Bool {
        guard try next(Any?.self).value.isNull else { return false }
        currentIndex += 1
        return true
    }

    private mutating func take<T>(_ type: T.Type, _ body: (JSONValueDecoder) throws -> T) throws -> T {
        let value = try body(try next(type))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try take(type) { try $0.decode(type) } }
    mutating func decode(_ type: String.Type) throws -> String { try take(type) { try $0.decode(type) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try take(type) { try $0.decode(type) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try take(type) { try $0.decode(type) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try take(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try take(type) { try $0.integer(type) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try take(type) { try $0.decode(type) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try take(KeyedDecodingContainer<NestedKey>.self) { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try take((any UnkeyedDecodingContainer).self) { try $0.unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try take((any Decoder).self) { $0 }
    }
}

// MARK: Encoding

/// What an encoder has written so far: a value, or an object or array that containers keep adding to.
final class JSONValueSlot {
    enum Content {
        case empty
        case value(JSONValue)
        case object([String: JSONValueSlot])
        case array([JSONValueSlot])
    }

    var content: Content = .empty

    init() {}
    init(_ value: JSONValue) { content = .value(value) }

    /// The tree; an encoder that wrote nothing is an empty object, as Foundation writes it.
    var value: JSONValue {
        switch content {
        case .empty: return .object([:])
        case .value(let v): return v
        case .object(let members): return .object(members.mapValues(\.value))
        case .array(let items): return .array(items.map(\.value))
        }
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func set(_ key: String, _ slot: JSONValueSlot) {
        guard case .object(var members) = content else { return }
        content = .empty  // one owner of the dictionary while it changes
        members[key] = slot
        content = .object(members)
    }

    func append(_ slot: JSONValueSlot) {
        guard case .array(var items) = content else { return }
        content = .empty
        items.append(slot)
        content = .array(items)
    }

    var arrayCount: Int {
        if case .array(let items) = content { return items.count }
        return 0
    }
}

struct JSONValueEncoder: Encoder, SingleValueEncodingContainer {
    let slot: JSONValueSlot
    let path: JSONValueCoding.Path?

    init(slot: JSONValueSlot = JSONValueSlot(), path: JSONValueCoding.Path? = nil) {
        self.slot = slot
        self.path = path
    }

    var codingPath: [any CodingKey] { JSONValueCoding.Path.keys(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeObject()
        return KeyedEncodingContainer(KeyedJSONValueEncoding<Key>(slot: slot, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return UnkeyedJSONValueEncoding(slot: slot, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// The number as Foundation's JSONEncoder writes it, parsed back: integral values without their `.0`.
    static func number(_ description: String, _ value: Double, path: JSONValueCoding.Path?) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(
                    codingPath: JSONValueCoding.Path.keys(path),
                    debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        if description.hasSuffix(".0"), let integer = Int64(description.dropLast(2)) { return .int(integer) }
        return .double(Double(description) ?? value)
    }

    static func integer<T: FixedWidthInteger>(_ value: T) -> JSONValue {
        if let exact = Int64(exactly: value) { return .int(exact) }
        return .double(Double(value))
    }

    func encodeNil() { slot.content = .value(.null) }
    func encode(_ value: Bool) { slot.content = .value(.bool(value)) }
    func encode(_ value: String) { slot.content = .value(.string(value)) }
    func encode(_ value: Double) throws {
        slot.content = .value(try Self.number(value.description, value, path: path))
    }
    func encode(_ value: Float) throws {
        slot.content = .value(try Self.number(value.description, Double(value), path: path))
    }
    func encode(_ value: Int) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: Int8) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: Int16) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: Int32) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: Int64) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: UInt) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: UInt8) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: UInt16) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: UInt32) { slot.content = .value(Self.integer(value)) }
    func encode(_ value: UInt64) { slot.content = .value(Self.integer(value)) }

    func encode<T: Encodable>(_ value: T) throws {
        if let tree = value as? JSONValue {
            slot.content = .value(tree)
            return
        }
        if let tree = JSONTree.encodeDirectly(value) {
            slot.content = .value(tree)
            return
        }
        try value.encode(to: self)
    }

    /// Encodes `value` into a new slot below `path`.
    static func slot<T: Encodable>(for value: T, path: JSONValueCoding.Path) throws -> JSONValueSlot {
        let child = JSONValueEncoder(path: path)
        try child.encode(value)
        return child.slot
    }
}

struct KeyedJSONValueEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: JSONValueSlot
    let path: JSONValueCoding.Path?

    var codingPath: [any CodingKey] { JSONValueCoding.Path.keys(path) }

    private func put(_ key: Key, _ value: JSONValue) { slot.set(key.stringValue, JSONValueSlot(value)) }
    private func child(_ key: Key) -> JSONValueCoding.Path { JSONValueCoding.Path(parent: path, key: .init(key)) }

    mutating func encodeNil(forKey key: Key) { put(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) { put(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) { put(key, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        put(key, try JSONValueEncoder.number(value.description, value, path: child(key)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        put(key, try JSONValueEncoder.number(value.description, Double(value), path: child(key)))
    }
    mutating func encode(_ value: Int, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) { put(key, JSONValueEncoder.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        slot.set(key.stringValue, try JSONValueEncoder.slot(for: value, path: child(key)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = JSONValueSlot()
        nested.makeObject()
        slot.set(key.stringValue, nested)
        return KeyedEncodingContainer(KeyedJSONValueEncoding<NestedKey>(slot: nested, path: child(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONValueSlot()
        nested.makeArray()
        slot.set(key.stringValue, nested)
        return UnkeyedJSONValueEncoding(slot: nested, path: child(key))
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONValueSlot()
        slot.set("super", nested)
        return JSONValueEncoder(
            slot: nested, path: JSONValueCoding.Path(parent: path, key: .init(stringValue: "super")))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let nested = JSONValueSlot()
        slot.set(key.stringValue, nested)
        return JSONValueEncoder(slot: nested, path: child(key))
    }
}

struct UnkeyedJSONValueEncoding: UnkeyedEncodingContainer {
    let slot: JSONValueSlot
    let path: JSONValueCoding.Path?

    var codingPath: [any CodingKey] { JSONValueCoding.Path.keys(path) }
    var count: Int { slot.arrayCount }

    private func next() -> JSONValueCoding.Path {
        JSONValueCoding.Path(parent: path, key: .init(intValue: slot.arrayCount))
    }

    private func add(_ value: JSONValue) { slot.append(JSONValueSlot(value)) }

    mutating func encodeNil() { add(.null) }
    mutating func encode(_ value: Bool) { add(.bool(value)) }
    mutating func encode(_ value: String) { add(.string(value)) }
    mutating func encode(_ value: Double) throws {
        add(try JSONValueEncoder.number(value.description, value, path: next()))
    }
    mutating func encode(_ value: Float) throws {
        add(try JSONValueEncoder.number(value.description, Double(value), path: next()))
    }
    mutating func encode(_ value: Int) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int8) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int16) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int32) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: Int64) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt8) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt16) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt32) { add(JSONValueEncoder.integer(value)) }
    mutating func encode(_ value: UInt64) { add(JSONValueEncoder.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        slot.append(try JSONValueEncoder.slot(for: value, path: next()))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = JSONValueSlot()
        nested.makeObject()
        let path = next()
        slot.append(nested)
        return KeyedEncodingContainer(KeyedJSONValueEncoding<NestedKey>(slot: nested, path: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONValueSlot()
        nested.makeArray()
        let path = next()
        slot.append(nested)
        return UnkeyedJSONValueEncoding(slot: nested, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONValueSlot()
        let path = next()
        slot.append(nested)
        return JSONValueEncoder(slot: nested, path: path)
    }
}
