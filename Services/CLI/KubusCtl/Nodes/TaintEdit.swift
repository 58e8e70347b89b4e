import Foundation
public import Schema

/// The taint changes of `kubusctl taint`: `key[=value]:Effect` adds, `key[:Effect]-` removes (kubectl's rules).
public struct TaintEdit: Sendable, Hashable {
    public var add: [Taint] = []
    /// Taints to remove; an empty effect removes every taint with the key.
    public var remove: [Taint] = []

    static let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    /// How the edit changed a node, in kubectl's words.
    public enum Operation: String, Sendable {
        case tainted, untainted, modified
    }

    /// Parses the taint arguments, with kubectl's validation messages.
    public static func parse(_ specs: [String]) throws(CtlError) -> TaintEdit {
        var edit = TaintEdit()
        var seen: Set<String> = []
        for spec in specs {
            if spec.hasSuffix("-") {
                var key = String(spec.dropLast())
                var effect = ""
                if let colon = key.firstIndex(of: ":") {
                    effect = String(key[key.index(after: colon)...])
                    key = String(key[..<colon])
                }
                if let eq = key.firstIndex(of: "=") { key = String(key[..<eq]) }
                if !effect.isEmpty { try validate(effect: effect) }
                edit.remove.append(Taint(key: key, effect: effect))
            } else if spec.contains(":") {
                let taint = try parseTaint(spec)
                let id = "\(taint.key):\(taint.effect)"
                guard seen.insert(id).inserted else {
                    throw CtlError("duplicated taints with the same key and effect: \(describe(taint))")
                }
                edit.add.append(taint)
            } else {
                throw CtlError("unknown taint spec: \(spec)")
            }
        }
        for taint in edit.remove
        where edit.add.contains(where: { $0.key == taint.key && (taint.effect.isEmpty || $0.effect == taint.effect) }) {
            throw CtlError(
                "can not both modify and remove the following taint(s) in the same command: \(describe(taint))")
        }
        guard !edit.add.isEmpty || !edit.remove.isEmpty else { throw CtlError("at least one taint update is required") }
        return edit
    }

    static func parseTaint(_ spec: String) throws(CtlError) -> Taint {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { throw CtlError("invalid taint spec: \(spec)") }
        try validate(effect: parts[1])
        let kv = parts[0].split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        guard kv.count <= 2 else { throw CtlError("invalid taint spec: \(spec)") }
        let key = kv[0]
        let value = kv.count == 2 ? kv[1] : nil
        if let message = LabelSyntax.qualifiedNameError(key) {
            throw CtlError("invalid taint spec: \(spec), \(message)")
        }
        if let value, let message = LabelSyntax.valueError(value) {
            throw CtlError("invalid taint spec: \(spec), \(message)")
        }
        return Taint(key: key, value: value.flatMap { $0.isEmpty ? nil : $0 }, effect: parts[1])
    }

    static func validate(effect: String) throws(CtlError) {
        guard effects.contains(effect) else {
            throw CtlError(
                "invalid taint effect: \(effect), unsupported taint effect, must be one of: NoSchedule, PreferNoSchedule, NoExecute"
            )
        }
    }

    /// `key=value:Effect`, `key:Effect` or `key`, as kubectl prints a taint.
    public static func describe(_ taint: Taint) -> String {
        var text = taint.key
        if let value = taint.value, !value.isEmpty { text += "=\(value)" }
        if !taint.effect.isEmpty { text += ":\(taint.effect)" }
        return text
    }

    /// The node's taints after the edit, and what happened; throws kubectl's errors for a missing taint to remove
    /// or an existing one to add without `overwrite`.
    public func apply(
        to current: [Taint], node: String, overwrite: Bool, now: Time = .now()
    ) throws(CtlError) -> (taints: [Taint], operation: Operation) {
        if !overwrite {
            let existing = add.filter { new in current.contains { $0.key == new.key && $0.effect == new.effect } }
            if !existing.isEmpty {
                let keys = existing.map(\.key).joined(separator: ",")
                throw CtlError("node \(node) already has \(keys) taint(s) with same effect(s) and --overwrite is false")
            }
        }
        var result = current
        for taint in remove {
            let before = result.count
            result.removeAll { $0.key == taint.key && (taint.effect.isEmpty || $0.effect == taint.effect) }
            if result.count == before { throw CtlError("taint \"\(Self.describe(taint))\" not found") }
        }
        for var taint in add {
            if taint.effect == "NoExecute" { taint.timeAdded = now }
            if let i = result.firstIndex(where: { $0.key == taint.key && $0.effect == taint.effect }) {
                result[i] = taint
            } else {
                result.append(taint)
            }
        }
        let operation: Operation = add.isEmpty ? .untainted : (remove.isEmpty ? .tainted : .modified)
        return (result, operation)
    }
}

/// Kubernetes' label key and value syntax, with its messages.
enum LabelSyntax {
    static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// The error for a label value, or nil when it is valid.
    static func valueError(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.count > 63 { return "must be no more than 63 characters" }
        let ok = value.allSatisfy { isAlnum($0) || "-_.".contains($0) } && isAlnum(value.first!) && isAlnum(value.last!)
        return ok
            ? nil
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    }

    /// The error for a qualified name (`prefix/name`), or nil when it is valid.
    static func qualifiedNameError(_ key: String) -> String? {
        var name = key
        if let slash = key.lastIndex(of: "/") {
            let prefix = key[..<slash]
            name = String(key[key.index(after: slash)...])
            let dnsOK =
                !prefix.isEmpty && prefix.count <= 253
                && prefix.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
                    !part.isEmpty && part.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
                        && part.first != "-" && part.last != "-"
                }
            if !dnsOK {
                return
                    "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
            }
        }
        if name.isEmpty { return "name part must be non-empty" }
        if name.count > 63 { return "name part must be no more than 63 characters" }
        let ok = name.allSatisfy { isAlnum($0) || "-_.".contains($0) } && isAlnum(name.first!) && isAlnum(name.last!)
        return ok
            ? nil
            : "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    }
}
