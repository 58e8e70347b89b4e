import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Services made real with real processes: the api allocates addresses, the endpoints controller follows pod
/// readiness, the loadbalancer controller hands out an address, and kubus-proxy's nftables rules carry traffic
/// from pods and from the host to ready pods of a real kubelet — spread over them, sticky with ClientIP affinity,
/// refused without endpoints, and still flowing while the proxy is killed and restarted.
private let nftAvailable = FileManager.default.isExecutableFile(atPath: "/usr/sbin/nft")

@Suite(.timeLimit(.minutes(4)), .enabled(if: getuid() == 0 && nftAvailable, "needs root and nft"))
struct ServiceProxyTests {
    /// A private range for each run, so nothing here touches a cluster that runs beside the tests.
    let serviceRange = "10.\(Int.random(in: 100...199)).0.0/16"
    let pool = "127.\(Int.random(in: 101...199)).\(Int.random(in: 1...250)).0/28"
    let table = "kubus-proxy-t\(Int.random(in: 1000...9999))"

    func startProxy(_ cluster: TestCluster) throws {
        try cluster.start(
            "proxy",
            args: [
                "--bridge", cluster.kubeletBridge, "--cluster-cidr", cluster.kubeletClusterCIDR, "--service-cidr",
                serviceRange, "--table", table, "--min-sync-period-ms", "0",
            ])
    }

    func cleanUpProxy(_ cluster: TestCluster) {
        cluster.stop("proxy", signal: SIGKILL)
        let cleanup = Process()
        cleanup.executableURL = URL(fileURLWithPath: "\(cluster.bin)/kubus-proxy")
        cleanup.arguments = [
            "cleanup", "--bridge", cluster.kubeletBridge, "--service-cidr", serviceRange, "--table", table,
        ]
        try? cleanup.run()
        cleanup.waitUntilExit()
    }

    /// A busybox pod that serves its own name over HTTP on 8080, Ready once it answers.
    static func server(_ name: String) -> Pod {
        var container = KubeletIntegrationTests.sh(
            "web", "mkdir -p /tmp/www && echo $HOSTNAME > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www")
        container.ports = [ContainerPort(name: "http", containerPort: 8080)]
        container.readinessProbe = Probe(
            httpGet: HTTPGetAction(path: "/index.html", port: .int(8080)), periodSeconds: 1, failureThreshold: 1)
        var pod = KubeletIntegrationTests.pod(name, node: "node-a", containers: [container])
        pod.metadata.labels = ["app": "web"]
        return pod
    }

    func service(
        _ name: String, type: String = "ClusterIP", affinity: Bool = false, selector: [String: String] = ["app": "web"]
    ) -> Service {
        var service = Service(metadata: ObjectMeta(name: name, namespace: "default"))
        service.spec.type = type
        service.spec.selector = selector
        service.spec.ports = [ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .string("http"))]
        if affinity { service.spec.sessionAffinity = "ClientIP" }
        return service
    }

    /// `wget` of `url` from the client pod, `count` times: the bodies it got.
    func fetch(_ cluster: TestCluster, _ url: String, count: Int) async throws -> [String] {
        // busybox's own ash runs its wget applet, which crashes on -T in Debian's build: bound it with timeout.
        let script = "for i in $(seq \(count)); do timeout 3 wget -q -O - \(url) || echo FAILED; done"
        let result = try await KubeletIntegrationTests.exec(cluster, pod: "client", ["sh", "-c", script])
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// curl from the host.
    func curl(_ url: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-m", "3", url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0
            ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    @Test func servicesCarryTrafficToReadyPods() async throws {
        try await withCluster { cluster in
            defer { cleanUpProxy(cluster) }
            try await cluster.startControlPlane(apiArgs: ["--service-cluster-ip-range", serviceRange])
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus)
            try cluster.startKubelet(
                node: "node-a", args: ["--service-cidr", serviceRange, "--initial-backoff-seconds", "1"])
            try await cluster.startController("endpoints")
            try await cluster.startController("loadbalancer", args: ["--lb-pool", pool])
            try startProxy(cluster)
            try await cluster.waitForService("proxy")

            for name in ["web-1", "web-2"] { _ = try await client.create(Self.server(name)) }
            _ = try await client.create(
                KubeletIntegrationTests.pod(
                    "client", node: "node-a", containers: [KubeletIntegrationTests.sh("c", "exec sleep 600")]))
            let web = try await client.create(service("web"))
            let sticky = try await client.create(service("sticky", affinity: true))
            let nodePort = try await client.create(service("web-np", type: "NodePort"))
            _ = try await client.create(service("web-lb", type: "LoadBalancer"))
            let empty = try await client.create(service("nobody", selector: ["app": "nobody"]))
            let ip = try #require(web.spec.clusterIP)
            #expect(CIDR(serviceRange)!.contains(try #require(IPv4(ip))))

            try await KubeletIntegrationTests.waitFor("two ready endpoints", cluster: cluster, within: .seconds(60)) {
                let endpoints = try? await client.get(Endpoints.self, namespace: "default", name: "web")
                return endpoints?.subsets?.first?.addresses?.count == 2
            }
            _ = try await KubeletIntegrationTests.waitForPhase(client, "client", "Running")

            // From a pod, spread over both ready pods.
            let answers = try await fetch(cluster, "http://\(ip)/", count: 20)
            #expect(Set(answers) == ["web-1", "web-2"], "\(answers)")

            // From the host: the cluster IP, the node port on the node's address, the balancer address.
            #expect(["web-1", "web-2"].contains(curl("http://\(ip)/") ?? ""))
            let node = try await client.get(Node.self, namespace: nil, name: "node-a")
            let nodeIP = try #require(node.status.addresses?.first { $0.type == "InternalIP" }?.address)
            let port = try #require(nodePort.spec.ports?.first?.nodePort)
            #expect(["web-1", "web-2"].contains(curl("http://\(nodeIP):\(port)/") ?? ""))
            var balancerIP: String?
            try await KubeletIntegrationTests.waitFor("a balancer address", cluster: cluster) {
                balancerIP =
                    (try? await client.get(Service.self, namespace: "default", name: "web-lb"))?.status.loadBalancer?
                    .ingress?.first?.ip
                return balancerIP != nil
            }
            let balancer = try #require(balancerIP.flatMap(IPv4.init))
            #expect(CIDR(pool)!.contains(balancer))
            var fromBalancer: String?
            try await KubeletIntegrationTests.waitFor("the balancer address answering") {
                fromBalancer = curl("http://\(balancerIP!)/")
                return fromBalancer != nil
            }
            #expect(["web-1", "web-2"].contains(fromBalancer ?? ""))

            // ClientIP affinity keeps the client on one pod.
            let stickyAnswers = try await fetch(cluster, "http://\(try #require(sticky.spec.clusterIP))/", count: 10)
            #expect(
                Set(stickyAnswers).count == 1 && ["web-1", "web-2"].contains(stickyAnswers.first ?? ""),
                "\(stickyAnswers)")

            // No endpoints: refused (a reset), not left to time out.
            let refused = try await KubeletIntegrationTests.exec(
                cluster, pod: "client",
                ["sh", "-c", "timeout 5 wget -q -O - http://\(try #require(empty.spec.clusterIP))/"])
            #expect(refused.stderr.contains("Connection refused"), "\(refused)")

            // A pod that turns unready leaves the endpoints and gets no more traffic.
            _ = try await KubeletIntegrationTests.exec(cluster, pod: "web-2", ["rm", "/tmp/www/index.html"])
            try await KubeletIntegrationTests.waitFor("web-2 leaving the endpoints", cluster: cluster) {
                let endpoints = try? await client.get(Endpoints.self, namespace: "default", name: "web")
                return endpoints?.subsets?.first?.addresses?.map(\.targetRef?.name) == ["web-1"]
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(Set(try await fetch(cluster, "http://\(ip)/", count: 10)) == ["web-1"])

            // The proxy killed: its rules stay and traffic flows; restarted, it takes them over.
            cluster.stop("proxy", signal: SIGKILL)
            #expect(Set(try await fetch(cluster, "http://\(ip)/", count: 3)) == ["web-1"])
            try startProxy(cluster)
            try await cluster.waitForService("proxy")
            _ = try await KubeletIntegrationTests.exec(
                cluster, pod: "web-2", ["sh", "-c", "echo $HOSTNAME > /tmp/www/index.html"])
            try await KubeletIntegrationTests.waitFor("web-2 back in the endpoints", cluster: cluster) {
                let endpoints = try? await client.get(Endpoints.self, namespace: "default", name: "web")
                return endpoints?.subsets?.first?.addresses?.count == 2
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(Set(try await fetch(cluster, "http://\(ip)/", count: 20)) == ["web-1", "web-2"])

            for name in ["web-1", "web-2", "client"] {
                _ = try? await client.delete(kind: "Pod", namespace: "default", name: name, gracePeriodSeconds: 0)
            }
        }
    }
}
