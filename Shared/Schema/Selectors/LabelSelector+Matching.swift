extension LabelSelector {
    /// Whether `labels` satisfy every `matchLabels` pair and every expression; an empty selector matches all.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value {
            return false
        }
        for requirement in matchExpressions ?? [] where !requirement.matches(labels) {
            return false
        }
        return true
    }

    /// Whether the selector has no requirements (and so selects everything).
    public var isEmpty: Bool {
        (matchLabels ?? [:]).isEmpty && (matchExpressions ?? []).isEmpty
    }

    /// The selector in kubectl `-l` syntax, e.g. `app=web,env in (a,b),!legacy`.
    public var selectorString: String {
        var parts: [String] = (matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for requirement in matchExpressions ?? [] {
            let values = (requirement.values ?? []).sorted().joined(separator: ",")
            switch requirement.operator {
            case "In": parts.append("\(requirement.key) in (\(values))")
            case "NotIn": parts.append("\(requirement.key) notin (\(values))")
            case "Exists": parts.append(requirement.key)
            case "DoesNotExist": parts.append("!\(requirement.key)")
            default: parts.append("\(requirement.key) \(requirement.operator) (\(values))")
            }
        }
        return parts.joined(separator: ",")
    }

    /// Structural checks: label syntax, operator values, values present only for In and NotIn.
    public func validate(path: String) -> [FieldError] {
        var errors = ObjectMetaValidation.validateLabels(matchLabels ?? [:], path: path.child("matchLabels"))
        for (index, requirement) in (matchExpressions ?? []).enumerated() {
            let requirementPath = path.child("matchExpressions").index(index)
            let values = requirement.values ?? []
            switch requirement.operator {
            case "In", "NotIn":
                if values.isEmpty {
                    errors.append(
                        .required(
                            requirementPath.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    errors.append(
                        .forbidden(
                            requirementPath.child("values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                errors.append(
                    .notSupported(
                        requirementPath.child("operator"), requirement.operator,
                        supported: ["DoesNotExist", "Exists", "In", "NotIn"]))
            }
            for message in NameValidation.qualifiedName(requirement.key) {
                errors.append(.invalid(requirementPath.child("key"), .string(requirement.key), message))
            }
        }
        return errors
    }
}

extension LabelSelectorRequirement {
    /// Whether `labels` satisfy this requirement; unknown operators never match.
    public func matches(_ labels: [String: String]) -> Bool {
        labelOperatorMatches(self.operator, key: key, values: values, labels)
    }
}

/// The set operators label and node selector requirements share: In, NotIn, Exists, DoesNotExist; any other never
/// matches.
func labelOperatorMatches(_ op: String, key: String, values: [String]?, _ labels: [String: String]) -> Bool {
    let values = values ?? []
    switch op {
    case "In":
        guard let value = labels[key] else { return false }
        return values.contains(value)
    case "NotIn":
        guard let value = labels[key] else { return true }
        return !values.contains(value)
    case "Exists":
        return labels[key] != nil
    case "DoesNotExist":
        return labels[key] == nil
    default:
        return false
    }
}
