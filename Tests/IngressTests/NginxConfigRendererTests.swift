import Foundation
import FoundationEssentials
import Ingress
import Schema
import Testing

@Suite struct NginxConfigRendererTests {
    typealias F = Fixtures

    func render(_ table: RoutingTable, _ configure: (inout IngressConfiguration) -> Void = { _ in }, root: Bool = false)
        -> String
    {
        var c = F.configuration
        configure(&c)
        return NginxConfigRenderer.render(table, configuration: c, runningAsRoot: root)
    }

    /// The text between `head {` and its closing brace at the same indentation.
    func block(_ text: String, _ head: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == head + " {" }) else {
            return nil
        }
        let indent = lines[start].prefix { $0 == " " }
        guard let end = lines[start...].firstIndex(where: { $0 == indent + "}" }) else { return nil }
        return lines[start...end].joined(separator: "\n")
    }

    @Test func pathsBecomeNginxLocations() throws {
        let ingress = F.ingress(
            "web",
            rules: [
                F.rule(
                    "a.example.com", F.path("/exact", "Exact", to: "web"), F.path("/pre/", to: "web"),
                    F.path("/", to: "web"))
            ])
        let text = render(F.table([ingress], backends: ["web"]))
        let server = try #require(text.components(separatedBy: "server_name a.example.com;").last)
        #expect(server.contains("location = \"/exact\" {"))
        #expect(server.contains("location = \"/pre\" {"), "a prefix matches itself without the slash")
        #expect(server.contains("location \"/pre/\" {"), "and everything below it, never /prefix")
        #expect(server.contains("location / {"))
        #expect(server.contains("proxy_pass http://default_web_80;"))
        #expect(!server.contains("location \"/exact/\""))
    }

    @Test func exactAndPrefixOfTheSamePathShareNoLocation() {
        let ingress = F.ingress(
            "web", rules: [F.rule(nil, F.path("/foo", to: "prefix"), F.path("/foo", "Exact", to: "exact"))])
        let text = render(F.table([ingress], backends: ["prefix", "exact"]))
        #expect(
            text.components(separatedBy: "location = \"/foo\" {").count == 2, "one exact location, the Exact path's")
        #expect(text.contains("location \"/foo/\" {"))
    }

    /// nginx would redirect `/foo` to `/foo/` for a proxied `location = /foo/`; `/foo` gets its own answer instead.
    @Test func anExactPathWithASlashDoesNotRedirectThePathWithout() {
        let ingress = F.ingress(
            "web", rules: [F.rule("a.example.com", F.path("/foo/", "Exact", to: "web"), F.path("/", to: "root"))])
        let text = render(F.table([ingress], backends: ["web", "root"]))
        #expect(text.contains("location = \"/foo\" {\n            set $kubus_upstream \"default_root_80\";"))
        let alone = F.ingress("web", rules: [F.rule("a.example.com", F.path("/foo/", "Exact", to: "web"))])
        #expect(render(F.table([alone], backends: ["web"])).contains("location = \"/foo\" {\n            return 404;"))
    }

    @Test func hostsBecomeServers() {
        let ingress = F.ingress(
            "web",
            rules: [F.rule("a.example.com", F.path("/", to: "web")), F.rule("*.example.org", F.path("/", to: "web"))])
        let text = render(F.table([ingress], backends: ["web"]))
        #expect(text.contains("server_name a.example.com;"))
        #expect(text.contains("server_name ~^[^.]+\\.example\\.org$;"), "a wildcard covers one label")
        #expect(text.contains("server_name _;"))
        #expect(text.contains("listen 127.0.0.80:80 default_server reuseport backlog=4096;"))
        #expect(text.contains("listen 127.0.0.80:443 ssl http2 default_server reuseport backlog=4096;"))
        #expect(text.components(separatedBy: "default_server").count == 3, "only the catch-all server is the default")
        // The catch-all server comes first.
        #expect(text.range(of: "server_name _;")!.lowerBound < text.range(of: "server_name a.example.com;")!.lowerBound)
    }

    @Test func fallbackNestsTheLessSpecificLevels() {
        let ingress = F.ingress(
            "web",
            rules: [
                F.rule("a.example.com", F.path("/a", to: "web")), F.rule("*.example.com", F.path("/w", to: "web")),
                F.rule(nil, F.path("/z", to: "web")),
            ],
            defaultBackend: F.backend("fallback"))
        let text = render(F.table([ingress], backends: ["web", "fallback"]))
        let expected = """
                    location "/w/" {
                        set $kubus_upstream "default_web_80";
                        proxy_pass http://default_web_80;
                    }
                    # no path of host *.example.com matched: the rules of rules without a host
                    location / {
            """
        #expect(text.contains(expected))
        #expect(text.contains("            location / {\n                set $kubus_upstream \"default_fallback_80\";"))
    }

    @Test func unavailableAndNotFound() {
        let ingress = F.ingress("web", rules: [F.rule("a.example.com", F.path("/gone", to: "gone"))])
        let text = render(F.table([ingress]))
        #expect(text.contains("location = \"/gone\" {\n            return 503;"))
        #expect(text.contains("# no path matched: 404\n        location / {\n            return 404;"))
    }

    @Test func upstreamsListEndpointsWithKeepAlive() throws {
        let ingress = F.ingress("web", rules: [F.rule(nil, F.path("/", to: "web"))])
        let slice = F.slice(
            "w", service: "web", port: (nil, 8080), endpoints: [("10.0.0.2", true), ("10.0.0.1", true)])
        let text = render(F.table([ingress], services: [F.service("web")], slices: [slice]))
        let upstream = try #require(block(text, "upstream default_web_80"))
        #expect(upstream.contains("server 10.0.0.1:8080;\n        server 10.0.0.2:8080;"))
        #expect(upstream.contains("keepalive 320;"))
        #expect(text.contains("proxy_http_version 1.1;"))
        #expect(text.contains("proxy_set_header Connection $connection_upgrade;"))
        #expect(text.contains("proxy_set_header Upgrade $http_upgrade;"))
    }

    @Test func forwardedHeaders() {
        let text = render(RoutingTable())
        for header in [
            "X-Forwarded-For $remote_addr", "X-Real-IP $remote_addr", "X-Forwarded-Proto $scheme",
            "X-Forwarded-Host $kubus_best_host", "Host $kubus_best_host", "X-Forwarded-Port $server_port",
        ] {
            #expect(text.contains("proxy_set_header \(header);"), "\(header)")
        }
    }

    @Test func tlsServersAndTheRedirect() {
        let ingress = F.ingress(
            "web", rules: [F.rule("a.example.com", F.path("/", to: "web"))],
            tls: [IngressTLS(hosts: ["a.example.com"], secretName: "a-tls")])
        let table = F.table([ingress], backends: ["web"], secrets: [F.tlsSecret("a-tls")])
        let text = render(table)
        #expect(text.contains("ssl_certificate /state/certs/default_a-tls.pem;"))
        #expect(text.contains("ssl_certificate_key /state/certs/default_a-tls.pem;"))
        #expect(text.contains("ssl_certificate /state/certs/default.pem;"), "the catch-all has the default certificate")
        #expect(text.contains("if ($scheme = http) { return 308 https://$host$request_uri; }"))
        let moved = render(table) { $0.listenHTTPS = ListenAddress("127.0.0.80:8443")! }
        #expect(moved.contains("return 308 https://$host:8443$request_uri;"))
        #expect(!render(table) { $0.sslRedirect = false }.contains("return 308"))
    }

    @Test func processSettings() {
        let text = render(RoutingTable(), root: true)
        #expect(text.contains("daemon off;"))
        #expect(text.contains("pid /state/nginx.pid;"))
        #expect(text.contains("user root;"))
        #expect(text.contains("access_log /dev/stdout upstreaminfo buffer=64k flush=1s;"))
        #expect(text.contains("error_log stderr notice;"))
        #expect(!render(RoutingTable()).contains("\nuser "))
        #expect(render(RoutingTable(), { $0.workerUser = "www-data" }, root: true).contains("user www-data;"))
        #expect(render(RoutingTable(), { $0.accessLog = false }).contains("access_log off;"))
    }

    @Test func pathsAreQuoted() {
        let ingress = F.ingress("web", rules: [F.rule(nil, F.path("/a\"b\\c{;}", "Exact", to: "web"))])
        let text = render(F.table([ingress], backends: ["web"]))
        #expect(text.contains(#"location = "/a\"b\\c{;}" {"#))
    }

    @Test func renderingIsDeterministic() {
        let ingresses = (0..<20).map { i in
            F.ingress("web-\(i)", rules: [F.rule("h\(i % 5).example.com", F.path("/p\(i)", to: "s\(i % 3)"))])
        }
        let a = render(F.table(ingresses, backends: ["s0", "s1", "s2"]))
        let b = render(F.table(ingresses.reversed(), backends: ["s2", "s1", "s0"].reversed()))
        #expect(a == b)
    }
}
