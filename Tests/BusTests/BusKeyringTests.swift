import Bus
import Foundation
import Testing

/// The bus's key folder: what kubus-up and `kubus-bus keys` write, and what the broker and clients read.
@Suite struct BusKeyringTests {
    static func withFolder(_ body: (BusKeyring, String) throws -> Void) throws {
        let dir = "/tmp/kubus-keyring-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(BusKeyring(directory: dir + "/keys"), dir)
    }

    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func issuingAgainKeepsTheKeyAndTakesTheNewRights() throws {
        try Self.withFolder { keyring, _ in
            let path = try keyring.issue(
                "kubelet-0", identity: "system:kubus:kubelet-0", calls: ["api"], serves: ["kubelet.*"])
            let first = try BusCredentials.load(path: path)
            #expect(try Self.mode(keyring.directory) == 0o700)
            #expect(try Self.mode(path) == 0o600)
            #expect(try Self.mode(keyring.serverKeyFile) == 0o600)
            #expect(first.serverKey == (try keyring.serverKeys()).publicKey)
            // kubus-up issues at every start: the same key, the rights of now.
            _ = try keyring.issue(
                "kubelet-0", identity: "system:kubus:kubelet-0", calls: ["api"], serves: ["kubelet.vm-0"])
            #expect(try BusCredentials.load(path: path).keys == first.keys)
            let entry = try KeyFiles.readFlatJSON(path: keyring.entryFile("kubelet-0"), secret: false)
            #expect(entry["serves"] == "kubelet.vm-0")
            #expect(entry["publicKey"] == first.keys.publicKey.z85)
            // After a revocation the name gets a new key pair.
            try keyring.revoke("kubelet-0")
            #expect(keyring.entryNames().isEmpty)
            _ = try keyring.issue("kubelet-0", identity: "system:kubus:kubelet-0", calls: ["api"])
            #expect(try BusCredentials.load(path: path).keys != first.keys)
            #expect(keyring.entryNames() == ["kubelet-0"])
        }
    }

    @Test func aKeyFileOthersMayReadIsRefusedWithItsPathAndMode() throws {
        try Self.withFolder { keyring, _ in
            let path = try keyring.issue("admin", identity: "kubus-admin", calls: ["*"])
            chmod(path, 0o644)
            #expect {
                _ = try BusCredentials.load(path: path)
            } throws: { error in
                "\(error)".contains("\(path) holds a secret key and is readable by others (mode 644)")
            }
            #expect(throws: BusError.self) { _ = try keyring.issue("../etc", identity: "x", calls: []) }
        }
    }
}
