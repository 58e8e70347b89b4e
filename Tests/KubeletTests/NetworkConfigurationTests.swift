import Foundation
import Logging
import Schema
import Testing

@testable import Kubelet

@Suite struct NetworkConfigurationTests {
    @Test func defaultsAreKubernetesUsualRanges() {
        let configuration = PodNetworkConfiguration(stateDirectory: "/var/lib/kubus/node-1")
        #expect(configuration.clusterCIDR.description == "10.244.0.0/16")
        #expect(configuration.serviceCIDR.description == "10.96.0.0/12")
        #expect(configuration.bridgeName == "kubus0")
        #expect(configuration.mode == .auto)
        #expect(configuration.podCIDR == nil)
        #expect(configuration.networkDirectory == "/var/lib/kubus/node-1/network")
    }

    @Test func loopbackMovesRangesInto127() throws {
        let configuration = PodNetworkConfiguration(stateDirectory: "/tmp/x", podCIDR: CIDR("10.244.3.0/24"))
        let moved = try configuration.movedToLoopback()
        #expect(moved.clusterCIDR.description == "127.244.0.0/16")
        #expect(moved.serviceCIDR.description == "127.96.0.0/12")
        #expect(moved.podCIDR?.description == "127.244.3.0/24")
        #expect(try moved.movedToLoopback() == moved)
        var wide = configuration
        wide.clusterCIDR = try #require(CIDR("10.0.0.0/7"))
        #expect(throws: PodNetworkError.self) { try wide.movedToLoopback() }
    }

    @Test func validationNamesTheFlagToChange() throws {
        var configuration = PodNetworkConfiguration(stateDirectory: "/tmp/x", podCIDR: CIDR("10.245.1.0/24"))
        var error = try #require(throws: PodNetworkError.self) { try configuration.validate() }
        #expect(error.message.contains("--pod-cidr"))
        configuration.podCIDR = CIDR("10.244.1.0/24")
        try configuration.validate()
        configuration.serviceCIDR = try #require(CIDR("10.244.128.0/20"))
        error = try #require(throws: PodNetworkError.self) { try configuration.validate() }
        #expect(error.message.contains("overlaps"))
        configuration.serviceCIDR = PodNetworkConfiguration.defaultServiceCIDR
        configuration.bridgeName = "a-bridge-name-too-long"
        #expect(throws: PodNetworkError.self) { try configuration.validate() }
        configuration.bridgeName = "kubus0"
        configuration.mode = .netns
        configuration = try configuration.movedToLoopback()
        configuration.mode = .netns
        #expect(throws: PodNetworkError.self) { try configuration.validate() }
    }

    @Test func namesFitLinuxLimitsAndFollowTheUID() {
        let uid = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"
        #expect(PodNetworkNames.namespace(podUID: uid) == "kubus-3f2a1b4c-5d6")
        #expect(PodNetworkNames.namespacePath(podUID: uid) == "/run/netns/kubus-3f2a1b4c-5d6")
        #expect(PodNetworkNames.hostLink(podUID: uid) == "kv3f2a1b4c5d")
        // Uids that are not UUIDs get a hash: still valid names, still stable.
        let odd = PodNetworkNames.hostLink(podUID: "web/0 x")
        #expect(odd.count == 12 && odd.hasPrefix("kv"))
        #expect(odd == PodNetworkNames.hostLink(podUID: "web/0 x"))
        #expect(odd != PodNetworkNames.hostLink(podUID: "web/1 x"))
        #expect(!PodNetworkNames.namespace(podUID: "web/0").contains("/"))
        #expect(PodNetworkNames.namespace(podUID: "web/0").count == "kubus-".count + 12)
    }

    @Test func loopbackNetworkHandsOut127Addresses() async throws {
        try await withNetworkStateDirectory { dir in
            let configuration = PodNetworkConfiguration(
                stateDirectory: dir, mode: .loopback, podCIDR: CIDR("10.244.2.0/24"))
            let network = try await PodNetworkFactory.make(configuration: configuration, logger: Logger(label: "test"))
            #expect(network.mode == .loopback)
            #expect(network.nodeIP == "127.244.2.1")
            #expect(network.podCIDR == "127.244.2.0/24")
            try await network.prepare()
            let a = try await network.setUp(podUID: "a", namespace: "default", name: "web-a")
            #expect(a.ip == "127.244.2.2")
            #expect(a.networkNamespacePath == nil)
            #expect(try await network.setUp(podUID: "a", namespace: "default", name: "web-a") == a)
            let b = try await network.setUp(podUID: "b", namespace: "default", name: "web-b")
            #expect(b.ip == "127.244.2.3")
            let restarted = try LoopbackNetwork(configuration: configuration, logger: Logger(label: "test"))
            #expect(await restarted.attachments() == [a, b])
            try await restarted.tearDown(podUID: "a")
            try await restarted.tearDown(podUID: "a")
            #expect(await network.attachments() == [b])
            try await PodNetworkFactory.removeAll(configuration: configuration)
            #expect(await network.attachments() == [])
        }
    }

    @Test func loopbackAddressesAreUsableWithoutSetUp() async throws {
        try await withNetworkStateDirectory { dir in
            let configuration = PodNetworkConfiguration(
                stateDirectory: dir, mode: .loopback, podCIDR: CIDR("127.244.9.0/24"))
            let network = try LoopbackNetwork(configuration: configuration, logger: Logger(label: "test"))
            let attachment = try await network.setUp(podUID: "a", namespace: "default", name: "web")
            // Binding the pod's address proves Linux routes it to lo with nothing configured.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #expect(fd >= 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = try #require(IPv4(attachment.ip)).value.bigEndian
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            #expect(rc == 0)
        }
    }

    @Test func missingPodCIDRSaysWhatToDo() async throws {
        try await withNetworkStateDirectory { dir in
            let configuration = PodNetworkConfiguration(stateDirectory: dir, mode: .loopback)
            let error = try await #require(throws: PodNetworkError.self) {
                try await PodNetworkFactory.make(configuration: configuration, logger: Logger(label: "test"))
            }
            #expect(error.message.contains("--pod-cidr"))
        }
    }

    @Test func autoModeMatchesWhatTheHostAllows() async throws {
        let detection = await NetworkMode.detect()
        #expect(!detection.reason.isEmpty)
        if geteuid() != 0 { #expect(detection.mode == .loopback) }
        try await withNetworkStateDirectory { dir in
            let resolved = try await PodNetworkConfiguration(stateDirectory: dir).resolved(
                logger: Logger(label: "test"))
            #expect(resolved.networkMode == detection.mode)
            #expect(resolved.clusterCIDR.description == (detection.mode == .netns ? "10.244.0.0/16" : "127.244.0.0/16"))
        }
    }

    @Test func commandFailuresQuoteTheCommandAndItsOutput() async throws {
        let ip = try #require(NetworkCommand.locate("ip"), "iproute2 is needed for this test")
        let error = try await #require(throws: PodNetworkError.self) {
            try await NetworkCommand.run(ip, ["-batch", "-"], input: "link show dev kubus-no-such-link\n")
        }
        #expect(error.message.contains("command \(ip) -batch - failed with exit status"))
        #expect(error.message.contains("kubus-no-such-link"))
        #expect(error.message.contains("1: link show dev kubus-no-such-link"))
    }
}
