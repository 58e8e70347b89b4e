import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

private let ingressToolsPresent = ["/usr/sbin/nginx", "/usr/bin/curl", "/usr/bin/openssl", "/usr/bin/python3"]
    .allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0)
    }

/// kubus-ingress with its real nginx on a private loopback address, two real HTTP backends behind selector-less
/// Services with hand-written EndpointSlices, and real curl from the host.
@Suite(
    .serialized, .timeLimit(.minutes(3)), .enabled(if: ingressToolsPresent, "needs nginx, curl, openssl and python3"))
struct IngressIntegrationTests {
    @Test func routesHostsPathsAndTLSAndSurvivesChangesAndNginxDying() async throws {
        var folder = ""
        defer { Self.killStrayNginx(in: folder) }
        try await withCluster { cluster in
            folder = cluster.dir
            let started = ContinuousClock.now
            try await cluster.startControlPlane()
            let address = "127.\(Int.random(in: 64...99)).\(Int.random(in: 0...255)).\(Int.random(in: 2...254))"
            let (http, https) = (try Self.freePort(address), try Self.freePort(address))
            let (alphaPort, betaPort) = (try Self.freePort("127.0.0.1"), try Self.freePort("127.0.0.1"))
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "python/echo_backend.py"
            ).path
            try cluster.startProgram(
                "backend-alpha", executable: "/usr/bin/python3", args: [script, "alpha", "127.0.0.1", "\(alphaPort)"])
            try cluster.startProgram(
                "backend-beta", executable: "/usr/bin/python3", args: [script, "beta", "127.0.0.1", "\(betaPort)"])
            try cluster.start(
                "ingress", args: ["--listen-http", "\(address):\(http)", "--listen-https", "\(address):\(https)"])
            try await cluster.waitForService("ingress")

            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let api = KubusClient(bus: bus)
            let (certificate, key) = try Self.selfSigned(in: cluster.dir, host: "alpha.example.com")
            try await Self.createObjects(
                api, alphaPort: alphaPort, betaPort: betaPort, certificate: certificate, key: key)

            let curl = Curl(address: address, http: http, https: https)
            // Served once the informers saw everything and nginx reloaded. Each kind has its own informer, so
            // the Ingress can be rendered before beta's EndpointSlice is in the cache (its path answers 503 until
            // the next render): wait for both backends, not for the first 200.
            try await Self.eventually("https://alpha.example.com/ and /api reach alpha and beta", within: .seconds(15))
            {
                (try? curl.get("alpha.example.com", "/", https: true).backend) == "alpha"
                    && (try? curl.get("alpha.example.com", "/api", https: true).backend) == "beta"
            }
            let root = try curl.get("alpha.example.com", "/", https: true)
            #expect(root.backend == "alpha" && root.json?["path"] as? String == "/", "\(root)")
            // The path prefix on the TLS host, element-wise.
            for (path, backend) in [("/api", "beta"), ("/api/v1/items", "beta"), ("/apis", "alpha")] {
                let answer = try curl.get("alpha.example.com", path, https: true)
                #expect(answer.backend == backend, "\(path): \(answer)")
            }
            // The second host: Exact against Prefix.
            #expect(try curl.get("beta.example.com", "/exact").backend == "alpha")
            #expect(try curl.get("beta.example.com", "/exact/").backend == "beta")
            #expect(try curl.get("beta.example.com", "/exact/more").backend == "beta")
            #expect(try curl.get("beta.example.com", "/").backend == "beta")
            // No rule for the host: 404. A Service without ready endpoints, or missing: 503.
            #expect(try curl.get("gamma.example.com", "/").status == 404)
            #expect(try curl.get("beta.example.com", "/empty/x").status == 503)
            #expect(try curl.get("beta.example.com", "/missing").status == 503)
            // HTTP to the TLS host is redirected to HTTPS, as ingress-nginx's ssl-redirect.
            let redirect = try curl.get("alpha.example.com", "/api/v1?q=1")
            #expect(redirect.status == 308)
            #expect(redirect.location == "https://alpha.example.com:\(https)/api/v1?q=1")
            // The certificate presented for the TLS host is the Secret's.
            #expect(try curl.subject("alpha.example.com").contains("alpha.example.com"))
            // The forwarded headers reach the backend.
            let headers = try #require(
                try curl.get("alpha.example.com", "/headers", https: true).json?["headers"] as? [String: String])
            #expect(headers["x-forwarded-for"] == "127.0.0.1")
            #expect(headers["x-real-ip"] == "127.0.0.1")
            #expect(headers["x-forwarded-proto"] == "https")
            #expect(headers["x-forwarded-host"] == "alpha.example.com:\(https)")
            #expect(headers["host"] == "alpha.example.com:\(https)")
            // A WebSocket upgrade passes through.
            #expect(try Self.webSocketEcho(address: address, port: http, host: "beta.example.com") == "echo:hello")

            // The class, the status and the Event for the missing Service.
            let ingressClass = try await api.get(IngressClass.self, namespace: nil, name: "kubus")
            #expect(ingressClass.spec.controller == "kubus.dev/ingress-nginx")
            #expect(ingressClass.metadata.annotations?[IngressClass.defaultClassAnnotation] == "true")
            try await Self.eventually("status.loadBalancer.ingress[0].ip is \(address)", within: .seconds(10)) {
                let web = try? await api.get(Ingress.self, namespace: "default", name: "web")
                return web?.status.loadBalancer?.ingress?.first?.ip == address
            }
            try await Self.eventually("an Event says the Service nosuch is missing", within: .seconds(10)) {
                let events = (try? await api.list(Event.self, namespace: "default").items) ?? []
                return events.contains {
                    $0.reason == "ServiceNotFound" && $0.involvedObject.name == "web"
                        && ($0.message ?? "").contains("nosuch")
                }
            }

            // A new path is served within about 2 s of the change.
            var web = try await api.get(Ingress.self, namespace: "default", name: "web")
            web.spec.rules?[0].http?.paths.append(
                HTTPIngressPath(path: "/new", pathType: "Exact", backend: Self.backend("beta", port: 8080)))
            let changed = ContinuousClock.now
            _ = try await api.update(web)
            try await Self.eventually("the new path /new reaches beta", within: .seconds(5)) {
                (try? curl.get("alpha.example.com", "/new", https: true).backend) == "beta"
            }
            let changeTook = ContinuousClock.now - changed
            #expect(changeTook < .milliseconds(2500), "a new path took \(changeTook)")
            // Endpoints appearing for the empty Service are served too.
            var slice = try await api.get(EndpointSlice.self, namespace: "default", name: "empty-1")
            slice.endpoints = [Endpoint(addresses: ["127.0.0.1"], conditions: EndpointConditions(ready: true))]
            _ = try await api.update(slice)
            try await Self.eventually("the empty Service's new endpoint is served", within: .seconds(5)) {
                (try? curl.get("beta.example.com", "/empty/x").backend) == "alpha"
            }

            // Killing nginx: kubus-ingress starts it again and service comes back within seconds.
            let pidFile = "\(cluster.dir)/ingress/nginx.pid"
            let nginxPID = try #require(
                Int32(
                    (try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(
                        in: .whitespacesAndNewlines)))
            kill(nginxPID, SIGKILL)
            let killed = ContinuousClock.now
            try await Self.eventually("service is back after nginx was killed", within: .seconds(10)) {
                (try? curl.get("alpha.example.com", "/", https: true).backend) == "alpha"
            }
            let restoreTook = ContinuousClock.now - killed
            #expect(restoreTook < .seconds(5), "restoring service took \(restoreTook)")
            let newPID = Int32(
                (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                    ?? "")
            #expect(newPID != nil && newPID != nginxPID)
            #expect(Self.nginxProcesses(in: cluster.dir).count >= 2, "a new master and its workers")
            #expect(!Self.nginxProcesses(in: cluster.dir).contains(nginxPID))

            // Stopping kubus-ingress stops nginx and clears the status it wrote.
            cluster.stop("ingress")
            #expect(Self.nginxProcesses(in: cluster.dir).isEmpty, "nginx stopped with kubus-ingress")
            let after = try await api.get(Ingress.self, namespace: "default", name: "web")
            #expect(after.status.loadBalancer?.ingress?.isEmpty ?? true)
            #expect(cluster.log("ingress").contains("GET /headers HTTP/"), "the access log is in kubus-ingress's log")
            print(
                "ingress integration: new path served after \(changeTook), service back \(restoreTook) "
                    + "after nginx was killed, whole test \(ContinuousClock.now - started)"
            )
        }
    }

    // MARK: Objects

    static func backend(_ service: String, port: Int? = nil, portName: String? = nil) -> IngressBackend {
        IngressBackend(
            service: IngressServiceBackend(name: service, port: ServiceBackendPort(name: portName, number: port)))
    }

    static func path(_ path: String, _ type: String, _ backend: IngressBackend) -> HTTPIngressPath {
        HTTPIngressPath(path: path, pathType: type, backend: backend)
    }

    static func createObjects(_ api: KubusClient, alphaPort: Int, betaPort: Int, certificate: String, key: String)
        async throws
    {
        func service(_ name: String, _ port: ServicePort) -> Service {
            Service(metadata: ObjectMeta(name: name, namespace: "default"), spec: ServiceSpec(ports: [port]))
        }
        func slice(_ service: String, port: EndpointSlicePort, endpoints: [Endpoint]) -> EndpointSlice {
            EndpointSlice(
                metadata: ObjectMeta(
                    name: "\(service)-1", namespace: "default", labels: [EndpointSlice.serviceNameLabel: service]),
                addressType: "IPv4", endpoints: endpoints, ports: [port])
        }
        _ = try await api.create(
            service("alpha", ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .int(alphaPort))))
        _ = try await api.create(service("beta", ServicePort(protocol: "TCP", port: 8080, targetPort: .int(betaPort))))
        _ = try await api.create(service("empty", ServicePort(protocol: "TCP", port: 80, targetPort: .int(alphaPort))))
        _ = try await api.create(
            slice(
                "alpha", port: EndpointSlicePort(name: "http", protocol: "TCP", port: alphaPort),
                endpoints: [Endpoint(addresses: ["127.0.0.1"], conditions: EndpointConditions(ready: true))]))
        // Unnamed port; an endpoint without conditions is ready, one with ready false is not.
        _ = try await api.create(
            slice(
                "beta", port: EndpointSlicePort(name: "", protocol: "TCP", port: betaPort),
                endpoints: [
                    Endpoint(addresses: ["127.0.0.1"]),
                    Endpoint(addresses: ["127.0.0.2"], conditions: EndpointConditions(ready: false)),
                ]))
        _ = try await api.create(
            slice(
                "empty", port: EndpointSlicePort(name: "", protocol: "TCP", port: alphaPort),
                endpoints: [Endpoint(addresses: ["127.0.0.1"], conditions: EndpointConditions(ready: false))]))
        _ = try await api.create(
            Secret(
                metadata: ObjectMeta(name: "alpha-tls", namespace: "default"),
                data: [
                    "tls.crt": Data(certificate.utf8).base64EncodedString(),
                    "tls.key": Data(key.utf8).base64EncodedString(),
                ],
                type: "kubernetes.io/tls"))
        let ingress = Ingress(
            metadata: ObjectMeta(name: "web", namespace: "default"),
            spec: IngressSpec(
                ingressClassName: "kubus",
                tls: [IngressTLS(hosts: ["alpha.example.com"], secretName: "alpha-tls")],
                rules: [
                    IngressRule(
                        host: "alpha.example.com",
                        http: HTTPIngressRuleValue(paths: [
                            path("/", "Prefix", backend("alpha", portName: "http")),
                            path("/api", "Prefix", backend("beta", port: 8080)),
                        ])),
                    IngressRule(
                        host: "beta.example.com",
                        http: HTTPIngressRuleValue(paths: [
                            path("/exact", "Exact", backend("alpha", port: 80)),
                            path("/", "Prefix", backend("beta", port: 8080)),
                            path("/empty", "Prefix", backend("empty", port: 80)),
                            path("/missing", "ImplementationSpecific", backend("nosuch", port: 80)),
                        ])),
                ]))
        _ = try await api.create(ingress)
    }

    // MARK: Tools

    /// curl against the ingress's address, with `--resolve` so the host names need no DNS.
    struct Curl {
        let address: String
        let http: Int
        let https: Int

        struct Answer: CustomStringConvertible {
            var status: Int
            var body: String
            var location: String
            var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
            var backend: String? { json?["backend"] as? String }
            var description: String { "\(status) \(body.prefix(300))" }
        }

        func get(_ host: String, _ path: String, https secure: Bool = false) throws -> Answer {
            let port = secure ? https : http
            let (_, out) = try IngressIntegrationTests.run(
                "/usr/bin/curl",
                [
                    "-sS", "-k", "--max-time", "5", "--resolve", "\(host):\(port):\(address)",
                    "-w", "\n%{http_code}\n%{redirect_url}", "\(secure ? "https" : "http")://\(host):\(port)\(path)",
                ])
            let lines = out.components(separatedBy: "\n")
            guard lines.count >= 3 else { return Answer(status: 0, body: out, location: "") }
            return Answer(
                status: Int(lines[lines.count - 2]) ?? 0, body: lines.dropLast(2).joined(separator: "\n"),
                location: lines[lines.count - 1])
        }

        /// The subject of the certificate presented for `host` (SNI).
        func subject(_ host: String) throws -> String {
            let (_, out) = try IngressIntegrationTests.run(
                "/usr/bin/curl",
                [
                    "-sS", "-k", "-v", "-o", "/dev/null", "--max-time", "5", "--resolve", "\(host):\(https):\(address)",
                    "https://\(host):\(https)/",
                ])
            return out.components(separatedBy: "\n").first { $0.contains("subject:") } ?? out
        }
    }

    /// Runs a program to completion; returns its status and its stdout and stderr together.
    static func run(_ executable: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// An upgraded connection through the ingress: sends an HTTP/1.1 WebSocket upgrade, then bytes after the 101.
    static func webSocketEcho(address: String, port: Int, host: String) throws -> String {
        let client = """
            import socket, sys
            s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
            s.sendall(("GET /ws HTTP/1.1\\r\\nHost: %s\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n" % sys.argv[3]).encode())
            head = b""
            while b"\\r\\n\\r\\n" not in head:
                head += s.recv(1)
            assert head.startswith(b"HTTP/1.1 101"), head
            s.sendall(b"hello")
            print(s.recv(100).decode())
            """
        let (status, out) = try run("/usr/bin/python3", ["-c", client, address, "\(port)", host])
        return status == 0 ? out.trimmingCharacters(in: .whitespacesAndNewlines) : "failed: \(out)"
    }

    static func selfSigned(in dir: String, host: String) throws -> (certificate: String, key: String) {
        let (status, out) = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=\(host)",
                "-addext", "subjectAltName=DNS:\(host)", "-keyout", "\(dir)/tls.key", "-out", "\(dir)/tls.crt",
            ])
        guard status == 0 else { throw TestCluster.ClusterError("openssl: \(out)") }
        return (
            try String(contentsOfFile: "\(dir)/tls.crt", encoding: .utf8),
            try String(contentsOfFile: "\(dir)/tls.key", encoding: .utf8)
        )
    }

    static func eventually(_ what: String, within limit: Duration, _ check: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestCluster.ClusterError("not within \(limit): \(what)")
    }

    /// A TCP port the kernel hands out on `address` right now.
    static func freePort(_ address: String) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr(address)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestCluster.ClusterError("no free port on \(address)") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// The pids of nginx processes running from `dir` (masters name it on their command line; workers are found
    /// through their master).
    static func nginxProcesses(in dir: String) -> [Int32] {
        guard !dir.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return []
        }
        var masters: [Int32] = []
        var parents: [Int32: Int32] = [:]
        for entry in entries {
            guard let pid = Int32(entry) else { continue }
            guard let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { continue }
            let text = String(decoding: cmdline, as: UTF8.self)
            guard text.hasPrefix("nginx") else { continue }
            if text.contains(dir) { masters.append(pid) }
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            {
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, let ppid = Int32(fields[1]) { parents[pid] = ppid }
            }
        }
        return masters + parents.filter { masters.contains($0.value) }.map(\.key)
    }

    /// Kills any nginx left running from `dir` (only if a test failed badly: kubus-ingress stops its nginx).
    static func killStrayNginx(in dir: String) {
        for pid in nginxProcesses(in: dir) { kill(pid, SIGKILL) }
    }
}
