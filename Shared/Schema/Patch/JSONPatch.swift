/// An RFC 6902 JSON patch: a list of `add`, `remove`, `replace`, `move`, `copy` and `test` operations on JSON
/// pointers, applied in order; the first that fails fails the whole patch.
public struct JSONPatch: Sendable, Hashable {
    /// One operation.
    public enum Operation: Sendable, Hashable {
        case add(JSONPointer, JSONValue)
        case remove(JSONPointer)
        case replace(JSONPointer, JSONValue)
        case move(from: JSONPointer, to: JSONPointer)
        case copy(from: JSONPointer, to: JSONPointer)
        case test(JSONPointer, JSONValue)
    }

    /// The operations, in order.
    public var operations: [Operation]

    /// Wraps operations.
    public init(_ operations: [Operation]) {
        self.operations = operations
    }

    /// Reads a patch document: an array of `{"op", "path", "from"?, "value"?}` objects. Members an operation does
    /// not use are ignored (RFC 6902 A.11).
    public init(_ document: JSONValue) throws(PatchError) {
        guard case .array(let elements) = document else {
            throw .malformed(
                "a JSON patch (RFC 6902) is an array of operations, not \(Self.typeName(document)): "
                    + "[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]")
        }
        var operations: [Operation] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                throw .malformed("JSON patch operation \(index) is not an object")
            }
            func pointer(_ key: String) throws(PatchError) -> JSONPointer {
                guard case .string(let text)? = members[key] else {
                    throw .malformed("JSON patch operation \(index) needs \"\(key)\" (a JSON pointer string)")
                }
                return try JSONPointer(text)
            }
            func value(_ op: String) throws(PatchError) -> JSONValue {
                guard let value = members["value"] else {
                    throw .malformed("JSON patch operation \(index) (\(op)) needs \"value\"")
                }
                return value
            }
            guard case .string(let op)? = members["op"] else {
                throw .malformed("JSON patch operation \(index) needs \"op\": add, remove, replace, move, copy or test")
            }
            switch op {
            case "add": operations.append(.add(try pointer("path"), try value(op)))
            case "remove": operations.append(.remove(try pointer("path")))
            case "replace": operations.append(.replace(try pointer("path"), try value(op)))
            case "move": operations.append(.move(from: try pointer("from"), to: try pointer("path")))
            case "copy": operations.append(.copy(from: try pointer("from"), to: try pointer("path")))
            case "test": operations.append(.test(try pointer("path"), try value(op)))
            default:
                throw .malformed(
                    "JSON patch operation \(index) has an unknown op \"\(op)\": "
                        + "use add, remove, replace, move, copy or test")
            }
        }
        self.operations = operations
    }

    /// Applies every operation to `document`.
    public func apply(to document: JSONValue) throws(PatchError) -> JSONValue {
        var result = document
        for operation in operations {
            result = try Self.apply(operation, to: result)
        }
        return result
    }

    static func apply(_ operation: Operation, to document: JSONValue) throws(PatchError) -> JSONValue {
        switch operation {
        case .add(let path, let value):
            return try insert(value, at: path, in: document, op: "add")
        case .remove(let path):
            guard path.value(in: document) != nil else { throw missing(path, in: document, op: "remove") }
            return try change(document, path.tokens[...], path: path, op: "remove") { _ in nil }
        case .replace(let path, let value):
            guard path.value(in: document) != nil else { throw missing(path, in: document, op: "replace") }
            return try change(document, path.tokens[...], path: path, op: "replace") { _ in value }
        case .move(let from, let to):
            guard let value = from.value(in: document) else {
                throw missing(from, in: document, op: "move", from: true)
            }
            if from == to { return document }
            if to.tokens.count > from.tokens.count, Array(to.tokens.prefix(from.tokens.count)) == from.tokens {
                throw .notApplicable(
                    .invalid(
                        to.fieldPath(in: document), .string(to.description),
                        "jsonpatch move operation does not apply: \"from\" \(from) is a prefix of \"path\""))
            }
            let removed = try change(document, from.tokens[...], path: from, op: "move") { _ in nil }
            return try insert(value, at: to, in: removed, op: "move")
        case .copy(let from, let to):
            guard let value = from.value(in: document) else {
                throw missing(from, in: document, op: "copy", from: true)
            }
            return try insert(value, at: to, in: document, op: "copy")
        case .test(let path, let expected):
            guard let actual = path.value(in: document) else { throw missing(path, in: document, op: "test") }
            guard jsonEqual(actual, expected) else {
                throw .notApplicable(
                    .invalid(
                        path.fieldPath(in: document), actual,
                        "jsonpatch test operation does not apply: is not equal to \(expected.encodedString(sortedKeys: true))"
                    ))
            }
            return document
        }
    }

    /// `add` semantics: a member is set (replaced if present), an array element inserted before the index (or
    /// appended for `-`), the root replaced.
    static func insert(_ value: JSONValue, at path: JSONPointer, in document: JSONValue, op: String) throws(PatchError)
        -> JSONValue
    {
        guard let last = path.tokens.last else { return value }
        let parentPointer = JSONPointer(tokens: Array(path.tokens.dropLast()))
        guard let parent = parentPointer.value(in: document) else { throw missing(path, in: document, op: op) }
        switch parent {
        case .object:
            return try change(document, path.tokens[...], path: path, op: op, insert: true) { _ in value }
        case .array(let elements):
            let index: Int
            if last == "-" {
                index = elements.count
            } else if let i = JSONPointer.index(last), i <= elements.count {
                index = i
            } else {
                throw .notApplicable(
                    .invalid(
                        path.fieldPath(in: document), .string(last),
                        "jsonpatch \(op) operation does not apply: index out of range (the array has \(elements.count) elements)"
                    ))
            }
            var inserted = elements
            inserted.insert(value, at: index)
            return try change(document, parentPointer.tokens[...], path: path, op: op) { _ in .array(inserted) }
        default:
            throw missing(path, in: document, op: op)
        }
    }

    /// Rebuilds `document` with the value at `tokens` replaced by `body(old)` (nil removes it). With `insert`, the
    /// last token may name an absent object member.
    static func change(
        _ document: JSONValue, _ tokens: ArraySlice<String>, path: JSONPointer, op: String, insert: Bool = false,
        _ body: (JSONValue?) -> JSONValue?
    ) throws(PatchError) -> JSONValue {
        guard let token = tokens.first else { return body(document) ?? .null }
        let rest = tokens.dropFirst()
        switch document {
        case .object(var members):
            if rest.isEmpty {
                guard insert || members[token] != nil else { throw missing(path, in: document, op: op) }
                members[token] = body(members[token])
                return .object(members)
            }
            guard let child = members[token] else { throw missing(path, in: document, op: op) }
            members[token] = try change(child, rest, path: path, op: op, insert: insert, body)
            return .object(members)
        case .array(var elements):
            guard let index = JSONPointer.index(token), elements.indices.contains(index) else {
                throw missing(path, in: document, op: op)
            }
            if rest.isEmpty {
                if let value = body(elements[index]) { elements[index] = value } else { elements.remove(at: index) }
            } else {
                elements[index] = try change(elements[index], rest, path: path, op: op, insert: insert, body)
            }
            return .array(elements)
        default:
            throw missing(path, in: document, op: op)
        }
    }

    static func missing(_ path: JSONPointer, in document: JSONValue, op: String, from: Bool = false) -> PatchError {
        .notApplicable(
            .invalid(
                path.fieldPath(in: document), .string(path.description),
                "jsonpatch \(op) operation does not apply: doc is missing \(from ? "from " : "")path"))
    }

    /// JSON equality: numbers by value (`10` equals `10.0`), objects by members, arrays in order.
    public static func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .double), (.double, .int), (.double, .double):
            return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { jsonEqual(value, $0) } ?? false }
        default:
            return a == b
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        }
    }
}
