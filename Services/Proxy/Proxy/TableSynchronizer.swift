import Bus
import Foundation
public import Logging
public import Schema
import Synchronization

/// Keeps one nftables table in step with a model built from informer caches: rebuilds the model when woken,
/// renders and applies it in one `nft -f` transaction when it changed, retries a second later when nft refuses,
/// and rewrites it now and then whatever changed. kubus-proxy and kubus-netpol each drive their own table with one.
public final class TableSynchronizer<Model: Equatable & Sendable>: Sendable {
    public let table: String
    private let nft: NFTables
    private let logger: Logger
    private let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    private let state = Mutex(State())

    struct State {
        var applied: Model?
        var names: Set<String> = []
        var syncs = 0
        var failures = 0
        var lastError: String?
        var lastSyncMillis = 0.0
    }

    public init(table: String, nft: NFTables, logger: Logger) {
        self.table = table
        self.nft = nft
        self.logger = logger
    }

    /// Asks for a sync (informer handlers call it on every event).
    public func poke() { wake.continuation.yield() }

    /// Syncs on every poke until cancelled or `finish()`, at most once per `minPeriod`; also every `fullPeriod`.
    /// `prepare` runs before each sync (host set-up that may become possible later).
    public func run(
        minPeriod: Duration, fullPeriod: Duration, prepare: @Sendable () async -> Void = {},
        build: @Sendable () -> Model, render: @Sendable (Model, Set<String>) -> (script: String, names: Set<String>)
    ) async {
        if let listing = await nft.list(table: table) {
            state.withLock { $0.names = NFTablesRules.names(inListing: listing) }
        }
        let full = Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: fullPeriod) } catch { return }
                state.withLock { $0.applied = nil }
                poke()
            }
        }
        defer { full.cancel() }
        poke()
        for await _ in wake.stream {
            if Task.isCancelled { return }
            await prepare()
            if await sync(build(), render: render) {
                try? await Task.sleep(for: minPeriod)
            } else {
                try? await Task.sleep(for: .seconds(1))
                poke()
            }
        }
    }

    /// Ends `run`.
    public func finish() { wake.continuation.finish() }

    /// Applies `model` unless it is what the table holds; false when nft refused it.
    func sync(_ model: Model, render: (Model, Set<String>) -> (script: String, names: Set<String>)) async -> Bool {
        let (previous, existing) = state.withLock { ($0.applied, $0.names) }
        guard previous != model else { return true }
        let started = ContinuousClock.now
        let (script, names) = render(model, existing)
        do {
            try await nft.apply(script)
            let millis = Double((ContinuousClock.now - started).milliseconds)
            state.withLock {
                $0.applied = model
                $0.names = names
                $0.syncs += 1
                $0.lastSyncMillis = millis
                $0.lastError = nil
            }
            logger.debug("rules synced", metadata: ["kubus.table": "\(table)", "kubus.millis": "\(millis)"])
            return true
        } catch {
            state.withLock {
                $0.failures += 1
                $0.lastError = error.message
            }
            logger.error(
                "rules not applied; will retry",
                metadata: ["kubus.table": "\(table)", "kubus.error": "\(error.message)"])
            return false
        }
    }

    /// The model in the kernel now, if any.
    public var applied: Model? { state.withLock { $0.applied } }

    /// What the synchronizer did, for a status reply.
    public func status() -> JSONValue {
        let s = state.withLock { $0 }
        var body: JSONValue = [
            "table": .string(table), "syncs": .int(Int64(s.syncs)), "failures": .int(Int64(s.failures)),
            "lastSyncMillis": .double(s.lastSyncMillis),
        ]
        if let error = s.lastError { body["lastError"] = .string(error) }
        return body
    }
}
