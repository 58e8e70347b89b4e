import Schema
import Testing

@testable import Kubelet

@Suite struct CacheLookupTests {
    /// Regression (issue 9, the kubelet's SIGSEGV): each read of a closure kept directly in a `Mutex` wrapped it in
    /// two more reabstraction thunks, so after some thousands of pod syncs calling it overflowed the stack. A
    /// hundred thousand reads must leave it callable.
    @Test func manyReadsDoNotDeepenTheLookup() {
        let lookup = CacheLookup<Pod>()
        #expect(lookup.get(key: "default/web") == nil)
        lookup.set { namespace, name in
            name == "web" ? Pod(metadata: ObjectMeta(name: name, namespace: namespace)) : nil
        }
        for _ in 0..<100_000 { _ = lookup.get(namespace: "default", name: "other") }
        #expect(lookup.get(key: "default/web")?.metadata.name == "web")
        #expect(lookup.get(key: "no-slash") == nil)
        #expect(lookup.list(namespace: "default").isEmpty)
    }
}
