import Foundation
import Schema
import Testing
import Wire

@testable import Store

/// Secrets sealed at rest (issue 13 item 6): AES-256-GCM in the store's file, keys in a file of their own.
@Suite(.timeLimit(.minutes(1)))
struct SecretSealerTests {
    static let secretKey = "/registry/Secret/default/db"
    static let secretValue = #"{"apiVersion":"v1","kind":"Secret","data":{"password":"czNjcjN0LXBhc3N3b3Jk"}}"#

    /// Every byte of the database and its WAL.
    static func fileBytes(_ path: String) -> Data {
        [path, path + "-wal"].reduce(into: Data()) { all, file in
            all += (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
        }
    }

    static func contains(_ haystack: Data, _ needle: String) -> Bool { haystack.range(of: Data(needle.utf8)) != nil }

    @Test func aSealedValueOpensOnlyUnderItsOwnKeyAndWithItsKeyFile() async throws {
        try await withTemporaryDirectory { directory in
            let keys = try EncryptionKeys.load(path: directory.appendingPathComponent("keys.json").path, create: true)
            let sealer = SecretSealer(keys: keys)
            let sealed = try sealer.seal(Self.secretValue, key: Self.secretKey)
            #expect(sealed.hasPrefix("k8s:enc:aesgcm:v1:key1:"))
            #expect(!sealed.contains("czNjcjN0"))
            #expect(try sealer.open(sealed, key: Self.secretKey) == Self.secretValue)
            #expect(try sealer.seal(Self.secretValue, key: Self.secretKey) != sealed)  // a fresh nonce each time
            // Moved to another key, it does not open (the key is authenticated data).
            #expect(throws: StoreError.self) { try sealer.open(sealed, key: "/registry/Secret/default/other") }
            // Another key file does not open it, and says which key it needs.
            let other = try EncryptionKeys.load(path: directory.appendingPathComponent("other.json").path, create: true)
            #expect(throws: StoreError.self) { try SecretSealer(keys: other).open(sealed, key: Self.secretKey) }
            // A value from before sealing reads as it is.
            #expect(try sealer.open(Self.secretValue, key: Self.secretKey) == Self.secretValue)
        }
    }

    @Test func theKeyFileIsTheOwnersOnlyAndBadFilesAreNamed() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("keys.json").path
            _ = try EncryptionKeys.load(path: path, create: true)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            try Data(#"{"keys":[{"name":"k","secret":"c2hvcnQ="}]}"#.utf8).write(to: URL(fileURLWithPath: path))
            #expect {
                _ = try EncryptionKeys.load(path: path, create: false)
            } throws: { error in
                "\(error)".contains("keys[0].secret must be 32 bytes")
            }
        }
    }

    @Test func theDatabaseHoldsNoSecretInClearAndRotationKeepsThemReadable() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let keyFile = directory.appendingPathComponent("encryption-keys.json").path
            let keys = try EncryptionKeys.load(path: keyFile, create: true)
            var store = SealedBackend(base: try SQLiteBackend(path: path), sealer: SecretSealer(keys: keys))
            let created = try await store.write(
                WriteRequest(key: Self.secretKey, operation: .put(value: Self.secretValue), precondition: .absent))
            #expect(created.kv?.value == Self.secretValue)
            _ = try await store.write(
                WriteRequest(key: "/registry/ConfigMap/default/plain", operation: .put(value: #"{"data":{"a":"b"}}"#)))
            #expect(try await store.get(Self.secretKey, revision: nil).0?.value == Self.secretValue)
            let changes = try await store.changes(prefix: "/registry/", after: 0, limit: nil)
            #expect(changes.changes.first?.kv.value == Self.secretValue)
            // Not in the file: neither the object nor the base64 value inside it, nor that decoded.
            var bytes = Self.fileBytes(path)
            #expect(!Self.contains(bytes, "czNjcjN0LXBhc3N3b3Jk") && !Self.contains(bytes, "s3cr3t-password"))
            #expect(Self.contains(bytes, #"{"data":{"a":"b"}}"#))  // other kinds are as they were
            await store.close()

            // Rotation: a new key seals every Secret again; the old key leaves the file.
            let rotated = keys.rotated()
            #expect(rotated.primary.name == "key2")
            #expect(try SQLiteBackend.reseal(path: path, sealer: SecretSealer(keys: rotated)) == 1)
            try rotated.primaryOnly().save(path: keyFile)
            let reloaded = try EncryptionKeys.load(path: keyFile, create: false)
            #expect(reloaded.all.map(\.name) == ["key2"])
            store = SealedBackend(base: try SQLiteBackend(path: path), sealer: SecretSealer(keys: reloaded))
            #expect(try await store.get(Self.secretKey, revision: nil).0?.value == Self.secretValue)
            bytes = Self.fileBytes(path)
            #expect(!Self.contains(bytes, "czNjcjN0LXBhc3N3b3Jk"))
            #expect(!Self.contains(bytes, "k8s:enc:aesgcm:v1:key1:"))
            await store.close()
        }
    }

    @Test func resealingSealsSecretsWrittenBeforeSealingWasOn() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.db").path
            let plain = try SQLiteBackend(path: path)
            try await plain.put(Self.secretKey, Self.secretValue)
            await plain.close()
            #expect(Self.contains(Self.fileBytes(path), "czNjcjN0LXBhc3N3b3Jk"))
            let keys = try EncryptionKeys.load(
                path: directory.appendingPathComponent("keys.json").path, create: true)
            #expect(try SQLiteBackend.reseal(path: path, sealer: SecretSealer(keys: keys)) == 1)
            #expect(!Self.contains(Self.fileBytes(path), "czNjcjN0LXBhc3N3b3Jk"))
            let store = SealedBackend(base: try SQLiteBackend(path: path), sealer: SecretSealer(keys: keys))
            #expect(try await store.get(Self.secretKey, revision: nil).0?.value == Self.secretValue)
            await store.close()
        }
    }
}
