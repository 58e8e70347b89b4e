import Ingress
import Testing

@Suite struct IngressPathMatchTests {
    func match(_ path: String, _ type: String) throws -> IngressPathMatch {
        try IngressPathMatch.make(path: path, pathType: type).get()
    }

    /// Does any of `paths` (all of `type`) match `request`, and which one wins?
    func winner(_ paths: [String], _ type: String, _ request: String) throws -> String? {
        let matches = try paths.map { try match($0, type) }.sorted()
        return matches.first { $0.matches(request) }?.path
    }

    /// The examples table of kubernetes/website concepts/services-networking/ingress.md, row by row.
    @Test func kubernetesExamplesTable() throws {
        #expect(try winner(["/"], "Prefix", "/anything/at/all") == "/")
        #expect(try winner(["/foo"], "Exact", "/foo") == "/foo")
        #expect(try winner(["/foo"], "Exact", "/bar") == nil)
        #expect(try winner(["/foo"], "Exact", "/foo/") == nil)
        #expect(try winner(["/foo/"], "Exact", "/foo") == nil)
        #expect(try winner(["/foo"], "Prefix", "/foo") != nil)
        #expect(try winner(["/foo"], "Prefix", "/foo/") != nil)
        #expect(try winner(["/foo/"], "Prefix", "/foo") != nil)
        #expect(try winner(["/foo/"], "Prefix", "/foo/") != nil)
        #expect(try winner(["/aaa/bb"], "Prefix", "/aaa/bbb") == nil)
        #expect(try winner(["/aaa/bbb"], "Prefix", "/aaa/bbb") != nil)
        #expect(try winner(["/aaa/bbb/"], "Prefix", "/aaa/bbb") != nil, "ignores the trailing slash")
        #expect(try winner(["/aaa/bbb"], "Prefix", "/aaa/bbb/") != nil, "matches the trailing slash")
        #expect(try winner(["/aaa/bbb"], "Prefix", "/aaa/bbb/ccc") != nil, "matches the subpath")
        #expect(try winner(["/aaa/bbb"], "Prefix", "/aaa/bbbxyz") == nil, "not a string prefix")
        #expect(try winner(["/", "/aaa"], "Prefix", "/aaa/ccc") == "/aaa")
        #expect(try winner(["/", "/aaa", "/aaa/bbb"], "Prefix", "/aaa/bbb") == "/aaa/bbb")
        #expect(try winner(["/", "/aaa", "/aaa/bbb"], "Prefix", "/ccc") == "/")
        #expect(try winner(["/aaa"], "Prefix", "/ccc") == nil, "uses the default backend")
        // Mixed: /foo (Prefix) and /foo (Exact) for /foo prefers Exact.
        let mixed = [try match("/foo", "Prefix"), try match("/foo", "Exact")].sorted()
        #expect(mixed.first { $0.matches("/foo") }?.exact == true)
        #expect(mixed.first { $0.matches("/foo/x") }?.exact == false)
    }

    @Test func matchingIsCaseSensitive() throws {
        #expect(!(try match("/foo", "Exact")).matches("/FOO"))
        #expect(!(try match("/foo", "Prefix")).matches("/FOO"))
    }

    @Test func implementationSpecificIsPrefixAndMayBeEmpty() throws {
        let m = try match("/foo/", "ImplementationSpecific")
        #expect(m == IngressPathMatch(path: "/foo", exact: false))
        #expect(m.matches("/foo/bar") && !m.matches("/foobar"))
        #expect(
            try IngressPathMatch.make(path: nil, pathType: "ImplementationSpecific").get()
                == IngressPathMatch(path: "/", exact: false))
    }

    @Test func longerPathsWinThenExact() throws {
        let sorted = [
            try match("/a", "Prefix"), try match("/a/b", "Prefix"), try match("/a/b", "Exact"),
            try match("/", "Prefix"),
        ].sorted()
        #expect(sorted.map(\.description) == ["Exact /a/b", "Prefix /a/b", "Prefix /a", "Prefix /"])
    }

    @Test func refusesWhatKubernetesRefuses() {
        for (path, type) in [
            ("foo", "Prefix"), ("/a//b", "Prefix"), ("/a/./b", "Exact"), ("/a/../b", "Prefix"), ("/a%2fb", "Prefix"),
            ("/a/..", "Prefix"), ("/a/.", "Exact"), ("/a\nb", "Prefix"), ("/a", "Regex"),
        ] {
            #expect(throws: IngressPathMatch.PathError.self, "\(path) \(type)") {
                try IngressPathMatch.make(path: path, pathType: type).get()
            }
        }
        #expect(throws: IngressPathMatch.PathError.self) { try IngressPathMatch.make(path: "/a", pathType: nil).get() }
    }

    @Test func hostPatterns() {
        #expect(HostPattern.make(nil) == .any)
        #expect(HostPattern.make("") == .any)
        #expect(HostPattern.make("Foo.Bar.com") == .exact("foo.bar.com"))
        #expect(HostPattern.make("*.foo.com") == .wildcard("foo.com"))
        #expect(HostPattern.make("*") == nil)
        #expect(HostPattern.make("a.*.com") == nil)
        #expect(HostPattern.make("bad host") == nil)
        #expect(HostPattern.make("1.2.3.4") == .exact("1.2.3.4"))
    }

    /// The hostname-wildcards table: `*.foo.com` matches `bar.foo.com` only, not `baz.bar.foo.com` nor `foo.com`.
    @Test func wildcardsCoverExactlyOneLabel() {
        let wildcard = HostPattern.wildcard("foo.com")
        #expect(wildcard.matches("bar.foo.com"))
        #expect(!wildcard.matches("baz.bar.foo.com"))
        #expect(!wildcard.matches("foo.com"))
        #expect(!wildcard.matches(".foo.com"))
        #expect(HostPattern.exact("foo.bar.com").matches("foo.bar.com"))
        #expect(!HostPattern.exact("foo.bar.com").matches("bar.com"))
        #expect(HostPattern.any.matches("anything"))
        #expect(HostPattern.wildcard(covering: "a.b.com") == .wildcard("b.com"))
        #expect(HostPattern.wildcard(covering: "localhost") == nil)
    }
}
