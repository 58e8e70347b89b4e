import Ingress
import Schema
import Testing

@Suite struct RoutingTableBuilderTests {
    typealias F = Fixtures

    func route(_ table: RoutingTable, _ host: String, _ path: String, https: Bool = true) -> Route {
        table.resolve(host: host, path: path, https: https).route
    }

    @Test func twoHostsAndAPathPrefix() {
        let web = F.ingress(
            "web",
            rules: [
                F.rule("a.example.com", F.path("/", to: "alpha"), F.path("/api", to: "beta")),
                F.rule("b.example.com", F.path("/", to: "beta")),
            ])
        let table = F.table([web], backends: ["alpha", "beta"])
        #expect(table.served == ["default/web"])
        #expect(route(table, "a.example.com", "/") == .upstream("default_alpha_80"))
        #expect(route(table, "a.example.com", "/api") == .upstream("default_beta_80"))
        #expect(route(table, "a.example.com", "/api/v1") == .upstream("default_beta_80"))
        #expect(route(table, "a.example.com", "/apis") == .upstream("default_alpha_80"))
        #expect(route(table, "B.Example.com", "/x") == .upstream("default_beta_80"))
        #expect(route(table, "c.example.com", "/") == .notFound)
        #expect(table.upstreams["default_alpha_80"] == ["10.0.0.1:8080"])
        #expect(table.problems.isEmpty)
    }

    /// kubernetes-sigs/ingress-controller-conformance features/path_rules.feature.
    @Test func conformancePathRules() {
        let ingress = F.ingress(
            "path-rules",
            rules: [
                F.rule("exact-path-rules", F.path("/foo", "Exact", to: "foo-exact")),
                F.rule(
                    "prefix-path-rules", F.path("/foo", to: "foo-prefix"),
                    F.path("/aaa/bbb", to: "aaa-slash-bbb-prefix"),
                    F.path("/aaa", to: "aaa-prefix")),
                F.rule("mixed-path-rules", F.path("/foo", to: "foo-prefix"), F.path("/foo", "Exact", to: "foo-exact")),
                F.rule(
                    "trailing-slash-path-rules", F.path("/aaa/bbb/", to: "aaa-slash-bbb-slash-prefix"),
                    F.path("/foo/", "Exact", to: "foo-slash-exact")),
            ])
        let table = F.table(
            [ingress],
            backends: [
                "foo-exact", "foo-prefix", "aaa-slash-bbb-prefix", "aaa-prefix", "aaa-slash-bbb-slash-prefix",
                "foo-slash-exact",
            ])
        func served(_ host: String, _ path: String) -> String {
            if case .upstream(let name) = route(table, host, path) { return name.split(separator: "_")[1].description }
            return route(table, host, path).description
        }
        #expect(served("exact-path-rules", "/foo") == "foo-exact")
        #expect(served("exact-path-rules", "/foo/") == "404")
        #expect(served("exact-path-rules", "/FOO") == "404")
        #expect(served("exact-path-rules", "/bar") == "404")
        #expect(served("prefix-path-rules", "/foo") == "foo-prefix")
        #expect(served("prefix-path-rules", "/foo/") == "foo-prefix")
        #expect(served("prefix-path-rules", "/FOO") == "404")
        #expect(served("prefix-path-rules", "/aaa/bbb") == "aaa-slash-bbb-prefix")
        #expect(served("prefix-path-rules", "/aaa/bbb/ccc") == "aaa-slash-bbb-prefix")
        #expect(served("prefix-path-rules", "/aaa/ccc") == "aaa-prefix")
        #expect(served("prefix-path-rules", "/aaaccc") == "404")
        #expect(served("mixed-path-rules", "/foo") == "foo-exact")
        #expect(served("mixed-path-rules", "/foo/x") == "foo-prefix")
        #expect(served("trailing-slash-path-rules", "/aaa/bbb") == "aaa-slash-bbb-slash-prefix")
        #expect(served("trailing-slash-path-rules", "/aaa/bbb/") == "aaa-slash-bbb-slash-prefix")
        #expect(served("trailing-slash-path-rules", "/foo") == "404")
        #expect(served("trailing-slash-path-rules", "/foo/") == "foo-slash-exact")
    }

    /// kubernetes-sigs/ingress-controller-conformance features/host_rules.feature.
    @Test func conformanceHostRules() {
        let ingress = F.ingress(
            "host-rules",
            rules: [
                F.rule("*.foo.com", F.path("/", to: "wildcard-foo-com")),
                F.rule("foo.bar.com", F.path("/", to: "foo-bar-com")),
            ])
        let table = F.table([ingress], backends: ["wildcard-foo-com", "foo-bar-com"])
        #expect(route(table, "foo.bar.com", "/") == .upstream("default_foo-bar-com_80"))
        #expect(route(table, "subdomain.bar.com", "/") == .notFound)
        #expect(route(table, "bar.foo.com", "/") == .upstream("default_wildcard-foo-com_80"))
        #expect(route(table, "baz.bar.foo.com", "/") == .notFound)
        #expect(route(table, "foo.com", "/") == .notFound)
    }

    /// Host first: a request falls to the wildcard's and then the host-less rules only when no path of the more
    /// specific host matches, even when a less specific path would be longer.
    @Test func hostLevelsAreTriedMostSpecificFirst() {
        let ingress = F.ingress(
            "levels",
            rules: [
                F.rule("a.example.com", F.path("/a", to: "exact")),
                F.rule("*.example.com", F.path("/a/b", to: "wild"), F.path("/w", to: "wild")),
                F.rule(nil, F.path("/a/b/c", to: "any"), F.path("/z", to: "any")),
            ])
        let table = F.table([ingress], backends: ["exact", "wild", "any"])
        #expect(route(table, "a.example.com", "/a/b/c/d") == .upstream("default_exact_80"))
        #expect(route(table, "a.example.com", "/w") == .upstream("default_wild_80"))
        #expect(route(table, "a.example.com", "/z") == .upstream("default_any_80"))
        #expect(route(table, "a.example.com", "/q") == .notFound)
        #expect(route(table, "b.example.com", "/a/b/c") == .upstream("default_wild_80"))
        #expect(route(table, "b.example.com", "/z/1") == .upstream("default_any_80"))
        #expect(route(table, "other.org", "/a/b/c") == .upstream("default_any_80"))
        #expect(route(table, "other.org", "/a/b") == .notFound)
        #expect(table.resolve(host: "a.example.com", path: "/z").server == .exact("a.example.com"))
    }

    /// features/default_backend.feature: an Ingress with no rules gets every request.
    @Test func defaultBackendWithoutRules() {
        let ingress = F.ingress("default-backend", defaultBackend: F.backend("echo-service", port: 80))
        let table = F.table([ingress], backends: ["echo-service"])
        for (host, path) in [("my-host", "/"), ("my-host", "/sub-path"), ("", "/resource"), ("some-host", "/resource")]
        {
            #expect(route(table, host, path) == .upstream("default_echo-service_80"))
        }
    }

    @Test func defaultBackendsOfHostsThenOfTheCluster() {
        let owner = F.ingress(
            "owner", created: "2024-01-01T00:00:00Z", rules: [F.rule("a.example.com", F.path("/app", to: "app"))],
            defaultBackend: F.backend("a-default"))
        let catchAll = F.ingress(
            "catch-all", created: "2024-02-01T00:00:00Z", defaultBackend: F.backend("cluster-default"))
        let later = F.ingress("later", created: "2024-03-01T00:00:00Z", defaultBackend: F.backend("ignored"))
        let table = F.table([later, catchAll, owner], backends: ["app", "a-default", "cluster-default", "ignored"])
        #expect(route(table, "a.example.com", "/app/x") == .upstream("default_app_80"))
        #expect(route(table, "a.example.com", "/other") == .upstream("default_a-default_80"))
        #expect(route(table, "b.example.com", "/other") == .upstream("default_cluster-default_80"))
        #expect(table.problems.map(\.reason) == ["DefaultBackendConflict"])
        #expect(table.problems.first?.ingress == "default/later")
    }

    @Test func serviceWithoutReadyEndpointsAnswers503() {
        let ingress = F.ingress("web", rules: [F.rule(nil, F.path("/", to: "web"), F.path("/none", to: "none"))])
        let slice = F.slice(
            "web-1", service: "web", port: (nil, 8080),
            endpoints: [("10.0.0.3", true), ("10.0.0.2", nil), ("10.0.0.9", false)])
        let empty = F.slice("none-1", service: "none", port: (nil, 8080), endpoints: [("10.0.0.7", false)])
        let table = F.table(
            [ingress], services: [F.service("web"), F.service("none")], slices: [slice, empty])
        #expect(table.upstreams["default_web_80"] == ["10.0.0.2:8080", "10.0.0.3:8080"], "ready true or unset, sorted")
        #expect(route(table, "x", "/none") == .unavailable)
        #expect(table.problems.isEmpty, "no endpoints is not a problem in the Ingress")
    }

    @Test func missingServicesAndPortsAnswer503AndAreReported() {
        let ingress = F.ingress(
            "web",
            rules: [
                F.rule(
                    "a.example.com", F.path("/missing", to: "nosuch"), F.path("/port", to: "web", port: 9999),
                    F.path("/named", to: "web", portName: "grpc"))
            ])
        let table = F.table([ingress], backends: ["web"])
        #expect(route(table, "a.example.com", "/missing") == .unavailable)
        #expect(route(table, "a.example.com", "/port") == .unavailable)
        #expect(route(table, "a.example.com", "/named") == .unavailable)
        #expect(
            table.problems.map(\.reason).sorted() == ["ServiceNotFound", "ServicePortNotFound", "ServicePortNotFound"])
        let missing = table.problems.first { $0.reason == "ServiceNotFound" }!
        #expect(missing.message == "spec.rules[0].http.paths[0].backend: service \"nosuch\" not found; answering 503")
        #expect(missing.ingress == "default/web")
    }

    @Test func portsByNameOrNumberThroughTheServiceToTheSlicePortOfTheSameName() {
        let service = F.service("web", ports: [("http", 80), ("admin", 9000)])
        let slice = EndpointSlice(
            metadata: ObjectMeta(name: "web-x", namespace: "default", labels: [EndpointSlice.serviceNameLabel: "web"]),
            addressType: "IPv4",
            endpoints: [Endpoint(addresses: ["10.1.0.1"])],
            ports: [EndpointSlicePort(name: "admin", port: 19000), EndpointSlicePort(name: "http", port: 8080)])
        let ingress = F.ingress(
            "web",
            rules: [F.rule(nil, F.path("/n", to: "web", portName: "http"), F.path("/a", to: "web", port: 9000))])
        let table = F.table([ingress], services: [service], slices: [slice])
        #expect(route(table, "h", "/n") == .upstream("default_web_http"))
        #expect(table.upstreams["default_web_http"] == ["10.1.0.1:8080"])
        #expect(route(table, "h", "/a") == .upstream("default_web_9000"))
        #expect(table.upstreams["default_web_9000"] == ["10.1.0.1:19000"])
    }

    @Test func slicesOfOtherServicesOrNamespacesAreNotMixedIn() {
        let ingress = F.ingress("web", namespace: "team", rules: [F.rule(nil, F.path("/", to: "web"))])
        let table = F.table(
            [ingress], services: [F.service("web", namespace: "team"), F.service("web")],
            slices: [
                F.slice("a", service: "web", namespace: "team", port: (nil, 80), endpoints: [("10.2.0.1", true)]),
                F.slice(
                    "b", service: "web", namespace: "team", port: (nil, 80),
                    endpoints: [("10.2.0.2", true), ("10.2.0.1", true)]),
                F.slice("c", service: "web", port: (nil, 80), endpoints: [("10.9.9.9", true)]),
                F.slice("d", service: "other", namespace: "team", port: (nil, 80), endpoints: [("10.8.8.8", true)]),
            ])
        #expect(table.upstreams["team_web_80"] == ["10.2.0.1:80", "10.2.0.2:80"])
    }

    @Test func unsupportedBackendsAnswer503() {
        var external = F.service("ext")
        external.spec.type = "ExternalName"
        let resource = HTTPIngressPath(
            path: "/r", pathType: "Prefix",
            backend: IngressBackend(
                resource: TypedLocalObjectReference(apiGroup: "k8s.example.com", kind: "StorageBucket", name: "assets"))
        )
        let ingress = F.ingress(
            "web", rules: [IngressRule(http: HTTPIngressRuleValue(paths: [F.path("/e", to: "ext"), resource]))])
        let table = F.table([ingress], services: [external])
        #expect(route(table, "h", "/e") == .unavailable)
        #expect(route(table, "h", "/r") == .unavailable)
        #expect(table.problems.map(\.reason) == ["UnsupportedBackend", "UnsupportedBackend"])
    }

    @Test func tlsHostsGetTheirCertificateAndRedirect() throws {
        let ingress = F.ingress(
            "web",
            rules: [F.rule("a.example.com", F.path("/", to: "web")), F.rule("b.example.com", F.path("/", to: "web"))],
            tls: [IngressTLS(hosts: ["a.example.com"], secretName: "a-tls")])
        let table = F.table([ingress], backends: ["web"], secrets: [F.tlsSecret("a-tls")])
        let a = try #require(table.hosts[.exact("a.example.com")])
        #expect(a.certificate == ServerCertificate(secret: "default/a-tls", path: "/state/certs/default_a-tls.pem"))
        #expect(table.certificates["/state/certs/default_a-tls.pem"] == F.certificatePEM + F.keyPEM)
        #expect(table.hosts[.exact("b.example.com")]?.certificate == nil)
        #expect(route(table, "a.example.com", "/x", https: false) == .redirectToHTTPS)
        #expect(route(table, "a.example.com", "/x", https: true) == .upstream("default_web_80"))
        #expect(route(table, "b.example.com", "/x", https: false) == .upstream("default_web_80"))
        #expect(
            table.resolve(host: "a.example.com", path: "/x", https: false, sslRedirect: false).route
                == .upstream("default_web_80"))
    }

    @Test func sslRedirectCanBeTurnedOffPerIngress() {
        let tls = [IngressTLS(hosts: ["a.example.com"], secretName: "a-tls")]
        let first = F.ingress(
            "first", annotations: [RoutingTableBuilder.sslRedirectAnnotation: "false"],
            rules: [F.rule("a.example.com", F.path("/open", to: "web"))], tls: tls)
        let second = F.ingress(
            "second", created: "2024-05-01T00:00:00Z", rules: [F.rule("a.example.com", F.path("/", to: "web"))])
        let table = F.table([first, second], backends: ["web"], secrets: [F.tlsSecret("a-tls")])
        #expect(route(table, "a.example.com", "/open", https: false) == .upstream("default_web_80"))
        #expect(route(table, "a.example.com", "/closed", https: false) == .redirectToHTTPS)
    }

    @Test func wildcardAndHostlessTLS() {
        let ingress = F.ingress(
            "web",
            rules: [F.rule("a.example.com", F.path("/", to: "web")), F.rule(nil, F.path("/", to: "web"))],
            tls: [IngressTLS(hosts: ["*.example.com"], secretName: "wild"), IngressTLS(secretName: "any")])
        let table = F.table([ingress], backends: ["web"], secrets: [F.tlsSecret("wild"), F.tlsSecret("any")])
        #expect(table.hosts[.exact("a.example.com")]?.certificate?.secret == "default/wild")
        #expect(table.catchAll.certificate?.secret == "default/any")
    }

    @Test func missingOrBadSecretsGiveTheDefaultCertificateAndAreReported() {
        let ingress = F.ingress(
            "web",
            rules: [
                F.rule("a.example.com", F.path("/", to: "web")), F.rule("b.example.com", F.path("/", to: "web")),
                F.rule("c.example.com", F.path("/", to: "web")),
            ],
            tls: [
                IngressTLS(hosts: ["a.example.com"], secretName: "gone"),
                IngressTLS(hosts: ["b.example.com"], secretName: "junk"),
                IngressTLS(hosts: ["c.example.com"], secretName: "mismatch"),
            ])
        var junk = F.tlsSecret("junk")
        junk.data?["tls.crt"] = "bm90IGEgY2VydA=="
        let table = F.table(
            [ingress], backends: ["web"], secrets: [junk, F.tlsSecret("mismatch")],
            certificateErrors: ["default/mismatch": "tls.key does not belong to the certificate in tls.crt"])
        for host in ["a.example.com", "b.example.com", "c.example.com"] {
            #expect(table.hosts[.exact(host)]?.certificate == nil)
            #expect(
                route(table, host, "/", https: false) == .upstream("default_web_80"),
                "no redirect without a certificate")
        }
        #expect(table.certificates.isEmpty)
        #expect(table.problems.map(\.reason).sorted() == ["InvalidSecret", "InvalidSecret", "SecretNotFound"])
        #expect(
            table.problems.contains {
                $0.message.contains("secret \"gone\" not found; host \"a.example.com\" gets the default certificate")
            })
    }

    @Test func olderIngressesWinConflicts() {
        let old = F.ingress(
            "old", created: "2024-01-01T00:00:00Z", rules: [F.rule("a.example.com", F.path("/x", to: "one"))])
        let new = F.ingress(
            "new", created: "2024-06-01T00:00:00Z",
            rules: [
                F.rule(
                    "a.example.com", F.path("/x/", "ImplementationSpecific", to: "two"),
                    F.path("/x", "Exact", to: "two"))
            ])
        let table = F.table([new, old], backends: ["one", "two"])
        #expect(table.served == ["default/old", "default/new"])
        #expect(route(table, "a.example.com", "/x/y") == .upstream("default_one_80"))
        #expect(
            route(table, "a.example.com", "/x") == .upstream("default_two_80"),
            "Exact /x is not the same path as Prefix /x")
        #expect(table.problems.map(\.reason) == ["PathConflict"])
        #expect(table.problems[0].ingress == "default/new")
    }

    @Test func otherClassesAreNotServed() {
        let mine = F.ingress("mine", rules: [F.rule("a.example.com", F.path("/", to: "web"))])
        let theirs = F.ingress("theirs", className: "nginx", rules: [F.rule("b.example.com", F.path("/", to: "web"))])
        let unclassed = F.ingress("unclassed", className: nil, rules: [F.rule("c.example.com", F.path("/", to: "web"))])
        let nginx = IngressClass(
            metadata: ObjectMeta(name: "nginx"), spec: IngressClassSpec(controller: "k8s.io/ingress-nginx"))
        let table = F.table([mine, theirs, unclassed], backends: ["web"], classes: [F.kubusClass, nginx])
        #expect(table.served == ["default/mine", "default/unclassed"])
        #expect(table.hosts[.exact("b.example.com")] == nil)
        var notDefault = F.kubusClass
        notDefault.metadata.annotations = nil
        #expect(
            F.table([mine, theirs, unclassed], backends: ["web"], classes: [notDefault, nginx]).served == [
                "default/mine"
            ])
    }

    @Test func invalidHostsAndPathsAreSkippedAndReported() {
        let ingress = F.ingress(
            "web",
            rules: [
                F.rule("bad_host", F.path("/", to: "web")),
                F.rule("a.example.com", F.path("relative", to: "web"), F.path("/ok", to: "web")),
            ])
        let table = F.table([ingress], backends: ["web"])
        #expect(table.problems.map(\.reason).sorted() == ["InvalidHost", "InvalidPath"])
        #expect(route(table, "a.example.com", "/ok") == .upstream("default_web_80"))
    }
}
