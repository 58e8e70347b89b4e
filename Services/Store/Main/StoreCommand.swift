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
        abstract: "The Kubus store: an MVCC key-value store (SQLite, one file) serving the api over the bus and publishing every change as a watch event.")

    @OptionGroup var options: ServiceOptions

    @Option(help: "Storage backend. Only sqlite is built in; etcd is planned and refused with a message.")
    var backend: String = "sqlite"

    @Option(help: "The SQLite database file. Default: <state-dir>/store.db.")
    var database: String?

    @Option(help: "Keep this many revisions of history; older ones are compacted automatically. 0 turns it off.")
    var retainRevisions: Int = 100_000

    func run() async throws {
        let logger = try options.makeLogger("kubus.store")
        guard backend == "sqlite" else {
            throw ValidationError("--backend \(backend): not available in this build; the supported backend is sqlite")
        }
        let path = database ?? "\(options.resolvedStateDir)/store.db"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        var config = SQLiteBackendConfiguration()
        config.autoCompactRetain = retainRevisions > 0 ? Int64(retainRevisions) : nil
        let store = try SQLiteBackend(path: path, configuration: config)
        logger.info("store database opened", metadata: ["kubus.path": "\(path)"])
        let service = StoreService(backend: store, endpoints: try options.endpoints(), logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
