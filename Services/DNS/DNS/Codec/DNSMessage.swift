import FoundationEssentials
public import Schema

/// A record type (RFC 1035 §3.2.2 and later RFCs); unknown types keep their number.
public struct DNSType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSType(1)
    public static let ns = DNSType(2)
    public static let cname = DNSType(5)
    public static let soa = DNSType(6)
    public static let ptr = DNSType(12)
    public static let mx = DNSType(15)
    public static let txt = DNSType(16)
    public static let aaaa = DNSType(28)
    public static let srv = DNSType(33)
    public static let opt = DNSType(41)
    public static let ixfr = DNSType(251)
    public static let axfr = DNSType(252)
    public static let any = DNSType(255)

    static let names: [UInt16: String] = [
        1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 41: "OPT",
        251: "IXFR", 252: "AXFR", 255: "ANY",
    ]

    public var description: String { Self.names[rawValue] ?? "TYPE\(rawValue)" }
}

/// A record class; only IN is served, the others are answered or refused.
public struct DNSClass: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = DNSClass(1)
    public static let chaos = DNSClass(3)
    public static let any = DNSClass(255)

    public var description: String {
        switch rawValue {
        case 1: "IN"
        case 3: "CH"
        case 4: "HS"
        case 255: "ANY"
        default: "CLASS\(rawValue)"
        }
    }
}

/// A response code (RFC 1035 §4.1.1, RFC 6891 §6.1.3 for the extended ones above 15).
public struct DNSResponseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = DNSResponseCode(0)
    public static let formatError = DNSResponseCode(1)
    public static let serverFailure = DNSResponseCode(2)
    public static let nameError = DNSResponseCode(3)
    public static let notImplemented = DNSResponseCode(4)
    public static let refused = DNSResponseCode(5)
    public static let badVersion = DNSResponseCode(16)

    public var description: String {
        switch rawValue {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 16: "BADVERS"
        default: "RCODE\(rawValue)"
        }
    }
}

/// An IPv6 address as its 16 bytes.
public struct IPv6: Sendable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]

    /// Sixteen bytes, most significant first; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses RFC 4291 text (`fd00::1`, `::ffff:10.0.0.1`); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard text.contains(":"), text.utf8.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if i == pieces.count - 1, allowIPv4, piece.contains("."), let v4 = IPv4(piece) {
                    out.append(UInt16(v4.value >> 16))
                    out.append(UInt16(v4.value & 0xFFFF))
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        if halves.count == 2 {
            guard let h = groups(halves[0], allowIPv4: false), let t = groups(halves[1], allowIPv4: true),
                h.count + t.count <= 7
            else { return nil }
            head = h
            tail = t
        } else {
            guard let h = groups(halves[0], allowIPv4: true), h.count == 8 else { return nil }
            head = h
        }
        let all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        bytes = all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// RFC 5952 text: lower case, the longest run of two or more zero groups as `::`.
    public var description: String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1
        var bestLength = 1
        var i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLength {
                    bestStart = i
                    bestLength = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ range: Range<Int>) -> String { range.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}

/// The start of authority of a zone (RFC 1035 §3.3.13).
public struct DNSSOA: Sendable, Hashable {
    public var primary: DNSName
    public var mailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// The TTL of negative answers (RFC 2308 §4).
    public var minimum: UInt32

    public init(
        primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
        minimum: UInt32
    ) {
        self.primary = primary
        self.mailbox = mailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}

/// A service location (RFC 2782).
public struct DNSSRV: Sendable, Hashable {
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: DNSName

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }
}

/// The data of a record. Types the codec does not know keep their bytes as they came.
public enum DNSRData: Sendable, Hashable {
    case a(IPv4)
    case aaaa(IPv6)
    case cname(DNSName)
    case ns(DNSName)
    case ptr(DNSName)
    case mx(preference: UInt16, exchange: DNSName)
    case soa(DNSSOA)
    case srv(DNSSRV)
    /// Character strings of at most 255 bytes each.
    case txt([[UInt8]])
    case unknown([UInt8])
}

/// A resource record (RFC 1035 §4.1.3); OPT is not one of these but `DNSMessage.edns`.
public struct DNSRecord: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSType
    public var `class`: DNSClass
    public var ttl: UInt32
    public var data: DNSRData

    public init(name: DNSName, type: DNSType, class: DNSClass = .internet, ttl: UInt32, data: DNSRData) {
        self.name = name
        self.type = type
        self.class = `class`
        self.ttl = ttl
        self.data = data
    }

    public static func a(_ name: DNSName, _ address: IPv4, ttl: UInt32) -> DNSRecord {
        DNSRecord(name: name, type: .a, ttl: ttl, data: .a(address))
    }

    public static func aaaa(_ name: DNSName, _ address: IPv6, ttl: UInt32) -> DNSRecord {
        DNSRecord(name: name, type: .aaaa, ttl: ttl, data: .aaaa(address))
    }
}

/// A question (RFC 1035 §4.1.2).
public struct DNSQuestion: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSType
    public var `class`: DNSClass

    public init(name: DNSName, type: DNSType, class: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.class = `class`
    }
}

/// EDNS(0) (RFC 6891): the pseudo-record OPT, held apart from the other records.
public struct EDNS: Sendable, Hashable {
    /// The largest UDP payload the sender can take.
    public var udpPayloadSize: UInt16
    public var version: UInt8
    /// DNSSEC OK (RFC 3225).
    public var dnssecOK: Bool
    public var options: [Option]

    public struct Option: Sendable, Hashable {
        public var code: UInt16
        public var data: [UInt8]

        public init(code: UInt16, data: [UInt8]) {
            self.code = code
            self.data = data
        }
    }

    public init(udpPayloadSize: UInt16 = 1232, version: UInt8 = 0, dnssecOK: Bool = false, options: [Option] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.version = version
        self.dnssecOK = dnssecOK
        self.options = options
    }
}

/// A DNS message: header, question and the three record sections (RFC 1035 §4.1), with EDNS(0) apart.
public struct DNSMessage: Sendable, Hashable {
    public var id: UInt16
    public var isResponse = false
    public var opcode: UInt8 = 0
    public var authoritative = false
    public var truncated = false
    public var recursionDesired = false
    public var recursionAvailable = false
    public var authenticData = false
    public var checkingDisabled = false
    /// The full response code; codes above 15 need `edns`, which carries their upper bits.
    public var rcode: DNSResponseCode = .noError
    public var questions: [DNSQuestion] = []
    public var answers: [DNSRecord] = []
    public var authority: [DNSRecord] = []
    public var additional: [DNSRecord] = []
    public var edns: EDNS?

    public init(id: UInt16) {
        self.id = id
    }

    /// A query for `name` and `type`, recursion desired, as a stub resolver sends.
    public static func query(id: UInt16, name: DNSName, type: DNSType, edns: EDNS? = nil) -> DNSMessage {
        var m = DNSMessage(id: id)
        m.recursionDesired = true
        m.questions = [DNSQuestion(name: name, type: type)]
        m.edns = edns
        return m
    }

    /// The skeleton of the response to this query: same id, opcode, question, RD and CD (RFC 1035 §4.1.1).
    public func responseSkeleton() -> DNSMessage {
        var r = DNSMessage(id: id)
        r.isResponse = true
        r.opcode = opcode
        r.recursionDesired = recursionDesired
        r.checkingDisabled = checkingDisabled
        r.questions = questions
        return r
    }

    /// The 16 flag bits of the header (the low four bits of the response code included).
    var flags: UInt16 {
        var f: UInt16 = 0
        if isResponse { f |= 0x8000 }
        f |= UInt16(opcode & 0x0F) << 11
        if authoritative { f |= 0x0400 }
        if truncated { f |= 0x0200 }
        if recursionDesired { f |= 0x0100 }
        if recursionAvailable { f |= 0x0080 }
        if authenticData { f |= 0x0020 }
        if checkingDisabled { f |= 0x0010 }
        f |= rcode.rawValue & 0x000F
        return f
    }

    mutating func setFlags(_ f: UInt16) {
        isResponse = f & 0x8000 != 0
        opcode = UInt8((f >> 11) & 0x0F)
        authoritative = f & 0x0400 != 0
        truncated = f & 0x0200 != 0
        recursionDesired = f & 0x0100 != 0
        recursionAvailable = f & 0x0080 != 0
        authenticData = f & 0x0020 != 0
        checkingDisabled = f & 0x0010 != 0
        rcode = DNSResponseCode(f & 0x000F)
    }
}
