import Foundation
import Schema
import Testing

@testable import Kubelet

@Suite struct PodFilesTests {
    @Test func hostsFileHasLocalhostPodAndAliases() {
        var pod = Fixtures.pod()
        pod.spec.hostAliases = [HostAlias(ip: "10.0.0.9", hostnames: ["db", "db.local"])]
        let text = PodFiles.hosts(pod: pod, podIP: "10.244.1.5", clusterDomain: "cluster.local")
        #expect(text.contains("127.0.0.1\tlocalhost\n"))
        #expect(text.contains("10.244.1.5\tweb\n"))
        #expect(text.contains("# Entries added by HostAliases.\n10.0.0.9\tdb\tdb.local\n"))
    }

    @Test func clusterFirstPointsAtClusterDNS() {
        let text = PodFiles.resolvConf(
            pod: Fixtures.pod(), clusterDNS: "10.96.0.10", clusterDomain: "cluster.local", hostResolvConf: "")
        #expect(
            text
                == "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
        )
    }

    @Test func defaultPolicyCopiesTheHost() {
        var pod = Fixtures.pod()
        pod.spec.dnsPolicy = "Default"
        let text = PodFiles.resolvConf(
            pod: pod, clusterDNS: "10.96.0.10", clusterDomain: "cluster.local",
            hostResolvConf: "# comment\nnameserver 1.1.1.1\nsearch lan\n")
        #expect(text == "search lan\nnameserver 1.1.1.1\n")
    }

    @Test func clusterDNSIsTheTenthServiceAddress() {
        var config = KubeletConfiguration(nodeName: "n", stateDirectory: "/tmp")
        #expect(config.clusterDNS == "10.96.0.10")
        config.serviceCIDR = "127.96.0.0/12"
        #expect(config.clusterDNS == "127.96.0.10")
    }
}
