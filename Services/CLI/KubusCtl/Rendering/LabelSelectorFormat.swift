import Schema

/// A `LabelSelector` as kubectl prints it (apimachinery's `FormatLabelSelector`): every requirement sorted by key,
/// `matchLabels` as `k=v`, expressions as `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; `<none>` when empty.
enum LabelSelectorFormat {
    static func text(_ value: JSONValue?) -> String {
        guard let value, case .object = value else { return "<none>" }
        var requirements: [(key: String, text: String)] = value.stringMap("matchLabels").map {
            ($0.key, "\($0.key)=\($0.value)")
        }
        for expression in value.list("matchExpressions") {
            let key = expression.str("key") ?? ""
            let values = Set(expression.list("values").compactMap(\.stringValue)).sorted().joined(separator: ",")
            switch expression.str("operator") ?? "" {
            case "In": requirements.append((key, "\(key) in (\(values))"))
            case "NotIn": requirements.append((key, "\(key) notin (\(values))"))
            case "Exists": requirements.append((key, key))
            case "DoesNotExist": requirements.append((key, "!\(key)"))
            default: return "<error>"
            }
        }
        guard !requirements.isEmpty else { return "<none>" }
        return requirements.enumerated().sorted { a, b in
            a.element.key != b.element.key ? a.element.key < b.element.key : a.offset < b.offset
        }.map(\.element.text).joined(separator: ",")
    }
}
