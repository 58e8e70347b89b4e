import ArgumentParser
import Bus
import Client
import Foundation
import LoadKit
import Schema
import ServiceKit

#if canImport(Glibc)
    import Glibc
#endif

extension BenchParts {
    /// How long after a pod turns Ready its address receives traffic through a Service: for each of `pods` pods, a
    /// Service selecting only it exists first; from the moment the pod's Ready status reaches the bus, the host
    /// connects to the Service's cluster IP every 2 ms until a connection is accepted (refused while the Service has
    /// no endpoints). The path is the kubelet's status write, the endpoints controller, the api, the proxy's rule
    /// update. Also the memory of every networking service after the run.
    func serviceReadiness(pods count: Int) async throws {
        header("services: pod Ready → its address receives traffic through a Service (\(count) pods, netns mode)")
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/nft") else {
            print("  skipped: needs root and nft (netns pods, nftables proxy)")
            return
        }
        try await withBenchCluster { cluster in
            let suffix = BusClock.randomID().prefix(5).lowercased()
            let serviceRange = "10.\(Int.random(in: 120...199)).0.0/16"
            let clusterCIDR = "10.\(Int.random(in: 200...250)).0.0/16"
            let bridge = "ksv\(suffix)"
            guard try await startControlPlane(cluster, apiArgs: ["--service-cluster-ip-range", serviceRange]) else {
                throw BenchCluster.Failure("kubus-api is needed")
            }
            let node = "svc-\(suffix)"
            try startKubelet(
                cluster, as: "kubelet-\(node)",
                args: [
                    "--runtime", "process", "--node-name", node, "--bridge", bridge, "--cluster-cidr", clusterCIDR,
                    "--service-cidr", serviceRange,
                ])
            try await waitForNode(cluster, name: node)
            try cluster.start("controller", as: "controller-endpoints", args: ["endpoints"])
            let table = "kubus-proxy-b\(suffix)"
            try cluster.start(
                "proxy",
                args: [
                    "--bridge", bridge, "--cluster-cidr", clusterCIDR, "--service-cidr", serviceRange,
                    "--table", table, "--min-sync-period-ms", "0",
                ])
            // The policy enforcer runs too (no policies: its table stays empty) so that its memory is measured beside.
            let policyTable = "kubus-netpol-b\(suffix)"
            try cluster.start("netpol", args: ["--table", policyTable])
            let bin = cluster.bin
            cluster.afterStop {
                for (program, arguments) in [
                    ("kubus-proxy", ["cleanup", "--bridge", bridge, "--service-cidr", serviceRange, "--table", table]),
                    ("kubus-netpol", ["cleanup", "--table", policyTable]),
                ] {
                    let cleanup = Process()
                    cleanup.executableURL = URL(fileURLWithPath: "\(bin)/\(program)")
                    cleanup.arguments = arguments
                    if (try? cleanup.run()) != nil { cleanup.waitUntilExit() }
                }
            }
            for name in ["proxy", "controller-endpoints", "netpol"] where !(await cluster.waitReady(name)) {
                throw BenchCluster.Failure("\(name) not ready; log:\n\(cluster.log(name).suffix(1500))")
            }
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus, timeout: .seconds(30))
            let prefix = "lat\(suffix)-"
            let watch = try PodWatch(endpoints: cluster.endpoints, namespace: "default", prefix: prefix)
            defer { watch.close() }
            var latency = LatencyStats()
            for i in 0..<count {
                let name = "\(prefix)\(i)"
                var service = Service(metadata: ObjectMeta(name: name, namespace: "default"))
                service.spec.selector = ["bench": name]
                service.spec.ports = [ServicePort(protocol: "TCP", port: 80, targetPort: .int(8080))]
                let created = try await client.create(service)
                guard let ip = created.spec.clusterIP else { continue }
                var pod = Pod(metadata: ObjectMeta(name: name, namespace: "default", labels: ["bench": name]))
                pod.spec.nodeName = node
                pod.spec.terminationGracePeriodSeconds = 0
                var container = Container(
                    name: "web", image: "busybox",
                    command: ["sh", "-c", "mkdir -p /w && echo ok > /w/i && exec httpd -f -p 8080 -h /w"])
                container.readinessProbe = Probe(tcpSocket: TCPSocketAction(port: .int(8080)), periodSeconds: 1)
                pod.spec.containers = [container]
                _ = try await client.create(pod)
                let deadline = ContinuousClock.now + .seconds(60)
                while watch.readyTime(name) == nil && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(1))
                }
                guard let readyAt = watch.readyTime(name) else {
                    print("  \(name) not Ready within 60 s")
                    continue
                }
                while ContinuousClock.now < deadline {
                    if TCPProbe.connects(to: ip, port: 80, timeoutMillis: 50) {
                        latency.record(ns: BusClock.nowNs() - readyAt)
                        break
                    }
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
            print("  \(latency.count) of \(count) pods reached through their Service after Ready: \(latency.summary)")
            report.record(
                "svc.ready.p50", "pod Ready → traffic via Service p50", Double(latency.percentile(50)) / 1e6, unit: "ms"
            )
            report.record(
                "svc.ready.p99", "pod Ready → traffic via Service p99", Double(latency.percentile(99)) / 1e6,
                unit: "ms",
                goal: .below(1000))
            for name in ["proxy", "controller-endpoints", "netpol"] {
                if let pid = cluster.pid(name) {
                    if let rss = ProcessMemory.rssMiB(pid: pid) {
                        report.record("svc.\(name).rss", "\(name) RSS", rss, unit: "MiB")
                    }
                    if let pss = ProcessMemory.pssMiB(pid: pid) {
                        report.record("svc.\(name).pss", "\(name) PSS", pss, unit: "MiB")
                    }
                }
            }
            for i in 0..<count {
                _ = try? await client.delete(
                    kind: "Pod", namespace: "default", name: "\(prefix)\(i)", gracePeriodSeconds: 0)
            }
        }
    }
}

/// A TCP connect with a timeout: whether something accepted.
enum TCPProbe {
    static func connects(to host: String, port: Int, timeoutMillis: Int32) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poll = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard Glibc.poll(&poll, 1, timeoutMillis) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }
}

extension BenchCommand {
    struct ServicesBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "services",
            abstract:
                "Pod Ready → traffic through a Service, p50/p99 (goal p99 < 1 s), and the networking services' memory.")
        @OptionGroup var options: BenchOptions
        @Option(help: "Pods to measure, one after the other (default 30; --quick 5).")
        var pods: Int?

        func run() async throws {
            let count = pods ?? (options.quick ? 5 : 30)
            try await benchMain(options) { try await $0.serviceReadiness(pods: count) }
        }
    }
}
