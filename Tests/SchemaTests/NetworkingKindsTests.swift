import Testing

@testable import Schema

@Suite struct NetworkingKindsTests {
    func decode<T: KubeObject>(_ yaml: String, as type: T.Type) throws -> T {
        var object = try Manifest.parse(yaml: yaml, source: "test.yaml")[0].decode(as: T.self)
        object.applyDefaults()
        return object
    }

    @Test func networkPolicyDefaultsAndValidation() throws {
        let policy = try decode(
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: test-network-policy, namespace: default}
            spec:
              podSelector: {matchLabels: {role: db}}
              ingress:
              - from:
                - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
                - namespaceSelector: {matchLabels: {project: myproject}}
                ports: [{port: 6379}]
              egress:
              - to: [{ipBlock: {cidr: 10.0.0.0/24}}]
                ports: [{protocol: TCP, port: 32000, endPort: 32768}]
            """, as: NetworkPolicy.self)
        #expect(policy.spec.policyTypes == ["Ingress", "Egress"])
        #expect(policy.spec.ingress?[0].ports?[0].protocol == "TCP")
        #expect(policy.validate().isEmpty)

        var bad = policy
        bad.spec.ingress?[0].from?[0].ipBlock?.except = ["10.0.0.0/8"]
        bad.spec.egress?[0].ports?[0].endPort = 100
        bad.spec.policyTypes = ["Ingress", "Sideways"]
        #expect(
            bad.validate().map(\.description) == [
                #"spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Egress", "Ingress""#,
                #"spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`"#,
                "spec.egress[0].ports[0].endPort: Invalid value: 100: must be greater than or equal to `port`",
            ])
    }

    @Test func endpointSliceAndIngressClass() throws {
        let slice = try decode(
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: example-abc, namespace: default, labels: {kubernetes.io/service-name: example}}
            addressType: IPv4
            ports: [{name: http, port: 80}]
            endpoints:
            - addresses: ["10.1.2.3"]
              conditions: {ready: true}
              nodeName: node-1
            """, as: EndpointSlice.self)
        #expect(slice.ports?[0].protocol == "TCP")
        #expect(slice.validate().isEmpty)
        var changed = slice
        changed.addressType = "IPv6"
        #expect(
            changed.validate(old: slice).map(\.description) == [
                #"addressType: Invalid value: "IPv6": field is immutable"#
            ])

        let ingressClass = try decode(
            """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: nginx}
            spec: {}
            """, as: IngressClass.self)
        #expect(ingressClass.validate().map(\.description) == ["spec.controller: Required value"])
        #expect(KindRegistry.lookup("netpol") == .networkPolicy)
        #expect(KindRegistry.lookup("endpointslices.discovery.k8s.io") == .endpointSlice)
    }
}
