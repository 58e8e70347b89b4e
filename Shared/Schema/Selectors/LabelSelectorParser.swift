/// Parses kubectl `-l` syntax: `app=web,tier!=db,env in (a,b),env notin (c),!legacy,release`.
public enum LabelSelectorParser {
    private enum Token: Equatable {
        case identifier(String)
        case equals, doubleEquals, notEquals, bang, comma, open, close, `in`, notIn, end

        var text: String {
            switch self {
            case .identifier(let text): return text
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .bang: return "!"
            case .comma: return ","
            case .open: return "("
            case .close: return ")"
            case .in: return "in"
            case .notIn: return "notin"
            case .end: return "end of string"
            }
        }
    }

    /// Parses a selector string into a `LabelSelector`; errors name the offending token.
    public static func parse(_ text: String) throws(SchemaError) -> LabelSelector {
        let tokens = try tokenize(text)
        var position = 0
        var matchLabels: [String: String] = [:]
        var expressions: [LabelSelectorRequirement] = []

        func fail(_ found: Token, expected: String) -> SchemaError {
            SchemaError.selector(
                "unable to parse requirement in label selector \"\(text)\": found '\(found.text)', expected: \(expected)"
            )
        }
        func next() -> Token {
            defer { position += 1 }
            return position < tokens.count ? tokens[position] : .end
        }
        func peek() -> Token { position < tokens.count ? tokens[position] : .end }
        func checkKey(_ key: String) throws(SchemaError) {
            let problems = NameValidation.qualifiedName(key)
            if let first = problems.first {
                throw SchemaError.selector("invalid label key \"\(key)\": \(first)")
            }
        }
        func checkValue(_ value: String) throws(SchemaError) {
            if let first = NameValidation.labelValue(value).first {
                throw SchemaError.selector("invalid label value: \"\(value)\": \(first)")
            }
        }
        func parseValues() throws(SchemaError) -> [String] {
            let open = next()
            guard open == .open else { throw fail(open, expected: "'('") }
            var values: [String] = []
            while true {
                switch next() {
                case .identifier(let value):
                    try checkValue(value)
                    values.append(value)
                    let separator = next()
                    if separator == .close { return values }
                    guard separator == .comma else { throw fail(separator, expected: "',' or ')'") }
                case .close where values.isEmpty:
                    return [""]
                case let other:
                    throw fail(other, expected: "a value")
                }
            }
        }

        if tokens.isEmpty { return LabelSelector() }
        while true {
            var token = next()
            if token == .bang {
                token = next()
                guard case .identifier(let key) = token else { throw fail(token, expected: "identifier") }
                try checkKey(key)
                expressions.append(LabelSelectorRequirement(key: key, operator: "DoesNotExist"))
            } else {
                guard case .identifier(let key) = token else { throw fail(token, expected: "identifier") }
                try checkKey(key)
                switch peek() {
                case .comma, .end:
                    expressions.append(LabelSelectorRequirement(key: key, operator: "Exists"))
                case .equals, .doubleEquals, .notEquals:
                    let op = next()
                    var value = ""
                    if case .identifier(let text) = peek() {
                        value = text
                        position += 1
                    } else if peek() != .comma && peek() != .end {
                        throw fail(peek(), expected: "identifier")
                    }
                    try checkValue(value)
                    if op == .notEquals {
                        expressions.append(LabelSelectorRequirement(key: key, operator: "NotIn", values: [value]))
                    } else if let existing = matchLabels[key], existing != value {
                        // Two different equalities on one key can never match; keep both as In requirements.
                        expressions.append(LabelSelectorRequirement(key: key, operator: "In", values: [value]))
                    } else {
                        matchLabels[key] = value
                    }
                case .in:
                    position += 1
                    expressions.append(LabelSelectorRequirement(key: key, operator: "In", values: try parseValues()))
                case .notIn:
                    position += 1
                    expressions.append(
                        LabelSelectorRequirement(key: key, operator: "NotIn", values: try parseValues()))
                case let other:
                    throw fail(other, expected: "'=', '!=', '==', 'in', notin'")
                }
            }
            let separator = next()
            if separator == .end { break }
            guard separator == .comma else { throw fail(separator, expected: "','") }
        }
        return LabelSelector(
            matchLabels: matchLabels.isEmpty ? nil : matchLabels,
            matchExpressions: expressions.isEmpty ? nil : expressions)
    }

    private static func tokenize(_ text: String) throws(SchemaError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        func isIdentifierCharacter(_ c: Character) -> Bool {
            c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." || c == "/"
        }
        while index < characters.count {
            let c = characters[index]
            switch c {
            case " ", "\t":
                index += 1
            case ",":
                tokens.append(.comma)
                index += 1
            case "(":
                tokens.append(.open)
                index += 1
            case ")":
                tokens.append(.close)
                index += 1
            case "=":
                if index + 1 < characters.count, characters[index + 1] == "=" {
                    tokens.append(.doubleEquals)
                    index += 2
                } else {
                    tokens.append(.equals)
                    index += 1
                }
            case "!":
                if index + 1 < characters.count, characters[index + 1] == "=" {
                    tokens.append(.notEquals)
                    index += 2
                } else {
                    tokens.append(.bang)
                    index += 1
                }
            default:
                guard isIdentifierCharacter(c) else {
                    throw SchemaError.selector(
                        "unable to parse requirement in label selector \"\(text)\": invalid character '\(c)'")
                }
                var word = ""
                while index < characters.count, isIdentifierCharacter(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                // `in` and `notin` are keywords only where an operator is expected (after a key).
                let afterKey: Bool = {
                    if case .identifier = tokens.last { return true }
                    return false
                }()
                if afterKey && word == "in" {
                    tokens.append(.in)
                } else if afterKey && word == "notin" {
                    tokens.append(.notIn)
                } else {
                    tokens.append(.identifier(word))
                }
            }
        }
        return tokens
    }
}
