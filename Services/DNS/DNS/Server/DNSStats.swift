public import Synchronization

/// Counters of what the server did, for the `dns` bus service's status and the logs.
public final class DNSStats: Sendable {
    /// Queries received (parsed or not), over UDP and TCP.
    public let udpQueries = Atomic<Int>(0)
    public let tcpQueries = Atomic<Int>(0)
    /// Packets dropped without an answer (shorter than a header, or responses).
    public let dropped = Atomic<Int>(0)
    /// Answers by response code: NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, and any other.
    private let noError = Atomic<Int>(0)
    private let formatError = Atomic<Int>(0)
    private let serverFailure = Atomic<Int>(0)
    private let nameError = Atomic<Int>(0)
    private let notImplemented = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)
    private let otherRcode = Atomic<Int>(0)
    /// UDP answers cut to the client's size with TC set.
    public let truncated = Atomic<Int>(0)
    /// Questions sent to the upstream resolvers (cache misses), and those that failed or timed out.
    public let forwarded = Atomic<Int>(0)
    public let forwardFailures = Atomic<Int>(0)
    /// Upstream answers served from the cache.
    public let cacheHits = Atomic<Int>(0)
    /// Times the zone was rebuilt from the informers' caches.
    public let zoneBuilds = Atomic<Int>(0)

    public init() {}

    static let rcodeNames = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "other"]

    func count(_ rcode: DNSResponseCode) {
        switch rcode {
        case .noError: noError.add(1, ordering: .relaxed)
        case .formatError: formatError.add(1, ordering: .relaxed)
        case .serverFailure: serverFailure.add(1, ordering: .relaxed)
        case .nameError: nameError.add(1, ordering: .relaxed)
        case .notImplemented: notImplemented.add(1, ordering: .relaxed)
        case .refused: refused.add(1, ordering: .relaxed)
        default: otherRcode.add(1, ordering: .relaxed)
        }
    }

    /// Answers sent, by response code name.
    public var answersByRcode: [String: Int] {
        let values = [
            noError.load(ordering: .relaxed), formatError.load(ordering: .relaxed),
            serverFailure.load(ordering: .relaxed), nameError.load(ordering: .relaxed),
            notImplemented.load(ordering: .relaxed), refused.load(ordering: .relaxed),
            otherRcode.load(ordering: .relaxed),
        ]
        return Dictionary(uniqueKeysWithValues: zip(Self.rcodeNames, values))
    }

    /// Every counter, by name.
    public var snapshot: [String: Int] {
        [
            "udpQueries": udpQueries.load(ordering: .relaxed), "tcpQueries": tcpQueries.load(ordering: .relaxed),
            "dropped": dropped.load(ordering: .relaxed), "truncated": truncated.load(ordering: .relaxed),
            "forwarded": forwarded.load(ordering: .relaxed),
            "forwardFailures": forwardFailures.load(ordering: .relaxed),
            "cacheHits": cacheHits.load(ordering: .relaxed), "zoneBuilds": zoneBuilds.load(ordering: .relaxed),
        ]
    }
}
