/// FNV-1a: a stable hash for names and decisions every process must compute alike (Swift's `Hasher` is seeded
/// per process). The 32-bit form is Go's `hash/fnv.New32a`, which Kubernetes' template hashes use.
public enum StableHash {
    /// The 32-bit FNV-1a hash of `bytes`.
    public static func fnv1a32<S: Sequence<UInt8>>(_ bytes: S) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    /// The 64-bit FNV-1a hash of `bytes`, continuing from `hash` (a prefix's hash, so a shared prefix is hashed once).
    public static func fnv1a64<S: Sequence<UInt8>>(_ bytes: S, continuing hash: UInt64 = 0xcbf2_9ce4_8422_2325)
        -> UInt64
    {
        var hash = hash
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
