import CZeroMQ
import JSONCore

#if canImport(Glibc)
    import Glibc
#endif

/// A CurveZMQ key: 32 bytes, written as 40 characters of Z85 (ZeroMQ RFC 32) in files.
public struct CurveKey: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Decodes 40 characters of Z85.
    public init(z85 text: String) throws(BusError) {
        guard text.utf8.count == 40 else {
            throw BusError.credentials("a CurveZMQ key is 40 characters of Z85; got \(text.utf8.count) characters")
        }
        var out = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&out, text) != nil else {
            throw BusError.credentials("the key \"\(text)\" is not valid Z85")
        }
        bytes = out
    }

    /// A key from its 32 bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a CurveZMQ key is 32 bytes")
        self.bytes = bytes
    }

    /// The key as 40 characters of Z85.
    public var z85: String {
        var text = [CChar](repeating: 0, count: 41)
        _ = zmq_z85_encode(&text, bytes, 32)
        return String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The public key only: a secret key is never printed.
    public var description: String { z85 }
}

/// A CurveZMQ key pair.
public struct CurveKeyPair: Sendable, Hashable {
    public let publicKey: CurveKey
    public let secretKey: CurveKey

    public init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A new key pair from libsodium's generator (through libzmq).
    public static func generate() throws(BusError) -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else {
            throw BusError.credentials("zmq_curve_keypair failed: this libzmq is built without CURVE (libsodium)")
        }
        let text = { (c: [CChar]) in String(decoding: c.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return CurveKeyPair(publicKey: try CurveKey(z85: text(pub)), secretKey: try CurveKey(z85: text(sec)))
    }
}

/// Who a process is on the bus: its identity, its key pair and the broker's public key (which it checks, so a
/// process cannot be talked to by a false broker).
///
/// Read from a key file, a flat JSON object written with mode 0600:
/// `{"identity":"system:kubus:store","publicKey":"<Z85>","secretKey":"<Z85>","serverKey":"<Z85>"}`.
public struct BusCredentials: Sendable, Hashable {
    public var identity: String
    public var keys: CurveKeyPair
    /// The broker's public key.
    public var serverKey: CurveKey

    public init(identity: String, keys: CurveKeyPair, serverKey: CurveKey) {
        self.identity = identity
        self.keys = keys
        self.serverKey = serverKey
    }

    /// Reads a key file; refuses one that others than its owner may read.
    public static func load(path: String) throws(BusError) -> BusCredentials {
        let fields = try KeyFiles.readFlatJSON(path: path, secret: true)
        func key(_ name: String) throws(BusError) -> CurveKey {
            guard let text = fields[name] else {
                throw BusError.credentials("key file \(path): no string field \"\(name)\"")
            }
            do {
                return try CurveKey(z85: text)
            } catch {
                throw BusError.credentials("key file \(path): field \"\(name)\": \(error.message)")
            }
        }
        guard let identity = fields["identity"], !identity.isEmpty else {
            throw BusError.credentials("key file \(path): no string field \"identity\"")
        }
        return BusCredentials(
            identity: identity, keys: CurveKeyPair(publicKey: try key("publicKey"), secretKey: try key("secretKey")),
            serverKey: try key("serverKey"))
    }

    /// The key file's text.
    public var fileText: String {
        var out: [UInt8] = []
        KeyFiles.appendFlatJSON(
            [
                ("identity", identity), ("publicKey", keys.publicKey.z85), ("secretKey", keys.secretKey.z85),
                ("serverKey", serverKey.z85),
            ], to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Makes `socket` a CurveZMQ client of the broker; called before it connects.
    func secure(_ socket: ZMQSocket) throws(BusError) {
        try socket.set(ZMQ_CURVE_SERVERKEY, bytes: serverKey.bytes)
        try socket.set(ZMQ_CURVE_PUBLICKEY, bytes: keys.publicKey.bytes)
        try socket.set(ZMQ_CURVE_SECRETKEY, bytes: keys.secretKey.bytes)
    }
}

/// Reading and writing the small flat-JSON files of the key registry, without Foundation.
public enum KeyFiles {
    /// The string fields of a flat JSON object in `path`. With `secret`, a file that its group or others may read
    /// is refused, as ssh refuses such a private key.
    public static func readFlatJSON(path: String, secret: Bool) throws(BusError) -> [String: String] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw BusError.credentials("cannot read key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw BusError.credentials("cannot stat key file \(path): \(String(cString: strerror(errno)))")
        }
        let readableByOthers = secret && info.st_mode & 0o077 != 0
        guard info.st_size <= 64 << 10 else { throw BusError.credentials("key file \(path) is over 64 KiB") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        var parser = FlatJSONParser(bytes: Array(bytes.prefix(got)))
        let fields: [String: FlatJSONParser.Value]
        do {
            fields = try parser.parseObject()
        } catch {
            throw BusError.credentials("key file \(path) is not a flat JSON object of strings: \(error.message)")
        }
        var strings: [String: String] = [:]
        for case (let k, .string(let v)) in fields { strings[k] = v }
        // The pods' key (kubus-bus --pod-bus) is shared on purpose: it names no one and grants what
        // system:anonymous may do.
        if readableByOthers && strings["identity"] != anonymousIdentity {
            throw BusError.credentials(
                "key file \(path) holds a secret key and is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); "
                    + "chmod 600 it")
        }
        return strings
    }

    /// The identity of the pods' shared key, the only key file that may be readable by others.
    public static let anonymousIdentity = "system:anonymous"

    /// Writes `text` to `path` with `mode`, through a temporary file and a rename (a reader never sees half a file).
    public static func write(_ text: String, to path: String, mode: UInt32) throws(BusError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else {
            throw BusError.credentials("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, mode_t(mode))
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw BusError.credentials("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The `.json` files of `directory` (not hidden ones), sorted; none when it cannot be read.
    public static func jsonFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".json") && !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    static func appendFlatJSON(_ fields: [(String, String)], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, (k, v)) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(v, to: &out)
        }
        out += Array("}\n".utf8)
    }

    /// `fields` as one flat JSON object and a newline.
    public static func flatJSON(_ fields: [(String, String)]) -> String {
        var out: [UInt8] = []
        appendFlatJSON(fields, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
