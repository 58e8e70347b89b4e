import Crypto

/// SHA-256 in lowercase hex, as image ids and digests are written (`sha256:<hex>`), from swift-crypto.
enum SHA256Digest {
    static func hex(of message: [UInt8]) -> String {
        SHA256.hash(data: message).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
    }
}
