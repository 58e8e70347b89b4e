import Foundation

/// Rewrites swift-argument-parser's usage messages into kubectl's (`error: unknown flag: --foo`).
public enum UsageErrorText {
    /// The stderr text for a parse error whose parser message is `message`; `path` is the subcommand path.
    public static func format(_ message: String, path: [String]) -> String {
        let command = (["kubusctl"] + path).joined(separator: " ")
        return "error: \(translate(message))\nSee '\(command) --help' for usage."
    }

    /// The message in kubectl's words, without `error: `.
    public static func translate(_ message: String) -> String {
        let firstLine =
            message.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
            ?? message
        if let name = quoted(firstLine, after: "Unknown option '") {
            if name.hasPrefix("--") { return "unknown flag: \(name)" }
            return "unknown shorthand flag: '\(name.dropFirst())' in \(name)"
        }
        if let spec = quoted(firstLine, after: "Missing value for '") {
            let name = String(spec.split(separator: " ").first ?? Substring(spec))
            if name.hasPrefix("--") { return "flag needs an argument: \(name)" }
            return "flag needs an argument: '\(name.dropFirst())' in \(name)"
        }
        if firstLine.hasPrefix("The value '"), let invalid = invalidValue(firstLine) {
            return invalid
        }
        if let argument = quoted(firstLine, after: "Unexpected argument '") {
            return "unexpected argument \"\(argument)\""
        }
        guard let first = message.first else { return message }
        return first.lowercased() + message.dropFirst()
    }

    /// `The value 'x' is invalid for '--timeout <duration>'[: detail]` as pflag's `invalid argument "x" for
    /// "--timeout" flag: detail`; a duration flag gets Go's own message.
    static func invalidValue(_ line: String) -> String? {
        let body = line.dropFirst("The value '".count)
        guard let valueEnd = body.range(of: "' is invalid for '") else { return nil }
        let value = String(body[..<valueEnd.lowerBound])
        let afterFor = body[valueEnd.upperBound...]
        guard let specEnd = afterFor.firstIndex(of: "'") else { return nil }
        let spec = afterFor[..<specEnd]
        let parts = spec.split(separator: " ")
        let flag = parts.first.map(String.init) ?? String(spec)
        if parts.count > 1, parts[1] == "<\(GoDuration.defaultValueName)>" {
            do {
                _ = try GoDuration.parse(value, flag: flag)
            } catch {
                return error.message
            }
        }
        var detail = String(afterFor[afterFor.index(after: specEnd)...])
        if detail.hasPrefix(": ") { detail = String(detail.dropFirst(2)) }
        if detail.hasPrefix(". ") { detail = String(detail.dropFirst(2)) }
        return "invalid argument \"\(value)\" for \"\(flag)\" flag" + (detail.isEmpty ? "" : ": \(detail)")
    }

    private static func quoted(_ line: String, after prefix: String) -> String? {
        guard line.hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }
}
