import NIOCore
import Schema
import Synchronization
import Testing

@testable import DNS

@Suite struct DNSResponderTests {
    let responder = DNSResponder(
        zones: ZoneHolder(configuration: ClusterZoneConfiguration(), data: ZoneFixtures.data), forwarder: nil,
        stats: DNSStats())

    func respond(_ bytes: [UInt8], _ transport: DNSResponder.Transport = .udp) -> DNSResponder.Outcome {
        bytes.withUnsafeBytes { responder.respond(to: $0, transport: transport) }
    }

    func reply(_ bytes: [UInt8], _ transport: DNSResponder.Transport = .udp) throws -> DNSMessage {
        guard case .reply(let out) = respond(bytes, transport) else {
            Issue.record("no immediate reply")
            return DNSMessage(id: 0)
        }
        return try DNSMessage(bytes: out)
    }

    @Test func answersWithFlagsOfAnAuthority() throws {
        let r = try reply(try TestDNSClient.query("web.default.svc.cluster.local", .a, id: 4242))
        #expect(r.id == 4242 && r.isResponse && r.authoritative && r.recursionDesired)
        #expect(r.answers.first?.data == .a(IPv4("10.96.0.20")!))
        #expect(r.edns == nil)
        let withEDNS = try reply(
            try TestDNSClient.query(
                "web.default.svc.cluster.local", .a, edns: EDNS(udpPayloadSize: 4096, dnssecOK: true)))
        #expect(withEDNS.edns?.udpPayloadSize == DNSResponder.udpPayloadSize)
        #expect(withEDNS.edns?.dnssecOK == true)
    }

    @Test func dropsWhatIsNotAQuery() throws {
        guard case .drop = respond([1, 2, 3]) else {
            Issue.record("a 3-byte packet was answered")
            return
        }
        var response = try TestDNSClient.query("web.default.svc.cluster.local", .a)
        response[2] |= 0x80
        guard case .drop = respond(response) else {
            Issue.record("a response was answered")
            return
        }
        #expect(responder.stats.dropped.load(ordering: .relaxed) == 2)
    }

    @Test func malformedQueriesGetFormErr() throws {
        var bytes = try TestDNSClient.query("web.default.svc.cluster.local", .a, id: 99)
        bytes[7] = 1  // an answer the packet does not have
        let r = try reply(bytes)
        #expect(r.rcode == .formatError && r.id == 99)
        #expect(r.questions.first?.name == DNSName("web.default.svc.cluster.local"))
        var two = DNSMessage.query(id: 5, name: DNSName("a.cluster.local")!, type: .a)
        two.questions.append(two.questions[0])
        #expect(try reply(try two.encoded()).rcode == .formatError)
        var none = DNSMessage.query(id: 5, name: DNSName("a.cluster.local")!, type: .a)
        none.questions = []
        #expect(try reply(try none.encoded()).rcode == .formatError)
    }

    @Test func otherOpcodesAndEDNSVersions() throws {
        var notify = DNSMessage.query(id: 5, name: DNSName("cluster.local")!, type: .soa)
        notify.opcode = 4
        #expect(try reply(try notify.encoded()).rcode == .notImplemented)
        let v1 = try reply(try TestDNSClient.query("web.default.svc.cluster.local", .a, edns: EDNS(version: 1)))
        #expect(v1.rcode == .badVersion)
        #expect(v1.edns?.version == 0)
    }

    @Test func udpAnswersAreTruncatedToTheClientsSize() throws {
        let plain = try reply(try TestDNSClient.query("big.default.svc.cluster.local", .a))
        #expect(plain.truncated)
        #expect(plain.answers.count < 40)
        let bytes = try TestDNSClient.query("big.default.svc.cluster.local", .a)
        guard case .reply(let raw) = respond(bytes) else { return }
        #expect(raw.count <= 512)
        // EDNS(0) with 1232 bytes: all 40 records (16 bytes each) fit.
        let edns = try reply(
            try TestDNSClient.query("big.default.svc.cluster.local", .a, edns: EDNS(udpPayloadSize: 1232)))
        #expect(!edns.truncated && edns.answers.count == 40)
        // TCP: no limit.
        let tcp = try reply(bytes, .tcp)
        #expect(!tcp.truncated && tcp.answers.count == 40)
        let srv = try reply(try TestDNSClient.query("_http._tcp.big.default.svc.cluster.local", .srv), .udp)
        #expect(srv.truncated)
        #expect(responder.stats.truncated.load(ordering: .relaxed) == 3)
    }

    @Test func addressAnswersRotate() throws {
        let q = try TestDNSClient.query("nginx.default.svc.cluster.local", .a)
        let first = try reply(q).answers.map(\.data)
        let second = try reply(q).answers.map(\.data)
        #expect(Set(first) == Set(second))
        #expect(first != second)
    }

    @Test func beforeTheFirstSyncClusterNamesFailAndOthersAreForwarded() throws {
        let unsynced = DNSResponder(
            zones: ZoneHolder(configuration: ClusterZoneConfiguration()), forwarder: nil, stats: DNSStats())
        let bytes = try TestDNSClient.query("web.default.svc.cluster.local", .a)
        guard case .reply(let out) = bytes.withUnsafeBytes({ unsynced.respond(to: $0, transport: .udp) }) else {
            return
        }
        #expect(try DNSMessage(bytes: out).rcode == .serverFailure)
    }

    @Test func withoutUpstreamsOtherNamesFail() throws {
        let r = try reply(try TestDNSClient.query("example.com", .a))
        #expect(r.rcode == .serverFailure)
        #expect(!r.recursionAvailable)
    }
}

@Suite(.serialized) struct DNSServerTests {
    @Test(.timeLimit(.minutes(1))) func udpAndTCP() async throws {
        try await withTestServer { port, stats in
            let r = try DNSMessage(
                bytes: try TestDNSClient.udp(try TestDNSClient.query("web.default.svc.cluster.local", .a), port: port))
            #expect(r.answers.first?.data == .a(IPv4("10.96.0.20")!))
            // Several queries on one TCP connection.
            let queries = try [
                TestDNSClient.query("web.default.svc.cluster.local", .a, id: 1),
                TestDNSClient.query("_http._tcp.nginx.default.svc.cluster.local", .srv, id: 2),
                TestDNSClient.query("big.default.svc.cluster.local", .a, id: 3),
                TestDNSClient.query("nope.default.svc.cluster.local", .a, id: 4),
            ]
            let replies = try TestDNSClient.tcp(queries, port: port).map { try DNSMessage(bytes: $0) }
            #expect(Set(replies.map(\.id)) == [1, 2, 3, 4])
            let big = try #require(replies.first { $0.id == 3 })
            #expect(big.answers.count == 40 && !big.truncated)
            #expect(replies.first { $0.id == 4 }?.rcode == .nameError)
            // Truncated over UDP, whole over TCP.
            let udpBig = try DNSMessage(
                bytes: try TestDNSClient.udp(try TestDNSClient.query("big.default.svc.cluster.local", .a), port: port))
            #expect(udpBig.truncated)
            // Garbage gets no crash and the server keeps answering.
            _ = try? TestDNSClient.udp([0xFF, 0xFF], port: port, timeout: 0.3)
            _ = try? TestDNSClient.udp(Array(repeating: 0xC0, count: 300), port: port, timeout: 0.3)
            _ = try? TestDNSClient.tcp([[1, 2, 3]], port: port, timeout: 0.3)
            let again = try DNSMessage(
                bytes: try TestDNSClient.udp(try TestDNSClient.query("web.default.svc.cluster.local", .a), port: port))
            #expect(again.rcode == .noError)
            #expect(stats.tcpQueries.load(ordering: .relaxed) >= 4)
        }
    }

    @Test(.timeLimit(.minutes(1))) func forwardsWithTCPRetryAndCache() async throws {
        let upstream = try await FakeUpstream { query, overTCP in
            var r = query.responseSkeleton()
            r.recursionAvailable = true
            let q = query.questions[0]
            if q.name == DNSName("big.example") {
                // Over UDP: TC, no records; over TCP: 60 records.
                r.truncated = !overTCP
                if overTCP { r.answers = (1...60).map { .a(q.name, IPv4(UInt32(0x0A00_0000 + $0)), ttl: 300) } }
            } else if q.name == DNSName("silent.example") {
                return nil
            } else if q.name == DNSName("www.example.com") {
                r.answers = [.a(q.name, IPv4("192.0.2.53")!, ttl: 600)]
            } else {
                r.rcode = .nameError
                r.authority = [
                    DNSRecord(
                        name: DNSName("example")!, type: .soa, ttl: 60,
                        data: .soa(
                            DNSSOA(
                                primary: DNSName("ns.example")!, mailbox: DNSName("h.example")!, serial: 1, refresh: 1,
                                retry: 1, expire: 1, minimum: 20)))
                ]
            }
            return r
        }
        do {
            try await forwarding(through: upstream)
        } catch {
            await upstream.stop()
            throw error
        }
        await upstream.stop()
    }

    private func forwarding(through upstream: FakeUpstream) async throws {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: upstream.port)
        try await withTestServer(upstreams: [address]) { port, stats in
            // Truncated upstream over UDP → asked again over TCP; the client over TCP gets all of it.
            let viaTCP = try DNSMessage(
                bytes: try TestDNSClient.tcp([try TestDNSClient.query("big.example", .a)], port: port)[0])
            #expect(viaTCP.answers.count == 60 && !viaTCP.truncated && viaTCP.recursionAvailable)
            #expect(upstream.counters.tcp.load(ordering: .relaxed) == 1)
            // The same over UDP, from the cache: cut to 512 bytes with TC.
            let viaUDP = try DNSMessage(
                bytes: try TestDNSClient.udp(try TestDNSClient.query("big.example", .a), port: port))
            #expect(viaUDP.truncated)
            #expect(stats.cacheHits.load(ordering: .relaxed) == 1)
            // NXDOMAIN passes through with its SOA.
            let missing = try DNSMessage(
                bytes: try TestDNSClient.udp(try TestDNSClient.query("nothing.example", .a), port: port))
            #expect(missing.rcode == .nameError && missing.authority.count == 1)
            // No answer upstream: SERVFAIL after the tries.
            let silent = try DNSMessage(
                bytes: try TestDNSClient.udp(try TestDNSClient.query("silent.example", .a), port: port))
            #expect(silent.rcode == .serverFailure)
            #expect(stats.forwardFailures.load(ordering: .relaxed) == 1)
            // An ExternalName's target is resolved upstream and follows the CNAME.
            let ext = try DNSMessage(
                bytes: try TestDNSClient.udp(try TestDNSClient.query("ext.default.svc.cluster.local", .a), port: port))
            #expect(ext.answers.map(\.type) == [.cname, .a])
            #expect(ext.answers.last?.data == .a(IPv4("192.0.2.53")!))
            // AXFR is not forwarded.
            let axfr = try DNSMessage(
                bytes: try TestDNSClient.tcp([try TestDNSClient.query("example.com", .axfr)], port: port)[0])
            #expect(axfr.rcode == .refused)
        }
    }
}

@Suite struct ForwardCacheTests {
    @Test func keepsAndAgesAnswers() {
        var cache = ForwardCache(capacity: 3, maxTTL: 30)
        let name = DNSName("a.example")!
        let key = ForwardCache.Key(name: name, type: .a, class: .internet, dnssecOK: false, checkingDisabled: false)
        var m = DNSMessage(id: 1)
        m.isResponse = true
        m.answers = [.a(name, IPv4("192.0.2.1")!, ttl: 600)]
        let now = ContinuousClock.now
        cache.put(key, m, now: now)
        #expect(cache.get(key, now: now + .seconds(10))?.answers.first?.ttl == 590)
        #expect(cache.get(key, now: now + .seconds(31)) == nil)
        // Failures and truncated answers are not kept; the capacity holds.
        var failed = m
        failed.rcode = .serverFailure
        #expect(cache.lifetime(of: failed) == nil)
        var cut = m
        cut.truncated = true
        #expect(cache.lifetime(of: cut) == nil)
        for i in 0..<10 {
            let k = ForwardCache.Key(
                name: DNSName("n\(i).example")!, type: .a, class: .internet, dnssecOK: false, checkingDisabled: false)
            cache.put(k, m, now: now + .milliseconds(i))
        }
        #expect(cache.count <= 3)
        // A case variant is the same key.
        let upper = ForwardCache.Key(
            name: DNSName("N9.EXAMPLE")!, type: .a, class: .internet, dnssecOK: false, checkingDisabled: false)
        #expect(cache.get(upper, now: now + .seconds(1)) != nil)
    }
}

@Suite struct ConfigurationTests {
    @Test func resolvConf() {
        let text = """
            # comment
            nameserver 10.255.255.53
            nameserver fe80::1%eth0
            nameserver fd00::53
            search example.com
            options ndots:5
            """
        #expect(ResolvConf.nameservers(text) == ["10.255.255.53", "fd00::53"])
    }

    @Test func listenAddresses() {
        #expect(ListenAddress("127.0.0.1:5353") == ListenAddress(host: "127.0.0.1", port: 5353))
        #expect(ListenAddress("169.254.20.10") == ListenAddress(host: "169.254.20.10", port: 53))
        #expect(ListenAddress("[::1]:53") == ListenAddress(host: "::1", port: 53))
        #expect(ListenAddress("fd00::1")?.port == 53)
        #expect(ListenAddress("localhost:53") == nil)
        #expect(ListenAddress("127.0.0.1:99999") == nil)
        #expect(ListenAddress(host: "::1", port: 53).description == "[::1]:53")
    }

    @Test func kubeDNSObjects() {
        let service = KubeDNSRegistrar.service(clusterIP: IPv4("10.96.0.10")!, targetPort: 53)
        #expect(service.metadata.labels?["k8s-app"] == "kube-dns")
        #expect(service.metadata.labels?["kubernetes.io/name"] == "CoreDNS")
        #expect(service.spec.selector == nil)
        #expect(service.spec.clusterIP == "10.96.0.10")
        #expect(
            service.spec.ports?.map { "\($0.name ?? "") \($0.port)/\($0.protocol ?? "")" } == [
                "dns 53/UDP", "dns-tcp 53/TCP",
            ])
        #expect(service.validateSpec(old: nil).isEmpty)
        let subsets = KubeDNSRegistrar.subsets([
            ListenAddress(host: "169.254.20.10", port: 53), ListenAddress(host: "127.0.0.1", port: 10053),
            ListenAddress(host: "0.0.0.0", port: 53),
        ])
        #expect(subsets.count == 2)
        #expect(subsets[0].addresses?.map(\.ip) == ["169.254.20.10"])
        #expect(subsets[0].ports?.map(\.port) == [53, 53])
        #expect(subsets[1].ports?.map(\.port) == [10053, 10053])
        #expect(KubeDNSRegistrar.normalized(subsets) == KubeDNSRegistrar.normalized(subsets.reversed()))
    }
}
