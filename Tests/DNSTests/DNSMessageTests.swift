import Schema
import Testing

@testable import DNS

@Suite struct DNSMessageTests {
    static func name(_ text: String) -> DNSName { DNSName(text)! }

    /// A response with one record of every type the codec knows, and EDNS.
    static var everyType: DNSMessage {
        let owner = name("web.default.svc.cluster.local")
        var m = DNSMessage(id: 0xBEEF)
        m.isResponse = true
        m.authoritative = true
        m.recursionDesired = true
        m.recursionAvailable = true
        m.questions = [DNSQuestion(name: owner, type: .any)]
        m.answers = [
            .a(owner, IPv4("10.96.0.7")!, ttl: 30),
            .aaaa(owner, IPv6("fd00::7")!, ttl: 30),
            DNSRecord(name: owner, type: .cname, ttl: 30, data: .cname(name("example.com"))),
            DNSRecord(name: owner, type: .ns, ttl: 30, data: .ns(name("ns.dns.cluster.local"))),
            DNSRecord(name: name("7.0.96.10.in-addr.arpa"), type: .ptr, ttl: 30, data: .ptr(owner)),
            DNSRecord(name: owner, type: .mx, ttl: 30, data: .mx(preference: 10, exchange: name("mail.cluster.local"))),
            DNSRecord(
                name: owner, type: .srv, ttl: 30,
                data: .srv(
                    DNSSRV(priority: 0, weight: 100, port: 80, target: name("web-0.web.default.svc.cluster.local")))),
            DNSRecord(name: owner, type: .txt, ttl: 30, data: .txt([Array("1.1.0".utf8), [], Array("x".utf8)])),
            DNSRecord(name: owner, type: DNSType(99), ttl: 30, data: .unknown([1, 2, 3])),
        ]
        m.authority = [
            DNSRecord(
                name: name("cluster.local"), type: .soa, ttl: 30,
                data: .soa(
                    DNSSOA(
                        primary: name("ns.dns.cluster.local"), mailbox: name("hostmaster.cluster.local"), serial: 7,
                        refresh: 7200, retry: 1800, expire: 86_400, minimum: 30)))
        ]
        m.additional = [.a(name("web-0.web.default.svc.cluster.local"), IPv4("10.244.1.5")!, ttl: 30)]
        m.edns = EDNS(
            udpPayloadSize: 1232, dnssecOK: true, options: [EDNS.Option(code: 10, data: [1, 2, 3, 4, 5, 6, 7, 8])])
        return m
    }

    @Test func roundTripsEveryType() throws {
        let m = Self.everyType
        let bytes = try m.encoded()
        let back = try DNSMessage(bytes: bytes)
        #expect(back == m)
        #expect(back.edns?.options.first?.data.count == 8)
    }

    @Test func compressesNames() throws {
        let m = Self.everyType
        let bytes = try m.encoded()
        // The owner name is written once for the question, whose copy the answers point to, and once more inside
        // the SRV target, which is never compressed.
        let owner = Array("\u{3}web\u{7}default\u{3}svc\u{7}cluster\u{5}local".utf8)
        #expect(occurrences(of: owner, in: bytes) == 2)
        #expect(occurrences(of: [0xC0, 0x0C], in: bytes) >= 8)
        // An SRV target is written out in full (RFC 2782): `web-0.web.` then a pointer is not allowed there.
        let target = Array("\u{5}web-0\u{3}web\u{7}default".utf8)
        #expect(occurrences(of: target, in: bytes) == 1)
    }

    @Test func echoesQuestionCaseThroughPointers() throws {
        var m = DNSMessage(id: 1)
        m.isResponse = true
        let asked = Self.name("WeB.DeFault.svc.cluster.local")
        m.questions = [DNSQuestion(name: asked, type: .a)]
        m.answers = [.a(asked, IPv4("10.0.0.1")!, ttl: 5)]
        let back = try DNSMessage(bytes: try m.encoded())
        #expect(back.answers[0].name.description == "WeB.DeFault.svc.cluster.local.")
    }

    @Test func readsPointersBackward() throws {
        // Header, question "a.example." at 12, answer owner: label "b" then a pointer to "example." at 14.
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]
        bytes += [1, 0x61, 7] + Array("example".utf8) + [0, 0, 1, 0, 1]
        bytes += [1, 0x62, 0xC0, 14, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 1]
        let m = try DNSMessage(bytes: bytes)
        #expect(m.answers[0].name.description == "b.example.")
        #expect(m.answers[0].data == .a(IPv4("10.0.0.1")!))
    }

    @Test func refusesPointerLoops() {
        // A pointer to itself.
        var selfLoop: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        selfLoop += [0xC0, 12, 0, 1, 0, 1]
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: selfLoop) }
        do {
            _ = try DNSMessage(bytes: selfLoop)
        } catch {
            #expect(error.isPointerLoop)
        }
        // A label, then a pointer back to that label: reading it again would loop forever.
        var labelLoop: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        labelLoop += [1, 0x61, 0xC0, 12, 0, 1, 0, 1]
        do {
            _ = try DNSMessage(bytes: labelLoop)
            Issue.record("a pointer loop was accepted")
        } catch {
            #expect(error.isPointerLoop)
        }
        // Two names pointing at each other: the second points forward into the first, which points back.
        var pair: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]
        pair += [0xC0, 18, 0, 1, 0, 1]  // question: pointer forward to 18
        pair += [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0]
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: pair) }
        // A pointer past the end.
        var outside: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        outside += [1, 0x61, 0xFF, 0xFF, 0, 1, 0, 1]
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: outside) }
    }

    @Test func refusesOverlongNamesBuiltFromPointers() {
        // 60 labels of 3 bytes chained: more than 255 bytes once expanded.
        var bytes: [UInt8] = [0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0]
        bytes += Array(repeating: [3, 0x61, 0x61, 0x61], count: 40).flatMap { $0 } + [0, 0, 1, 0, 1]
        bytes += Array(repeating: [3, 0x62, 0x62, 0x62], count: 40).flatMap { $0 } + [0xC0, 12, 0, 1, 0, 1]
        do {
            _ = try DNSMessage(bytes: bytes)
            Issue.record("an overlong name was accepted")
        } catch {
            #expect(error.description.contains("255"))
        }
    }

    @Test func everyTruncationIsAnErrorNotACrash() throws {
        let bytes = try Self.everyType.encoded()
        for length in 0..<bytes.count {
            #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: Array(bytes.prefix(length))) }
        }
        #expect(try DNSMessage(bytes: bytes) == Self.everyType)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 42)
        let valid = (try? Self.everyType.encoded()) ?? []
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...600, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                // Flip a few bytes of a valid message: far more of these reach deep into the parser.
                bytes = valid
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
            }
            if let m = try? DNSMessage(bytes: bytes) {
                parsed += 1
                // Whatever parses also writes, and writing never crashes either.
                _ = try? m.encoded()
                _ = try? m.encoded(maxSize: 512)
            }
        }
        #expect(parsed > 100)
    }

    @Test func headerCountsLargerThanTheMessageFailFast() {
        let bytes: [UInt8] = [0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 1, 0, 1]
        do {
            _ = try DNSMessage(bytes: bytes)
            Issue.record("accepted")
        } catch {
            #expect(error.isTruncation)
        }
    }

    @Test func badRecordData() {
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]
        bytes += [0, 0, 1, 0, 1, 0, 0, 0, 30, 0, 3, 10, 0, 0]  // A with 3 bytes
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: bytes) }
        var cname: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]
        cname += [0, 0, 5, 0, 1, 0, 0, 0, 30, 0, 2, 1, 0x61, 0]  // CNAME name runs past its 2 bytes
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: cname) }
        var label: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        label += [0x41, 0, 0, 1, 0, 1]  // label type 01
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: label) }
    }

    @Test func ednsAndExtendedRcode() throws {
        var m = DNSMessage(id: 9)
        m.isResponse = true
        m.rcode = .badVersion
        m.edns = EDNS(udpPayloadSize: 4096)
        let back = try DNSMessage(bytes: try m.encoded())
        #expect(back.rcode == .badVersion)
        #expect(back.edns?.udpPayloadSize == 4096)
        var noEDNS = m
        noEDNS.edns = nil
        #expect(throws: DNSCodecError.self) { try noEDNS.encoded() }
    }

    @Test func duplicateOrMisplacedOPTIsRefused() throws {
        var m = DNSMessage.query(id: 3, name: Self.name("a.example"), type: .a, edns: EDNS())
        var bytes = try m.encoded()
        // Append a second OPT record and count it.
        bytes += [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
        bytes[11] = 2
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: bytes) }
        m.edns = nil
        var answerOPT = try m.encoded()
        answerOPT += [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
        answerOPT[7] = 1
        #expect(throws: DNSCodecError.self) { try DNSMessage(bytes: answerOPT) }
    }

    @Test func truncatesToTheLimitWithTC() throws {
        let owner = Self.name("web.default.svc.cluster.local")
        var m = DNSMessage(id: 5)
        m.isResponse = true
        m.questions = [DNSQuestion(name: owner, type: .a)]
        m.answers = (1...100).map { .a(owner, IPv4(UInt32(0x0AF4_0000 + $0)), ttl: 30) }
        m.edns = EDNS()
        let bytes = try m.encoded(maxSize: 512)
        #expect(bytes.count <= 512)
        let back = try DNSMessage(bytes: bytes)
        #expect(back.truncated)
        #expect(back.answers.count > 10 && back.answers.count < 100)
        #expect(back.edns != nil)
        let whole = try DNSMessage(bytes: try m.encoded())
        #expect(!whole.truncated)
        #expect(whole.answers.count == 100)
    }

    @Test func additionalRecordsThatDoNotFitAreDroppedWithoutTC() throws {
        let owner = Self.name("_http._tcp.web.default.svc.cluster.local")
        var m = DNSMessage(id: 5)
        m.isResponse = true
        m.questions = [DNSQuestion(name: owner, type: .srv)]
        m.answers = [
            DNSRecord(
                name: owner, type: .srv, ttl: 30,
                data: .srv(
                    DNSSRV(priority: 0, weight: 100, port: 80, target: Self.name("web.default.svc.cluster.local"))))
        ]
        m.additional = (1...60).map { .a(Self.name("web.default.svc.cluster.local"), IPv4(UInt32($0)), ttl: 30) }
        let back = try DNSMessage(bytes: try m.encoded(maxSize: 512))
        #expect(!back.truncated)
        #expect(back.answers.count == 1)
        #expect(back.additional.count < 60)
    }

    @Test func peeksHeaderOfMalformedQuery() throws {
        var bytes = try DNSMessage.query(id: 77, name: Self.name("x.example"), type: .aaaa).encoded()
        bytes[7] = 3  // claims answers that are not there
        let peek = bytes.withUnsafeBytes { DNSMessage.peekHeader($0) }
        #expect(peek?.id == 77)
        #expect(peek?.question?.type == .aaaa)
    }

    private func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard needle.count <= haystack.count else { return 0 }
        return (0...(haystack.count - needle.count)).filter { Array(haystack[$0..<($0 + needle.count)]) == needle }
            .count
    }
}

/// A deterministic generator, so a failing fuzz round can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
