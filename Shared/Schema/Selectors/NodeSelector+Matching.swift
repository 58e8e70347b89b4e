extension NodeSelectorRequirement {
    /// Whether `labels` satisfy this requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt).
    public func matches(_ labels: [String: String]) -> Bool {
        switch self.operator {
        case "Gt", "Lt":
            let values = values ?? []
            guard values.count == 1, let bound = Int64(values[0]), let text = labels[key], let value = Int64(text)
            else { return false }
            return self.operator == "Gt" ? value > bound : value < bound
        default:
            return labelOperatorMatches(self.operator, key: key, values: values, labels)
        }
    }
}

extension NodeSelectorTerm {
    /// Whether `node` satisfies every expression and field of this term; a term with neither matches nothing.
    public func matches(_ node: Node) -> Bool {
        let expressions = matchExpressions ?? []
        let fields = matchFields ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        let labels = node.metadata.labels ?? [:]
        for requirement in expressions where !requirement.matches(labels) { return false }
        // The only field Kubernetes supports here is metadata.name.
        let nodeFields = ["metadata.name": node.metadata.name ?? ""]
        for requirement in fields {
            guard requirement.key == "metadata.name", requirement.operator == "In" || requirement.operator == "NotIn",
                requirement.matches(nodeFields)
            else { return false }
        }
        return true
    }
}

extension NodeSelector {
    /// Whether `node` satisfies any term (terms are ORed).
    public func matches(_ node: Node) -> Bool {
        nodeSelectorTerms.contains { $0.matches(node) }
    }
}
