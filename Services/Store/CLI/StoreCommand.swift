public import ArgumentParser
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import Store
import UnixSignals

/// `kubus-store`: the MVCC key-value store behind the api.
public struct StoreCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-store",
        abstract:
            "The Kubus store: an MVCC key-value store (SQLite, one file) serving the api over the bus and publishing every change as a watch event.",
        subcommands: [RotateKeysCommand.self]
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "Storage backend. Only sqlite is built in; etcd is planned and refused with a message.")
    var backend: String = "sqlite"

    @Option(help: "The SQLite database file. Default: <state-dir>/store.db.")
    var database: String?

    @Option(help: "Keep this many revisions of history; older ones are compacted automatically. 0 turns it off.")
    var retainRevisions: Int = 100_000

    @Option(help: "Compact history older than this many seconds automatically. 0 turns it off.")
    var retainSeconds: Int = 3600

    @Option(
        help:
            "When the database file and its WAL exceed this many MiB, compact all but the last 1,000 revisions. 0 turns it off."
    )
    var compactAboveMiB: Int = 1024

    @Option(help: "Checkpoint and truncate the WAL when it exceeds this many MiB (and after every compaction).")
    var walCheckpointMiB: Int = 64

    @Option(help: "Most bytes of objects in one list page (a larger single object still makes a page of its own).")
    var maxPageBytes: Int = 4 << 20

    @Option(help: "Remember the request ID of each write this many seconds, to answer a retried write once.")
    var requestRetentionSeconds: Int = 600

    @Option(help: "Remember at most this many request IDs (each about 63 bytes on disk).")
    var maxRequestIDs: Int = 50_000

    @Option(
        help:
            "The file of keys that seal Secrets in the database (AES-256-GCM), created with one key on first start. Default: <state-dir>/encryption-keys.json."
    )
    var encryptionKeys: String?

    @Option(help: "Seal Secrets in the database. false keeps them as the api sent them (readable in the file).")
    var sealSecrets: Bool = true

    public func run() async throws {
        let logger = try options.makeLogger("kubus.store")
        guard backend == "sqlite" else {
            throw ValidationError("--backend \(backend): not available in this build; the supported backend is sqlite")
        }
        let path = database ?? "\(options.resolvedStateDir)/store.db"
        let folder = try StoreFiles.prepare(database: path, isDefault: database == nil)
        let lock = try StateFolderLock(folder: folder, name: "kubus-store")
        defer { withExtendedLifetime(lock) {} }
        var config = SQLiteBackendConfiguration()
        config.autoCompactRetain = retainRevisions > 0 ? Int64(retainRevisions) : nil
        config.autoCompactMaxAge = retainSeconds > 0 ? .seconds(retainSeconds) : nil
        config.autoCompactAboveBytes = compactAboveMiB > 0 ? Int64(compactAboveMiB) << 20 : nil
        config.walCheckpointBytes = Int64(max(1, walCheckpointMiB)) << 20
        config.maxPageBytes = max(1, maxPageBytes)
        config.requestRetention = .seconds(max(1, requestRetentionSeconds))
        config.maxRequests = max(1, maxRequestIDs)
        let sqlite = try SQLiteBackend(path: path, configuration: config)
        StoreFiles.restrict(database: path)
        logger.info("store database opened", metadata: ["kubus.path": "\(path)"])
        let backend: any StoreBackend
        if sealSecrets {
            let keyFile = encryptionKeys ?? "\(options.resolvedStateDir)/encryption-keys.json"
            let keys = try EncryptionKeys.load(path: keyFile, create: true)
            backend = SealedBackend(base: sqlite, sealer: SecretSealer(keys: keys))
            logger.info(
                "Secrets are sealed at rest",
                metadata: [
                    "kubus.keyFile": "\(keyFile)", "kubus.key": "\(keys.primary.name)",
                    "kubus.keys": "\(keys.all.count)",
                ])
        } else {
            backend = sqlite
            logger.warning(
                "Secrets are NOT sealed at rest (--seal-secrets false): their values are readable in \(path)")
        }
        let service = StoreService(backend: backend, endpoints: try options.endpoints(), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// `kubus-store rotate-keys`: a new key seals every Secret again, and the old keys are dropped.
struct RotateKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-keys",
        abstract:
            "Seal every stored Secret (history included) with a new key and drop the old keys; run with the store stopped.",
        discussion: """
            Adds a new key first in the key file, opens every sealed (or not yet sealed) Secret value in the \
            database with the key it was sealed with, seals it again with the new key in one transaction, wipes \
            the freed space (secure_delete, incremental vacuum, WAL truncation), then removes the old keys from \
            the file. Takes the store's lock, so it refuses to run while a store serves the folder.
            """)

    @OptionGroup var options: ServiceOptions

    @Option(help: "The SQLite database file. Default: <state-dir>/store.db.")
    var database: String?

    @Option(help: "The key file. Default: <state-dir>/encryption-keys.json.")
    var encryptionKeys: String?

    func run() async throws {
        let path = database ?? "\(options.resolvedStateDir)/store.db"
        let keyFile = encryptionKeys ?? "\(options.resolvedStateDir)/encryption-keys.json"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("--database: no store database at \(path)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let lock = try StateFolderLock(folder: folder.isEmpty ? "." : folder, name: "kubus-store")
        defer { withExtendedLifetime(lock) {} }
        let old = try EncryptionKeys.load(path: keyFile, create: true)
        let rotated = old.rotated()
        // The new key goes into the file before any value uses it, the old ones leave only after none does.
        try rotated.save(path: keyFile)
        let count = try SQLiteBackend.reseal(path: path, sealer: SecretSealer(keys: rotated))
        try rotated.primaryOnly().save(path: keyFile)
        print(
            "sealed \(count) stored Secret value(s) with \(rotated.primary.name); "
                + "removed \(old.all.map(\.name).joined(separator: ", ")) from \(keyFile)")
    }
}

/// The store's files are its own: the folder 0700, the database, its WAL and the key file 0600.
enum StoreFiles {
    /// Creates the database's folder; the default one (inside the state folder) is made 0700. Returns the folder.
    static func prepare(database path: String, isDefault: Bool) throws -> String {
        let folder =
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if isDefault { chmod(folder, 0o700) }
        umask(0o077)  // SQLite's -wal and -shm, and every file the store makes, are the store's only
        return folder
    }

    /// Makes a database (and WAL) created by an older store 0600.
    static func restrict(database path: String) {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            chmod(file, 0o600)
        }
    }
}
