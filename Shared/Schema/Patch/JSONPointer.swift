import Foundation

/// An RFC 6901 JSON pointer: `/spec/containers/0/image`, with `~1` for `/` and `~0` for `~` in a token.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens; empty for the whole document.
    public let tokens: [String]

    /// Parses a pointer; it is empty or starts with `/`, and `~` is only followed by `0` or `1`.
    public init(_ text: String) throws(PatchError) {
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw .malformed("JSON pointer \"\(text)\" must be empty or start with \"/\"")
        }
        var result: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var escaped = false
            for character in raw {
                if escaped {
                    switch character {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: throw .malformed("JSON pointer \"\(text)\" has an invalid escape \"~\(character)\"")
                    }
                    escaped = false
                } else if character == "~" {
                    escaped = true
                } else {
                    token.append(character)
                }
            }
            if escaped { throw .malformed("JSON pointer \"\(text)\" ends with an incomplete escape \"~\"") }
            result.append(token)
        }
        tokens = result
    }

    /// A pointer made of unescaped tokens.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// The pointer text, tokens escaped.
    public var description: String {
        tokens.map { "/" + Self.escape($0) }.joined()
    }

    /// A token with `~` as `~0` and `/` as `~1`.
    public static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The value the pointer references in `document`, or nil.
    public func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Self.index(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The field path Kubernetes prints (`spec.containers[0].image`), read against `document` for indexes.
    public func fieldPath(in document: JSONValue) -> String {
        var text = ""
        var current: JSONValue? = document
        for token in tokens {
            if case .array(let elements)? = current, let index = Self.index(token) {
                text += "[\(index)]"
                current = elements.indices.contains(index) ? elements[index] : nil
            } else {
                text += text.isEmpty ? token : ".\(token)"
                current = current?[token]
            }
        }
        return text
    }

    /// An array index token: `0` or digits without a leading zero.
    static func index(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }),
            token == "0" || !token.hasPrefix("0")
        else { return nil }
        return Int(token)
    }
}
