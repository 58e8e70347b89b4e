import Schema

/// Writes DNS messages: names compressed where RFC 1035 allows it (owner names and the names inside CNAME, NS, PTR,
/// MX and SOA data; never inside SRV data, RFC 2782), and, given a size limit, truncation as a UDP answer needs it.
struct DNSWriter {
    var bytes: [UInt8] = []
    /// Offsets of labels written out in full, which later names may point to (a pointer holds 14 bits).
    private var labelOffsets: [Int] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        labelOffsets.reserveCapacity(32)
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(v >> 8))
        bytes.append(UInt8(v & 0xFF))
    }

    mutating func u32(_ v: UInt32) {
        bytes.append(UInt8(v >> 24))
        bytes.append(UInt8((v >> 16) & 0xFF))
        bytes.append(UInt8((v >> 8) & 0xFF))
        bytes.append(UInt8(v & 0xFF))
    }

    mutating func set16(_ v: UInt16, at offset: Int) {
        bytes[offset] = UInt8(v >> 8)
        bytes[offset + 1] = UInt8(v & 0xFF)
    }

    /// A mark to roll back to when a record does not fit.
    struct Mark {
        let count: Int
        let labels: Int
    }

    var mark: Mark { Mark(count: bytes.count, labels: labelOffsets.count) }

    mutating func rollBack(to mark: Mark) {
        bytes.removeSubrange(mark.count...)
        labelOffsets.removeSubrange(mark.labels...)
    }

    /// Writes `name`, pointing to an earlier copy of its longest suffix already in the message when `compress`.
    mutating func name(_ name: DNSName, compress: Bool) {
        let wire = name.wire
        var i = 0
        while wire[i] != 0 {
            if compress, let target = find(wire, from: i) {
                u16(0xC000 | UInt16(target))
                return
            }
            if bytes.count < 0x4000 { labelOffsets.append(bytes.count) }
            let length = Int(wire[i])
            bytes.append(contentsOf: wire[i...(i + length)])
            i += length + 1
        }
        bytes.append(0)
    }

    /// An offset in the message where the name suffix `wire[from...]` is already written.
    private func find(_ wire: [UInt8], from start: Int) -> Int? {
        for candidate in labelOffsets where matches(wire, from: start, at: candidate) {
            return candidate
        }
        return nil
    }

    /// Whether the name written at `offset` (following pointers) equals `wire[start...]`, ignoring case.
    private func matches(_ wire: [UInt8], from start: Int, at offset: Int) -> Bool {
        var i = start
        var j = offset
        var jumps = 0
        // Bounds are checked: the name being written may be compared against its own unfinished bytes.
        while true {
            guard j < bytes.count else { return false }
            var length = bytes[j]
            while length & 0xC0 == 0xC0 {
                jumps += 1
                guard jumps < 64, j + 1 < bytes.count else { return false }
                j = Int(length & 0x3F) << 8 | Int(bytes[j + 1])
                guard j < bytes.count else { return false }
                length = bytes[j]
            }
            guard length == wire[i], j + Int(length) < bytes.count else { return false }
            if length == 0 { return true }
            for k in 1...Int(length) where DNSName.fold(bytes[j + k]) != DNSName.fold(wire[i + k]) {
                return false
            }
            i += Int(length) + 1
            j += Int(length) + 1
        }
    }

    mutating func question(_ q: DNSQuestion) {
        name(q.name, compress: true)
        u16(q.type.rawValue)
        u16(q.class.rawValue)
    }

    mutating func record(_ r: DNSRecord) {
        name(r.name, compress: true)
        u16(r.type.rawValue)
        u16(r.class.rawValue)
        u32(r.ttl)
        let lengthAt = bytes.count
        u16(0)
        switch r.data {
        case .a(let ip):
            u32(ip.value)
        case .aaaa(let ip):
            bytes.append(contentsOf: ip.bytes)
        case .cname(let n), .ns(let n), .ptr(let n):
            name(n, compress: true)
        case .mx(let preference, let exchange):
            u16(preference)
            name(exchange, compress: true)
        case .soa(let soa):
            name(soa.primary, compress: true)
            name(soa.mailbox, compress: true)
            u32(soa.serial)
            u32(soa.refresh)
            u32(soa.retry)
            u32(soa.expire)
            u32(soa.minimum)
        case .srv(let srv):
            u16(srv.priority)
            u16(srv.weight)
            u16(srv.port)
            name(srv.target, compress: false)
        case .txt(let strings):
            for s in strings {
                let chunk = s.prefix(255)
                u8(UInt8(chunk.count))
                bytes.append(contentsOf: chunk)
            }
        case .unknown(let data):
            bytes.append(contentsOf: data.prefix(0xFFFF))
        }
        set16(UInt16(min(bytes.count - lengthAt - 2, 0xFFFF)), at: lengthAt)
    }

    mutating func opt(_ edns: EDNS, extendedRcode: UInt8) {
        u8(0)
        u16(DNSType.opt.rawValue)
        u16(max(edns.udpPayloadSize, 512))
        u32(UInt32(extendedRcode) << 24 | UInt32(edns.version) << 16 | (edns.dnssecOK ? 0x8000 : 0))
        let lengthAt = bytes.count
        u16(0)
        for option in edns.options {
            u16(option.code)
            u16(UInt16(min(option.data.count, 0xFFFF)))
            bytes.append(contentsOf: option.data.prefix(0xFFFF))
        }
        set16(UInt16(min(bytes.count - lengthAt - 2, 0xFFFF)), at: lengthAt)
    }

    static func optSize(_ edns: EDNS) -> Int {
        11 + edns.options.reduce(0) { $0 + 4 + min($1.data.count, 0xFFFF) }
    }
}

extension DNSMessage {
    /// The wire form, at most `maxSize` bytes (a UDP answer's limit; 65,535 for TCP).
    ///
    /// Records of the answer and authority sections that do not fit are left out and TC is set (RFC 2181 §9);
    /// additional records that do not fit are left out without TC. The OPT record always stays. Throws when even the
    /// header and question do not fit, or a response code above 15 has no EDNS to carry it.
    public func encoded(maxSize: Int = 65_535) throws(DNSCodecError) -> [UInt8] {
        let limit = min(max(maxSize, 12), 65_535)
        guard rcode.rawValue <= 15 || edns != nil else {
            throw DNSCodecError(.rcodeNeedsEDNS, at: 2, "response code \(rcode) needs an OPT record")
        }
        var w = DNSWriter(capacity: min(limit, 512))
        w.u16(id)
        w.u16(flags)
        w.u16(UInt16(min(questions.count, 0xFFFF)))
        w.u16(0)
        w.u16(0)
        w.u16(0)
        for q in questions { w.question(q) }
        let reserve = edns.map(DNSWriter.optSize) ?? 0
        guard w.bytes.count + reserve <= limit else {
            throw DNSCodecError(
                .tooLarge, at: w.bytes.count,
                "header and question take \(w.bytes.count + reserve) bytes, more than \(limit)")
        }
        var truncated = self.truncated
        var counts: [UInt16] = [0, 0, 0]
        sections: for (index, section) in [answers, authority, additional].enumerated() {
            for record in section {
                let mark = w.mark
                w.record(record)
                if w.bytes.count + reserve > limit || counts[index] == 0xFFFF {
                    w.rollBack(to: mark)
                    if index < 2 { truncated = true }
                    break sections
                }
                counts[index] += 1
            }
        }
        var arcount = counts[2]
        if let edns {
            w.opt(edns, extendedRcode: UInt8((rcode.rawValue >> 4) & 0xFF))
            arcount += 1
        }
        if truncated { w.bytes[2] |= 0x02 }
        w.set16(counts[0], at: 6)
        w.set16(counts[1], at: 8)
        w.set16(arcount, at: 10)
        return w.bytes
    }
}
