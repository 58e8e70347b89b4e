import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Services in loopback mode with real processes: the api hands out cluster IPs from a range inside 127.0.0.0/8, a
/// kubelet with `--network loopback` runs two busybox httpd pods on their POD_IP, the endpoints controller follows
/// their readiness, and `kubus-proxy --mode userspace` (forced, so the test runs the same as root) carries curl's
/// requests from the host: spread over both pods, on the node port too, refused at once without endpoints, away from
/// a pod that turns unready, and back within seconds after the proxy is killed and restarted.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct UserspaceProxyIntegrationTests {
    /// A private service range inside 127.0.0.0/8 for each run.
    let serviceRange = "127.\(Int.random(in: 96...99)).\(Int.random(in: 0...255)).0/24"

    func startProxy(_ cluster: TestCluster) throws {
        try cluster.start(
            "proxy", args: ["--mode", "userspace", "--min-sync-period-ms", "0", "--service-cidr", serviceRange])
    }

    /// A busybox pod serving its own name over HTTP on POD_IP:8080, Ready once it answers.
    static func server(_ name: String) -> Pod {
        var container = KubeletIntegrationTests.sh(
            "web",
            "mkdir -p /tmp/www && echo $HOSTNAME > /tmp/www/index.html && exec httpd -f -p $POD_IP:8080 -h /tmp/www")
        container.ports = [ContainerPort(name: "http", containerPort: 8080)]
        container.readinessProbe = Probe(
            httpGet: HTTPGetAction(path: "/index.html", port: .int(8080)), periodSeconds: 1, failureThreshold: 1)
        var pod = KubeletIntegrationTests.pod(name, node: "node-a", containers: [container])
        pod.metadata.labels = ["app": "web"]
        return pod
    }

    func service(_ name: String, type: String = "ClusterIP", selector: [String: String] = ["app": "web"]) -> Service {
        var service = Service(metadata: ObjectMeta(name: name, namespace: "default"))
        service.spec.type = type
        service.spec.selector = selector
        service.spec.ports = [ServicePort(name: "http", protocol: "TCP", port: 8080, targetPort: .int(8080))]
        return service
    }

    /// curl from the host: exit status, body and seconds taken.
    func curl(_ url: String) -> (status: Int32, body: String, seconds: Double) {
        let started = Date()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-m", "3", "--noproxy", "*", url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return (-1, "", 0) }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let body = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (process.terminationStatus, body, Date().timeIntervalSince(started))
    }

    func bodies(_ url: String, count: Int) -> [String] {
        (0..<count).map { _ in
            let result = curl(url)
            return result.status == 0 ? result.body : "FAILED(\(result.status))"
        }
    }

    func status(_ cluster: TestCluster) async throws -> JSONValue {
        let bus = try BusClient(endpoints: cluster.endpoints)
        defer { bus.close() }
        let reply = try await bus.request(service: "proxy", type: "status", payload: [], timeout: .seconds(3))
        return try JSONValue.parse(reply.payload)
    }

    @Test func servicesAnswerFromTheHostInLoopbackMode() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane(apiArgs: ["--service-cluster-ip-range", serviceRange])
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus)
            try cluster.startKubelet(
                node: "node-a",
                args: ["--network", "loopback", "--service-cidr", serviceRange, "--initial-backoff-seconds", "1"])
            try await cluster.startController("endpoints")
            try startProxy(cluster)
            try await cluster.waitForService("proxy")

            for name in ["web-1", "web-2"] { _ = try await client.create(Self.server(name)) }
            let web = try await client.create(service("web", type: "NodePort"))
            let empty = try await client.create(service("nobody", selector: ["app": "nobody"]))
            let ip = try #require(web.spec.clusterIP)
            let emptyIP = try #require(empty.spec.clusterIP)
            #expect(CIDR(serviceRange)!.contains(try #require(IPv4(ip))))

            try await KubeletIntegrationTests.waitFor("two ready endpoints", cluster: cluster, within: .seconds(60)) {
                let endpoints = try? await client.get(Endpoints.self, namespace: "default", name: "web")
                return endpoints?.subsets?.first?.addresses?.count == 2
            }
            let pod = try #require(await KubeletIntegrationTests.get(client, "web-1"))
            #expect(pod.status.podIP?.hasPrefix("127.") == true, "\(pod.status.podIP ?? "no pod IP")")

            // The cluster IP, from the host: round-robin over both ready pods.
            let url = "http://\(ip):8080/"
            try await KubeletIntegrationTests.waitFor("the cluster IP answering", cluster: cluster) {
                Set(bodies(url, count: 2)) == ["web-1", "web-2"]
            }
            let answers = bodies(url, count: 10)
            #expect(
                answers.filter { $0 == "web-1" }.count == 5 && answers.filter { $0 == "web-2" }.count == 5, "\(answers)"
            )

            // The node port on the node's address.
            let node = try await client.get(Node.self, namespace: nil, name: "node-a")
            let nodeIP = try #require(node.status.addresses?.first { $0.type == "InternalIP" }?.address)
            let nodePort = try #require(web.spec.ports?.first?.nodePort)
            #expect(Set(bodies("http://\(nodeIP):\(nodePort)/", count: 4)) == ["web-1", "web-2"])

            // The status says which mode runs and what it listens on; a listener it cannot open is reported.
            let body = try await status(cluster)
            #expect(body["mode"] == .string("userspace"))
            guard case .array(let listening) = body["listening"] else {
                Issue.record("no listening in \(body)")
                return
            }
            #expect(listening.contains(.string("\(ip):8080/tcp")))
            #expect(listening.contains(.string("\(emptyIP):8080/tcp")))
            #expect(listening.contains(.string("\(nodeIP):\(nodePort)/tcp")))
            if getuid() != 0 {
                // The kubernetes Service's port 443 needs a privilege loopback mode does not have.
                #expect("\(body["listenFailures"] ?? .null)".contains("CAP_NET_BIND_SERVICE"), "\(body)")
            }

            // No endpoints: refused at once, as kube-proxy's reject does (curl's 56, reset after the accept, or 7,
            // refused while the listener is being set up again), not left to time out.
            let refused = curl("http://\(emptyIP):8080/")
            #expect([56, 7].contains(refused.status) && refused.seconds < 1, "\(refused)")

            // A pod that turns unready leaves the endpoints and gets no more traffic.
            _ = try await KubeletIntegrationTests.exec(cluster, pod: "web-2", ["rm", "/tmp/www/index.html"])
            try await KubeletIntegrationTests.waitFor("web-2 leaving the endpoints", cluster: cluster) {
                let endpoints = try? await client.get(Endpoints.self, namespace: "default", name: "web")
                return endpoints?.subsets?.first?.addresses?.map(\.targetRef?.name) == ["web-1"]
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(Set(bodies(url, count: 6)) == ["web-1"])

            // Killed, the proxy takes its listeners with it; restarted, it serves again within seconds.
            cluster.stop("proxy", signal: SIGKILL)
            #expect(curl(url).status != 0)
            let restarted = ContinuousClock.now
            try startProxy(cluster)
            try await KubeletIntegrationTests.waitFor(
                "the cluster IP answering again", cluster: cluster, within: .seconds(10)
            ) {
                curl(url).body == "web-1"
            }
            let downtime = ContinuousClock.now - restarted
            #expect(downtime < .seconds(5), "service came back after \(downtime)")
            print(
                "userspace proxy: \(answers.count) requests spread \(answers), no-endpoint reset after \(refused.seconds) s, back \(downtime) after a restart"
            )
            _ = try await KubeletIntegrationTests.exec(
                cluster, pod: "web-2", ["sh", "-c", "echo $HOSTNAME > /tmp/www/index.html"])
            try await KubeletIntegrationTests.waitFor("web-2 back", cluster: cluster) {
                Set(bodies(url, count: 4)) == ["web-1", "web-2"]
            }

            for name in ["web-1", "web-2"] {
                _ = try? await client.delete(kind: "Pod", namespace: "default", name: name, gracePeriodSeconds: 0)
            }
        }
    }
}
