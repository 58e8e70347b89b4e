import Testing

@testable import DNS

@Suite struct DNSNameTests {
    @Test func parsesAndPrints() throws {
        let name = try #require(DNSName("web.Default.svc.cluster.local"))
        #expect(name.labelCount == 5)
        #expect(name.description == "web.Default.svc.cluster.local.")
        #expect(DNSName("web.default.svc.cluster.local.") == name)
        #expect(DNSName(".")?.isRoot == true)
        #expect(DNSName("")?.isRoot == true)
        #expect(DNSName.root.description == ".")
    }

    @Test func comparesIgnoringCase() throws {
        let a = try #require(DNSName("WEB.default.SVC.cluster.local"))
        let b = try #require(DNSName("web.default.svc.cluster.local"))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
        // The bytes keep their case, so an answer echoes the question.
        #expect(a.description.hasPrefix("WEB."))
        #expect(a.lowercased.description == "web.default.svc.cluster.local.")
    }

    @Test func rejectsBadNames() {
        #expect(DNSName("a..b") == nil)
        #expect(DNSName(String(repeating: "a", count: 64) + ".com") == nil)
        #expect(DNSName(String(repeating: "a", count: 63) + ".com") != nil)
        // 4 labels of 63 bytes: 4 × 64 + 1 = 257 bytes, over 255.
        let long = Array(repeating: String(repeating: "b", count: 63), count: 4).joined(separator: ".")
        #expect(DNSName(long) == nil)
        #expect(DNSName("bad\\") == nil)
        #expect(DNSName("bad\\25") == nil)
        #expect(DNSName("bad\\256") == nil)
    }

    @Test func escapes() throws {
        let dotted = try #require(DNSName("a\\.b.example"))
        #expect(dotted.labelCount == 2)
        #expect(dotted.description == "a\\.b.example.")
        let binary = try #require(DNSName("\\000\\255x.example"))
        #expect(binary.labels[0] == [0, 255, 0x78][...])
        #expect(binary.description == "\\000\\255x.example.")
    }

    @Test func relativeLabels() throws {
        let zone = try #require(DNSName("cluster.local"))
        #expect(try #require(DNSName("a.b.svc.CLUSTER.local")).relativeLabelCount(to: zone) == 3)
        #expect(try #require(DNSName("cluster.local")).relativeLabelCount(to: zone) == 0)
        #expect(try #require(DNSName("local")).relativeLabelCount(to: zone) == nil)
        #expect(try #require(DNSName("xcluster.local")).relativeLabelCount(to: zone) == nil)
        #expect(try #require(DNSName("a.b.c")).dropFirst(2).description == "c.")
        #expect(try #require(DNSName("a.b.c")).dropFirst(9).isRoot)
        #expect(try #require(DNSName("svc.cluster.local")).prepending("web")?.description == "web.svc.cluster.local.")
    }

    @Test func labelKeys() {
        #expect(DNSLabel("Web") == DNSLabel("wEB"))
        #expect(DNSLabel("Web").hashValue == DNSLabel("web").hashValue)
        #expect(DNSLabel("svc").equals("SVC"))
        #expect(!DNSLabel("svcx").equals("svc"))
    }

    @Test func ipv6Text() throws {
        #expect(IPv6("fd00::1")?.description == "fd00::1")
        #expect(IPv6("::")?.description == "::")
        #expect(IPv6("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(IPv6("::ffff:10.0.0.1")?.bytes.suffix(4) == [10, 0, 0, 1])
        #expect(IPv6("1::2::3") == nil)
        #expect(IPv6("10.0.0.1") == nil)
        #expect(IPv6("12345::") == nil)
    }
}
