/// A type read from and written to the `JSONValue` tree by code written for it rather than through `Decoder` and
/// `Encoder`: every struct of the kinds (generated from its spec by `scripts/generate-kinds.py`), the few values
/// written by hand (`Quantity`, `IntOrString`, `Time`, `MicroTime`), the scalars, arrays and string-keyed
/// dictionaries of these (issue 12: decoding and encoding the kinds through `Codable` over the tree was a seventh
/// of the api's CPU per create and a tenth of the scheduler's).
///
/// What they read and write is exactly what their `Codable` conformances read and write through
/// `JSONValueDecoder` and `JSONValueEncoder` — the same trees, and on bad input the same `DecodingError`s with the
/// same coding paths (JSONTreeTests holds every kind against Foundation's coders) — so either path may be taken.
/// `JSONValue.decode(as:)` and `JSONValue(encoding:)` take this one whenever the type has it.
public protocol JSONTreeCodable: Codable {
    /// Reads the value from the tree; an error's coding path is relative to `tree`.
    init(jsonTree tree: JSONValue) throws(DecodingError)
    /// The tree `encode(to:)` writes.
    func jsonTree() -> JSONValue
}

/// What the generated conformances call.
public enum JSONTree {
    /// The members of an object, or the error `container(keyedBy:)` throws for anything else.
    public static func members<Key: CodingKey>(of tree: JSONValue, keyedBy: Key.Type) throws(DecodingError)
        -> [String: JSONValue]
    {
        switch tree {
        case .object(let members): return members
        case .null:
            throw DecodingError.valueNotFound(
                KeyedDecodingContainer<Key>.self,
                .init(
                    codingPath: [], debugDescription: "Cannot get keyed decoding container -- found null value instead")
            )
        default:
            throw mismatch([String: Any].self, "Dictionary<String, Any>", tree)
        }
    }

    /// The member `key` as `decodeIfPresent` reads it: absent or `null` is nil; an error names the key.
    public static func field<T: JSONTreeCodable>(_ members: [String: JSONValue], _ key: String) throws(DecodingError)
        -> T?
    {
        guard let value = members[key] else { return nil }
        if case .null = value { return nil }
        do {
            return try T(jsonTree: value)
        } catch {
            throw error.prefixed(by: [JSONValueCoding.Key(stringValue: key)])
        }
    }

    /// The error `JSONValueDecoder` throws for a value of the wrong JSON type.
    public static func mismatch(_ type: Any.Type, _ expected: String, _ found: JSONValue) -> DecodingError {
        .typeMismatch(
            type,
            .init(
                codingPath: [],
                debugDescription: "Expected to decode \(expected) but found \(JSONValueCoding.kindName(found)) instead."
            ))
    }

    /// The error `JSONValueDecoder` throws for `null` where a scalar is required.
    public static func null(_ type: Any.Type) -> DecodingError {
        .valueNotFound(
            type,
            .init(codingPath: [], debugDescription: "Cannot get value of type \(type) -- found null value instead"))
    }

    /// An integer as `JSONValueDecoder` reads it: an integral number that fits.
    static func integer<T: FixedWidthInteger>(_ tree: JSONValue, as type: T.Type) throws(DecodingError) -> T {
        let fits: T?
        switch tree {
        case .int(let i): fits = T(exactly: i)
        case .double(let d): fits = d.isFinite ? T(exactly: d) : nil
        case .null: throw null(type)
        default: throw mismatch(type, "\(type)", tree)
        }
        guard let fits else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [],
                    debugDescription: "expected an integer that fits in \(type), got \(tree.encodedString())"))
        }
        return fits
    }

    /// Decodes `T` through its `JSONTreeCodable` conformance when it has one; nil otherwise. The error's coding
    /// path is relative to `tree`.
    static func decodeDirectly<T: Decodable>(_ type: T.Type, from tree: JSONValue) throws(DecodingError) -> T? {
        guard let direct = T.self as? any JSONTreeCodable.Type else { return nil }
        func read<U: JSONTreeCodable>(_: U.Type) throws(DecodingError) -> T {
            // U is T, opened from the existential metatype.
            try U(jsonTree: tree) as! T
        }
        return try read(direct)
    }

    /// Encodes `value` through its `JSONTreeCodable` conformance when it has one; nil otherwise.
    static func encodeDirectly<T: Encodable>(_ value: T) -> JSONValue? {
        guard let direct = T.self as? any JSONTreeCodable.Type else { return nil }
        func write<U: JSONTreeCodable>(_: U.Type) -> JSONValue {
            // U is T, opened from the existential metatype: read the value in place, without copying it.
            withUnsafePointer(to: value) { pointer in
                UnsafeRawPointer(pointer).assumingMemoryBound(to: U.self).pointee.jsonTree()
            }
        }
        return write(direct)
    }
}

extension DecodingError {
    /// The same error with `keys` in front of its coding path: a nested value's error seen from its container.
    func prefixed(by keys: [any CodingKey]) -> DecodingError {
        func moved(_ context: Context) -> Context {
            Context(
                codingPath: keys + context.codingPath, debugDescription: context.debugDescription,
                underlyingError: context.underlyingError)
        }
        switch self {
        case .typeMismatch(let type, let context): return .typeMismatch(type, moved(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, moved(context))
        case .keyNotFound(let key, let context): return .keyNotFound(key, moved(context))
        case .dataCorrupted(let context): return .dataCorrupted(moved(context))
        @unknown default: return self
        }
    }
}

// MARK: Scalars

extension String: JSONTreeCodable {
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        switch tree {
        case .string(let s): self = s
        case .null: throw JSONTree.null(String.self)
        default: throw JSONTree.mismatch(String.self, "String", tree)
        }
    }

    public func jsonTree() -> JSONValue { .string(self) }
}

extension Bool: JSONTreeCodable {
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        switch tree {
        case .bool(let b): self = b
        case .null: throw JSONTree.null(Bool.self)
        default: throw JSONTree.mismatch(Bool.self, "Bool", tree)
        }
    }

    public func jsonTree() -> JSONValue { .bool(self) }
}

extension Int: JSONTreeCodable {
    public init(jsonTree tree: JSONValue) throws(DecodingError) { self = try JSONTree.integer(tree, as: Int.self) }

    public func jsonTree() -> JSONValue { .int(Int64(self)) }
}

extension Int32: JSONTreeCodable {
    public init(jsonTree tree: JSONValue) throws(DecodingError) { self = try JSONTree.integer(tree, as: Int32.self) }

    public func jsonTree() -> JSONValue { .int(Int64(self)) }
}

extension Int64: JSONTreeCodable {
    public init(jsonTree tree: JSONValue) throws(DecodingError) { self = try JSONTree.integer(tree, as: Int64.self) }

    public func jsonTree() -> JSONValue { .int(self) }
}

// MARK: Collections

extension Array: JSONTreeCodable where Element: JSONTreeCodable {
    /// An array as `Array.init(from:)` reads it through an unkeyed container.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        switch tree {
        case .array(let items):
            self = []
            reserveCapacity(items.count)
            for index in items.indices {
                do {
                    append(try Element(jsonTree: items[index]))
                } catch {
                    throw error.prefixed(by: [JSONValueCoding.Key(intValue: index)])
                }
            }
        case .null:
            throw DecodingError.valueNotFound(
                (any UnkeyedDecodingContainer).self,
                .init(
                    codingPath: [],
                    debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
        default:
            throw JSONTree.mismatch([Any].self, "Array<Any>", tree)
        }
    }

    public func jsonTree() -> JSONValue { .array(map { $0.jsonTree() }) }
}

extension Dictionary: JSONTreeCodable where Key == String, Value: JSONTreeCodable {
    /// A string-keyed dictionary as `Dictionary.init(from:)` reads it through a keyed container.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        switch tree {
        case .object(let members):
            self = [:]
            reserveCapacity(members.count)
            for (key, value) in members {
                do {
                    self[key] = try Value(jsonTree: value)
                } catch {
                    throw error.prefixed(by: [JSONValueCoding.Key(stringValue: key)])
                }
            }
        case .null:
            throw DecodingError.valueNotFound(
                KeyedDecodingContainer<JSONValueCoding.Key>.self,
                .init(
                    codingPath: [], debugDescription: "Cannot get keyed decoding container -- found null value instead")
            )
        default:
            throw JSONTree.mismatch([String: Any].self, "Dictionary<String, Any>", tree)
        }
    }

    public func jsonTree() -> JSONValue { .object(mapValues { $0.jsonTree() }) }
}

// MARK: Values written by hand

extension Quantity: JSONTreeCodable {
    /// A string like `"200Mi"` or a JSON number, as `init(from:)` reads it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let text: String
        switch tree {
        case .string(let string): text = string
        case .int(let integer): text = String(integer)
        case .double(let number):
            if let integer = Int64(exactly: number) { text = String(integer) } else { text = "\(number)" }
        case .null: throw JSONTree.null(Double.self)
        default: throw JSONTree.mismatch(Double.self, "Double", tree)
        }
        do {
            self = try Quantity.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: error.message, underlyingError: error))
        }
    }

    /// The canonical string.
    public func jsonTree() -> JSONValue { .string(description) }
}

extension IntOrString: JSONTreeCodable {
    /// An integral number that fits in `Int`, else a string, as `init(from:)` reads it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        if let integer = try? JSONTree.integer(tree, as: Int.self) {
            self = .int(integer)
        } else {
            self = .string(try String(jsonTree: tree))
        }
    }

    /// A JSON integer or string.
    public func jsonTree() -> JSONValue {
        switch self {
        case .int(let value): return .int(Int64(value))
        case .string(let value): return .string(value)
        }
    }
}

extension RFC3339Timestamp {
    /// The RFC 3339 string, as `init(from:)` reads it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        self.init(rawValue: try String(jsonTree: tree))
    }

    /// The RFC 3339 string.
    public func jsonTree() -> JSONValue { .string(rawValue) }
}

extension Time: JSONTreeCodable {}
extension MicroTime: JSONTreeCodable {}
