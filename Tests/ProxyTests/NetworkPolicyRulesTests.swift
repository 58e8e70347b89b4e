import Foundation
import Schema
import Testing

@testable import Proxy

@Suite struct NetworkPolicyRulesTests {
    func pod(
        _ name: String, _ ip: String, namespace: String = "default", labels: [String: String],
        port: (String, Int)? = nil
    ) -> Pod {
        var pod = Pod(metadata: ObjectMeta(name: name, namespace: namespace, labels: labels))
        pod.status.podIP = ip
        pod.status.phase = "Running"
        var container = Container(name: "c", image: "busybox")
        if let (portName, number) = port { container.ports = [ContainerPort(name: portName, containerPort: number)] }
        pod.spec.containers = [container]
        return pod
    }

    var pods: [Pod] {
        [
            pod("db", "10.244.1.2", labels: ["role": "db"], port: ("pg", 5432)),
            pod("front", "10.244.1.3", labels: ["role": "frontend"]),
            pod("other", "10.244.1.4", labels: ["role": "other"]),
            pod("far", "10.244.1.5", namespace: "team-b", labels: ["role": "frontend"]),
        ]
    }
    var namespaces: [Namespace] {
        [
            Namespace(metadata: ObjectMeta(name: "default", labels: ["kubernetes.io/metadata.name": "default"])),
            Namespace(
                metadata: ObjectMeta(name: "team-b", labels: ["kubernetes.io/metadata.name": "team-b", "team": "b"])),
        ]
    }

    func policy(_ yaml: String) throws -> NetworkPolicy {
        var policy = try Manifest.parse(yaml: yaml, source: "p.yaml")[0].decode(as: NetworkPolicy.self)
        policy.applyDefaults()
        return policy
    }

    @Test func selectedPodsAreIsolatedAndRulesAllowPeersAndPorts() throws {
        let allow = try policy(
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-access, namespace: default}
            spec:
              podSelector: {matchLabels: {role: db}}
              ingress:
              - from:
                - podSelector: {matchLabels: {role: frontend}}
                - namespaceSelector: {matchLabels: {team: b}}
                - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
                ports: [{port: pg}]
            """)
        let denyEgress = try policy(
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: other-quiet, namespace: default}
            spec:
              podSelector: {matchLabels: {role: other}}
              policyTypes: [Egress]
            """)
        let model = NetworkPolicyModel.build(policies: [allow, denyEgress], pods: pods, namespaces: namespaces)
        #expect(model.ingress.map(\.pod) == ["default/db"])
        #expect(model.egress.map(\.pod) == ["default/other"])
        #expect(model.egress[0].rules.isEmpty)
        let rule = try #require(model.ingress.first?.rules.first)
        #expect(
            rule.peers == [
                .pods([IPv4("10.244.1.3")!]), .pods([IPv4("10.244.1.5")!]),
                .block(CIDR("172.17.0.0/16")!, except: [CIDR("172.17.1.0/24")!]),
            ])
        #expect(rule.ports == [NetworkPolicyModel.Port(proto: "tcp", range: 5432...5432)])

        let (script, _) = NetworkPolicyRules.script(model)
        #expect(script.contains("ip saddr { 10.244.1.3 } tcp dport 5432 return"))
        #expect(script.contains("ip saddr 172.17.0.0/16 ip saddr != { 172.17.1.0/24 } tcp dport 5432 return"))
        #expect(
            script.contains(
                "add element ip kubus-netpol ingress-isolated { 10.244.1.2 comment \"default/db\" : jump ingress-"))
        #expect(
            script.contains(
                "add element ip kubus-netpol egress-isolated { 10.244.1.4 comment \"default/other\" : jump egress-"))
        // nft accepts it (checked, not applied), where nft and the rights to ask it are present.
        if getuid() == 0, let nft = HostProgram.locate("nft") {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: nft)
            check.arguments = ["-c", "-f", "-"]
            let input = Pipe()
            let output = Pipe()
            check.standardInput = input
            check.standardOutput = output
            check.standardError = output
            try check.run()
            input.fileHandleForWriting.write(Data(script.utf8))
            try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "nft -c: \(text)")
        }
    }

    @Test func peersThatMatchNothingAllowNothingAndEndPortsAreRanges() throws {
        let model = NetworkPolicyModel.build(
            policies: [
                try policy(
                    """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: p, namespace: default}
                    spec:
                      podSelector: {}
                      ingress:
                      - from: [{podSelector: {matchLabels: {role: nobody}}}]
                      - ports: [{protocol: UDP, port: 32000, endPort: 32768}]
                    """)
            ], pods: pods, namespaces: namespaces)
        #expect(model.ingress.count == 3)
        let (script, _) = NetworkPolicyRules.script(model)
        #expect(!script.contains("role"))
        #expect(script.contains("udp dport 32000-32768 return"))
        #expect(!script.contains("ip saddr {  }"))
    }
}
