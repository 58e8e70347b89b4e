/// Kubernetes' name and label syntax checks; each returns error messages, empty when valid.
public enum NameValidation {
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
    static let configKeyFormat = "[-._a-zA-Z0-9]+"
    static let envVarNameFormat = "[-._a-zA-Z][-._a-zA-Z0-9]*"

    /// Kubernetes' `RegexError` text.
    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '\(format)')" }
        var text = message + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { text += " or " }
            text += "'\(example)', "
        }
        return text + "regex used for validation is '\(format)')"
    }

    static func maxLength(_ length: Int) -> String { "must be no more than \(length) characters" }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
    }

    static func matchesLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else {
            return false
        }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// RFC 1123 label: up to 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
    public static func dns1123Label(_ text: String) -> [String] {
        var errors: [String] = []
        if text.utf8.count > 63 { errors.append(maxLength(63)) }
        if !matchesLabel(text) {
            errors.append(
                regexError(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                    dns1123LabelFormat, ["my-name", "123-abc"]))
        }
        return errors
    }

    /// RFC 1123 subdomain: up to 253 characters of dot-separated labels.
    public static func dns1123Subdomain(_ text: String) -> [String] {
        var errors: [String] = []
        if text.utf8.count > 253 { errors.append(maxLength(253)) }
        let valid =
            !text.isEmpty
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
                matchesLabel(String($0))
            }
        if !valid {
            errors.append(
                regexError(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                    dns1123SubdomainFormat, ["example.com"]))
        }
        return errors
    }

    /// A path segment name: not `.` or `..`, no `/` or `%`.
    public static func pathSegment(_ text: String) -> [String] {
        if text == "." || text == ".." { return ["may not be '\(text)'"] }
        var errors: [String] = []
        for illegal in ["/", "%"] where text.contains(illegal) {
            errors.append("may not contain '\(illegal)'")
        }
        return errors
    }

    /// A qualified name such as a label key: optional DNS subdomain prefix and '/', then a name part.
    public static func qualifiedName(_ text: String) -> [String] {
        var errors: [String] = []
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var name = text
        switch parts.count {
        case 1:
            break
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(prefix).map { "prefix part \($0)" }
            }
        default:
            return [
                "a qualified name "
                    + regexError(
                        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                        qualifiedNameFormat, ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part " + maxLength(63))
        }
        if !name.isEmpty && !matchesQualifiedPart(name) {
            errors.append(
                "name part "
                    + regexError(
                        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                        qualifiedNameFormat, ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    private static func matchesQualifiedPart(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
        return bytes.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    /// A label value: empty, or up to 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric.
    public static func labelValue(_ text: String) -> [String] {
        var errors: [String] = []
        if text.utf8.count > 63 { errors.append(maxLength(63)) }
        if !text.isEmpty && !matchesQualifiedPart(text) {
            errors.append(
                regexError(
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                    labelValueFormat, ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    /// A ConfigMap or Secret key.
    public static func configMapKey(_ text: String) -> [String] {
        var errors: [String] = []
        if text.utf8.count > 253 { errors.append(maxLength(253)) }
        let valid =
            !text.isEmpty
            && text.utf8.allSatisfy {
                isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
        if !valid {
            errors.append(
                regexError(
                    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configKeyFormat,
                    ["key.name", "KEY_NAME", "key-name"]))
        }
        if text == "." || text == ".." {
            errors.append("must not be '\(text)'")
        } else if text.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// An environment variable name.
    public static func envVarName(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        let validFirst =
            bytes.first.map {
                !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    && (isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "."))
            } ?? false
        let valid =
            validFirst
            && bytes.allSatisfy {
                isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
        if valid { return [] }
        return [
            regexError(
                "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
                envVarNameFormat, ["my.env-name", "MY_ENV.NAME", "MyEnvName1"])
        ]
    }

    /// An IANA service name (a named port): up to 15 lowercase alphanumerics and '-', at least one letter.
    public static func portName(_ text: String) -> [String] {
        var errors: [String] = []
        if text.utf8.count > 15 { errors.append(maxLength(15)) }
        if !text.utf8.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !text.utf8.contains(where: { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) {
            errors.append("must contain at least one letter (a-z)")
        }
        if text.contains("--") { errors.append("must not contain consecutive hyphens") }
        if text.hasPrefix("-") || text.hasSuffix("-") { errors.append("must not begin or end with a hyphen") }
        return errors
    }
}

/// Checks a name against a naming rule; returns Kubernetes' error messages, empty when valid.
public func validateName(_ name: String, rule: KindInfo.NameRule) -> [String] {
    switch rule {
    case .dns1123Subdomain: return NameValidation.dns1123Subdomain(name)
    case .dns1123Label: return NameValidation.dns1123Label(name)
    case .pathSegment: return NameValidation.pathSegment(name)
    }
}
