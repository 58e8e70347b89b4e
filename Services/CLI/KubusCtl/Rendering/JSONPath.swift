public import Schema

/// A small subset of kubectl's JSONPath templates: `{.a.b}`, `{.items[*].metadata.name}`, `{.x[0]}`,
/// `{.metadata.labels['app']}`, `{range .items[*]}...{end}`, and literal text (`{"\n"}`, `\n`, `\t`).
public struct JSONPathTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case path([Segment])
        case range([Segment], [Node])
    }

    enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
        case wildcard
    }

    let nodes: [Node]

    /// Parses a template; throws a message naming the problem.
    public init(_ template: String) throws(CtlError) {
        var tokens: [(isExpr: Bool, text: String)] = []
        var rest = Substring(template)
        while !rest.isEmpty {
            if let open = rest.firstIndex(of: "{") {
                if open > rest.startIndex { tokens.append((false, String(rest[..<open]))) }
                guard let close = rest[open...].firstIndex(of: "}") else {
                    throw CtlError("error parsing jsonpath \(template), unclosed action")
                }
                tokens.append((true, String(rest[rest.index(after: open)..<close])))
                rest = rest[rest.index(after: close)...]
            } else {
                tokens.append((false, String(rest)))
                rest = ""
            }
        }
        var index = 0
        nodes = try Self.parse(tokens, &index, template: template, inRange: false)
    }

    private static func parse(
        _ tokens: [(isExpr: Bool, text: String)], _ index: inout Int, template: String, inRange: Bool
    ) throws(CtlError) -> [Node] {
        var nodes: [Node] = []
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if !token.isExpr {
                nodes.append(.text(unescape(token.text)))
                continue
            }
            let expr = token.text.trimmingSpaces
            if expr == "end" {
                guard inRange else {
                    throw CtlError("error parsing jsonpath \(template), not in range, nothing to end")
                }
                return nodes
            }
            if expr.hasPrefix("range ") {
                let segments = try segmentsOf(String(expr.dropFirst(6)).trimmingSpaces, template: template)
                let body = try parse(tokens, &index, template: template, inRange: true)
                nodes.append(.range(segments, body))
            } else if expr.hasPrefix("\"") && expr.hasSuffix("\"") && expr.count >= 2 {
                nodes.append(.text(unescape(String(expr.dropFirst().dropLast()))))
            } else {
                nodes.append(.path(try segmentsOf(expr, template: template)))
            }
        }
        if inRange { throw CtlError("error parsing jsonpath \(template), unclosed range") }
        return nodes
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func segmentsOf(_ expr: String, template: String) throws(CtlError) -> [Segment] {
        var segments: [Segment] = []
        var chars = Array(expr)
        if chars.first == "$" { chars.removeFirst() }
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case ".":
                i += 1
                var key = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    key.append(chars[i])
                    i += 1
                }
                if !key.isEmpty { segments.append(key == "*" ? .wildcard : .key(key)) }
            case "[":
                guard let close = chars[i...].firstIndex(of: "]") else {
                    throw CtlError("error parsing jsonpath \(template), unterminated array")
                }
                let inner = String(chars[(i + 1)..<close]).trimmingSpaces
                if inner == "*" {
                    segments.append(.wildcard)
                } else if let n = Int(inner) {
                    segments.append(.index(n))
                } else if inner.count >= 2, let q = inner.first, q == "'" || q == "\"", inner.last == q {
                    segments.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    throw CtlError("error parsing jsonpath \(template), unsupported subscript [\(inner)]")
                }
                i = close + 1
            default:
                throw CtlError("error parsing jsonpath \(template), unrecognized character in action: \(chars[i])")
            }
        }
        return segments
    }

    /// The values the template's expressions find in `value`, in order (literal text is ignored).
    public func values(in value: JSONValue) -> [JSONValue] {
        var found: [JSONValue] = []
        for node in nodes {
            if case .path(let segments) = node { found += Self.evaluate(segments, value) }
        }
        return found
    }

    /// kubectl's relaxed form of a field path: `.a.b`, `a.b`, `{.a.b}` and `{a.b}` all mean `{.a.b}`.
    public static func relaxed(_ expression: String) throws(CtlError) -> JSONPathTemplate {
        var field = Substring(expression)
        if field.hasPrefix("{") && field.hasSuffix("}") { field = field.dropFirst().dropLast() }
        if field.hasPrefix(".") { field = field.dropFirst() }
        guard !field.isEmpty, !field.contains("{"), !field.contains("}") else {
            throw CtlError(
                "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or "
                    + "'{.name1.name2}'")
        }
        return try JSONPathTemplate("{.\(field)}")
    }

    /// Evaluates the template; values found by one expression are joined by spaces.
    public func render(_ value: JSONValue) throws(CtlError) -> String {
        try Self.render(nodes, value)
    }

    private static func render(_ nodes: [Node], _ value: JSONValue) throws(CtlError) -> String {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .path(let segments):
                out += evaluate(segments, value).map(text).joined(separator: " ")
            case .range(let segments, let body):
                for item in evaluate(segments, value) {
                    let items = item.arrayValue ?? [item]
                    for element in items { out += try render(body, element) }
                }
            }
        }
        return out
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .object, .array: return value.encodedString(sortedKeys: true)
        default: return value.description
        }
    }

    static func evaluate(_ segments: [Segment], _ root: JSONValue) -> [JSONValue] {
        var current = [root]
        for segment in segments {
            var next: [JSONValue] = []
            for value in current {
                switch segment {
                case .key(let key):
                    if let child = value[key] { next.append(child) }
                case .index(let n):
                    if let elements = value.arrayValue {
                        let i = n < 0 ? elements.count + n : n
                        if elements.indices.contains(i) { next.append(elements[i]) }
                    }
                case .wildcard:
                    if let elements = value.arrayValue {
                        next += elements
                    } else if let members = value.objectValue {
                        next += members.keys.sorted().map { members[$0]! }
                    }
                }
            }
            current = next
        }
        return current
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
