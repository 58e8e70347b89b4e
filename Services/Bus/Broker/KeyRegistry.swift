import Bus
import CZeroMQ
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A key the broker knows: whose it is and what it may do on the bus.
///
/// Each list holds names or prefixes ending in `*` (`kubelet-*`); `*` alone is everything.
public struct BusPeer: Sendable, Hashable {
    public var identity: String
    /// The groups services see it in (RBAC subjects of kind Group), e.g. `system:masters`.
    public var groups: [String]
    /// Services it may send requests to (`api`, `bus`, `store`, …).
    public var calls: [String]
    /// Services it may register a worker for.
    public var serves: [String]
    /// Topics it may publish events on.
    public var publishes: [String]
    /// Topic prefixes it may subscribe to (`event/Pod/default/*`); `*` is every event. The Sync beacons
    /// (`sync/…`) are open to every key: they carry revisions, no objects.
    public var subscribes: [String]

    public init(
        identity: String, groups: [String] = [], calls: [String] = [], serves: [String] = [], publishes: [String] = [],
        subscribes: [String] = []
    ) {
        self.subscribes = subscribes
        self.identity = identity
        self.groups = groups
        self.calls = calls
        self.serves = serves
        self.publishes = publishes
    }

    static func allows(_ patterns: [String], _ name: String) -> Bool {
        patterns.contains { p in p.hasSuffix("*") ? name.hasPrefix(p.dropLast()) : p == name }
    }

    func mayCall(_ service: String) -> Bool { Self.allows(calls, service) }
    func mayServe(_ service: String) -> Bool { Self.allows(serves, service) }
    func mayPublish(_ topic: String) -> Bool { Self.allows(publishes, topic) }

    /// A subscription is a prefix: it is allowed when a pattern covers every topic it can match — `*`, the same
    /// name, or a `p*` pattern whose `p` the prefix starts with.
    func maySubscribe(_ prefix: String) -> Bool {
        if prefix.hasPrefix("sync/") { return true }
        return subscribes.contains { p in p.hasSuffix("*") ? prefix.hasPrefix(p.dropLast()) : p == prefix }
    }
}

/// The broker's key registry: a folder of flat-JSON entries, one per public key, read again whenever the folder
/// changes (adding or revoking a key needs no restart):
/// `{"identity":"system:kubus:store","groups":"system:kubus:store","publicKey":"<Z85>","calls":"*","serves":"store",
/// "publishes":"*","subscribes":"*"}`.
/// Files that are not entries (no `.json` suffix) are skipped; an entry that cannot be read is logged and skipped.
public final class KeyRegistry: Sendable {
    public let directory: String
    private struct State {
        var byKey: [String: BusPeer] = [:]
        var stamp: (Int, Int) = (-1, -1)
        var scannedAt: Int64 = 0
        var problems: [String] = []
        var generation = 0
    }
    private let state = Mutex(State())

    /// Counts the scans that changed an entry (a key added, revoked, or its rights changed).
    public var generation: Int { state.withLock { $0.generation } }

    public init(directory: String) {
        self.directory = directory
        reload(force: true)
    }

    /// The peer a key (Z85) belongs to; nil for a key that is not (or no longer) registered.
    public func peer(key z85: String) -> BusPeer? {
        state.withLock { $0.byKey[z85] }
    }

    /// Entries that could not be read at the last scan, with why.
    public var problems: [String] { state.withLock { $0.problems } }

    public var count: Int { state.withLock { $0.byKey.count } }

    /// Reads the folder again when its modification time changed, or a second after the last scan (an entry
    /// rewritten in place does not change the folder's time).
    public func reload(force: Bool) {
        var info = stat()
        let stamp = stat(directory, &info) == 0 ? (info.st_mtim.tv_sec, info.st_mtim.tv_nsec) : (-1, -1)
        let now = BusClock.nowMs()
        let due = state.withLock { s in force || s.stamp != stamp || now - s.scannedAt >= 1_000 }
        guard due else { return }
        var byKey: [String: BusPeer] = [:]
        var problems: [String] = []
        for name in KeyFiles.jsonFiles(in: directory) {
            let path = directory + "/" + name
            do throws(BusError) {
                let fields = try KeyFiles.readFlatJSON(path: path, secret: false)
                guard let identity = fields["identity"], !identity.isEmpty else {
                    throw BusError.credentials("no string field \"identity\"")
                }
                guard let key = fields["publicKey"] else { throw BusError.credentials("no string field \"publicKey\"") }
                let z85 = try CurveKey(z85: key).z85
                let list = { (field: String) in
                    (fields[field] ?? "").split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
                }
                // An entry written before `subscribes` existed keeps subscribing to everything, as it could then.
                byKey[z85] = BusPeer(
                    identity: identity, groups: list("groups"), calls: list("calls"), serves: list("serves"),
                    publishes: list("publishes"), subscribes: fields["subscribes"] == nil ? ["*"] : list("subscribes"))
            } catch {
                problems.append("\(path): \(error.message)")
            }
        }
        state.withLock {
            if $0.byKey != byKey { $0.generation += 1 }
            $0.byKey = byKey
            $0.stamp = stamp
            $0.scannedAt = now
            $0.problems = problems
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// The ZAP handler (ZeroMQ RFC 27) of the broker's CurveZMQ sockets: admits a connection only when its key is in
/// the registry, and names the connection by its key (the `User-Id` of every message it sends).
final class ZAPDriver: SocketDriver {
    typealias Command = Never
    let socket: ZMQSocket
    let registry: KeyRegistry
    let stats: BrokerStats

    init(context: ZMQContext, registry: KeyRegistry, stats: BrokerStats) throws(BusError) {
        socket = try ZMQSocket(context: context, type: ZMQ_REP)
        try socket.bind("inproc://zeromq.zap.01")
        self.registry = registry
        self.stats = stats
    }

    var pollSockets: [ZMQSocket] { [socket] }

    func readable(_ index: Int) {
        while let frames = try? socket.receive() {
            // [version, request id, domain, address, routing id, mechanism, client key]
            guard frames.count >= 6 else { continue }
            let version = frames[0]
            let requestID = frames[1]
            var admitted: String?
            if frames.count == 7, String(decoding: frames[5], as: UTF8.self) == "CURVE", frames[6].count == 32 {
                let z85 = CurveKey(bytes: frames[6]).z85
                registry.reload(force: false)
                if registry.peer(key: z85) != nil { admitted = z85 }
            }
            if admitted == nil { stats.refusedConnections.add(1, ordering: .relaxed) }
            _ = try? socket.send(
                [
                    version, requestID, Array((admitted == nil ? "400" : "200").utf8),
                    Array((admitted == nil ? "key not in the bus's key registry" : "OK").utf8),
                    Array((admitted ?? "").utf8), [],
                ], dontWait: false)
        }
    }

    func perform(_ commands: [Never]) {}
    func tick() -> Int { -1 }
    func shutdown() { socket.close() }
}
