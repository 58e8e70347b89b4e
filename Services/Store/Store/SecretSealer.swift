import Crypto
import Foundation
import Schema
public import Wire

/// Seals Secrets before they reach the store's file, as kube-apiserver's `aesgcm` encryption provider does before
/// etcd: the whole stored object is encrypted with AES-256-GCM under a random 12-byte nonce, with the store key as
/// additional authenticated data (a sealed value moved to another key does not open), and kept as
/// `k8s:enc:aesgcm:v1:<key name>:<base64 of nonce, ciphertext and tag>`. The first key seals; every key opens; a
/// value without the prefix (written before sealing was on) is read as it is.
public struct SecretSealer: Sendable {
    /// What a sealed value starts with.
    public static let prefix = "k8s:enc:aesgcm:v1:"
    /// Store keys whose values are sealed: Secrets (`/registry/Secret/<namespace>/<name>`).
    public static let sealedKeyPrefixes = ["/registry/Secret/"]

    public let keys: EncryptionKeys

    public init(keys: EncryptionKeys) { self.keys = keys }

    /// Whether values under `key` are sealed.
    public func seals(_ key: String) -> Bool { Self.sealedKeyPrefixes.contains { key.hasPrefix($0) } }

    /// `value` sealed with the first key.
    public func seal(_ value: String, key: String) throws(StoreError) -> String {
        let primary = keys.primary
        do {
            let box = try AES.GCM.seal(
                Data(value.utf8), using: primary.key, nonce: AES.GCM.Nonce(),
                authenticating: Data(key.utf8))
            guard let combined = box.combined else { throw StoreError.io("AES-GCM gave no combined box") }
            return Self.prefix + primary.name + ":" + combined.base64EncodedString()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.io("could not seal the value of \(key) with encryption key \(primary.name)", cause: error)
        }
    }

    /// `value` opened if it is sealed, else as it is.
    public func open(_ value: String, key: String) throws(StoreError) -> String {
        guard value.hasPrefix(Self.prefix) else { return value }
        let rest = value.dropFirst(Self.prefix.count)
        guard let colon = rest.firstIndex(of: ":") else {
            throw StoreError.corrupted("the sealed value of \(key) has no key name")
        }
        let name = String(rest[..<colon])
        guard let entry = keys.all.first(where: { $0.name == name }) else {
            throw StoreError.corrupted(
                "the value of \(key) is sealed with encryption key \"\(name)\", which is not in the key file "
                    + "(keys there: \(keys.all.map(\.name).joined(separator: ", ")))")
        }
        guard let combined = Data(base64Encoded: String(rest[rest.index(after: colon)...])) else {
            throw StoreError.corrupted("the sealed value of \(key) is not base64")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plain = try AES.GCM.open(box, using: entry.key, authenticating: Data(key.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw StoreError.corrupted(
                "the sealed value of \(key) does not open with encryption key \"\(name)\" (damaged, or moved from "
                    + "another key)", cause: error)
        }
    }

    func open(_ kv: KeyValue) throws(StoreError) -> KeyValue {
        var kv = kv
        kv.value = try open(kv.value, key: kv.key)
        return kv
    }
}

/// The keys that seal Secrets, kept in a JSON file of their own beside (not in) the database, mode 0600:
/// `{"keys": [{"name": "key2", "secret": "<base64 of 32 bytes>"}, {"name": "key1", ...}]}`. The first seals.
public struct EncryptionKeys: Sendable {
    public struct Entry: Sendable {
        public let name: String
        /// The 32 bytes of the key (kept as `Data`: `SymmetricKey` is not `Sendable` in swift-crypto 3).
        let secret: Data
        var key: SymmetricKey { SymmetricKey(data: secret) }
    }

    public let all: [Entry]
    public var primary: Entry { all[0] }

    private struct File: Codable {
        struct Key: Codable {
            var name: String
            var secret: String
        }
        var keys: [Key]
    }

    init(all: [Entry]) {
        precondition(!all.isEmpty)
        self.all = all
    }

    /// A new key named `name`.
    static func generate(name: String) -> Entry {
        Entry(name: name, secret: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// The keys in `path`; with `create`, a file with one new key when there is none.
    public static func load(path: String, create: Bool) throws(StoreError) -> EncryptionKeys {
        guard FileManager.default.fileExists(atPath: path) else {
            guard create else { throw StoreError.notFound("no encryption key file at \(path)") }
            let keys = EncryptionKeys(all: [generate(name: "key1")])
            try keys.save(path: path)
            return keys
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw StoreError.corrupted(
                "encryption key file \(path) is not {\"keys\": [{\"name\", \"secret\"}]}", cause: error)
        }
        var entries: [Entry] = []
        for (index, key) in file.keys.enumerated() {
            guard let bytes = Data(base64Encoded: key.secret), bytes.count == 32 else {
                throw StoreError.corrupted(
                    "encryption key file \(path): keys[\(index)].secret must be 32 bytes in base64 (AES-256)")
            }
            guard !key.name.isEmpty, !key.name.contains(":") else {
                throw StoreError.corrupted(
                    "encryption key file \(path): keys[\(index)].name must be non-empty, without ':'")
            }
            entries.append(Entry(name: key.name, secret: bytes))
        }
        guard !entries.isEmpty else { throw StoreError.corrupted("encryption key file \(path) has no keys") }
        guard Set(entries.map(\.name)).count == entries.count else {
            throw StoreError.corrupted("encryption key file \(path): key names must be distinct")
        }
        return EncryptionKeys(all: entries)
    }

    /// Writes the keys to `path` (mode 0600), replacing the file atomically.
    public func save(path: String) throws(StoreError) {
        let file = File(
            keys: all.map { entry in
                File.Key(name: entry.name, secret: entry.secret.base64EncodedString())
            })
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(file)
            // The key file's folder (the state folder) may not exist yet when the database lives elsewhere.
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let temporary = path + ".new"
            _ = FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
            try data.write(to: URL(fileURLWithPath: temporary))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            guard rename(temporary, path) == 0 else {
                throw StoreError.io("could not rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.io("could not write encryption key file \(path)", cause: error)
        }
    }

    /// These keys with a new one first (named after the highest `key<N>`), which seals from now on.
    public func rotated() -> EncryptionKeys {
        let highest = all.compactMap { Int($0.name.dropFirst(3)) }.max() ?? 0
        return EncryptionKeys(all: [Self.generate(name: "key\(highest + 1)")] + all)
    }

    /// Only the first key (after every value was sealed again with it).
    public func primaryOnly() -> EncryptionKeys { EncryptionKeys(all: [primary]) }
}

/// A backend whose Secrets are sealed at rest: values under `SecretSealer.sealedKeyPrefixes` are sealed on the
/// way in and opened on the way out, so the api, watchers and the file never see each other's form.
public final class SealedBackend: StoreBackend {
    public let base: any StoreBackend
    public let sealer: SecretSealer

    public init(base: any StoreBackend, sealer: SecretSealer) {
        self.base = base
        self.sealer = sealer
    }

    public func get(_ key: String, revision: Int64?) async throws(StoreError) -> (KeyValue?, Int64) {
        let (kv, at) = try await base.get(key, revision: revision)
        return (try kv.map(unsealed), at)
    }

    public func range(prefix: String, revision: Int64?, startAfter: String?, limit: Int?) async throws(StoreError)
        -> RangeResult
    {
        var result = try await base.range(prefix: prefix, revision: revision, startAfter: startAfter, limit: limit)
        result.kvs = try result.kvs.map(unsealed)
        return result
    }

    public func write(_ request: WriteRequest) async throws(StoreError) -> WriteResult {
        let result = await withCheckedContinuation { continuation in
            write(request) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    public func write(
        _ request: WriteRequest, completion: @escaping @Sendable (Result<WriteResult, StoreError>) -> Void
    ) {
        var request = request
        if case .put(let value) = request.operation, sealer.seals(request.key) {
            do throws(StoreError) {
                request.operation = .put(value: try sealer.seal(value, key: request.key))
            } catch {
                return completion(.failure(error))
            }
        }
        base.write(request) { result in
            completion(
                result.flatMap { (written: WriteResult) -> Result<WriteResult, StoreError> in
                    do throws(StoreError) {
                        var written = written
                        written.kv = try written.kv.map(self.unsealed)
                        written.previous = try written.previous.map(self.unsealed)
                        return .success(written)
                    } catch {
                        return .failure(error)
                    }
                })
        }
    }

    public func changes(prefix: String, after revision: Int64, limit: Int?) async throws(StoreError)
        -> ChangesResult
    {
        var result = try await base.changes(prefix: prefix, after: revision, limit: limit)
        for index in result.changes.indices {
            result.changes[index].kv = try unsealed(result.changes[index].kv)
            result.changes[index].previous = try result.changes[index].previous.map(unsealed)
        }
        return result
    }

    public func compact(revision: Int64) async throws(StoreError) { try await base.compact(revision: revision) }
    public func status() async throws(StoreError) -> StoreStatus { try await base.status() }
    public func publishedRevision() async -> Int64? { await base.publishedRevision() }
    public func recordPublished(_ revision: Int64) async { await base.recordPublished(revision) }
    public func close() async { await base.close() }

    /// Passes the base's commits on opened; a value that does not open sends the commit to the log's read path,
    /// which reports the error.
    public func observeCommits(_ observer: @escaping CommitObserver) -> Bool {
        base.observeCommits { [sealer] batch in
            var batch = batch
            if let changes = batch.changes {
                batch.changes = try? changes.map { change throws(StoreError) in
                    var change = change
                    if sealer.seals(change.kv.key) { change.kv = try sealer.open(change.kv) }
                    return change
                }
            }
            observer(batch)
        }
    }

    private func unsealed(_ kv: KeyValue) throws(StoreError) -> KeyValue {
        sealer.seals(kv.key) ? try sealer.open(kv) : kv
    }
}
