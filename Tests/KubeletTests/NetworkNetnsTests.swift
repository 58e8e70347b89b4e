import Foundation
import Logging
import Schema
import Synchronization
import Testing

@testable import Kubelet

/// Two (or more) netns "nodes" on one test bridge, as two kubelets on one machine would be.
struct TestNetnsCluster {
    let bridge: String
    let configurations: [PodNetworkConfiguration]
    let nodes: [NetnsNetwork]
    let ip: String
}

private let rangesInUse = Mutex<Set<Int>>([])

/// Starts nodes on a bridge `kbt<random>` with a private range `10.X.0.0/17` (services `10.X.128.0/17`), and
/// removes every namespace, veth, address, route, the bridge and the state folders afterwards, even on failure.
func withTestNetnsCluster(nodes count: Int = 2, _ body: (TestNetnsCluster) async throws -> Void) async throws {
    let ip = try #require(NetworkCommand.locate("ip"), "iproute2 is needed for netns tests")
    let octet = try await reserveTestRange(ip: ip)
    defer { _ = rangesInUse.withLock { $0.remove(octet) } }
    let bridge = "kbt" + String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("kubus-netns-test-\(UInt64.random(in: 0...UInt64.max))").path
    let configurations = (1...count).map { n in
        PodNetworkConfiguration(
            stateDirectory: "\(root)/node-\(n)", mode: .netns, clusterCIDR: CIDR("10.\(octet).0.0/17")!,
            serviceCIDR: CIDR("10.\(octet).128.0/17")!, podCIDR: CIDR("10.\(octet).\(n).0/24")!, bridgeName: bridge)
    }
    var failure: (any Error)?
    do {
        let nodes = try configurations.map { try NetnsNetwork(configuration: $0, logger: Logger(label: "test")) }
        for node in nodes { try await node.prepare() }
        try await body(TestNetnsCluster(bridge: bridge, configurations: configurations, nodes: nodes, ip: ip))
    } catch {
        failure = error
    }
    for configuration in configurations {
        try? await NetnsNetwork.removeAll(configuration: configuration, removeNodeAddress: true)
    }
    try? await NetnsNetwork.removeBridge(configuration: configurations[0])
    try? FileManager.default.removeItem(atPath: root)
    if let failure { throw failure }
}

/// A second octet X whose 10.X.0.0/16 has no route on this host and no other test of this process.
private func reserveTestRange(ip: String) async throws -> Int {
    for _ in 0..<50 {
        let octet = Int.random(in: 200...254)
        guard rangesInUse.withLock({ $0.insert(octet).inserted }) else { continue }
        let routes = try await NetworkCommand.run(ip, ["-4", "route", "show", "root", "10.\(octet).0.0/16"])
        if routes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return octet }
        _ = rangesInUse.withLock { $0.remove(octet) }
    }
    throw PodNetworkError.exhausted("no free 10.X.0.0/16 test range on this host")
}

/// Connects to `address:port` (from `netns`, or from the host when nil), retrying while the server starts; the
/// line the server sent.
private func connect(from netns: String?, to address: String, port: Int, ip: String) async throws -> String {
    let script = """
        import socket, sys, time
        for _ in range(200):
            try:
                c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
                break
            except ConnectionRefusedError:
                time.sleep(0.05)
        else:
            sys.exit("the server never listened")
        print(c.recv(200).decode().strip())
        """
    let python = ["/usr/bin/python3", "-c", script, address, "\(port)"]
    if let netns {
        return try await NetworkCommand.run(ip, ["netns", "exec", netns] + python)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return try await NetworkCommand.run(python[0], Array(python.dropFirst()))
        .trimmingCharacters(in: .whitespacesAndNewlines)
}

private func uid() -> String { UUID().uuidString.lowercased() }

@Suite(.enabled(if: geteuid() == 0, "netns tests need root: run `swift test` as root to include them"))
struct NetworkNetnsTests {
    @Test func podsOnTwoNodesReachEachOtherAndTheHostReachesThem() async throws {
        try await withTestNetnsCluster { cluster in
            let a = try await cluster.nodes[0].setUp(podUID: uid(), namespace: "default", name: "server")
            let b = try await cluster.nodes[1].setUp(podUID: uid(), namespace: "default", name: "client")
            #expect(cluster.configurations[0].podCIDR!.contains(IPv4(a.ip)!))
            #expect(cluster.configurations[1].podCIDR!.contains(IPv4(b.ip)!))
            let serverNetns = PodNetworkNames.namespace(podUID: a.podUID)
            let server = Process()
            server.executableURL = URL(fileURLWithPath: cluster.ip)
            server.arguments = [
                "netns", "exec", serverNetns, "/usr/bin/python3", "-c", serverScript, a.ip, "8080", "2",
            ]
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            defer {
                if server.isRunning { kill(server.processIdentifier, SIGKILL) }
                server.waitUntilExit()
            }
            let fromPod = try await connect(
                from: PodNetworkNames.namespace(podUID: b.podUID), to: a.ip, port: 8080, ip: cluster.ip)
            #expect(fromPod == "hello \(b.ip) from \(a.ip)")
            let fromHost = try await connect(from: nil, to: a.ip, port: 8080, ip: cluster.ip)
            #expect(fromHost == "hello \(cluster.nodes[0].nodeIP) from \(a.ip)")
        }
    }

    @Test func podsGetClusterAndServiceRoutesButNoDefaultRoute() async throws {
        try await withTestNetnsCluster(nodes: 1) { cluster in
            let node = cluster.nodes[0]
            let configuration = cluster.configurations[0]
            let pod = try await node.setUp(podUID: uid(), namespace: "default", name: "web")
            let netns = PodNetworkNames.namespace(podUID: pod.podUID)
            let routes = try await NetworkCommand.run(cluster.ip, ["-n", netns, "-4", "route", "show"])
            #expect(routes.contains("\(configuration.clusterCIDR) dev eth0 proto kernel scope link src \(pod.ip)"))
            #expect(routes.contains("\(configuration.serviceCIDR) via \(node.nodeIP) dev eth0"))
            #expect(!routes.contains("default"))
            // No route, so the kernel refuses before a packet is made.
            let outside = try await NetworkCommand.status(cluster.ip, ["-n", netns, "route", "get", "1.1.1.1"])
            #expect(outside.status != 0)
            #expect(outside.text.contains("unreachable"))
            let addresses = try await NetworkCommand.run(cluster.ip, ["-n", netns, "-4", "-o", "addr", "show"])
            #expect(addresses.contains("lo    inet 127.0.0.1/8"))
            #expect(addresses.contains("eth0    inet \(pod.ip)/\(configuration.clusterCIDR.prefix)"))
        }
    }

    @Test func prepareAddsNodeAddressesAndBlackholeRoutes() async throws {
        try await withTestNetnsCluster { cluster in
            let addresses = try await NetworkCommand.run(
                cluster.ip, ["-4", "-o", "addr", "show", "dev", cluster.bridge])
            for node in cluster.nodes { #expect(addresses.contains("inet \(node.bridgeAddress) ")) }
            let blackholes = try await NetworkCommand.run(cluster.ip, ["-4", "route", "show", "type", "blackhole"])
            let configuration = cluster.configurations[0]
            for cidr in [configuration.clusterCIDR, configuration.serviceCIDR] {
                #expect(blackholes.contains("blackhole \(cidr) metric \(NetnsNetwork.blackholeMetric)"))
            }
            // prepare is idempotent.
            try await cluster.nodes[0].prepare()
            try await cluster.nodes[1].prepare()
            let again = try await NetworkCommand.run(cluster.ip, ["-4", "-o", "addr", "show", "dev", cluster.bridge])
            #expect(again.split(separator: "\n").count == cluster.nodes.count)
            // A service address with no proxy behind it hits the blackhole on the host, never a default route.
            let service = configuration.serviceCIDR.host(10)!
            let route = try await NetworkCommand.run(cluster.ip, ["-4", "route", "show", "match", "\(service)"])
            #expect(route.contains("blackhole \(configuration.serviceCIDR)"))
        }
    }

    @Test func setUpIsIdempotentAndSurvivesARestart() async throws {
        try await withTestNetnsCluster(nodes: 1) { cluster in
            let podUID = uid()
            let first = try await cluster.nodes[0].setUp(podUID: podUID, namespace: "default", name: "web")
            #expect(first.networkNamespacePath == "/run/netns/\(PodNetworkNames.namespace(podUID: podUID))")
            #expect(try await cluster.nodes[0].setUp(podUID: podUID, namespace: "default", name: "web") == first)
            let restarted = try NetnsNetwork(configuration: cluster.configurations[0], logger: Logger(label: "test"))
            #expect(await restarted.attachments() == [first])
            #expect(try await restarted.setUp(podUID: podUID, namespace: "default", name: "web") == first)
        }
    }

    @Test func setUpRepairsAPodWhoseNamespaceWentAway() async throws {
        try await withTestNetnsCluster(nodes: 1) { cluster in
            let podUID = uid()
            let first = try await cluster.nodes[0].setUp(podUID: podUID, namespace: "default", name: "web")
            // As after a reboot: /run is empty, the state folder is not.
            try await NetworkCommand.run(cluster.ip, ["netns", "del", PodNetworkNames.namespace(podUID: podUID)])
            let again = try await cluster.nodes[0].setUp(podUID: podUID, namespace: "default", name: "web")
            #expect(again == first)
            #expect(NetnsNetwork.linkExists(PodNetworkNames.hostLink(podUID: podUID)))
        }
    }

    @Test func tearDownRemovesNamespaceVethAndAddressEvenWhileAProcessHoldsIt() async throws {
        try await withTestNetnsCluster(nodes: 1) { cluster in
            let node = cluster.nodes[0]
            let pod = try await node.setUp(podUID: uid(), namespace: "default", name: "web")
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: cluster.ip)
            holder.arguments = ["netns", "exec", PodNetworkNames.namespace(podUID: pod.podUID), "sleep", "30"]
            try holder.run()
            defer {
                // SIGKILL: the test process may ignore SIGTERM, and children inherit that through exec.
                kill(holder.processIdentifier, SIGKILL)
                holder.waitUntilExit()
            }
            try await node.tearDown(podUID: pod.podUID)
            #expect(!FileManager.default.fileExists(atPath: pod.networkNamespacePath!))
            #expect(!NetnsNetwork.linkExists(PodNetworkNames.hostLink(podUID: pod.podUID)))
            #expect(await node.attachments() == [])
            try await node.tearDown(podUID: pod.podUID)
        }
    }

    @Test func tearDownLeavesWhatThisKubeletDidNotCreate() async throws {
        try await withTestNetnsCluster(nodes: 2) { cluster in
            let pod = try await cluster.nodes[0].setUp(podUID: uid(), namespace: "default", name: "web")
            try await cluster.nodes[1].tearDown(podUID: pod.podUID)
            #expect(FileManager.default.fileExists(atPath: pod.networkNamespacePath!))
            let error = try await #require(throws: PodNetworkError.self) {
                try await cluster.nodes[1].setUp(podUID: pod.podUID, namespace: "default", name: "web")
            }
            #expect(error.message.contains("was not created by this kubelet"))
            #expect(await cluster.nodes[1].attachments() == [])
        }
    }

    @Test func aFailedSetUpLeavesNothingBehind() async throws {
        try await withTestNetnsCluster(nodes: 1) { cluster in
            try await withNetworkStateDirectory { dir in
                // A node whose bridge was never prepared: the veth pair cannot be attached.
                var configuration = cluster.configurations[0]
                configuration.stateDirectory = dir
                configuration.podCIDR = configuration.clusterCIDR.subnet(prefix: 24, index: 3)
                configuration.bridgeName = "kbtnone" + String(UInt16.random(in: 0...0xFFF), radix: 16)
                let node = try NetnsNetwork(configuration: configuration, logger: Logger(label: "test"))
                let podUID = uid()
                let error = try await #require(throws: PodNetworkError.self) {
                    try await node.setUp(podUID: podUID, namespace: "default", name: "web")
                }
                #expect(error.message.contains("\(configuration.bridgeName) does not exist"))
                #expect(!FileManager.default.fileExists(atPath: PodNetworkNames.namespacePath(podUID: podUID)))
                #expect(!NetnsNetwork.linkExists(PodNetworkNames.hostLink(podUID: podUID)))
                #expect(await node.attachments() == [])
            }
        }
    }

    @Test func removeAllRemovesEverythingTheStateFolderHolds() async throws {
        try await withTestNetnsCluster { cluster in
            var pods: [PodNetworkAttachment] = []
            for n in 0..<3 {
                pods.append(try await cluster.nodes[0].setUp(podUID: uid(), namespace: "default", name: "web-\(n)"))
            }
            let other = try await cluster.nodes[1].setUp(podUID: uid(), namespace: "default", name: "other")
            try await NetnsNetwork.removeAll(configuration: cluster.configurations[0], removeNodeAddress: true)
            for pod in pods {
                #expect(!FileManager.default.fileExists(atPath: pod.networkNamespacePath!))
                #expect(!NetnsNetwork.linkExists(PodNetworkNames.hostLink(podUID: pod.podUID)))
            }
            #expect(await cluster.nodes[0].attachments() == [])
            // The other node keeps its pod, its address (promoted from secondary) and the bridge.
            #expect(await cluster.nodes[1].attachments() == [other])
            let addresses = try await NetworkCommand.run(
                cluster.ip, ["-4", "-o", "addr", "show", "dev", cluster.bridge])
            #expect(!addresses.contains("inet \(cluster.nodes[0].bridgeAddress) "))
            #expect(addresses.contains("inet \(cluster.nodes[1].bridgeAddress) "))
            // The last node out removes the bridge and the blackhole routes; as `kubelet cleanup` does, it is not told
            // the pod CIDR, and finds it in the state folder.
            var cleanup = cluster.configurations[1]
            cleanup.podCIDR = nil
            try await PodNetworkFactory.removeAll(configuration: cleanup, removeNodeAddress: true)
            #expect(!NetnsNetwork.linkExists(cluster.bridge))
            let blackholes = try await NetworkCommand.run(cluster.ip, ["-4", "route", "show", "type", "blackhole"])
            #expect(!blackholes.contains("\(cluster.configurations[0].clusterCIDR) metric"))
            #expect(!blackholes.contains("\(cluster.configurations[0].serviceCIDR) metric"))
        }
    }

    @Test func setsUpManyPodsAtOnceWithDistinctAddresses() async throws {
        try await withTestNetnsCluster(nodes: 1) { cluster in
            let node = cluster.nodes[0]
            let timed = try await withThrowingTaskGroup(of: (PodNetworkAttachment, Duration).self) { group in
                for n in 0..<20 {
                    group.addTask {
                        let start = ContinuousClock.now
                        let pod = try await node.setUp(podUID: uid(), namespace: "default", name: "web-\(n)")
                        return (pod, ContinuousClock.now - start)
                    }
                }
                return try await group.reduce(into: [(PodNetworkAttachment, Duration)]()) { $0.append($1) }
            }
            let pods = timed.map(\.0)
            #expect(Set(pods.map(\.ip)).count == 20)
            #expect(pods.allSatisfy { FileManager.default.fileExists(atPath: $0.networkNamespacePath!) })
            var tearDowns: [Duration] = []
            for pod in pods {
                let start = ContinuousClock.now
                try await node.tearDown(podUID: pod.podUID)
                tearDowns.append(ContinuousClock.now - start)
            }
            #expect(await node.attachments() == [])
            // One at a time, as the kubelet starts a lone pod: the number the pod-startup goal cares about.
            var oneByOne: [Duration] = []
            var oneByOneDown: [Duration] = []
            for n in 0..<10 {
                let start = ContinuousClock.now
                let pod = try await node.setUp(podUID: uid(), namespace: "default", name: "single-\(n)")
                oneByOne.append(ContinuousClock.now - start)
                let down = ContinuousClock.now
                try await node.tearDown(podUID: pod.podUID)
                oneByOneDown.append(ContinuousClock.now - down)
            }
            #expect(await node.attachments() == [])
            let setUps = timed.map(\.1).sorted()
            tearDowns.sort()
            oneByOne.sort()
            oneByOneDown.sort()
            print(
                "netns setUp one at a time p50 \(oneByOne[5]) max \(oneByOne[9]); tearDown p50 \(oneByOneDown[5]) "
                    + "max \(oneByOneDown[9]); 20 at once: setUp p50 \(setUps[10]) max \(setUps[19]), tearDown p50 "
                    + "\(tearDowns[10]) max \(tearDowns[19])")
        }
    }
}

private let serverScript = """
    import socket, sys
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(sys.argv[2])))
    s.listen(8)
    for _ in range(int(sys.argv[3])):
        c, peer = s.accept()
        c.sendall(("hello " + peer[0] + " from " + sys.argv[1] + "\\n").encode())
        c.close()
    """
