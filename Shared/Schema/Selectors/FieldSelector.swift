import Foundation

/// A field selector such as `metadata.name=x,status.phase!=Running`, matched against an object's JSON.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// One `field=value` or `field!=value` term.
    public struct Requirement: Sendable, Hashable {
        /// The dotted JSON path.
        public var field: String
        /// Whether the term is `!=`.
        public var negated: Bool
        /// The value compared with the field rendered as text (absent fields read as "").
        public var value: String

        /// Creates a term.
        public init(field: String, negated: Bool = false, value: String) {
            self.field = field
            self.negated = negated
            self.value = value
        }
    }

    /// The terms, all of which must hold.
    public var requirements: [Requirement]

    /// Creates a selector from terms.
    public init(requirements: [Requirement] = []) {
        self.requirements = requirements
    }

    /// Parses `a=b,c==d,e!=f`; an empty string selects everything.
    public static func parse(_ text: String) throws(SchemaError) -> FieldSelector {
        var requirements: [Requirement] = []
        for rawTerm in text.split(separator: ",", omittingEmptySubsequences: false) {
            let term = rawTerm.trimmingSpaces()
            if term.isEmpty {
                if text.trimmingSpaces().isEmpty { continue }
                throw SchemaError.selector("invalid field selector \"\(text)\": empty term")
            }
            let field: Substring
            let value: Substring
            let negated: Bool
            if let range = term.range(of: "!=") {
                field = term[..<range.lowerBound]
                value = term[range.upperBound...]
                negated = true
            } else if let range = term.range(of: "==") {
                field = term[..<range.lowerBound]
                value = term[range.upperBound...]
                negated = false
            } else if let range = term.range(of: "=") {
                field = term[..<range.lowerBound]
                value = term[range.upperBound...]
                negated = false
            } else {
                throw SchemaError.selector("invalid selector: '\(term)'; can't understand '\(term)'")
            }
            let name = field.trimmingSpaces()
            guard !name.isEmpty else {
                throw SchemaError.selector("invalid field selector \"\(text)\": missing field name in '\(term)'")
            }
            requirements.append(
                Requirement(field: name, negated: negated, value: value.trimmingSpaces()))
        }
        return FieldSelector(requirements: requirements)
    }

    /// Whether every term holds for `object`.
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { requirement in
            let found = FieldSelector.text(of: object[path: requirement.field.split(separator: ".").map(String.init)])
            return (found == requirement.value) != requirement.negated
        }
    }

    static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)?: return "\(number)"
        case .bool(let flag)?: return flag ? "true" : "false"
        case nil, .null?: return ""
        case let other?: return other.encodedString(sortedKeys: true)
        }
    }

    /// The selector in `a=b,c!=d` form.
    public var description: String {
        requirements.map { "\($0.field)\($0.negated ? "!=" : "=")\($0.value)" }.joined(separator: ",")
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let character: Character = " "
        var text = Substring(self)
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
