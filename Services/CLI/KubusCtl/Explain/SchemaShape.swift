public import Schema

/// The JSON shape of a Codable schema type, read by decoding it with a recording decoder: the fields the type
/// asks for, and the type of each. This is what `explain` shows; it needs no hand-written text per kind.
indirect enum FieldShape: Equatable, Sendable {
    /// `string`, `integer`, `boolean`, `number`, `Quantity`, `IntOrString`, `Object` (any JSON).
    case scalar(String)
    /// A named object type and its fields, alphabetically.
    case object(String, [Field])
    case array(FieldShape)
    /// `map[string]VALUE`.
    case map(FieldShape)

    struct Field: Equatable, Sendable {
        var name: String
        var shape: FieldShape
    }

    /// kubectl's type text: `<string>`, `<[]Container>`, `<map[string]string>`, `<ObjectMeta>`.
    var typeName: String {
        switch self {
        case .scalar(let name): return name
        case .object(let name, _): return name
        case .array(let element): return "[]" + element.typeName
        case .map(let value): return "map[string]" + value.typeName
        }
    }

    /// The fields of this shape, or of its elements or values.
    var fields: [Field]? {
        switch self {
        case .object(_, let fields): return fields
        case .array(let element), .map(let element): return element.fields
        case .scalar: return nil
        }
    }
}

/// Reads `FieldShape`s from `Decodable` types.
enum SchemaShape {
    /// The shape of `T`.
    static func of<T: Decodable>(_ type: T.Type) -> FieldShape {
        shape(T.self, stack: []).shape
    }

    /// The shape of `T` and a value of it (nil when no value could be made), for the recording decoder.
    static func shape<T: Decodable>(_ type: T.Type, stack: [String]) -> (shape: FieldShape, value: T?) {
        if let scalar = scalarName(T.self) {
            let node = ShapeNode()
            return (.scalar(scalar), try? T(from: ShapeDecoder(node: node, stack: stack)))
        }
        let name = typeName(T.self)
        if stack.contains(name) { return (.object(name, []), nil) }
        let node = ShapeNode()
        let value = try? T(from: ShapeDecoder(node: node, stack: stack + [name]))
        switch node.kind {
        case .keyed:
            if node.fields.count == 1, node.fields[0].name == ShapeKey.anyKey {
                return (.map(node.fields[0].shape), value)
            }
            let fields = node.fields.sorted { $0.name < $1.name }
            return (.object(name, fields), value)
        case .unkeyed:
            return (.array(node.element ?? .scalar("Object")), value)
        case .single(let scalar):
            return (.scalar(scalar), value)
        case .none:
            return (.scalar("Object"), value)
        }
    }

    static func scalarName(_ type: Any.Type) -> String? {
        switch type {
        case is String.Type, is Time.Type, is MicroTime.Type: return "string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type: return "integer"
        case is Bool.Type: return "boolean"
        case is Double.Type, is Float.Type: return "number"
        case is Quantity.Type: return "Quantity"
        case is IntOrString.Type: return "IntOrString"
        case is JSONValue.Type: return "Object"
        default: return nil
        }
    }

    /// `PodSpec` for `Schema.PodSpec`, `Container` for `Optional<Container>`.
    static func typeName(_ type: Any.Type) -> String {
        var name = String(describing: type)
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        return name
    }
}

/// What one decoded value asked of its decoder.
final class ShapeNode {
    enum Kind {
        case keyed
        case unkeyed
        case single(String)
    }

    var kind: Kind?
    var fields: [FieldShape.Field] = []
    var element: FieldShape?
}

/// A key that stands for "any key" of a dictionary.
struct ShapeKey {
    static let anyKey = "*"
}

struct ShapeDecoder: Decoder {
    let node: ShapeNode
    let stack: [String]
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        node.kind = .keyed
        return KeyedDecodingContainer(ShapeKeyedContainer<Key>(node: node, stack: stack))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        node.kind = .unkeyed
        return ShapeUnkeyedContainer(node: node, stack: stack)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        if node.kind == nil { node.kind = .single("string") }
        return ShapeSingleContainer()
    }
}

struct ShapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: ShapeNode
    let stack: [String]
    var codingPath: [any CodingKey] = []

    /// Dictionaries ask for their keys: one stand-in key (record types' keys cannot be made from it).
    var allKeys: [Key] { Key(stringValue: ShapeKey.anyKey).map { [$0] } ?? [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = try decodeIfPresent(type, forKey: key) else {
            throw DecodingError.valueNotFound(
                T.self, .init(codingPath: codingPath + [key], debugDescription: "shape only"))
        }
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let (shape, value) = SchemaShape.shape(T.self, stack: stack)
        if !node.fields.contains(where: { $0.name == key.stringValue }) {
            node.fields.append(FieldShape.Field(name: key.stringValue, shape: shape))
        }
        return value
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let child = ShapeNode()
        child.kind = .keyed
        node.fields.append(FieldShape.Field(name: key.stringValue, shape: .scalar("Object")))
        return KeyedDecodingContainer(ShapeKeyedContainer<NestedKey>(node: child, stack: stack))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        ShapeUnkeyedContainer(node: ShapeNode(), stack: stack)
    }

    func superDecoder() throws -> any Decoder { ShapeDecoder(node: node, stack: stack) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ShapeDecoder(node: ShapeNode(), stack: stack) }
}

struct ShapeUnkeyedContainer: UnkeyedDecodingContainer {
    let node: ShapeNode
    let stack: [String]
    var codingPath: [any CodingKey] = []
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= 1 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        let (shape, value) = SchemaShape.shape(T.self, stack: stack)
        node.element = shape
        guard let value else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "shape only"))
        }
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        currentIndex += 1
        return KeyedDecodingContainer(ShapeKeyedContainer<NestedKey>(node: ShapeNode(), stack: stack))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return ShapeUnkeyedContainer(node: ShapeNode(), stack: stack)
    }

    mutating func superDecoder() throws -> any Decoder { ShapeDecoder(node: ShapeNode(), stack: stack) }
}

/// Answers every scalar with a zero value that the schema's scalar types accept ("0" parses as a Quantity).
struct ShapeSingleContainer: SingleValueDecodingContainer {
    var codingPath: [any CodingKey] = []
    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { false }
    func decode(_ type: String.Type) throws -> String { "0" }
    func decode(_ type: Double.Type) throws -> Double { 0 }
    func decode(_ type: Float.Type) throws -> Float { 0 }
    func decode(_ type: Int.Type) throws -> Int { 0 }
    func decode(_ type: Int8.Type) throws -> Int8 { 0 }
    func decode(_ type: Int16.Type) throws -> Int16 { 0 }
    func decode(_ type: Int32.Type) throws -> Int32 { 0 }
    func decode(_ type: Int64.Type) throws -> Int64 { 0 }
    func decode(_ type: UInt.Type) throws -> UInt { 0 }
    func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
    func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
    func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
    func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let value = SchemaShape.shape(T.self, stack: []).value else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "shape only"))
        }
        return value
    }
}

/// Lets `explain` reach the Swift type behind a registry codec.
protocol SchemaShaped {
    var shape: FieldShape { get }
}

extension TypedCodec: SchemaShaped {
    var shape: FieldShape { SchemaShape.of(T.self) }
}
