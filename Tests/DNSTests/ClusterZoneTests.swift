import Schema
import Testing

@testable import DNS

/// Fixtures: a cluster with ClusterIP, headless (StatefulSet), ExternalName and NodePort services.
enum ZoneFixtures {
    static func service(
        _ name: String, _ namespace: String = "default", clusterIP: String?, type: String = "ClusterIP",
        ports: [ServicePort] = [ServicePort(name: "http", protocol: "TCP", port: 80)], externalName: String? = nil,
        publishNotReady: Bool? = nil
    ) -> Service {
        Service(
            metadata: ObjectMeta(name: name, namespace: namespace),
            spec: ServiceSpec(
                ports: ports, clusterIP: clusterIP, clusterIPs: clusterIP.map { $0 == "None" ? ["None"] : [$0] },
                type: type, externalName: externalName, publishNotReadyAddresses: publishNotReady))
    }

    static func slice(
        _ name: String, service: String, _ namespace: String = "default", endpoints: [Endpoint],
        ports: [EndpointSlicePort]? = [EndpointSlicePort(name: "http", protocol: "TCP", port: 8080)],
        addressType: String = "IPv4"
    ) -> EndpointSlice {
        EndpointSlice(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: [EndpointSlice.serviceNameLabel: service]),
            addressType: addressType, endpoints: endpoints, ports: ports)
    }

    static func endpoint(_ ip: String, hostname: String? = nil, ready: Bool? = true) -> Endpoint {
        Endpoint(addresses: [ip], conditions: EndpointConditions(ready: ready), hostname: hostname)
    }

    static var services: [Service] {
        [
            service(
                "kubernetes", clusterIP: "10.96.0.1", ports: [ServicePort(name: "https", protocol: "TCP", port: 443)]),
            service(
                "web", clusterIP: "10.96.0.20",
                ports: [
                    ServicePort(name: "http", protocol: "TCP", port: 80),
                    ServicePort(name: "dns", protocol: "UDP", port: 53),
                ]),
            service("nginx", clusterIP: "None"),
            service("empty", clusterIP: "None"),
            service("unready", clusterIP: "None", publishNotReady: true),
            service("ext", clusterIP: nil, type: "ExternalName", ports: [], externalName: "www.example.com"),
            service(
                "inner", clusterIP: nil, type: "ExternalName", ports: [], externalName: "web.default.svc.cluster.local"),
            service("nodeport", "apps", clusterIP: "10.100.0.5", type: "NodePort"),
            service("kube-dns", "kube-system", clusterIP: "10.96.0.10"),
        ]
    }

    static var slices: [EndpointSlice] {
        [
            slice(
                "nginx-abc", service: "nginx",
                endpoints: [
                    endpoint("10.244.1.5", hostname: "web-0"), endpoint("10.244.1.6", hostname: "web-1"),
                    endpoint("10.244.1.7"), endpoint("10.244.1.8", hostname: "web-3", ready: false),
                ]),
            slice("web-xyz", service: "web", endpoints: [endpoint("10.244.2.9", hostname: "pod-a")]),
            slice("unready-1", service: "unready", endpoints: [endpoint("10.244.3.1", ready: false)], ports: nil),
            slice("orphan", service: "gone", endpoints: [endpoint("10.244.9.9")]),
        ]
    }

    static var zone: ClusterZone {
        ClusterZone(
            configuration: ClusterZoneConfiguration(),
            data: ClusterZoneData(services: services, slices: slices, domain: DNSName("cluster.local")!, serial: 1234))
    }
}

@Suite struct ClusterZoneTests {
    let zone = ZoneFixtures.zone

    func ask(_ name: String, _ type: DNSType = .a) -> ZoneAnswer {
        guard case .answer(let answer) = zone.answer(DNSQuestion(name: DNSName(name)!, type: type)) else {
            Issue.record("\(name) was forwarded")
            return ZoneAnswer(rcode: .serverFailure)
        }
        return answer
    }

    func addresses(_ answer: ZoneAnswer) -> [String] {
        answer.answers.compactMap {
            switch $0.data {
            case .a(let ip): ip.description
            case .aaaa(let ip): ip.description
            default: nil
            }
        }
    }

    func isNegative(_ answer: ZoneAnswer, _ rcode: DNSResponseCode) -> Bool {
        guard answer.rcode == rcode, answer.answers.isEmpty, answer.authority.count == 1,
            case .soa(let soa) = answer.authority[0].data
        else { return false }
        return soa.minimum == 30 && soa.serial == 1234 && soa.primary.description == "ns.dns.cluster.local."
    }

    @Test func clusterIPService() {
        let a = ask("web.default.svc.cluster.local")
        #expect(a.rcode == .noError)
        #expect(addresses(a) == ["10.96.0.20"])
        #expect(a.answers[0].ttl == 30)
        #expect(a.answers[0].name.description == "web.default.svc.cluster.local.")
        // Case-insensitive, answered in the question's case.
        let upper = ask("WEB.Default.SVC.cluster.local")
        #expect(addresses(upper) == ["10.96.0.20"])
        #expect(upper.answers[0].name.description == "WEB.Default.SVC.cluster.local.")
        #expect(addresses(ask("nodeport.apps.svc.cluster.local")) == ["10.100.0.5"])
    }

    @Test func aaaaOfAnIPv4OnlyNameIsNoData() {
        #expect(isNegative(ask("web.default.svc.cluster.local", .aaaa), .noError))
        #expect(isNegative(ask("nginx.default.svc.cluster.local", .aaaa), .noError))
        #expect(isNegative(ask("10-244-1-5.default.pod.cluster.local", .aaaa), .noError))
    }

    @Test func headlessServiceAnswersReadyEndpoints() {
        let a = ask("nginx.default.svc.cluster.local")
        #expect(Set(addresses(a)) == ["10.244.1.5", "10.244.1.6", "10.244.1.7"])
        // No ready endpoints: NXDOMAIN (spec 2.4.1).
        #expect(isNegative(ask("empty.default.svc.cluster.local"), .nameError))
        // publishNotReadyAddresses: not-ready ones too.
        #expect(addresses(ask("unready.default.svc.cluster.local")) == ["10.244.3.1"])
    }

    @Test func statefulSetPodNames() {
        #expect(addresses(ask("web-0.nginx.default.svc.cluster.local")) == ["10.244.1.5"])
        #expect(addresses(ask("WEB-1.nginx.default.svc.cluster.local")) == ["10.244.1.6"])
        // Without a hostname, CoreDNS' generated name: the dashed address.
        #expect(addresses(ask("10-244-1-7.nginx.default.svc.cluster.local")) == ["10.244.1.7"])
        // Not ready: no record.
        #expect(isNegative(ask("web-3.nginx.default.svc.cluster.local"), .nameError))
        #expect(isNegative(ask("web-9.nginx.default.svc.cluster.local"), .nameError))
        // A ClusterIP service's endpoints have names too.
        #expect(addresses(ask("pod-a.web.default.svc.cluster.local")) == ["10.244.2.9"])
    }

    @Test func srvForClusterIPService() throws {
        let a = ask("_http._tcp.web.default.svc.cluster.local", .srv)
        #expect(a.rcode == .noError)
        #expect(a.answers.count == 1)
        guard case .srv(let srv) = a.answers[0].data else {
            Issue.record("not SRV")
            return
        }
        #expect(srv.port == 80 && srv.priority == 0 && srv.weight == 100)
        #expect(srv.target.description == "web.default.svc.cluster.local.")
        #expect(a.additional.map(\.name.description) == ["web.default.svc.cluster.local."])
        #expect(addresses(ZoneAnswer(answers: a.additional)) == ["10.96.0.20"])
        // Protocol matters; an unknown port name is NXDOMAIN.
        let dns = ask("_dns._udp.web.default.svc.cluster.local", .srv)
        guard case .srv(let udp) = dns.answers.first?.data else {
            Issue.record("no SRV for dns/UDP")
            return
        }
        #expect(udp.port == 53)
        #expect(isNegative(ask("_dns._tcp.web.default.svc.cluster.local", .srv), .nameError))
        #expect(isNegative(ask("_nope._tcp.web.default.svc.cluster.local", .srv), .nameError))
        // The bare service name: one SRV per port, the weight shared.
        let all = ask("web.default.svc.cluster.local", .srv)
        #expect(all.answers.count == 2)
        #expect(all.answers.allSatisfy { if case .srv(let s) = $0.data { s.weight == 50 } else { false } })
    }

    @Test func srvForHeadlessService() {
        let a = ask("_http._tcp.nginx.default.svc.cluster.local", .srv)
        let targets = a.answers.compactMap { if case .srv(let s) = $0.data { s.target.description } else { nil } }
        #expect(
            Set(targets) == [
                "web-0.nginx.default.svc.cluster.local.", "web-1.nginx.default.svc.cluster.local.",
                "10-244-1-7.nginx.default.svc.cluster.local.",
            ])
        #expect(
            a.answers.allSatisfy { if case .srv(let s) = $0.data { s.port == 8080 && s.weight == 33 } else { false } })
        #expect(a.additional.count == 3)
        #expect(
            a.additional.contains {
                $0.name.description == "web-0.nginx.default.svc.cluster.local." && $0.data == .a(IPv4("10.244.1.5")!)
            })
        // Endpoints without ports: addresses, but no SRV.
        #expect(isNegative(ask("unready.default.svc.cluster.local", .srv), .noError))
    }

    @Test func externalNameIsCNAME() {
        let a = ask("ext.default.svc.cluster.local")
        #expect(
            a.answers == [
                DNSRecord(
                    name: DNSName("ext.default.svc.cluster.local")!, type: .cname, ttl: 30,
                    data: .cname(DNSName("www.example.com")!))
            ])
        #expect(a.chase == DNSName("www.example.com"))
        let cname = ask("ext.default.svc.cluster.local", .cname)
        #expect(cname.answers.count == 1)
        #expect(cname.chase == nil)
        // A target inside the cluster zone is followed here.
        let inner = ask("inner.default.svc.cluster.local")
        #expect(inner.answers.count == 2)
        #expect(inner.answers[0].type == .cname)
        #expect(inner.answers[1].data == .a(IPv4("10.96.0.20")!))
        #expect(inner.chase == nil)
        // Endpoints of an ExternalName do not exist.
        #expect(isNegative(ask("x.ext.default.svc.cluster.local"), .nameError))
    }

    @Test func pods() {
        let a = ask("10-244-1-5.default.pod.cluster.local")
        #expect(addresses(a) == ["10.244.1.5"])
        #expect(addresses(ask("10-244-1-5.any-namespace.pod.cluster.local")) == ["10.244.1.5"])
        #expect(isNegative(ask("10-244-1.default.pod.cluster.local"), .nameError))
        #expect(isNegative(ask("10-244-1-500.default.pod.cluster.local"), .nameError))
        #expect(isNegative(ask("web.default.pod.cluster.local"), .nameError))
        #expect(addresses(ask("fd00--1.default.pod.cluster.local", .aaaa)) == ["fd00::1"])
    }

    @Test func negativeAnswersCarryTheSOA() {
        #expect(isNegative(ask("nope.default.svc.cluster.local"), .nameError))
        #expect(isNegative(ask("web.nope.svc.cluster.local"), .nameError))
        #expect(isNegative(ask("a.b.c.d.e.f.svc.cluster.local"), .nameError))
        #expect(isNegative(ask("foo.cluster.local"), .nameError))
        // Names that exist without data: NODATA.
        #expect(isNegative(ask("svc.cluster.local"), .noError))
        #expect(isNegative(ask("default.svc.cluster.local"), .noError))
        #expect(isNegative(ask("pod.cluster.local"), .noError))
        #expect(isNegative(ask("default.pod.cluster.local"), .noError))
        #expect(isNegative(ask("web.default.svc.cluster.local", .mx), .noError))
        #expect(isNegative(ask("web.default.svc.cluster.local", .txt), .noError))
        #expect(isNegative(ask("web.default.svc.cluster.local", .ptr), .noError))
        #expect(isNegative(ask("nope.default.svc.cluster.local", .mx), .nameError))
        // The SOA's own TTL is at most 300 and its minimum the zone TTL.
        #expect(ask("nope.default.svc.cluster.local").authority[0].ttl == 30)
    }

    @Test func searchPathExpansionsEndAtOnce() {
        for name in [
            "web.default.svc.cluster.local.default.svc.cluster.local",
            "web.default.svc.cluster.local.svc.cluster.local",
            "web.default.svc.cluster.local.cluster.local", "example.com.default.svc.cluster.local",
            "example.com.svc.cluster.local", "example.com.cluster.local",
        ] {
            #expect(isNegative(ask(name), .nameError), "\(name)")
        }
    }

    @Test func apexAndSpecialNames() {
        let soa = ask("cluster.local", .soa)
        #expect(soa.answers.count == 1 && soa.answers[0].type == .soa)
        let ns = ask("cluster.local", .ns)
        #expect(ns.answers.first?.data == .ns(DNSName("ns.dns.cluster.local")!))
        #expect(ns.additional.first?.data == .a(IPv4("10.96.0.10")!))
        #expect(isNegative(ask("cluster.local"), .noError))
        let version = ask("dns-version.cluster.local", .txt)
        #expect(version.answers.first?.data == .txt([Array("1.1.0".utf8)]))
        #expect(version.answers.first?.ttl == 28_800)
        #expect(addresses(ask("ns.dns.cluster.local")) == ["10.96.0.10"])
        #expect(ask("cluster.local", .axfr).rcode == .refused)
        #expect(ask("web.default.svc.cluster.local", .ixfr).rcode == .refused)
        guard
            case .answer(let chaos) = zone.answer(
                DNSQuestion(name: DNSName("web.default.svc.cluster.local")!, type: .a, class: .chaos))
        else {
            Issue.record("forwarded")
            return
        }
        #expect(chaos.rcode == .refused)
    }

    @Test func reverseLookups() {
        let svc = ask("20.0.96.10.in-addr.arpa", .ptr)
        #expect(svc.answers.first?.data == .ptr(DNSName("web.default.svc.cluster.local")!))
        #expect(svc.answers.count == 1)
        let pod = ask("5.1.244.10.in-addr.arpa", .ptr)
        #expect(pod.answers.first?.data == .ptr(DNSName("web-0.nginx.default.svc.cluster.local")!))
        let generated = ask("7.1.244.10.in-addr.arpa", .ptr)
        #expect(generated.answers.first?.data == .ptr(DNSName("10-244-1-7.nginx.default.svc.cluster.local")!))
        // No record: NXDOMAIN with the reverse zone's SOA.
        let missing = ask("99.1.244.10.in-addr.arpa", .ptr)
        #expect(missing.rcode == .nameError)
        #expect(missing.authority.first?.name.description == "244.10.in-addr.arpa.")
        #expect(ask("300.1.244.10.in-addr.arpa", .ptr).rcode == .nameError)
        // Inside 10.96.0.0/12 but not its first /16: still served here.
        #expect(ask("1.0.100.10.in-addr.arpa", .ptr).rcode == .nameError)
        #expect(
            ask("5.0.100.10.in-addr.arpa", .ptr).answers.first?.data
                == .ptr(DNSName("nodeport.apps.svc.cluster.local")!))
        // Empty non-terminals exist; other types at a name with a PTR are NODATA.
        #expect(ask("1.244.10.in-addr.arpa", .ptr).rcode == .noError)
        #expect(ask("77.244.10.in-addr.arpa", .ptr).rcode == .nameError)
        #expect(ask("5.1.244.10.in-addr.arpa", .a).rcode == .noError)
        #expect(ask("244.10.in-addr.arpa", .soa).answers.first?.type == .soa)
    }

    @Test func outsideTheZonesIsForwarded() {
        for name in ["example.com", "local", "1.1.168.192.in-addr.arpa", "1.0.0.10.in-addr.arpa", "in-addr.arpa", "."] {
            #expect(zone.answer(DNSQuestion(name: DNSName(name)!, type: .a)) == .forward, "\(name)")
        }
    }

    @Test func reverseZonesSplitOnOctets() {
        let zones = ClusterZoneConfiguration().reverseZones.map(\.apex.description)
        #expect(zones.count == 17)
        #expect(zones.first == "96.10.in-addr.arpa.")
        #expect(zones.contains("111.10.in-addr.arpa."))
        #expect(zones.last == "244.10.in-addr.arpa.")
        let wide = ReverseZone.zones(covering: CIDR("10.0.0.0/8")!)
        #expect(wide.map(\.apex.description) == ["10.in-addr.arpa."])
        #expect(
            ReverseZone.zones(covering: CIDR("192.168.4.0/22")!).map(\.apex.description) == [
                "4.168.192.in-addr.arpa.", "5.168.192.in-addr.arpa.", "6.168.192.in-addr.arpa.",
                "7.168.192.in-addr.arpa.",
            ])
    }

    @Test func kubeDNSAddressComesFromItsService() {
        #expect(ClusterZoneConfiguration().dnsServiceIP == IPv4("10.96.0.10"))
        let other = ClusterZone(
            configuration: ClusterZoneConfiguration(),
            data: ClusterZoneData(
                services: [ZoneFixtures.service("kube-dns", "kube-system", clusterIP: "10.96.0.53")], slices: [],
                domain: DNSName("cluster.local")!, serial: 1))
        guard case .answer(let a) = other.answer(DNSQuestion(name: DNSName("ns.dns.cluster.local")!, type: .a)) else {
            return
        }
        #expect(a.answers.first?.data == .a(IPv4("10.96.0.53")!))
    }

    @Test func otherClusterDomain() {
        let custom = ClusterZone(
            configuration: ClusterZoneConfiguration(domain: DNSName("kubus.test")!),
            data: ClusterZoneData(
                services: ZoneFixtures.services, slices: ZoneFixtures.slices, domain: DNSName("kubus.test")!, serial: 1)
        )
        guard case .answer(let a) = custom.answer(DNSQuestion(name: DNSName("web.default.svc.kubus.test")!, type: .a))
        else {
            Issue.record("forwarded")
            return
        }
        #expect(a.answers.first?.data == .a(IPv4("10.96.0.20")!))
        #expect(custom.answer(DNSQuestion(name: DNSName("web.default.svc.cluster.local")!, type: .a)) == .forward)
    }
}
