import Schema
import Testing

@testable import KubusCtl

@Suite struct ExplainTests {
    @Test func shapesComeFromTheSchemaTypes() throws {
        let pod = SchemaShape.of(Pod.self)
        #expect(pod.typeName == "Pod")
        #expect(pod.fields?.map(\.name) == ["apiVersion", "kind", "metadata", "spec", "status"])
        let spec = try #require(pod.fields?.first { $0.name == "spec" }?.shape)
        let containers = try #require(spec.fields?.first { $0.name == "containers" }?.shape)
        #expect(containers.typeName == "[]Container")
        let container = try #require(containers.fields)
        #expect(container.first { $0.name == "ports" }?.shape.typeName == "[]ContainerPort")
        #expect(container.first { $0.name == "stdin" }?.shape.typeName == "boolean")
        let resources = try #require(container.first { $0.name == "resources" }?.shape.fields)
        #expect(resources.first { $0.name == "limits" }?.shape.typeName == "map[string]Quantity")
        #expect(
            SchemaShape.of(ConfigMap.self).fields?.first { $0.name == "data" }?.shape.typeName == "map[string]string")
        let labels = SchemaShape.of(ObjectMeta.self).fields?.first { $0.name == "labels" }
        #expect(labels?.shape.typeName == "map[string]string")
    }

    @Test func everyKindHasAShape() {
        for info in KindRegistry.all {
            let shaped = KindRegistry.codec(for: info) as? any SchemaShaped
            #expect(shaped?.shape.fields?.contains { $0.name == "metadata" } == true, "\(info.kind)")
        }
    }

    @Test func explainsKindsAndFieldPaths() throws {
        let pods = try ExplainCommand.text(for: "pods", recursive: false)
        #expect(pods.hasPrefix("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n"))
        #expect(pods.contains("\nFIELDS:\n  apiVersion\t<string>\n    APIVersion defines"))
        #expect(pods.contains("  spec\t<PodSpec>\n"))
        let containers = try ExplainCommand.text(for: "deploy.spec.template.spec.containers", recursive: false)
        #expect(
            containers.hasPrefix(
                "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: containers <[]Container>\n"))
        #expect(containers.contains("  image\t<string>\n"))
        let port = try ExplainCommand.text(for: "svc.spec.ports.targetPort", recursive: false)
        #expect(port.contains("FIELD: targetPort <IntOrString>"))
        let tree = try ExplainCommand.text(for: "pod.spec.containers.resources", recursive: true)
        #expect(tree.hasSuffix("FIELDS:\n  limits\t<map[string]Quantity>\n  requests\t<map[string]Quantity>\n"))
        #expect(throws: CtlError("field \"spec.nope\" does not exist")) {
            try ExplainCommand.text(for: "pod.spec.nope", recursive: false)
        }
        #expect(throws: CtlError("the server doesn't have a resource type \"widgets\"")) {
            try ExplainCommand.text(for: "widgets", recursive: false)
        }
    }
}

@Suite struct ClusterInfoTests {
    @Test func listsTheBusServicesLeadersAndNodes() {
        let now = AgeFormatter.parse("2024-01-01T00:01:00Z")!
        let text = ClusterInfoCommand.render(
            bus: "tcp://127.0.0.1:7700",
            services: [
                "api": ["workers": 2, "queued": 0, "inFlight": 1], "store": ["workers": 1, "queued": 0, "inFlight": 0],
            ],
            leases: [
                [
                    "metadata": ["name": "kube-scheduler"],
                    "spec": ["holderIdentity": "host_1", "renewTime": "2024-01-01T00:00:58.000000Z"],
                ],
                ["metadata": ["name": "kubus-job"], "spec": [:]],
            ],
            nodes: [["status": ["conditions": [["type": "Ready", "status": "True"]]]], ["status": [:]]],
            now: now)
        #expect(
            text == """
                Kubus control plane is running at tcp://127.0.0.1:7700
                api is running on the bus: 2 instances (0 queued, 1 in flight)
                store is running on the bus: 1 instance
                kube-scheduler is led by host_1 (renewed 2s ago)
                kubus-job has no leader
                Nodes: 2 (1 Ready)

                To further debug and diagnose cluster problems, use 'kubus-up status' and 'kubus-tap'.

                """)
        let down = ClusterInfoCommand.render(bus: "tcp://x:1", services: [:], leases: [], nodes: nil)
        #expect(down.contains("api is not running on the bus"))
    }
}
