import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kubus-dns against a real bus, store and api, queried with real `dig` (Debian's dnsutils).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DNSIntegrationTests {
    /// Runs dig with `arguments` against 127.0.0.1:`port` (or `server`); returns its output.
    static func dig(_ arguments: [String], port: Int, server: String = "127.0.0.1") throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/dig")
        p.arguments = ["@\(server)", "-p", String(port), "+time=2", "+tries=1"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The records of dig's ANSWER (or another) section, as `name ttl class type data` lines.
    static func section(_ output: String, _ name: String = "ANSWER") -> [String] {
        var lines: [String] = []
        var inside = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(";; \(name) SECTION:") {
                inside = true
            } else if inside {
                if line.isEmpty || line.hasPrefix(";;") { break }
                lines.append(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "))
            }
        }
        return lines
    }

    /// A port free for both UDP and TCP on 127.0.0.1.
    static func freePort() throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 20_000...60_000)
            if canBind(port, type: Int32(SOCK_DGRAM.rawValue)) && canBind(port, type: Int32(SOCK_STREAM.rawValue)) {
                return port
            }
        }
        throw TestCluster.ClusterError("no free port found")
    }

    static func canBind(_ port: Int, type: Int32) -> Bool {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    static func slice(_ name: String, service: String, endpoints: [(ip: String, hostname: String?)]) -> EndpointSlice {
        EndpointSlice(
            metadata: ObjectMeta(name: name, namespace: "default", labels: [EndpointSlice.serviceNameLabel: service]),
            addressType: "IPv4",
            endpoints: endpoints.map {
                Endpoint(addresses: [$0.ip], conditions: EndpointConditions(ready: true), hostname: $0.hostname)
            },
            ports: [EndpointSlicePort(name: "web", protocol: "TCP", port: 80)])
    }

    /// Creates the test's Services and EndpointSlices.
    static func createObjects(_ api: KubusClient) async throws {
        _ = try await api.create(
            Service(
                metadata: ObjectMeta(name: "web", namespace: "default"),
                spec: ServiceSpec(
                    ports: [ServicePort(name: "http", protocol: "TCP", port: 80)], clusterIP: "10.96.100.1",
                    clusterIPs: ["10.96.100.1"])))
        _ = try await api.create(
            Service(
                metadata: ObjectMeta(name: "nginx", namespace: "default"),
                spec: ServiceSpec(
                    ports: [ServicePort(name: "web", protocol: "TCP", port: 80)], clusterIP: "None",
                    clusterIPs: ["None"])))
        _ = try await api.create(
            slice(
                "nginx-1", service: "nginx", endpoints: [("10.244.1.10", "web-0"), ("10.244.1.11", "web-1")]))
        _ = try await api.create(
            Service(
                metadata: ObjectMeta(name: "big", namespace: "default"),
                spec: ServiceSpec(
                    ports: [ServicePort(name: "web", protocol: "TCP", port: 80)], clusterIP: "None",
                    clusterIPs: ["None"])))
        _ = try await api.create(slice("big-1", service: "big", endpoints: (1...40).map { ("10.244.2.\($0)", nil) }))
        _ = try await api.create(
            Service(
                metadata: ObjectMeta(name: "ext", namespace: "default"),
                spec: ServiceSpec(type: "ExternalName", externalName: "www.example.com")))
    }

    /// Waits until dig answers `name` with a record. dig prints a comment when the server is not up yet
    /// (";; communications error … connection refused", ";; connection timed out"), so only record lines count.
    static func waitForAnswer(_ name: String, port: Int, timeout: Duration = .seconds(20), log: () -> String)
        async throws
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let out = try? dig(["+noall", "+answer", name], port: port), !lines(out).isEmpty { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestCluster.ClusterError(
            "kubus-dns did not answer \(name) within \(timeout); log:\n\(log().suffix(2000))")
    }

    @Test func digAnswersTheClusterZone() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dig") else {
            Issue.record("dig is not installed (apt-get install dnsutils; scripts/setup.sh does it)")
            return
        }
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let api = KubusClient(bus: bus)
            try await Self.createObjects(api)
            let port = try Self.freePort()
            // Upstream: a closed local port, so forwarding fails fast and nothing leaves the machine.
            let deadUpstream = try Self.freePort()
            try cluster.start(
                "dns",
                args: [
                    "--listen", "127.0.0.1:\(port)", "--upstream", "127.0.0.1:\(deadUpstream)", "--upstream-timeout",
                    "0.3",
                ])
            try await Self.waitForAnswer("web.default.svc.cluster.local", port: port) { cluster.log("dns") }

            // A for a ClusterIP service, answered with authority.
            let a = try Self.dig(["web.default.svc.cluster.local"], port: port)
            #expect(Self.section(a) == ["web.default.svc.cluster.local. 30 IN A 10.96.100.1"], "\(a)")
            #expect(a.contains("flags: qr aa rd"), "\(a)")
            print("dig web.default.svc.cluster.local:\n\(a)")

            // A for a headless service and a StatefulSet pod's hostname.
            let headless = try Self.dig(["+noall", "+answer", "nginx.default.svc.cluster.local"], port: port)
            #expect(
                Set(Self.lines(headless)) == [
                    "nginx.default.svc.cluster.local. 30 IN A 10.244.1.10",
                    "nginx.default.svc.cluster.local. 30 IN A 10.244.1.11",
                ])
            let pod = try Self.dig(["+noall", "+answer", "web-0.nginx.default.svc.cluster.local"], port: port)
            #expect(Self.lines(pod) == ["web-0.nginx.default.svc.cluster.local. 30 IN A 10.244.1.10"])

            // SRV: ClusterIP (target the service) and headless (one per endpoint), with addresses in additional.
            let srv = try Self.dig(["_http._tcp.web.default.svc.cluster.local", "SRV"], port: port)
            #expect(
                Self.section(srv) == [
                    "_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local."
                ], "\(srv)")
            #expect(Self.section(srv, "ADDITIONAL") == ["web.default.svc.cluster.local. 30 IN A 10.96.100.1"], "\(srv)")
            print("dig _http._tcp.web.default.svc.cluster.local SRV:\n\(srv)")
            let srvHeadless = try Self.dig(
                ["+noall", "+answer", "_web._tcp.nginx.default.svc.cluster.local", "SRV"], port: port)
            #expect(
                Set(Self.lines(srvHeadless)) == [
                    "_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-0.nginx.default.svc.cluster.local.",
                    "_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-1.nginx.default.svc.cluster.local.",
                ], "\(srvHeadless)")

            // PTR for a cluster IP and for an endpoint.
            let ptr = try Self.dig(["-x", "10.96.100.1"], port: port)
            #expect(
                Self.section(ptr) == ["1.100.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local."], "\(ptr)")
            print("dig -x 10.96.100.1:\n\(ptr)")
            let ptrPod = try Self.dig(["+noall", "+answer", "-x", "10.244.1.11"], port: port)
            #expect(
                Self.lines(ptrPod) == ["11.1.244.10.in-addr.arpa. 30 IN PTR web-1.nginx.default.svc.cluster.local."])

            // ExternalName: a CNAME (its target cannot be resolved here: the upstream is closed).
            let cname = try Self.dig(["ext.default.svc.cluster.local"], port: port)
            #expect(Self.section(cname) == ["ext.default.svc.cluster.local. 30 IN CNAME www.example.com."], "\(cname)")
            print("dig ext.default.svc.cluster.local:\n\(cname)")

            // NXDOMAIN with the SOA for negative caching; a search-path expansion too.
            let missing = try Self.dig(["nope.default.svc.cluster.local"], port: port)
            #expect(missing.contains("status: NXDOMAIN"), "\(missing)")
            #expect(
                Self.section(missing, "AUTHORITY").first?.hasPrefix(
                    "cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local.") == true, "\(missing)")
            print("dig nope.default.svc.cluster.local:\n\(missing)")
            let search = try Self.dig(["web.default.svc.cluster.local.default.svc.cluster.local"], port: port)
            #expect(search.contains("status: NXDOMAIN"))
            // AAAA of an IPv4-only name: NODATA with the SOA.
            let aaaa = try Self.dig(["web.default.svc.cluster.local", "AAAA"], port: port)
            #expect(
                aaaa.contains("status: NOERROR") && Self.section(aaaa).isEmpty
                    && Self.section(aaaa, "AUTHORITY").count == 1)
            // A pod name.
            let podName = try Self.dig(["+noall", "+answer", "10-244-1-10.default.pod.cluster.local"], port: port)
            #expect(Self.lines(podName) == ["10-244-1-10.default.pod.cluster.local. 30 IN A 10.244.1.10"])

            // TCP.
            let tcp = try Self.dig(["+tcp", "web.default.svc.cluster.local"], port: port)
            #expect(Self.section(tcp) == ["web.default.svc.cluster.local. 30 IN A 10.96.100.1"], "\(tcp)")
            #expect(tcp.contains("(TCP)"), "\(tcp)")
            print("dig +tcp web.default.svc.cluster.local:\n\(tcp)")

            // 40 endpoints do not fit 512 bytes: TC over UDP, and dig asks again over TCP.
            let cut = try Self.dig(["+noedns", "+ignore", "big.default.svc.cluster.local"], port: port)
            #expect(cut.contains(" tc "), "\(cut)")
            let retried = try Self.dig(["+noedns", "big.default.svc.cluster.local"], port: port)
            #expect(retried.contains("Truncated, retrying in TCP mode"), "\(retried)")
            #expect(Self.section(retried).count == 40, "\(retried)")
            print(
                "dig +noedns big.default.svc.cluster.local (first lines):\n\(retried.split(separator: "\n").prefix(12).joined(separator: "\n"))"
            )

            // Names outside the cluster go upstream; a dead upstream gives SERVFAIL.
            let outside = try Self.dig(["example.com"], port: port)
            #expect(outside.contains("status: SERVFAIL"), "\(outside)")

            // kube-system/kube-dns exists at 10.96.0.10 and its Endpoints name this server.
            let service = try await api.get(Service.self, namespace: "kube-system", name: "kube-dns")
            #expect(service.spec.clusterIP == "10.96.0.10")
            #expect(service.metadata.labels?["k8s-app"] == "kube-dns")
            let endpoints = try await Self.waitForEndpoints(api)
            #expect(endpoints.subsets?.first?.addresses?.map(\.ip) == ["127.0.0.1"])
            #expect(
                Set(endpoints.subsets?.first?.ports?.map { "\($0.name ?? "") \($0.port) \($0.protocol ?? "")" } ?? [])
                    == [
                        "dns \(port) UDP", "dns-tcp \(port) TCP",
                    ])
            let kubeDNS = try Self.dig(["+noall", "+answer", "kube-dns.kube-system.svc.cluster.local"], port: port)
            #expect(Self.lines(kubeDNS) == ["kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10"])

            // A new endpoint is answered within a second.
            var slice = try await api.get(EndpointSlice.self, namespace: "default", name: "nginx-1")
            slice.endpoints?.append(
                Endpoint(addresses: ["10.244.1.12"], conditions: EndpointConditions(ready: true), hostname: "web-2"))
            _ = try await api.update(slice)
            let changed = ContinuousClock.now
            var seen: Duration?
            while ContinuousClock.now - changed < .seconds(5) {
                let out = try Self.dig(["+noall", "+answer", "web-2.nginx.default.svc.cluster.local"], port: port)
                if out.contains("10.244.1.12") {
                    seen = ContinuousClock.now - changed
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let delay = try #require(seen, "the new endpoint was not answered within 5 s")
            print("new endpoint answered \(delay) after the update")
            #expect(delay < .seconds(1))

            // The status bus service counts what happened.
            let reply = try await bus.request(service: "dns", type: "status", payload: [], timeout: .seconds(5))
            let status = try JSONValue.parse(reply.payload)
            #expect(reply.code == 200)
            #expect((status["counters"]?["udpQueries"]?.intValue ?? 0) > 10)
            #expect((status["answers"]?["NXDOMAIN"]?.intValue ?? 0) >= 2)
            #expect((status["zone"]?["services"]?.intValue ?? 0) >= 5)

            // SIGTERM stops it promptly.
            let start = ContinuousClock.now
            cluster.stop("dns")
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(cluster.log("dns").contains("stopped"))
        }
    }

    static func lines(_ output: String) -> [String] {
        output.split(separator: "\n").filter { !$0.hasPrefix(";") && !$0.isEmpty }.map {
            $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
    }

    static func waitForEndpoints(_ api: KubusClient) async throws -> Endpoints {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            if let e = try? await api.get(Endpoints.self, namespace: "kube-system", name: "kube-dns") { return e }
            guard ContinuousClock.now < deadline else {
                throw TestCluster.ClusterError("no Endpoints kube-system/kube-dns")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// When another Service holds 10.96.0.10, kubus-dns says so (naming it) and keeps serving.
    @Test func kubeDNSAddressTakenIsLoggedClearly() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let api = KubusClient(bus: bus)
            _ = try await api.create(
                Service(
                    metadata: ObjectMeta(name: "squatter", namespace: "default"),
                    spec: ServiceSpec(
                        ports: [ServicePort(name: "http", protocol: "TCP", port: 80)], clusterIP: "10.96.0.10",
                        clusterIPs: ["10.96.0.10"])))
            let port = try Self.freePort()
            try cluster.start(
                "dns", args: ["--listen", "127.0.0.1:\(port)", "--upstream", "127.0.0.1:\(try Self.freePort())"])
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline && !cluster.log("dns").contains("holds that address") {
                try await Task.sleep(for: .milliseconds(100))
            }
            let log = cluster.log("dns")
            #expect(log.contains("error"), "\(log.suffix(2000))")
            #expect(log.contains("Service default/squatter holds that address"), "\(log.suffix(2000))")
            // The zone is served all the same: the squatter answers at that address.
            try await Self.waitForAnswer("squatter.default.svc.cluster.local", port: port) { cluster.log("dns") }
            let out = try Self.dig(["+noall", "+answer", "squatter.default.svc.cluster.local"], port: port)
            #expect(Self.lines(out) == ["squatter.default.svc.cluster.local. 30 IN A 10.96.0.10"])
        }
    }

    /// As root: kubus-dns puts its address on a dummy interface it creates, answers there, and `kubus-dns cleanup`
    /// removes the interface (run by the cluster's shutdown also when the test fails).
    @Test func linkLocalAddressOnADummyInterface() async throws {
        guard geteuid() == 0, let ip = Self.ipPath else {
            print("skipped: needs root and iproute2")
            return
        }
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let interface = "kdt\(BusClock.randomID().prefix(6).lowercased())"
            let address = "169.254.20.\(Int.random(in: 100...250))"
            let port = try Self.freePort()
            cluster.cleanUpAfterwards("dns", ["cleanup", "--interface", interface])
            try cluster.start(
                "dns",
                args: [
                    "--interface", interface, "--link-local", address, "--listen", "\(address):\(port)",
                    "--upstream", "127.0.0.1:\(try Self.freePort())", "--upstream-timeout", "0.3",
                ])
            let deadline = ContinuousClock.now + .seconds(20)
            var answer = ""
            while ContinuousClock.now < deadline {
                answer =
                    (try? Self.dig(
                        ["+noall", "+answer", "kube-dns.kube-system.svc.cluster.local"], port: port, server: address))
                    ?? ""
                if answer.contains("10.96.0.10") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answer.contains("10.96.0.10"), "\(answer)\n\(cluster.log("dns").suffix(1500))")
            // On a dummy interface, or on lo labelled lo:<interface> where the kernel has no dummy interfaces.
            let shown = try Self.run(ip, ["-4", "-o", "addr", "show"])
            #expect(shown.contains("\(address)/32"), "\(shown)")
            cluster.stop("dns")
            let cleanup = try Self.run("\(cluster.bin)/kubus-dns", ["cleanup", "--interface", interface])
            #expect(cleanup.contains("removed"), "\(cleanup)")
            let after = try Self.run(ip, ["-4", "-o", "addr", "show"])
            #expect(!after.contains("\(address)/32"), "\(after)")
            let gone = try Self.run(ip, ["-o", "link", "show", "dev", interface])
            #expect(!gone.contains(interface + ":"), "\(gone)")
        }
    }

    static var ipPath: String? {
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        try runProgram(executable, arguments, withStandardError: true)
    }
}
