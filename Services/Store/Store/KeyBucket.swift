import Schema
package import Wire

/// Maps keys to buckets: the resource kind for `/registry/<Kind>/…`, otherwise the first path segment.
///
/// The store remembers each bucket's latest change revision so that subscribers of one kind can detect gaps.
public enum KeyBucket {
    private static let slash = UInt8(ascii: "/")

    /// The bucket of a key: `/registry/Pod/default/web` → `Pod`, `/leases/x` → `leases`.
    public static func of(_ key: String) -> String {
        bucket(key, requireComplete: false) ?? ""
    }

    /// The bucket every key with this prefix belongs to, or nil when the prefix spans several buckets
    /// (`/registry/Pod/` → `Pod`; `/registry/` and `/registry/Po` → nil).
    public static func ofPrefix(_ prefix: String) -> String? {
        bucket(prefix, requireComplete: true)
    }

    private static func bucket(_ key: String, requireComplete: Bool) -> String? {
        let utf8 = key.utf8
        var start = utf8.startIndex
        if start != utf8.endIndex, utf8[start] == slash { start = utf8.index(after: start) }
        guard let end = utf8[start...].firstIndex(of: slash) else {
            return requireComplete ? nil : String(key[start...])
        }
        let first = key[start..<end]
        guard first == "registry" else { return String(first) }
        let kindStart = utf8.index(after: end)
        guard let kindEnd = utf8[kindStart...].firstIndex(of: slash) else {
            return requireComplete ? nil : String(key[kindStart...])
        }
        return String(key[kindStart..<kindEnd])
    }
}

/// Key ordering and prefix bounds shared by the backends: byte order of UTF-8, as SQLite compares TEXT.
package enum KeyOrder {
    /// True when `a` sorts before `b`.
    package static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// True when `key` starts with `prefix`, byte-wise.
    package static func hasPrefix(_ key: String, _ prefix: String) -> Bool {
        key.utf8.starts(with: prefix.utf8)
    }

    /// The smallest string above every string starting with `prefix`, or nil if there is none.
    package static func upperBound(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.last {
            scalars.removeLast()
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }  // skip surrogates, which are not scalars
            if let scalar = Unicode.Scalar(next) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                view.append(scalar)
                return String(view)
            }
        }
        return nil
    }
}

/// The write rules both backends share: precondition checks and the next version of a key.
package enum WritePlan: Equatable {
    /// The precondition failed; nothing is written.
    case rejected
    /// Write this kv (for a delete: the last value, modRevision = the delete's revision, version 0).
    case apply(kv: KeyValue, deleted: Bool)

    /// Decides a write given the key's current kv and the revision the write would get.
    package static func make(_ request: WriteRequest, current: KeyValue?, revision: Int64) -> WritePlan {
        switch request.precondition {
        case .none:
            break
        case .absent:
            if current != nil { return .rejected }
        case .modRevision(let expected):
            if (current?.modRevision ?? 0) != expected { return .rejected }
        }
        switch request.operation {
        case .put(let value):
            let kv = KeyValue(
                key: request.key,
                value: value,
                createRevision: current?.createRevision ?? revision,
                modRevision: revision,
                version: (current?.version ?? 0) + 1
            )
            return .apply(kv: kv, deleted: false)
        case .delete:
            guard var kv = current else { return .rejected }
            kv.modRevision = revision
            kv.version = 0
            return .apply(kv: kv, deleted: true)
        }
    }

    /// Checks what every backend refuses.
    package static func validate(_ request: WriteRequest) -> StoreError? {
        if request.key.isEmpty { return .invalidArgument("key: must not be empty") }
        if request.key.utf8.contains(0) { return .invalidArgument("key \"\(request.key)\": must not contain NUL") }
        return nil
    }
}
