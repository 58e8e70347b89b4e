import ArgumentParser
import Foundation
import ServiceKit
import ServiceLifecycle
import Store

/// `kubus-store`: the MVCC key-value store behind the api.
@main
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-store",
        abstract:
            "The Kubus store: an MVCC key-value store (SQLite, one file) serving the api over the bus and publishing every change as a watch event."
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

    @Option(help: "Remember at most this many request IDs (each about 200 bytes on disk).")
    var maxRequestIDs: Int = 50_000

    func run() async throws {
        let logger = try options.makeLogger("kubus.store")
        guard backend == "sqlite" else {
            throw ValidationError("--backend \(backend): not available in this build; the supported backend is sqlite")
        }
        let path = database ?? "\(options.resolvedStateDir)/store.db"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent.isEmpty
                ? "." : (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        var config = SQLiteBackendConfiguration()
        config.autoCompactRetain = retainRevisions > 0 ? Int64(retainRevisions) : nil
        config.autoCompactMaxAge = retainSeconds > 0 ? .seconds(retainSeconds) : nil
        config.autoCompactAboveBytes = compactAboveMiB > 0 ? Int64(compactAboveMiB) << 20 : nil
        config.walCheckpointBytes = Int64(max(1, walCheckpointMiB)) << 20
        config.maxPageBytes = max(1, maxPageBytes)
        config.requestRetention = .seconds(max(1, requestRetentionSeconds))
        config.maxRequests = max(1, maxRequestIDs)
        let store = try SQLiteBackend(path: path, configuration: config)
        logger.info("store database opened", metadata: ["kubus.path": "\(path)"])
        let service = StoreService(backend: store, endpoints: try options.endpoints(), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
