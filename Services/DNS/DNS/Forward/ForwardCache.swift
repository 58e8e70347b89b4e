/// Upstream answers kept for at most `maxTTL` seconds (CoreDNS' `cache 30`), their TTLs counted down when served.
///
/// Positive answers live as long as their shortest TTL; NXDOMAIN and NODATA as long as their SOA says (RFC 2308 §5);
/// failures, truncated answers and negative answers without an SOA are not kept. At most `capacity` entries: when
/// full, expired entries go first, then the oldest tenth.
struct ForwardCache {
    struct Key: Hashable {
        var name: DNSName
        var type: DNSType
        var `class`: DNSClass
        var dnssecOK: Bool
        var checkingDisabled: Bool
    }

    struct Entry {
        var message: DNSMessage
        var stored: ContinuousClock.Instant
        var ttl: UInt32
    }

    let capacity: Int
    let maxTTL: UInt32
    private(set) var entries: [Key: Entry] = [:]

    init(capacity: Int = 10_000, maxTTL: UInt32 = 30) {
        self.capacity = capacity
        self.maxTTL = maxTTL
    }

    var count: Int { entries.count }

    /// The cached answer with its TTLs lowered by the time it has been kept; nil when absent or expired.
    mutating func get(_ key: Key, now: ContinuousClock.Instant) -> DNSMessage? {
        guard let entry = entries[key] else { return nil }
        let age = UInt32(clamping: (now - entry.stored).components.seconds)
        guard age < entry.ttl else {
            entries[key] = nil
            return nil
        }
        var message = entry.message
        func lower(_ records: inout [DNSRecord]) {
            for i in records.indices { records[i].ttl = records[i].ttl > age ? records[i].ttl - age : 0 }
        }
        lower(&message.answers)
        lower(&message.authority)
        lower(&message.additional)
        return message
    }

    /// How long `message` may be kept, or nil when it must not be.
    func lifetime(of message: DNSMessage) -> UInt32? {
        guard !message.truncated else { return nil }
        if message.rcode == .noError, !message.answers.isEmpty {
            let shortest = (message.answers + message.authority).map(\.ttl).min() ?? 0
            return shortest > 0 ? min(shortest, maxTTL) : nil
        }
        guard message.rcode == .noError || message.rcode == .nameError else { return nil }
        for record in message.authority {
            if case .soa(let soa) = record.data {
                let ttl = min(record.ttl, soa.minimum, maxTTL)
                return ttl > 0 ? ttl : nil
            }
        }
        return nil
    }

    mutating func put(_ key: Key, _ message: DNSMessage, now: ContinuousClock.Instant) {
        guard capacity > 0, let ttl = lifetime(of: message) else { return }
        if entries.count >= capacity && entries[key] == nil {
            entries = entries.filter { UInt32(clamping: (now - $0.value.stored).components.seconds) < $0.value.ttl }
            if entries.count >= capacity {
                let oldest = entries.sorted { $0.value.stored < $1.value.stored }.prefix(max(1, capacity / 10))
                for (k, _) in oldest { entries[k] = nil }
            }
        }
        entries[key] = Entry(message: message, stored: now, ttl: ttl)
    }
}
