extension Toleration {
    /// Whether this toleration tolerates `taint`, with Kubernetes' rules: an empty effect matches every
    /// effect, an empty key with `Exists` matches every taint, `Equal` (or no operator) compares values.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key, !key.isEmpty, key != taint.key { return false }
        switch self.operator ?? "" {
        case "", "Equal": return (value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }
}
