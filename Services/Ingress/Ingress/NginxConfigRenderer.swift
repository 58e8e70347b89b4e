import Foundation

/// Renders nginx's configuration from a routing table: a pure function of the table and the configuration, so
/// the same Ingresses always give the same text and nginx is reloaded only when something really changed.
///
/// The matching rules map onto nginx's own: an `Exact` path is `location = /p`; a `Prefix` path `/p` is the pair
/// `location = /p` and `location /p/` (nginx picks the longest prefix location, so `/p` never matches `/pq`, and an
/// exact location always beats a prefix one); `Prefix /` is `location /`. Host levels are nginx servers (exact
/// names, one-label wildcards as `~^[^.]+\.suffix$`, rules without a host in the `default_server`); a host's
/// fallback `location /` nests the next level's locations, so a request falls through exact host → wildcard → any
/// host only when no path of the more specific level matches, then to the default backend, then 404.
public enum NginxConfigRenderer {
    /// The whole `nginx.conf`.
    public static func render(_ table: RoutingTable, configuration: IngressConfiguration, runningAsRoot: Bool) -> String
    {
        var out = Output()
        let c = configuration
        let served = table.served.isEmpty ? "none" : table.served.joined(separator: ", ")
        out.line(
            "# Rendered by kubus-ingress for the IngressClass \(c.className); rewritten on every change, do not edit.")
        out.line("# Ingresses served: \(served)")
        out.line("daemon off;")
        out.line("master_process on;")
        out.line("pid \(c.pidPath);")
        out.line("error_log stderr notice;")
        if runningAsRoot { out.line("user \(c.workerUser ?? "root");") }
        out.line("worker_processes \(c.workerProcesses);")
        out.line("worker_shutdown_timeout 240s;")
        out.block("events") {
            $0.line("worker_connections 16384;")
            $0.line("multi_accept on;")
        }
        out.block("http") { http in
            renderHTTP(&http, table: table, configuration: c)
        }
        return out.text
    }

    static func renderHTTP(_ out: inout Output, table: RoutingTable, configuration c: IngressConfiguration) {
        let tmp = c.temporaryDirectory
        out.line("client_body_temp_path \(tmp)/client-body;")
        out.line("proxy_temp_path \(tmp)/proxy;")
        out.line("fastcgi_temp_path \(tmp)/fastcgi;")
        out.line("uwsgi_temp_path \(tmp)/uwsgi;")
        out.line("scgi_temp_path \(tmp)/scgi;")
        out.line("default_type text/plain;")
        out.line("server_tokens off;")
        out.line("server_names_hash_max_size 4096;")
        out.line("server_names_hash_bucket_size 128;")
        out.line("keepalive_timeout 75s;")
        out.line("keepalive_requests 10000;")
        out.line("client_max_body_size 1m;")
        // ingress-nginx's upstreaminfo log format, with the host last.
        out.line(
            "log_format upstreaminfo '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                + "\"$http_referer\" \"$http_user_agent\" $request_length $request_time [$kubus_upstream] "
                + "$upstream_addr $upstream_response_length $upstream_response_time $upstream_status $host';")
        if c.accessLog {
            // Buffered: workers write whole lines to kubus-ingress's log once per 64 KiB or second.
            out.line("access_log /dev/stdout upstreaminfo buffer=64k flush=1s;")
        } else {
            out.line("access_log off;")
        }
        // With upstream keep-alive, Connection is cleared unless the client asks to upgrade (WebSocket).
        out.block("map $http_upgrade $connection_upgrade") {
            $0.line("default upgrade;")
            $0.line("'' '';")
        }
        out.block("map $http_host $kubus_best_host") {
            $0.line("default $http_host;")
            $0.line("'' $host;")
        }
        out.line("ssl_protocols TLSv1.2 TLSv1.3;")
        out.line("ssl_session_cache shared:kubus_ssl:10m;")
        out.line("ssl_session_timeout 10m;")
        out.line("proxy_http_version 1.1;")
        out.line("proxy_buffering off;")
        out.line("proxy_request_buffering on;")
        out.line("proxy_connect_timeout 5s;")
        out.line("proxy_send_timeout 60s;")
        out.line("proxy_read_timeout 60s;")
        out.line("proxy_next_upstream error timeout;")
        out.line("proxy_next_upstream_tries 3;")
        out.line("proxy_redirect off;")
        out.line("proxy_set_header Host $kubus_best_host;")
        out.line("proxy_set_header Upgrade $http_upgrade;")
        out.line("proxy_set_header Connection $connection_upgrade;")
        out.line("proxy_set_header X-Real-IP $remote_addr;")
        // As ingress-nginx without use-forwarded-headers: what the client sent is not trusted.
        out.line("proxy_set_header X-Forwarded-For $remote_addr;")
        out.line("proxy_set_header X-Forwarded-Host $kubus_best_host;")
        out.line("proxy_set_header X-Forwarded-Port $server_port;")
        out.line("proxy_set_header X-Forwarded-Proto $scheme;")
        out.line("proxy_set_header X-Forwarded-Scheme $scheme;")
        out.line("proxy_set_header X-Scheme $scheme;")
        out.line("proxy_set_header X-Original-URI $request_uri;")
        out.line("proxy_set_header Proxy \"\";")

        for name in table.upstreams.keys.sorted() {
            out.blank()
            out.block("upstream \(name)") { u in
                for server in table.upstreams[name] ?? [] { u.line("server \(server);") }
                u.line("keepalive 320;")
                u.line("keepalive_requests 10000;")
                u.line("keepalive_timeout 60s;")
            }
        }

        let servers = table.hosts.values.sorted { lhs, rhs in
            // The default server first, then by pattern.
            if lhs.host == .any || rhs.host == .any { return lhs.host == .any }
            return lhs.host < rhs.host
        }
        for server in servers {
            out.blank()
            renderServer(&out, server, table: table, configuration: c)
        }
    }

    static func renderServer(
        _ out: inout Output, _ server: VirtualHost, table: RoutingTable, configuration c: IngressConfiguration
    ) {
        out.block("server") { s in
            let isDefault = server.host == .any
            let options = isDefault ? " default_server reuseport backlog=4096" : ""
            s.line("listen \(c.listenHTTP)\(options);")
            s.line("listen \(c.listenHTTPS) ssl http2\(options);")
            switch server.host {
            case .any: s.line("server_name _;")
            case .exact(let host): s.line("server_name \(host);")
            case .wildcard(let suffix):
                s.line("server_name ~^[^.]+\\.\(suffix.replacingOccurrences(of: ".", with: "\\."))$;")
            }
            let certificate = server.certificate?.path ?? c.defaultCertificatePath
            if let secret = server.certificate?.secret { s.line("# TLS from the Secret \(secret)") }
            s.line("ssl_certificate \(certificate);")
            s.line("ssl_certificate_key \(certificate);")
            s.line("set $kubus_upstream \"-\";")
            let levels = [server] + table.fallbackLevels(below: server).filter { !$0.paths.isEmpty }
            let fallback =
                ([server] + table.fallbackLevels(below: server)).lazy.compactMap(\.defaultRoute).first ?? .notFound
            let redirect = server.redirectsToHTTPS && c.sslRedirect
            renderLevel(&s, levels: levels[...], fallback: fallback, redirect: redirect, configuration: c)
        }
    }

    /// The locations of the first level, then (unless it has `Prefix /`) a `location /` holding the next levels'.
    static func renderLevel(
        _ out: inout Output, levels: ArraySlice<VirtualHost>, fallback: Route, redirect: Bool,
        configuration c: IngressConfiguration
    ) {
        guard let level = levels.first else { return }
        let exactPaths = Set(level.paths.filter(\.match.exact).map(\.match.path))
        // nginx answers a request for `/p` with a 301 to `/p/` when a location `/p/` with proxy_pass exists and no
        // location `= /p` does (its auto_redirect, which exact locations get too): give `/p` the answer the rules
        // give it, so an `Exact /p/` does not redirect `/p`.
        for rule in level.paths where rule.match.exact && rule.match.path.count > 1 && rule.match.path.hasSuffix("/") {
            let bare = String(rule.match.path.dropLast())
            guard !exactPaths.contains(bare), !level.paths.contains(where: { !$0.match.exact && $0.match.path == bare })
            else { continue }
            let (route, allows) = answer(levels, path: bare, fallback: fallback)
            out.line(
                "# \(bare) is not \(rule.match): what the rules answer for it (and no redirect to \(rule.match.path))")
            out.block("location = \(quote(bare))") { renderAnswer(&$0, route, redirect: redirect && allows, c) }
        }
        var hasRoot = false
        for rule in level.paths {
            let comment = "# \(rule.match) from \(rule.ingress) to \(rule.backend)"
            let redirects = redirect && rule.sslRedirect
            if rule.match.exact {
                out.line(comment)
                out.block("location = \(quote(rule.match.path))") {
                    renderAnswer(&$0, rule.route, redirect: redirects, c)
                }
            } else if rule.match.path == "/" {
                hasRoot = true
                out.line(comment)
                out.block("location /") { renderAnswer(&$0, rule.route, redirect: redirects, c) }
            } else {
                out.line(comment)
                if !exactPaths.contains(rule.match.path) {
                    out.block("location = \(quote(rule.match.path))") {
                        renderAnswer(&$0, rule.route, redirect: redirects, c)
                    }
                }
                out.block("location \(quote(rule.match.path + "/"))") {
                    renderAnswer(&$0, rule.route, redirect: redirects, c)
                }
            }
        }
        guard !hasRoot else { return }
        let rest = levels.dropFirst()
        if let next = rest.first {
            out.line("# no path of \(describe(level.host)) matched: the rules of \(describe(next.host))")
            out.block("location /") {
                renderLevel(&$0, levels: rest, fallback: fallback, redirect: redirect, configuration: c)
            }
        } else {
            out.line("# no path matched: \(fallback == .notFound ? "404" : "the default backend")")
            out.block("location /") { renderAnswer(&$0, fallback, redirect: redirect, c) }
        }
    }

    /// What `levels` answer for `path`: the first level's best matching rule, else the fallback.
    static func answer(_ levels: ArraySlice<VirtualHost>, path: String, fallback: Route) -> (Route, sslRedirect: Bool) {
        for level in levels {
            if let rule = level.paths.first(where: { $0.match.matches(path) }) { return (rule.route, rule.sslRedirect) }
        }
        return (fallback, true)
    }

    static func renderAnswer(_ out: inout Output, _ route: Route, redirect: Bool, _ c: IngressConfiguration) {
        if redirect {
            let port = c.listenHTTPS.port == 443 ? "" : ":\(c.listenHTTPS.port)"
            out.line("if ($scheme = http) { return 308 https://$host\(port)$request_uri; }")
        }
        switch route {
        case .upstream(let name):
            out.line("set $kubus_upstream \"\(name)\";")
            out.line("proxy_pass http://\(name);")
        case .unavailable: out.line("return 503;")
        case .notFound, .redirectToHTTPS: out.line("return 404;")
        }
    }

    static func describe(_ host: HostPattern) -> String {
        host == .any ? "rules without a host" : "host \(host)"
    }

    /// A location path as an nginx string: quoted, with `\` and `"` escaped.
    static func quote(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Indented lines.
    struct Output {
        var text = ""
        var depth = 0

        mutating func line(_ s: String) {
            text += String(repeating: "    ", count: depth) + s + "\n"
        }

        mutating func blank() { text += "\n" }

        mutating func block(_ head: String, _ body: (inout Output) -> Void) {
            line(head + " {")
            depth += 1
            body(&self)
            depth -= 1
            line("}")
        }
    }
}
