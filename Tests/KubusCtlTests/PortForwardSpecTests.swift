import Bus
import Foundation
import NIOCore
import Schema
import Testing

@testable import KubusCtl

/// The ports and addresses of `port-forward`, resolved as kubectl does before it listens.
@Suite struct PortForwardSpecTests {
    let pod: JSONValue = [
        "kind": "Pod", "metadata": ["name": "web-0"],
        "spec": [
            "containers": [
                ["name": "a", "ports": [["name": "http", "containerPort": 8080]]],
                ["name": "b", "ports": [["name": "metrics", "containerPort": 9090]]],
            ]
        ],
    ]

    @Test func portsParseAsClientGoDoes() throws {
        #expect(
            try PortForwardSpec.parse(["8080", "5000:80", ":443", "0:22"]) == [
                .init(local: 8080, remote: 8080), .init(local: 5000, remote: 80), .init(local: 0, remote: 443),
                .init(local: 0, remote: 22),
            ])
        #expect(throws: CtlError("invalid port format '1:2:3'")) { try PortForwardSpec.parse(["1:2:3"]) }
        #expect(throws: CtlError("error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax")) {
            try PortForwardSpec.parse(["x:80"])
        }
        #expect(
            throws: CtlError(
                "error parsing remote port '70000': strconv.ParseUint: parsing \"70000\": value out of range")
        ) {
            try PortForwardSpec.parse(["8080:70000"])
        }
        #expect(throws: CtlError("remote port must be > 0")) { try PortForwardSpec.parse(["8080:0"]) }
    }

    @Test func namedPodPortsBecomeContainerPorts() throws {
        #expect(
            try PortForwardSpec.translatePodPorts(["http", "7000:metrics", "5000:80", "80"], pod: pod)
                == ["8080", "7000:9090", "5000:80", "80"])
        #expect(throws: CtlError("Pod 'web-0' does not have a named port 'grpc'")) {
            try PortForwardSpec.translatePodPorts(["grpc"], pod: pod)
        }
    }

    @Test func servicePortsBecomeTargetPorts() throws {
        let service: JSONValue = [
            "kind": "Service", "metadata": ["name": "web"],
            "spec": [
                "clusterIP": "10.96.0.5",
                "ports": [
                    ["name": "web", "port": 80, "targetPort": "http"],
                    ["name": "metrics", "port": 9000, "targetPort": 9090],
                    ["name": "same", "port": 7000],
                ],
            ],
        ]
        // The local port stays the Service port unless given; a named Service port is its number.
        #expect(
            try PortForwardSpec.translateServicePorts(
                ["80", "8888:80", "web", ":9000", "metrics", "7000"], service: service, pod: pod)
                == ["80:8080", "8888:8080", "80:8080", ":9090", "9000:9090", "7000"])
        #expect(throws: CtlError("Service 'web' does not have a named port 'grpc'")) {
            try PortForwardSpec.translateServicePorts(["grpc"], service: service, pod: pod)
        }
        #expect(throws: CtlError("Service web does not have a service port 81")) {
            try PortForwardSpec.translateServicePorts(["81"], service: service, pod: pod)
        }
        var headless = service
        headless[path: ["spec", "clusterIP"]] = "None"
        #expect(try PortForwardSpec.translateServicePorts(["80"], service: headless, pod: pod) == ["80"])
    }

    @Test func addressesListenOnLoopbackUnlessTold() throws {
        #expect(try PortForwardSpec.addresses(["127.0.0.1"]) == [.init(host: "127.0.0.1", optional: false)])
        #expect(
            try PortForwardSpec.addresses(["localhost"]) == [
                .init(host: "127.0.0.1", optional: true), .init(host: "::1", optional: true),
            ])
        #expect(
            try PortForwardSpec.addresses(["localhost,10.0.0.5", "::1"]).map(\.host) == [
                "127.0.0.1", "::1", "10.0.0.5",
            ])
        #expect(throws: CtlError("example.com is not a valid IP")) { try PortForwardSpec.addresses(["example.com"]) }
        #expect(PortForwardSpec.join("::1", 8080) == "[::1]:8080")
        #expect(PortForwardSpec.join("127.0.0.1", 8080) == "127.0.0.1:8080")
    }
}

/// The local side of `port-forward`: kubectl's lines when it listens, and its errors when it cannot.
@Suite struct PortForwarderBindTests {
    func forwarder() throws -> PortForwarder {
        let bus = try BusClient(endpoints: try BusEndpoints(base: "ipc:///tmp/kubus-unused-port-forward"))
        return PortForwarder(
            call: KubeletCall(bus: bus, node: "n", timeout: .seconds(1)), namespace: "default", pod: "web")
    }

    @Test func anyFreePortAndABusyOne() async throws {
        let forwarder = try forwarder()
        defer { forwarder.call.bus.close() }
        let bound = try await forwarder.bind(
            [.init(local: 0, remote: 80)], addresses: [.init(host: "127.0.0.1", optional: false)])
        #expect(bound.count == 1)
        let port = bound[0].port.local
        #expect(port > 0)
        #expect(bound[0].listener.channel.localAddress?.port == port)
        // The same port again: nothing can listen, as kubectl reports it.
        await #expect(throws: CtlError("unable to listen on any of the requested ports: [{\(port) 80}]")) {
            _ = try await forwarder.bind(
                [.init(local: port, remote: 80)], addresses: [.init(host: "127.0.0.1", optional: false)])
        }
        try await bound[0].listener.channel.close()
    }
}
