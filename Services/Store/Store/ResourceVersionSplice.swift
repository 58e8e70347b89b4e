import Schema
public import Wire

/// Inserts `"resourceVersion":"R"` into the top-level `metadata` object of a stored JSON document.
///
/// Objects are stored without a resourceVersion (it is the key's modRevision, known only at commit), and
/// the store adds it to every object it hands out. A byte scan that tracks strings and nesting finds the
/// `metadata` key at depth 1; no JSON tree is built, so it costs about a microsecond per kilobyte.
public enum ResourceVersionSplice {
    public static func apply(_ value: String, revision: Int64) -> String {
        var bytes = Array(value.utf8)
        guard let insertAt = metadataObjectStart(bytes) else { return value }
        // Empty metadata `{}` takes no comma.
        var j = insertAt
        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x0A || bytes[j] == 0x0D || bytes[j] == 0x09 { j += 1 }
        let empty = j < bytes.count && bytes[j] == UInt8(ascii: "}")
        let text = "\"resourceVersion\":\"\(revision)\"" + (empty ? "" : ",")
        bytes.insert(contentsOf: Array(text.utf8), at: insertAt)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The index just after the `{` that opens the value of the top-level key `metadata`.
    static func metadataObjectStart(_ b: [UInt8]) -> Int? {
        var i = 0
        var depth = 0
        let key = Array("metadata".utf8)
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let start = i + 1
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
                let end = i
                i += 1
                guard depth == 1, end - start == key.count, Array(b[start..<end]) == key else { continue }
                // A key is followed by ':'; then the value must be an object.
                var j = i
                while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
                guard j < b.count, b[j] == UInt8(ascii: ":") else { continue }
                j += 1
                while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
                guard j < b.count, b[j] == UInt8(ascii: "{") else { return nil }
                return j + 1
            }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") { depth -= 1 }
            i += 1
        }
        return nil
    }

    /// A copy of `kv` whose value carries its modRevision as resourceVersion, for registry keys.
    public static func apply(_ kv: KeyValue) -> KeyValue {
        guard kv.key.hasPrefix(RegistryKey.root) else { return kv }
        var copy = kv
        copy.value = apply(kv.value, revision: kv.modRevision)
        return copy
    }
}
