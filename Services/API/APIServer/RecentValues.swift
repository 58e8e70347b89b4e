import Synchronization
import Wire

/// The values this api instance last read or wrote, by store key: where an update starts instead of reading the
/// key from the store again (Kubernetes' GuaranteedUpdate starts from its watch cache the same way).
///
/// A value here may be stale (another api instance, or a write this one did not see, changed the key since): an
/// update that starts from it is kept only when the store accepts its write at the value's revision (the write is a
/// compare-and-swap), and anything else that update would answer — a conflict, a validation error, no change — is
/// worked out again from a fresh read (`APIHandler.modifyInTurn`). So the cache saves a store round trip per update
/// and decides nothing.
///
/// Bounded in bytes by two generations: values go into the young one; when it holds `budget / 2` bytes it becomes
/// the old one and the previous old one is dropped. A look-up checks both, so what was used recently stays.
final class RecentValues: Sendable {
    /// Bytes of values (keys and text) the two generations hold at most.
    let budget: Int
    /// Values over this many bytes are not kept (one update of a large object is not worth the room).
    static let largestValue = 64 << 10

    private struct Generations {
        var young: [String: KeyValue] = [:]
        var youngBytes = 0
        var old: [String: KeyValue] = [:]
    }

    private let state = Mutex(Generations())

    init(budget: Int = 8 << 20) { self.budget = budget }

    /// The value last seen for `key`, if it is still kept.
    func value(for key: String) -> KeyValue? {
        state.withLock { $0.young[key] ?? $0.old[key] }
    }

    /// Remembers `kv` as the key's latest value, unless one of a later revision is kept already.
    func remember(_ kv: KeyValue) {
        let size = Self.bytes(kv)
        guard size <= Self.largestValue else { return forget(kv.key) }
        state.withLock { s in
            if let known = s.young[kv.key] ?? s.old[kv.key], known.modRevision > kv.modRevision { return }
            if s.youngBytes + size > budget / 2 {
                s.old = s.young
                s.young = [:]
                s.youngBytes = 0
            }
            s.old[kv.key] = nil
            if let replaced = s.young.updateValue(kv, forKey: kv.key) {
                s.youngBytes -= Self.bytes(replaced)
            }
            s.youngBytes += size
        }
    }

    /// Forgets the key (it was deleted, or its value is not worth keeping).
    func forget(_ key: String) {
        state.withLock { s in
            if let gone = s.young.removeValue(forKey: key) {
                s.youngBytes -= Self.bytes(gone)
            }
            s.old[key] = nil
        }
    }

    /// What one kept value counts against the budget: its key and text.
    private static func bytes(_ kv: KeyValue) -> Int { kv.key.utf8.count + kv.value.utf8.count }

    /// Keys kept, for tests.
    var count: Int { state.withLock { $0.young.count + $0.old.count } }
}
