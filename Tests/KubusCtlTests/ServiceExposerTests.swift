import Foundation
import Schema
import Testing

@testable import KubusCtl

/// `expose` generates the Service kubectl 1.31 generates, and fails with its messages.
@Suite struct ServiceExposerTests {
    func expose(
        _ object: JSONValue, _ info: KindInfo, namespace: String? = nil,
        _ configure: (inout ServiceExposer.Options) -> Void = { _ in }
    ) throws(CtlError) -> JSONValue {
        var options = ServiceExposer.Options()
        configure(&options)
        return try ServiceExposer(options: options).service(exposing: object, info: info, namespace: namespace)
    }

    func deployment(ports: JSONValue, selector: JSONValue = ["matchLabels": ["app": "web"]]) -> JSONValue {
        [
            "kind": "Deployment", "metadata": ["name": "web", "labels": ["app": "web"]],
            "spec": ["selector": selector, "template": ["spec": ["containers": [["name": "a", "ports": ports]]]]],
        ]
    }

    @Test func aDeploymentWithPortFlagsAsKubectlPrintsIt() throws {
        let service = try expose(deployment(ports: [["containerPort": 8080]]), .deployment, namespace: "demo") {
            $0.port = "80"
            $0.targetPort = "8080"
        }
        #expect(
            Manifest.yaml(from: service) == """
                apiVersion: v1
                kind: Service
                metadata:
                  creationTimestamp: null
                  labels:
                    app: web
                  name: web
                  namespace: demo
                spec:
                  ports:
                  - port: 80
                    protocol: TCP
                    targetPort: 8080
                  selector:
                    app: web
                status:
                  loadBalancer: {}

                """)
    }

    @Test func portsComeFromTheContainersWhenNotGiven() throws {
        let one = try expose(deployment(ports: [["containerPort": 8080, "name": "http"]]), .deployment)
        #expect(one[path: ["spec", "ports"]] == [["port": 8080, "protocol": "TCP", "targetPort": 8080]])
        // Several ports: named port-N; a port with two protocols gives one entry per protocol.
        let several = try expose(
            deployment(ports: [
                ["containerPort": 53, "protocol": "UDP"], ["containerPort": 53, "protocol": "TCP"],
                ["containerPort": 9090],
            ]), .deployment
        ) { $0.targetPort = "http" }
        #expect(
            several[path: ["spec", "ports"]] == [
                ["name": "port-1-udp", "port": 53, "protocol": "UDP", "targetPort": "http"],
                ["name": "port-1-tcp", "port": 53, "protocol": "TCP", "targetPort": "http"],
                ["name": "port-2", "port": 9090, "protocol": "TCP", "targetPort": "http"],
            ])
        // --protocol replaces what the object says.
        let udp = try expose(deployment(ports: [["containerPort": 53, "protocol": "TCP"]]), .deployment) {
            $0.protocolName = "UDP"
        }
        #expect(udp[path: ["spec", "ports"]]?.arrayValue?.first?["protocol"] == "UDP")
    }

    @Test func podsServicesAndFlags() throws {
        let pod: JSONValue = [
            "kind": "Pod", "metadata": ["name": "valid-pod", "labels": ["name": "valid-pod"]],
            "spec": ["containers": [["name": "a", "ports": [["containerPort": 9376]]]]],
        ]
        let frontend = try expose(pod, .pod) {
            $0.port = "444"
            $0.name = "frontend"
            $0.type = "LoadBalancer"
            $0.loadBalancerIP = "127.0.0.9"
            $0.externalIP = "192.0.2.1"
            $0.sessionAffinity = "ClientIP"
            $0.labels = "tier=front"
        }
        #expect(frontend["metadata"]?["name"] == "frontend")
        #expect(frontend["metadata"]?["labels"] == ["tier": "front"])
        #expect(
            frontend["spec"] == [
                "ports": [["port": 444, "protocol": "TCP", "targetPort": 444]], "selector": ["name": "valid-pod"],
                "type": "LoadBalancer", "loadBalancerIP": "127.0.0.9", "externalIPs": ["192.0.2.1"],
                "sessionAffinity": "ClientIP",
            ])
        let service: JSONValue = [
            "kind": "Service", "metadata": ["name": "nginx"],
            "spec": ["selector": ["app": "nginx"], "ports": [["port": 80, "protocol": "TCP"]]],
        ]
        let https = try expose(service, .service) {
            $0.port = "443"
            $0.targetPort = "8443"
            $0.name = "nginx-https"
        }
        #expect(https[path: ["spec", "ports"]] == [["port": 443, "protocol": "TCP", "targetPort": 8443]])
        #expect(https[path: ["spec", "selector"]] == ["app": "nginx"])
        #expect(https["metadata"]?["labels"] == nil)
        let headless = try expose(["kind": "Pod", "metadata": ["name": "p", "labels": ["a": "b"]]], .pod) {
            $0.clusterIP = "None"
        }
        #expect(headless["spec"] == ["selector": ["a": "b"], "clusterIP": "None"])
        let selected = try expose(pod, .pod) {
            $0.port = "80"
            $0.selector = "app=web,tier=front"
        }
        #expect(selected[path: ["spec", "selector"]] == ["app": "web", "tier": "front"])
    }

    @Test func kubectlsErrors() {
        let bare: JSONValue = ["kind": "Pod", "metadata": ["name": "p"]]
        #expect(
            throws: CtlError(
                "couldn't retrieve selectors via --selector flag or introspection: "
                    + "the pod has no labels and cannot be exposed")
        ) {
            try expose(bare, .pod)
        }
        let labelled: JSONValue = ["kind": "Pod", "metadata": ["name": "p", "labels": ["a": "b"]]]
        #expect(throws: CtlError("couldn't find port via --port flag or introspection")) { try expose(labelled, .pod) }
        #expect(throws: CtlError("strconv.Atoi: parsing \"http\": invalid syntax")) {
            try expose(labelled, .pod) { $0.port = "http" }
        }
        #expect(throws: CtlError("unexpected label spec: app")) {
            try expose(labelled, .pod) {
                $0.port = "80"
                $0.selector = "app"
            }
        }
        #expect(throws: CtlError("unknown session affinity: Sticky")) {
            try expose(labelled, .pod) {
                $0.port = "80"
                $0.sessionAffinity = "Sticky"
            }
        }
        let expressions = deployment(
            ports: [["containerPort": 80]],
            selector: [
                "matchLabels": ["app": "web"],
                "matchExpressions": [["key": "tier", "operator": "In", "values": ["a", "b"]]],
            ])
        #expect(
            throws: CtlError(
                "couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "
                    + "\"[{Key:tier Operator:In Values:[a b]}]\" to map-based selector format")
        ) {
            try expose(expressions, .deployment)
        }
        let noSelector = deployment(ports: [["containerPort": 80]], selector: [:])
        #expect(
            throws: CtlError(
                "couldn't retrieve selectors via --selector flag or introspection: invalid deployment: no selectors, "
                    + "therefore cannot be exposed")
        ) {
            try expose(noSelector, .deployment)
        }
        let noServiceSelector: JSONValue = [
            "kind": "Service", "metadata": ["name": "s"], "spec": ["ports": [["port": 80]]],
        ]
        #expect(
            throws: CtlError(
                "couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set")
        ) {
            try expose(noServiceSelector, .service)
        }
        #expect(throws: CtlError("cannot expose a StatefulSet.apps")) {
            try expose(["kind": "StatefulSet"], .statefulSet)
        }
        #expect(throws: CtlError("cannot expose a ConfigMap")) { try expose(["kind": "ConfigMap"], .configMap) }
    }
}
