import Schema
import Testing

@testable import Store

struct KeyBucketTests {
    @Test func bucketOfKey() {
        #expect(KeyBucket.of("/registry/Pod/default/web") == "Pod")
        #expect(KeyBucket.of("/registry/Node/n1") == "Node")
        #expect(KeyBucket.of("/leases/x") == "leases")
        #expect(KeyBucket.of("/leases") == "leases")
        #expect(KeyBucket.of("plain/key") == "plain")
    }

    @Test func bucketOfPrefix() {
        #expect(KeyBucket.ofPrefix("/registry/Pod/") == "Pod")
        #expect(KeyBucket.ofPrefix("/registry/Pod/default/") == "Pod")
        #expect(KeyBucket.ofPrefix("/registry/Pod") == nil)
        #expect(KeyBucket.ofPrefix("/registry/") == nil)
        #expect(KeyBucket.ofPrefix("") == nil)
        #expect(KeyBucket.ofPrefix("/leases/") == "leases")
    }

    @Test func prefixUpperBound() {
        #expect(KeyOrder.upperBound(ofPrefix: "/a/") == "/a0")
        #expect(KeyOrder.upperBound(ofPrefix: "") == nil)
        #expect(KeyOrder.upperBound(ofPrefix: "a\u{10FFFF}") == "b")
        #expect(KeyOrder.less("/a/b", "/a0"))
    }
}
