import Foundation
import Testing
import UpKit

@Suite struct ClusterNodesTests {
    let text = """
        services:
          - name: bus
            command: /bin/sh
          - name: kubelet
            command: /bin/sh
            args: [--node-name, "${KUBUS_HOSTNAME}-${KUBUS_INDEX}", --pod-cidr, "10.244.${KUBUS_INDEX1}.0/24"]
            indexed: true
          - name: proxy
            command: /bin/sh
        """

    /// Plans `file` with a stand-in `kubus-kubelet` next to kubus-up (a temp folder removed afterwards).
    func plan(_ file: ClusterFile) throws -> ClusterPlan {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubus-up-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(
            atPath: dir + "/kubus-kubelet", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        return try ClusterPlan(
            file: file, clusterFilePath: "k.yaml", stateDirectory: "/s", bus: "ipc:///tmp/b", binaryDirectory: dir,
            searchPath: "/usr/bin:/bin", hostname: "box")
    }

    @Test func oneIndexedKubeletByDefault() throws {
        let p = try plan(try ClusterFile.parse(text))
        #expect(p.instances.map(\.name) == ["bus", "kubelet-0", "proxy"])
        #expect(
            p.instances[1].arguments == [
                "--node-name", "box-0", "--pod-cidr", "10.244.1.0/24", "--bus", "ipc:///tmp/b", "--state-dir",
                "/s/kubelet-0",
            ])
    }

    @Test func nodesSetsTheKubeletCountEachWithItsNameRangeAndState() throws {
        let p = try plan(try ClusterFile.parse(text).withNodes(3, simNodes: nil))
        #expect(p.instances.map(\.name) == ["bus", "kubelet-0", "kubelet-1", "kubelet-2", "proxy"])
        #expect(
            p.instances[3].arguments == [
                "--node-name", "box-2", "--pod-cidr", "10.244.3.0/24", "--bus", "ipc:///tmp/b", "--state-dir",
                "/s/kubelet-2",
            ])
    }

    @Test func simNodesAddsOneSimulatedKubeletAfterTheKubelets() throws {
        let p = try plan(try ClusterFile.parse(text).withNodes(2, simNodes: 500))
        #expect(p.instances.map(\.name) == ["bus", "kubelet-0", "kubelet-1", "kubelet-sim", "proxy"])
        #expect(
            p.instance(named: "kubelet-sim")?.arguments == [
                "--runtime", "sim", "--sim-nodes", "500", "--node-name", "box-sim", "--bus", "ipc:///tmp/b",
                "--state-dir", "/s/kubelet-sim",
            ])
        let onlySim = try plan(try ClusterFile.parse(text).withNodes(0, simNodes: 10))
        #expect(onlySim.instances.map(\.name) == ["bus", "kubelet-sim", "proxy"])
    }

    @Test func afterStopRunsPerInstanceWithItsOwnStateFolder() throws {
        var file = try ClusterFile.parse(text)
        file.services[1].afterStop = ["cleanup", "--state-dir", "${KUBUS_STATE_DIR}"]
        let p = try plan(file.withNodes(2, simNodes: nil))
        #expect(p.instance(named: "kubelet-1")?.afterStop == ["cleanup", "--state-dir", "/s/kubelet-1"])
        #expect(p.instance(named: "bus")?.afterStop == [])
        let parsed = try ClusterFile.parse("services: [{name: k, command: /bin/sh, afterStop: [a, b]}]")
        #expect(parsed.services[0].afterStop == ["a", "b"])
    }

    @Test func rejectsBadCountsAndAMissingKubelet() throws {
        let file = try ClusterFile.parse(text)
        #expect(throws: UpError.self) { try file.withNodes(-1, simNodes: nil) }
        #expect(throws: UpError.self) { try file.withNodes(nil, simNodes: 0) }
        let noKubelet = try ClusterFile.parse("services: [{name: bus, command: /bin/sh}]")
        #expect(throws: UpError.self) { try noKubelet.withNodes(2, simNodes: nil) }
        #expect(try noKubelet.withNodes(nil, simNodes: 5).services.map(\.name) == ["bus", "kubelet-sim"])
    }

    @Test func hostnameBecomesANodeName() {
        #expect(ClusterFile.nodeHostname("Build_Box.example.com") == "build-box")
        #expect(ClusterFile.nodeHostname("---") == "node")
    }

    @Test func theShippedClusterFileRunsOneKubelet() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("compose/kubus.yaml").path
        let file = try ClusterFile.load(path: path)
        let kubelet = try #require(file.services.first { $0.name == ClusterFile.kubeletService })
        #expect(kubelet.instanceNames == ["kubelet-0"])
        #expect(kubelet.args.contains("${KUBUS_HOSTNAME}-${KUBUS_INDEX}"))
    }
}
