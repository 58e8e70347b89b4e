public import ArgumentParser

/// A Go duration (`90s`, `1m30s`, `1h`, `500ms`, `0`), the form every kubectl timeout flag takes.
///
/// Parsing follows Go's `time.ParseDuration`: a sequence of decimal numbers with a unit each (`ns`, `us`, `µs`,
/// `ms`, `s`, `m`, `h`), an optional sign, and `0` alone. `--request-timeout` also takes a bare integer as
/// seconds, as client-go does; other flags refuse it with Go's "missing unit" error.
public struct GoDuration: Sendable, Hashable, ExpressibleByArgument, CustomStringConvertible {
    /// The duration; zero or negative means "no limit" for the flags that take one.
    public var duration: Duration
    /// The text as given.
    public var text: String

    /// The duration when positive; nil for zero and below (kubectl's "0 waits forever").
    public var limit: Duration? { duration > .zero ? duration : nil }

    /// The text as given.
    public var description: String { text }

    /// Wraps a duration, shown as `text`.
    public init(_ duration: Duration, text: String) {
        self.duration = duration
        self.text = text
    }

    /// Go's syntax, strictly: the parser's own error for a bad value names the flag (see `UsageErrorText`).
    public init?(argument: String) {
        guard let parsed = try? Self.parse(argument, flag: "") else { return nil }
        self = parsed
    }

    /// Shown as `<duration>` in help.
    public static var defaultValueName: String { "duration" }

    /// The forms every duration flag accepts, for error messages.
    public static let allowedForms = "a Go duration such as 30s, 2m, 1h30m or 500ms, or 0"

    static let units: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]

    /// Parses `text` for `flag` (named in errors, e.g. `--timeout`); `bareIntegerSeconds` reads `15` as 15s.
    public static func parse(_ text: String, flag: String, bareIntegerSeconds: Bool = false) throws(CtlError)
        -> GoDuration
    {
        if bareIntegerSeconds, let seconds = Int64(text) {
            guard seconds >= 0 else { throw error(text, flag: flag, "time: invalid duration \"\(text)\"") }
            return GoDuration(.seconds(seconds), text: text)
        }
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return GoDuration(.zero, text: text) }
        guard !rest.isEmpty else { throw error(text, flag: flag, "time: invalid duration \"\(text)\"") }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number) else {
                throw error(text, flag: flag, "time: invalid duration \"\(text)\"")
            }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard !unit.isEmpty else { throw error(text, flag: flag, "time: missing unit in duration \"\(text)\"") }
            guard let scale = units[String(unit)] else {
                throw error(text, flag: flag, "time: unknown unit \"\(unit)\" in duration \"\(text)\"")
            }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        let nanoseconds = (sign * total * 1e9).rounded()
        guard abs(nanoseconds) < 9.2e18 else { throw error(text, flag: flag, "time: invalid duration \"\(text)\"") }
        return GoDuration(.nanoseconds(Int64(nanoseconds)), text: text)
    }

    private static func error(_ text: String, flag: String, _ detail: String) -> CtlError {
        CtlError("invalid argument \"\(text)\" for \"\(flag)\" flag: \(detail) (\(allowedForms))")
    }
}
