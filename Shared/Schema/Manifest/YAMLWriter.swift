import Foundation
import Yams

/// Emits block-style YAML with kubectl's key order and quoting that reads back to the same JSON.
struct YAMLWriter {
    var output = ""

    private static let leadingKeys = ["apiVersion", "kind", "metadata", "spec", "status"]

    static func orderedKeys(_ members: [String: JSONValue]) -> [String] {
        let leading = leadingKeys.filter { members[$0] != nil }
        return leading + members.keys.filter { !leadingKeys.contains($0) }.sorted()
    }

    mutating func writeDocument(_ value: JSONValue) {
        switch value {
        case .object(let members) where !members.isEmpty:
            writeMapping(members, indent: 0)
        case .array(let elements) where !elements.isEmpty:
            writeSequence(elements, indent: 0)
        default:
            output += inline(value) + "\n"
        }
    }

    private func pad(_ indent: Int) -> String { String(repeating: " ", count: indent) }

    private mutating func writeMapping(_ members: [String: JSONValue], indent: Int) {
        for key in YAMLWriter.orderedKeys(members) {
            let value = members[key]!
            output += pad(indent) + YAMLWriter.scalar(key) + ":"
            writeValue(value, indent: indent, inSequence: false)
        }
    }

    private mutating func writeSequence(_ elements: [JSONValue], indent: Int) {
        for element in elements {
            output += pad(indent) + "-"
            switch element {
            case .object(let members) where !members.isEmpty:
                // The first key shares the dash's line; the rest align under it.
                var nested = YAMLWriter()
                nested.writeMapping(members, indent: indent + 2)
                output += " " + nested.output.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                output += "\n"
                writeSequence(inner, indent: indent + 2)
            default:
                writeValue(element, indent: indent, inSequence: true)
            }
        }
    }

    private mutating func writeValue(_ value: JSONValue, indent: Int, inSequence: Bool) {
        switch value {
        case .object(let members) where !members.isEmpty:
            output += "\n"
            writeMapping(members, indent: indent + 2)
        case .array(let elements) where !elements.isEmpty:
            output += "\n"
            // kubectl indents sequences under a key by the key's own indentation.
            writeSequence(elements, indent: indent)
        case .string(let text) where text.contains("\n") && YAMLWriter.canUseLiteralBlock(text):
            let chomp = text.hasSuffix("\n") ? "" : "-"
            output += " |\(chomp)\n"
            let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                output += line.isEmpty ? "\n" : pad(indent + 2) + line + "\n"
            }
        default:
            output += " " + inline(value) + "\n"
        }
    }

    private func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.isNaN { return ".nan" }
            if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
            return "\(number)"
        case .string(let text): return YAMLWriter.scalar(text)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    private static func canUseLiteralBlock(_ text: String) -> Bool {
        !text.hasSuffix("\n\n") && !text.hasPrefix(" ") && !text.hasPrefix("\n")
            && !text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }
            && !text.split(separator: "\n").contains { $0.hasSuffix(" ") }
    }

    private static let resolver = Resolver.default

    /// A string as a YAML scalar: plain when it reads back as the same string, double-quoted otherwise.
    static func scalar(_ text: String) -> String {
        if needsQuotes(text) { return FieldError.quote(text).replacingControlCharacters() }
        return text
    }

    private static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty { return true }
        if resolver.resolveTag(of: Yams.Node(text)) != .str { return true }
        if ["y", "Y", "n", "N", "~", "<<", "="].contains(text) { return true }
        let first = text.unicodeScalars.first!
        if "-?:,[]{}#&*!|>'\"%@` \t".unicodeScalars.contains(first) {
            // A dash or colon or question mark followed by a non-space is still plain in YAML, but be safe.
            return true
        }
        if text.hasSuffix(" ") || text.hasSuffix(":") { return true }
        if text.contains(": ") || text.contains(" #") || text.contains("\t") { return true }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return true }
        // Timestamps would read back as strings in Kubus, but other YAML readers may convert them.
        if text.first?.isNumber == true, text.contains("-"), text.contains(":") { return true }
        return false
    }
}

extension String {
    func replacingControlCharacters() -> String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r" {
                result += String(format: "\\x%02X", scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
