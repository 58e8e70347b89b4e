import Foundation
import Ingress
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

let nginxToolsPresent = ["/usr/sbin/nginx", "/usr/bin/curl", "/usr/bin/openssl"].allSatisfy {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The rendered configuration served by a real nginx, asked by real curl: every answer must be the one
/// `RoutingTable.resolve` (Kubernetes' rules) gives. Backends are servers of the same nginx answering their name.
@Suite(.serialized, .enabled(if: nginxToolsPresent, "needs nginx, curl and openssl"))
struct NginxMatchingTests {
    typealias F = Fixtures

    static let services = [
        "foo-exact", "foo-prefix", "aaa-bbb", "aaa", "trailing", "foo-slash-exact", "wild", "exact-host", "any", "root",
        "host-default", "cluster-default", "tls-app",
    ]

    static func ingresses() -> [Ingress] {
        [
            F.ingress(
                "paths",
                rules: [
                    F.rule("exact-path-rules", F.path("/foo", "Exact", to: "foo-exact")),
                    F.rule(
                        "prefix-path-rules", F.path("/foo", to: "foo-prefix"), F.path("/aaa/bbb", to: "aaa-bbb"),
                        F.path("/aaa", to: "aaa")),
                    F.rule(
                        "mixed-path-rules", F.path("/foo", to: "foo-prefix"), F.path("/foo", "Exact", to: "foo-exact")),
                    F.rule(
                        "trailing-slash-path-rules", F.path("/aaa/bbb/", to: "trailing"),
                        F.path("/foo/", "Exact", to: "foo-slash-exact")),
                ]),
            F.ingress(
                "levels", created: "2024-02-01T00:00:00Z",
                rules: [
                    F.rule("a.example.com", F.path("/a", to: "exact-host"), F.path("/gone", to: "no-such-service")),
                    F.rule("*.example.com", F.path("/a/b", to: "wild"), F.path("/w", "Exact", to: "wild")),
                    F.rule(nil, F.path("/a/b/c", to: "any"), F.path("/z", to: "any")),
                    F.rule("root.example.net", F.path("/", to: "root")),
                ],
                defaultBackend: F.backend("host-default")),
            F.ingress("catch-all", created: "2024-03-01T00:00:00Z", defaultBackend: F.backend("cluster-default")),
            F.ingress(
                "secure", created: "2024-04-01T00:00:00Z",
                rules: [F.rule("tls.example.com", F.path("/app", to: "tls-app"))],
                tls: [IngressTLS(hosts: ["tls.example.com"], secretName: "tls")]),
        ]
    }

    static let requests: [(host: String, path: String)] = [
        ("exact-path-rules", "/foo"), ("exact-path-rules", "/foo/"), ("exact-path-rules", "/FOO"),
        ("exact-path-rules", "/bar"),
        ("prefix-path-rules", "/foo"), ("prefix-path-rules", "/foo/"), ("prefix-path-rules", "/foobar"),
        ("prefix-path-rules", "/aaa/bbb"), ("prefix-path-rules", "/aaa/bbb/ccc"), ("prefix-path-rules", "/aaa/bbbxyz"),
        ("prefix-path-rules", "/aaa/ccc"), ("prefix-path-rules", "/aaaccc"), ("prefix-path-rules", "/ccc"),
        ("mixed-path-rules", "/foo"), ("mixed-path-rules", "/foo/x"),
        ("trailing-slash-path-rules", "/aaa/bbb"), ("trailing-slash-path-rules", "/aaa/bbb/"),
        ("trailing-slash-path-rules", "/foo"), ("trailing-slash-path-rules", "/foo/"),
        ("a.example.com", "/a/b/c/d"), ("a.example.com", "/w"), ("a.example.com", "/w/x"), ("a.example.com", "/z"),
        ("a.example.com", "/q"), ("a.example.com", "/gone"), ("b.example.com", "/a/b/c"), ("b.example.com", "/z/1"),
        ("b.example.com", "/q"), ("c.d.example.com", "/a/b"), ("other.org", "/a/b/c"), ("other.org", "/a/b"),
        ("other.org", "/q"), ("exact-path-rules", "/foo/x"),
        ("root.example.net", "/anything"), ("tls.example.com", "/app/1"), ("tls.example.com", "/other"),
    ]

    @Test(.timeLimit(.minutes(1)))
    func realNginxAnswersAsKubernetesRulesSay() async throws {
        let dir = "/tmp/kubus-ingress-match-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/certs", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let address = "127.\(Int.random(in: 100...199)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        let ports = try freePorts(address, count: 2 + Self.services.count)
        var configuration = IngressConfiguration()
        configuration.stateDirectory = dir
        configuration.listenHTTP = ListenAddress("\(address):\(ports[0])")!
        configuration.listenHTTPS = ListenAddress("\(address):\(ports[1])")!
        configuration.workerProcesses = "1"
        configuration.accessLog = false

        let pem = try selfSigned(dir: dir, host: "tls.example.com")
        try pem.write(toFile: configuration.defaultCertificatePath, atomically: true, encoding: .utf8)
        var services: [Service] = []
        var slices: [EndpointSlice] = []
        var backendServers = ""
        for (index, name) in Self.services.enumerated() {
            services.append(F.service(name))
            slices.append(
                F.slice("\(name)-1", service: name, port: (nil, ports[2 + index]), endpoints: [(address, true)]))
            backendServers +=
                "    server { listen \(address):\(ports[2 + index]); location / { return 200 \"\(name)\"; } }\n"
        }
        let secret = F.tlsSecret("tls", certificate: pem, key: "")
        // The test's PEM holds the certificate and key together; give the Secret each part.
        let parts = pem.components(separatedBy: "-----BEGIN PRIVATE KEY-----")
        var tlsSecret = secret
        tlsSecret.data = [
            "tls.crt": Data(parts[0].utf8).base64EncodedString(),
            "tls.key": Data(("-----BEGIN PRIVATE KEY-----" + parts[1]).utf8).base64EncodedString(),
        ]
        let snapshot = IngressSnapshot(
            ingresses: Self.ingresses(), classes: [F.kubusClass], services: services, endpointSlices: slices,
            secrets: [tlsSecret])
        let table = RoutingTableBuilder.build(snapshot, configuration: configuration)
        for (path, text) in table.certificates { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        var text = NginxConfigRenderer.render(table, configuration: configuration, runningAsRoot: getuid() == 0)
        let close = try #require(text.range(of: "}\n", options: .backwards))
        text.replaceSubrange(close, with: backendServers + "}\n")
        try text.write(toFile: configuration.nginxConfigPath, atomically: true, encoding: .utf8)

        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        nginx.arguments = ["-p", dir + "/", "-c", configuration.nginxConfigPath]
        nginx.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        nginx.standardError = errors
        try nginx.run()
        defer {
            kill(nginx.processIdentifier, SIGTERM)
            nginx.waitUntilExit()
        }
        try await waitForPort(address, ports[0], nginx: nginx, errors: errors)

        var checked = 0
        for (host, path) in Self.requests {
            for https in [false, true] {
                let expected = table.resolve(host: host, path: path, https: https)
                let port = https ? ports[1] : ports[0]
                let (status, body) = try curl(host: host, port: port, address: address, path: path, https: https)
                let want: (Int, String?) =
                    switch expected.route {
                    case .upstream(let name): (200, String(name.split(separator: "_")[1]))
                    case .unavailable: (503, nil)
                    case .notFound: (404, nil)
                    case .redirectToHTTPS: (308, nil)
                    }
                #expect(
                    status == want.0,
                    "\(https ? "https" : "http")://\(host)\(path): nginx \(status) \(body), rules \(expected.route)")
                if let name = want.1 { #expect(body == name, "\(host)\(path)") }
                checked += 1
            }
        }
        #expect(checked == Self.requests.count * 2)
        // A few answers spelled out, so a wrong model cannot agree with a wrong configuration.
        #expect(
            try curl(host: "prefix-path-rules", port: ports[0], address: address, path: "/aaa/bbb/ccc", https: false)
                .body == "aaa-bbb")
        #expect(
            try curl(host: "prefix-path-rules", port: ports[0], address: address, path: "/aaaccc", https: false).body
                == "cluster-default")
        #expect(
            try curl(host: "trailing-slash-path-rules", port: ports[0], address: address, path: "/foo", https: false)
                .body == "cluster-default")
        #expect(
            try curl(host: "a.example.com", port: ports[0], address: address, path: "/w", https: false).body == "wild")
        #expect(
            try curl(host: "a.example.com", port: ports[0], address: address, path: "/gone", https: false).status == 503
        )
        #expect(
            try curl(host: "a.example.com", port: ports[0], address: address, path: "/q", https: false).body
                == "host-default")
        #expect(
            try curl(host: "b.example.com", port: ports[0], address: address, path: "/q", https: false).body
                == "host-default")
        #expect(
            try curl(host: "other.org", port: ports[0], address: address, path: "/q", https: false).body
                == "cluster-default")
        #expect(
            try curl(host: "tls.example.com", port: ports[0], address: address, path: "/app", https: false).status
                == 308)
    }

    func curl(host: String, port: Int, address: String, path: String, https: Bool) throws -> (status: Int, body: String)
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = [
            "-sS", "-k", "--max-time", "5", "--resolve", "\(host):\(port):\(address)", "-w", "\n%{http_code}",
            "\(https ? "https" : "http")://\(host):\(port)\(path)",
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        return (status, lines.dropLast().joined(separator: "\n"))
    }

    func selfSigned(dir: String, host: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=\(host)", "-addext", "subjectAltName=DNS:\(host)", "-keyout", dir + "/k.pem", "-out",
            dir + "/c.pem",
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return try String(contentsOfFile: dir + "/c.pem", encoding: .utf8)
            + String(contentsOfFile: dir + "/k.pem", encoding: .utf8)
    }

    func waitForPort(_ address: String, _ port: Int, nginx: Process, errors: Pipe) async throws {
        for _ in 0..<100 {
            if (try? curl(host: "probe", port: port, address: address, path: "/", https: false).status) ?? 0 > 0 {
                return
            }
            if !nginx.isRunning {
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                Issue.record("nginx exited: \(text)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("nginx did not listen on \(address):\(port)")
        throw CancellationError()
    }

    /// Ports the kernel hands out on `address` right now.
    func freePorts(_ address: String, count: Int) throws -> [Int] {
        var ports: [Int] = []
        var sockets: [Int32] = []
        defer { for s in sockets { close(s) } }
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = 0
            addr.sin_addr.s_addr = inet_addr(address)
            _ = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
            }
            sockets.append(fd)
            ports.append(Int(UInt16(bigEndian: addr.sin_port)))
        }
        return ports
    }
}
