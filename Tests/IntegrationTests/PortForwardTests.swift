import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kubusctl port-forward` and `expose` against real processes: a kubelet runs a busybox httpd pod; the forward
/// carries real curl requests (one after the other, and a body over 1 MB) through the bus and the kubelet into
/// the pod's network namespace; SIGINT stops it and frees the port. `expose` turns a Deployment into the Service
/// kubectl would make.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PortForwardTests {
    /// `seq 1 200000`: 1,288,895 bytes the pod serves and the test knows.
    static let bigBody = (1...200_000).map(String.init).joined(separator: "\n") + "\n"

    static func webPod() -> Pod {
        var web = KubeletIntegrationTests.sh(
            "web",
            "mkdir -p /tmp/www && echo hello-through-the-bus > /tmp/www/index.html && seq 1 200000 > /tmp/www/big.txt "
                + "&& exec httpd -f -p 8080 -h /tmp/www")
        web.ports = [ContainerPort(name: "http", containerPort: 8080)]
        web.readinessProbe = Probe(httpGet: HTTPGetAction(path: "/index.html", port: .int(8080)), periodSeconds: 1)
        var pod = KubeletIntegrationTests.pod("web", node: "node-a", containers: [web])
        pod.metadata.labels = ["app": "web"]
        return pod
    }

    /// curl from the host: the body, or nil when curl failed.
    static func curl(_ url: String) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-f", "-m", "10", url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }

    /// A port of 127.0.0.1 that is free now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something listens on 127.0.0.1:`port`.
    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Starts `kubusctl port-forward ARGS` as `name` and waits for its `Forwarding from` line; returns the process
    /// and the local port it listens on.
    static func startForward(_ cluster: TestCluster, name: String, _ args: [String]) async throws -> (Process, Int) {
        let process = try cluster.startProgram(
            name, executable: "\(cluster.bin)/kubusctl", args: ["--bus", cluster.endpoints.base, "port-forward"] + args)
        var port: Int?
        try await KubeletIntegrationTests.waitFor("\(name): Forwarding from", within: .seconds(20)) {
            let log = cluster.log(name)
            if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("Forwarding from 127.0.0.1:") }) {
                port = Int(line.dropFirst("Forwarding from 127.0.0.1:".count).prefix { $0.isNumber })
                return true
            }
            guard process.isRunning else { throw TestCluster.ClusterError("\(name) exited:\n\(log)") }
            return false
        }
        return (process, try #require(port))
    }

    @Test func portForwardCarriesCurlThroughTheKubelet() async throws {
        try await KubeletIntegrationTests.withKubelets { cluster, client in
            _ = try await client.create(Self.webPod())
            try await KubeletIntegrationTests.waitFor("pod web Ready") {
                await KubeletIntegrationTests.get(client, "web")?.status.conditions?.contains {
                    $0.type == "Ready" && $0.status == "True"
                } == true
            }
            let local = Self.freePort()
            let (forward, port) = try await Self.startForward(cluster, name: "pf-pod", ["pod/web", "\(local):8080"])
            #expect(port == local)
            #expect(cluster.log("pf-pod").hasPrefix("Forwarding from 127.0.0.1:\(local) -> 8080\n"))
            // Two connections, one after the other, then a body over 1 MB.
            for _ in 0..<2 {
                let page = Self.curl("http://127.0.0.1:\(local)/index.html")
                #expect(page.map { String(decoding: $0, as: UTF8.self) } == "hello-through-the-bus\n")
            }
            let big = try #require(Self.curl("http://127.0.0.1:\(local)/big.txt"))
            #expect(big.count == Self.bigBody.utf8.count)
            #expect(big == Data(Self.bigBody.utf8))
            #expect(cluster.log("pf-pod").components(separatedBy: "Handling connection for \(local)\n").count == 4)
            // Only loopback: nothing listens on the node's other addresses.
            cluster.stop("pf-pod", signal: SIGINT)
            #expect(forward.terminationStatus == 0, "\(cluster.log("pf-pod"))")
            #expect(!Self.listening(local))

            // A Service's port, forwarded to its target port (named) on a running pod it selects; any local port.
            var service = Service(metadata: ObjectMeta(name: "web", namespace: "default"))
            service.spec.selector = ["app": "web"]
            service.spec.ports = [ServicePort(name: "web", protocol: "TCP", port: 80, targetPort: .string("http"))]
            _ = try await client.create(service)
            let (viaService, servicePort) = try await Self.startForward(cluster, name: "pf-svc", ["svc/web", ":80"])
            #expect(cluster.log("pf-svc").hasPrefix("Forwarding from 127.0.0.1:\(servicePort) -> 8080\n"))
            let page = Self.curl("http://127.0.0.1:\(servicePort)/index.html")
            #expect(page.map { String(decoding: $0, as: UTF8.self) } == "hello-through-the-bus\n")
            cluster.stop("pf-svc", signal: SIGINT)
            #expect(viaService.terminationStatus == 0)
            #expect(!Self.listening(servicePort))

            // A port nothing listens on in the pod: the connection is closed and the error printed, as kubectl does.
            let (refused, refusedPort) = try await Self.startForward(cluster, name: "pf-refused", ["web", ":9999"])
            #expect(Self.curl("http://127.0.0.1:\(refusedPort)/") == nil)
            try await KubeletIntegrationTests.waitFor("the forwarding error") {
                cluster.log("pf-refused").contains("an error occurred forwarding \(refusedPort) -> 9999: ")
            }
            #expect(cluster.log("pf-refused").contains("failed to connect to localhost:9999 inside namespace"))
            cluster.stop("pf-refused", signal: SIGTERM)
            #expect(refused.terminationStatus == 0)

            let missing = try cluster.ctl(["port-forward", "pod/nope", "8080"])
            #expect(missing.status == 1)
            #expect(missing.err == "Error from server (NotFound): pods \"nope\" not found\n")
        }
    }

    @Test func exposeADeploymentAsKubectlDoes() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let deployment: JSONValue = [
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "web", "namespace": "default", "labels": ["app": "web", "team": "a"]],
                "spec": [
                    "replicas": 2, "selector": ["matchLabels": ["app": "web"]],
                    "template": [
                        "metadata": ["labels": ["app": "web"]],
                        "spec": [
                            "containers": [
                                [
                                    "name": "web", "image": "nginx:1.27",
                                    "ports": [
                                        ["name": "http", "containerPort": 8080],
                                        ["containerPort": 9090, "protocol": "UDP"],
                                    ],
                                ]
                            ]
                        ],
                    ],
                ],
            ]
            _ = try await client.create(deployment)

            let dry = try cluster.ctl([
                "expose", "deployment", "web", "--port", "80", "--target-port", "http", "--dry-run=client", "-o",
                "yaml",
            ])
            #expect(dry.status == 0, "\(dry.err)")
            #expect(
                dry.out == """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      creationTimestamp: null
                      labels:
                        app: web
                        team: a
                      name: web
                    spec:
                      ports:
                      - port: 80
                        protocol: TCP
                        targetPort: http
                      selector:
                        app: web
                    status:
                      loadBalancer: {}

                    """)

            // Without --port: every container port, named port-N, each with its protocol.
            let exposed = try cluster.ctl(["expose", "deploy/web", "--name", "web-all", "--type", "NodePort"])
            #expect(exposed.status == 0, "\(exposed.err)")
            #expect(exposed.out == "service/web-all exposed\n")
            let service = try await client.get(Service.self, namespace: "default", name: "web-all")
            #expect(service.spec.selector == ["app": "web"])
            #expect(service.spec.type == "NodePort")
            #expect(service.spec.ports?.map(\.name) == ["port-1", "port-2"])
            #expect(service.spec.ports?.map(\.port) == [8080, 9090])
            #expect(service.spec.ports?.map { $0.protocol } == ["TCP", "UDP"])
            #expect(service.spec.ports?.map(\.targetPort) == [.int(8080), .int(9090)])
            #expect(service.spec.ports?.allSatisfy { ($0.nodePort ?? 0) >= 30000 } == true)
            #expect(service.metadata.labels == ["app": "web", "team": "a"])
            let listed = try cluster.ctl(["get", "svc", "web-all"])
            #expect(listed.out.hasPrefix("NAME      TYPE       CLUSTER-IP"), "\(listed.out)")

            let twice = try cluster.ctl(["expose", "deployment", "web", "--name", "web-all"])
            #expect(twice.status == 1)
            #expect(twice.err == "Error from server (AlreadyExists): services \"web-all\" already exists\n")
            let noName = try cluster.ctl(["expose", "deployment"])
            #expect(noName.err == "error: resource(s) were provided, but no name was specified\n")
        }
    }
}
