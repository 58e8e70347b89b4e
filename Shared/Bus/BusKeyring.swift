#if canImport(Glibc)
    import Glibc
#endif

/// The bus's key folder (mode 0700), created on the broker's first start:
///
/// - `bus.key`: the broker's CurveZMQ key pair (0600); clients check its public key.
/// - `registry/NAME.json`: one entry per admitted public key, with its identity and what it may call, serve and
///   publish (`KeyRegistry` in the broker reads it again when it changes: no restart to add or revoke).
/// - `NAME.key`: the key files issued here for local processes (0600), as `BusCredentials.load` reads them.
public struct BusKeyring: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public var serverKeyFile: String { directory + "/bus.key" }
    public var registryDirectory: String { directory + "/registry" }
    public func keyFile(_ name: String) -> String { directory + "/\(name).key" }
    public func entryFile(_ name: String) -> String { registryDirectory + "/\(name).json" }

    /// The broker's key pair: read from `bus.key`, or made and written there (with the folders) on first use.
    public func serverKeys() throws(BusError) -> CurveKeyPair {
        try Self.makeDirectory(directory)
        try Self.makeDirectory(registryDirectory)
        if access(serverKeyFile, F_OK) == 0 {
            let fields = try KeyFiles.readFlatJSON(path: serverKeyFile, secret: true)
            guard let pub = fields["publicKey"], let sec = fields["secretKey"] else {
                throw BusError.credentials("key file \(serverKeyFile): needs string fields publicKey and secretKey")
            }
            return CurveKeyPair(publicKey: try CurveKey(z85: pub), secretKey: try CurveKey(z85: sec))
        }
        let keys = try CurveKeyPair.generate()
        try KeyFiles.write(
            KeyFiles.flatJSON([
                ("identity", "system:kubus:bus"), ("publicKey", keys.publicKey.z85), ("secretKey", keys.secretKey.z85),
            ]), to: serverKeyFile, mode: 0o600)
        return keys
    }

    /// The key file `name`: a new key pair when it is missing, its registry entry is gone (as after a revocation) or
    /// it names another identity; the same key otherwise. Its registry entry gets `identity`, its `groups` (what
    /// RBAC bindings of kind Group match) and the rights asked for now (kubus-up issues on every start, so a change of
    /// rights takes effect then).
    public func issue(
        _ name: String, identity: String, groups: [String] = [], calls: [String], serves: [String] = [],
        publishes: [String] = [], subscribes: [String] = ["*"]
    ) throws(BusError) -> String {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 != UInt8(ascii: "/") && $0 != 0 }), !name.hasPrefix(".") else {
            throw BusError.credentials("key name \"\(name)\": a file name without '/' that does not start with '.'")
        }
        let server = try serverKeys()
        let keys: CurveKeyPair
        if access(keyFile(name), F_OK) == 0, access(entryFile(name), F_OK) == 0,
            let existing = try? BusCredentials.load(path: keyFile(name)), existing.serverKey == server.publicKey,
            existing.identity == identity
        {
            keys = existing.keys  // the key stays; its entry below gets the rights asked for now
        } else {
            keys = try CurveKeyPair.generate()
            let credentials = BusCredentials(identity: identity, keys: keys, serverKey: server.publicKey)
            try KeyFiles.write(credentials.fileText, to: keyFile(name), mode: 0o600)
        }
        let fields = [
            ("identity", identity), ("groups", groups.joined(separator: ",")), ("publicKey", keys.publicKey.z85),
            ("calls", calls.joined(separator: ",")),
            ("serves", serves.joined(separator: ",")), ("publishes", publishes.joined(separator: ",")),
            ("subscribes", subscribes.joined(separator: ",")),
        ]
        // Written only when it changed: the broker reads the registry again after each write.
        let current = try? KeyFiles.readFlatJSON(path: entryFile(name), secret: false)
        if current != Dictionary(uniqueKeysWithValues: fields) {
            try KeyFiles.write(KeyFiles.flatJSON(fields), to: entryFile(name), mode: 0o600)
        }
        return keyFile(name)
    }

    /// Removes `name`'s registry entry: the broker refuses its key from its next scan (within a second).
    public func revoke(_ name: String) throws(BusError) {
        guard unlink(entryFile(name)) == 0 || errno == ENOENT else {
            throw BusError.credentials("cannot remove \(entryFile(name)): \(String(cString: strerror(errno)))")
        }
    }

    /// The names of the registry's entries, sorted.
    public func entryNames() -> [String] {
        KeyFiles.jsonFiles(in: registryDirectory).map { String($0.dropLast(5)) }
    }

    /// Makes `path` (and missing parents, 0700 as state folders are) and sets it to 0700.
    static func makeDirectory(_ path: String) throws(BusError) {
        var parent = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            parent += parent.isEmpty && part.isEmpty ? "/" : (parent.hasSuffix("/") || parent.isEmpty ? "" : "/") + part
            if !parent.isEmpty && parent != "/" && access(parent, F_OK) != 0 { mkdir(parent, 0o700) }
        }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw BusError.credentials("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o700)
    }
}
