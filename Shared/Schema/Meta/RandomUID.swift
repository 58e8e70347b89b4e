#if canImport(Glibc)
    import Glibc
#endif

/// Random (version 4) UUIDs in the lowercase form Kubernetes writes in `metadata.uid`, audit ids and token ids,
/// from the system generator (getrandom(2)): Foundation's `UUID()` on Linux opens, reads and closes /dev/urandom
/// for each one, which showed in the api's profile of creates.
public enum RandomUID {
    public static func make() -> String {
        var bytes: (UInt64, UInt64) = (0, 0)
        // The 16 bytes at once from the C library's generator (getrandom(2) underneath); the standard generator asks
        // the kernel once per 8 bytes.
        withUnsafeMutableBytes(of: &bytes) { arc4random_buf($0.baseAddress!, 16) }
        return withUnsafeBytes(of: &bytes) { random in
            var text = [UInt8]()
            text.reserveCapacity(36)
            for i in 0..<16 {
                var byte = random[i]
                if i == 6 { byte = byte & 0x0F | 0x40 }  // version 4
                if i == 8 { byte = byte & 0x3F | 0x80 }  // RFC 4122 variant
                if i == 4 || i == 6 || i == 8 || i == 10 { text.append(UInt8(ascii: "-")) }
                text.append(hexDigit(byte >> 4))
                text.append(hexDigit(byte & 0x0F))
            }
            return String(decoding: text, as: UTF8.self)
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
