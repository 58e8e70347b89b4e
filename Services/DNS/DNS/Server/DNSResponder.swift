public import NIOCore
import Synchronization

/// The zone the server answers from: none until the informers have synced, then replaced as a whole per change.
public final class ZoneHolder: Sendable {
    public let configuration: ClusterZoneConfiguration
    private let current = Mutex<ClusterZone?>(nil)
    /// The zones without data: tells the names served here from the others before the first sync.
    private let empty: ClusterZone

    public init(configuration: ClusterZoneConfiguration, data: ClusterZoneData? = nil) {
        self.configuration = configuration
        empty = ClusterZone(configuration: configuration, data: ClusterZoneData())
        if let data { replace(data) }
    }

    /// The current zone; nil before the first sync.
    public var zone: ClusterZone? { current.withLock { $0 } }

    public func replace(_ data: ClusterZoneData) {
        let zone = ClusterZone(configuration: configuration, data: data)
        current.withLock { $0 = zone }
    }

    /// Whether `question` is in a zone served here (not forwarded).
    func serves(_ question: DNSQuestion) -> Bool {
        if case .answer = empty.answer(question) { return true }
        return false
    }
}

/// Turns a query's bytes into the response's bytes: parsing, the zone's answer or the upstream's, EDNS(0), and the
/// size limit of the transport. The zone path is synchronous; forwarded questions finish later on an event loop.
public final class DNSResponder: Sendable {
    public enum Transport: Sendable {
        case udp
        case tcp
    }

    public enum Outcome: Sendable {
        case reply([UInt8])
        /// Nothing to send: not a query, or too short to answer.
        case drop
        /// The reply once the upstream has answered (or failed: SERVFAIL).
        case later(EventLoopFuture<[UInt8]>)
    }

    /// The UDP payload size this server advertises and takes (DNS flag day 2020's 1232).
    public static let udpPayloadSize: UInt16 = 1232
    /// The largest UDP answer sent, whatever a client advertises.
    static let maxUDPAnswer = 4096

    let zones: ZoneHolder
    let forwarder: Forwarder?
    public let stats: DNSStats
    private let rotation = Atomic<Int>(0)

    public init(zones: ZoneHolder, forwarder: Forwarder?, stats: DNSStats) {
        self.zones = zones
        self.forwarder = forwarder
        self.stats = stats
    }

    /// Answers one query received over `transport`.
    public func respond(to buffer: UnsafeRawBufferPointer, transport: Transport) -> Outcome {
        if transport == .udp {
            stats.udpQueries.add(1, ordering: .relaxed)
        } else {
            stats.tcpQueries.add(1, ordering: .relaxed)
        }
        // Too short for a header, or a response (two servers could bounce errors at each other forever): no answer.
        guard buffer.count >= 12, buffer[2] & 0x80 == 0 else {
            stats.dropped.add(1, ordering: .relaxed)
            return .drop
        }
        let query: DNSMessage
        do {
            query = try DNSMessage(buffer: buffer)
        } catch {
            guard let header = DNSMessage.peekHeader(buffer) else { return .drop }
            var reply = DNSMessage(id: header.id)
            reply.isResponse = true
            reply.opcode = UInt8((header.flags >> 11) & 0x0F)
            reply.recursionDesired = header.flags & 0x0100 != 0
            reply.rcode = .formatError
            if let question = header.question { reply.questions = [question] }
            return .reply(finish(reply, limit: 512))
        }
        let limit = transport == .tcp ? 65_535 : Self.udpLimit(query)
        var reply = query.responseSkeleton()
        reply.recursionAvailable = forwarder != nil
        if let edns = query.edns {
            reply.edns = EDNS(udpPayloadSize: Self.udpPayloadSize, dnssecOK: edns.dnssecOK)
            if edns.version > 0 {
                reply.rcode = .badVersion
                return .reply(finish(reply, limit: limit))
            }
        }
        guard query.opcode == 0 else {
            reply.rcode = .notImplemented
            return .reply(finish(reply, limit: limit))
        }
        guard query.questions.count == 1 else {
            reply.rcode = .formatError
            return .reply(finish(reply, limit: limit))
        }
        let question = query.questions[0]
        guard let zone = zones.zone else {
            // Not synced yet: cluster names get SERVFAIL (retried, never cached as NXDOMAIN); others go upstream.
            if zones.serves(question) {
                reply.rcode = .serverFailure
                return .reply(finish(reply, limit: limit))
            }
            return forward(question, query: query, reply: reply, limit: limit)
        }
        switch zone.answer(question) {
        case .answer(var answer):
            reply.authoritative = answer.rcode != .refused
            reply.rcode = answer.rcode
            rotate(&answer.answers)
            reply.answers = answer.answers
            reply.authority = answer.authority
            reply.additional = answer.additional
            guard let target = answer.chase, let forwarder else { return .reply(finish(reply, limit: limit)) }
            let reply = reply
            let chased = forwarder.resolve(
                DNSQuestion(name: target, type: question.type, class: question.class),
                dnssecOK: query.edns?.dnssecOK ?? false, checkingDisabled: query.checkingDisabled)
            return .later(
                chased.map { [self] upstream in
                    var full = reply
                    // What the target resolves to follows the CNAME; the response code is the last name's (RFC 6604).
                    full.answers += upstream.answers
                    if upstream.rcode == .nameError || (upstream.rcode == .noError && upstream.answers.isEmpty) {
                        full.rcode = upstream.rcode
                        full.authority = upstream.authority
                        full.authoritative = false
                    }
                    return finish(full, limit: limit)
                }.recover { [self] _ in finish(reply, limit: limit) })
        case .forward:
            return forward(question, query: query, reply: reply, limit: limit)
        }
    }

    private func forward(_ question: DNSQuestion, query: DNSMessage, reply: DNSMessage, limit: Int) -> Outcome {
        guard let forwarder else {
            var reply = reply
            reply.rcode = .serverFailure
            return .reply(finish(reply, limit: limit))
        }
        if question.type == .axfr || question.type == .ixfr {
            var reply = reply
            reply.rcode = .refused
            return .reply(finish(reply, limit: limit))
        }
        let reply = reply
        let answer = forwarder.resolve(
            question, recursionDesired: query.recursionDesired, dnssecOK: query.edns?.dnssecOK ?? false,
            checkingDisabled: query.checkingDisabled)
        return .later(
            answer.map { [self] upstream in
                var full = reply
                full.rcode = upstream.rcode
                full.authoritative = upstream.authoritative
                full.authenticData = upstream.authenticData
                full.answers = upstream.answers
                full.authority = upstream.authority
                full.additional = upstream.additional
                // A code above 15 needs an OPT record, which a client without EDNS gets none of.
                if full.rcode.rawValue > 15 && full.edns == nil { full.rcode = .serverFailure }
                return finish(full, limit: limit)
            }.recover { [self] _ in
                var failed = reply
                failed.rcode = .serverFailure
                return finish(failed, limit: limit)
            })
    }

    /// Encodes `reply` within `limit`, counting it; falls back to the bare header when even that fails.
    func finish(_ reply: DNSMessage, limit: Int) -> [UInt8] {
        do {
            let bytes = try reply.encoded(maxSize: limit)
            if bytes.count > 2, bytes[2] & 0x02 != 0, !reply.truncated { stats.truncated.add(1, ordering: .relaxed) }
            stats.count(reply.rcode)
            return bytes
        } catch {
            var bare = DNSMessage(id: reply.id)
            bare.isResponse = true
            bare.rcode = .serverFailure
            stats.count(.serverFailure)
            return (try? bare.encoded()) ?? []
        }
    }

    /// The largest UDP answer this query may get: 512 without EDNS (RFC 1035), else its advertised size, at most 4096.
    static func udpLimit(_ query: DNSMessage) -> Int {
        guard let edns = query.edns else { return 512 }
        return min(max(Int(edns.udpPayloadSize), 512), maxUDPAnswer)
    }

    /// Rotates a set of address records, as CoreDNS' `loadbalance` shuffles them, so clients that take the first
    /// address spread over a headless service's endpoints.
    private func rotate(_ records: inout [DNSRecord]) {
        guard records.count > 1, records.allSatisfy({ $0.type == .a || $0.type == .aaaa }) else { return }
        let shift = rotation.add(1, ordering: .relaxed).newValue % records.count
        records = Array(records[shift...] + records[..<shift])
    }
}
