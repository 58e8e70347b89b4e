import Schema

/// Reads a DNS message from bytes, checking every length against the buffer: any input gives a message or a
/// `DNSCodecError`, never a crash, and the work is bounded by the input's size.
///
/// Compression pointers (RFC 1035 §4.1.4) must point strictly before the segment being read, so every jump goes
/// further back and a chain of pointers cannot loop; at most `maxPointers` are followed per name.
struct DNSReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    static let maxPointers = 64

    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
    }

    var remaining: Int { buffer.count - offset }

    mutating func u8(_ what: @autoclosure () -> String) throws(DNSCodecError) -> UInt8 {
        guard offset < buffer.count else { throw .truncated(at: offset, what()) }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func u16(_ what: @autoclosure () -> String) throws(DNSCodecError) -> UInt16 {
        guard offset + 2 <= buffer.count else { throw .truncated(at: offset, what()) }
        defer { offset += 2 }
        return UInt16(buffer[offset]) << 8 | UInt16(buffer[offset + 1])
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(DNSCodecError) -> UInt32 {
        guard offset + 4 <= buffer.count else { throw .truncated(at: offset, what()) }
        defer { offset += 4 }
        return UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16 | UInt32(buffer[offset + 2]) << 8
            | UInt32(buffer[offset + 3])
    }

    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws(DNSCodecError) -> [UInt8] {
        guard count >= 0, offset + count <= buffer.count else { throw .truncated(at: offset, what()) }
        defer { offset += count }
        return Array(buffer[offset..<(offset + count)])
    }

    /// Reads a possibly compressed name; the reader moves past it (past the first pointer, if any).
    mutating func name() throws(DNSCodecError) -> DNSName {
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var position = offset
        var segmentStart = offset
        var resume: Int?
        var pointers = 0
        while true {
            guard position < buffer.count else { throw .truncated(at: position, "a name") }
            let length = buffer[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    wire.append(0)
                    offset = resume ?? position + 1
                    guard wire.count <= DNSName.maxLength else {
                        throw DNSCodecError(.nameTooLong, at: segmentStart, "name longer than 255 bytes")
                    }
                    return DNSName(trustedWire: wire)
                }
                let end = position + 1 + Int(length)
                guard end <= buffer.count else { throw .truncated(at: position, "a label") }
                guard wire.count + Int(length) + 2 <= DNSName.maxLength else {
                    throw DNSCodecError(.nameTooLong, at: position, "name longer than 255 bytes")
                }
                wire.append(length)
                wire.append(contentsOf: buffer[(position + 1)..<end])
                position = end
            case 0xC0:
                guard position + 1 < buffer.count else { throw .truncated(at: position, "a compression pointer") }
                let target = Int(length & 0x3F) << 8 | Int(buffer[position + 1])
                guard target < segmentStart else {
                    throw DNSCodecError(
                        .pointerForward, at: position,
                        "compression pointer to byte \(target) does not point before the name it continues")
                }
                pointers += 1
                guard pointers <= Self.maxPointers else {
                    throw DNSCodecError(
                        .tooManyPointers, at: position, "more than \(Self.maxPointers) compression pointers in one name"
                    )
                }
                if resume == nil { resume = position + 2 }
                position = target
                segmentStart = target
            default:
                throw DNSCodecError(
                    .badLabelType, at: position, "label type 0x\(String(length & 0xC0, radix: 16)) is not supported")
            }
        }
    }

    mutating func question() throws(DNSCodecError) -> DNSQuestion {
        let name = try name()
        let type = try u16("a question's type")
        let cls = try u16("a question's class")
        return DNSQuestion(name: name, type: DNSType(type), class: DNSClass(cls))
    }

    /// One record, or the OPT pseudo-record as `.opt`.
    enum Item {
        case record(DNSRecord)
        case opt(EDNS, extendedRcode: UInt8)
    }

    mutating func record() throws(DNSCodecError) -> Item {
        let start = offset
        let name = try name()
        let type = DNSType(try u16("a record's type"))
        let cls = try u16("a record's class")
        let ttl = try u32("a record's TTL")
        let length = Int(try u16("a record's data length"))
        let dataStart = offset
        let dataEnd = dataStart + length
        guard dataEnd <= buffer.count else { throw .truncated(at: dataStart, "the data of a \(type) record") }
        if type == .opt {
            guard name.isRoot else { throw DNSCodecError(.badOPT, at: start, "OPT record not owned by the root") }
            var options: [EDNS.Option] = []
            while offset < dataEnd {
                guard dataEnd - offset >= 4 else {
                    throw DNSCodecError(.badOPT, at: offset, "EDNS option header cut short")
                }
                let code = try u16("an EDNS option code")
                let optionLength = Int(try u16("an EDNS option length"))
                guard offset + optionLength <= dataEnd else {
                    throw DNSCodecError(.badOPT, at: offset, "EDNS option \(code) longer than the OPT record")
                }
                options.append(EDNS.Option(code: code, data: try bytes(optionLength, "an EDNS option")))
            }
            let edns = EDNS(
                udpPayloadSize: cls, version: UInt8((ttl >> 16) & 0xFF), dnssecOK: ttl & 0x8000 != 0, options: options)
            return .opt(edns, extendedRcode: UInt8(ttl >> 24))
        }
        let data = try recordData(type: type, end: dataEnd)
        guard offset == dataEnd else {
            throw DNSCodecError(
                .badRecordData, at: dataStart, "\(type) data is \(length) bytes, its fields take \(offset - dataStart)")
        }
        return .record(DNSRecord(name: name, type: type, class: DNSClass(cls), ttl: ttl, data: data))
    }

    private mutating func recordData(type: DNSType, end: Int) throws(DNSCodecError) -> DNSRData {
        // Names inside data must not run past the record's end either.
        func checkInside(_ reader: DNSReader) throws(DNSCodecError) {
            guard reader.offset <= end else {
                throw DNSCodecError(.badRecordData, at: reader.offset, "\(type) data runs past its length")
            }
        }
        switch type {
        case .a:
            guard end - offset == 4 else { throw DNSCodecError(.badRecordData, at: offset, "A data is not 4 bytes") }
            return .a(IPv4(try u32("an A address")))
        case .aaaa:
            guard end - offset == 16 else {
                throw DNSCodecError(.badRecordData, at: offset, "AAAA data is not 16 bytes")
            }
            return .aaaa(IPv6(bytes: try bytes(16, "an AAAA address"))!)
        case .cname, .ns, .ptr:
            let target = try name()
            try checkInside(self)
            return type == .cname ? .cname(target) : (type == .ns ? .ns(target) : .ptr(target))
        case .mx:
            let preference = try u16("an MX preference")
            let exchange = try name()
            try checkInside(self)
            return .mx(preference: preference, exchange: exchange)
        case .soa:
            let primary = try name()
            let mailbox = try name()
            try checkInside(self)
            let soa = DNSSOA(
                primary: primary, mailbox: mailbox, serial: try u32("SOA serial"), refresh: try u32("SOA refresh"),
                retry: try u32("SOA retry"), expire: try u32("SOA expire"), minimum: try u32("SOA minimum"))
            try checkInside(self)
            return .soa(soa)
        case .srv:
            guard end - offset >= 7 else { throw DNSCodecError(.badRecordData, at: offset, "SRV data too short") }
            let priority = try u16("SRV priority")
            let weight = try u16("SRV weight")
            let port = try u16("SRV port")
            let target = try name()
            try checkInside(self)
            return .srv(DNSSRV(priority: priority, weight: weight, port: port, target: target))
        case .txt:
            var strings: [[UInt8]] = []
            while offset < end {
                let length = Int(try u8("a TXT string length"))
                guard offset + length <= end else {
                    throw DNSCodecError(.badRecordData, at: offset, "TXT string longer than its record")
                }
                strings.append(try bytes(length, "a TXT string"))
            }
            return .txt(strings)
        default:
            return .unknown(try bytes(end - offset, "record data"))
        }
    }
}

extension DNSMessage {
    /// Parses a whole message. Bytes after the last record are ignored.
    public init(bytes: [UInt8]) throws(DNSCodecError) {
        let result: Result<DNSMessage, DNSCodecError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(DNSCodecError) in try DNSMessage(buffer: buffer) }
        }
        self = try result.get()
    }

    /// Parses a whole message from raw memory (a network buffer) without copying it first.
    public init(buffer: UnsafeRawBufferPointer) throws(DNSCodecError) {
        var reader = DNSReader(buffer)
        let id = try reader.u16("the header")
        let flags = try reader.u16("the header")
        let qd = try reader.u16("the header")
        let an = try reader.u16("the header")
        let ns = try reader.u16("the header")
        let ar = try reader.u16("the header")
        self.init(id: id)
        setFlags(flags)
        // Every question takes at least 5 bytes and every record 11: counts the buffer cannot hold fail early.
        guard Int(qd) * 5 + (Int(an) + Int(ns) + Int(ar)) * 11 <= reader.remaining else {
            throw .truncated(at: 12, "the \(qd) questions and \(Int(an) + Int(ns) + Int(ar)) records the header counts")
        }
        questions.reserveCapacity(Int(qd))
        for _ in 0..<qd { questions.append(try reader.question()) }
        var extendedRcode: UInt8 = 0
        for section in 0..<3 {
            let count = section == 0 ? an : (section == 1 ? ns : ar)
            for _ in 0..<count {
                let at = reader.offset
                switch try reader.record() {
                case .record(let record):
                    switch section {
                    case 0: answers.append(record)
                    case 1: authority.append(record)
                    default: additional.append(record)
                    }
                case .opt(let opt, let high):
                    guard section == 2 else {
                        throw DNSCodecError(.badOPT, at: at, "OPT record outside the additional section")
                    }
                    guard edns == nil else { throw DNSCodecError(.duplicateOPT, at: at, "more than one OPT record") }
                    edns = opt
                    extendedRcode = high
                }
            }
        }
        if edns != nil { rcode = DNSResponseCode(UInt16(extendedRcode) << 4 | rcode.rawValue) }
    }

    /// The id and the first question of bytes that may be malformed further on, to answer FORMERR with; nil when
    /// even the header is not there.
    public static func peekHeader(_ buffer: UnsafeRawBufferPointer) -> (
        id: UInt16, flags: UInt16, question: DNSQuestion?
    )? {
        var reader = DNSReader(buffer)
        guard let id = try? reader.u16("header"), let flags = try? reader.u16("header"),
            let qd = try? reader.u16("header")
        else { return nil }
        reader.offset = 12
        guard buffer.count >= 12 else { return (id, flags, nil) }
        let question = qd == 1 ? try? reader.question() : nil
        return (id, flags, question)
    }
}
