import Foundation
import Testing
import UpKit

@Suite struct MultiCallTests {
    @Test func argv0OrTheFirstArgumentPicksTheProgram() {
        #expect(MultiCall.invocation(["/opt/kubus/kubus-bus", "--insecure"])! == ("kubus-bus", ["--insecure"]))
        #expect(MultiCall.invocation(["kubus", "kubus-api", "--bus", "x"])! == ("kubus-api", ["--bus", "x"]))
        #expect(MultiCall.invocation(["./kubus", "kubus-up"])! == ("kubus-up", []))
        #expect(MultiCall.invocation(["kubus"]) == nil)
        #expect(MultiCall.invocation(["kubus", "kubusctl"]) == nil)
        #expect(MultiCall.invocation(["/x/kubus-shim", "run"]) == nil)
        #expect(MultiCall.invocation([]) == nil)
    }

    /// A folder standing in for .build/release: kubus-up with `files` next to it.
    private func binaries(_ files: [String], _ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubus-mc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for f in files {
            _ = FileManager.default.createFile(
                atPath: dir + "/" + f, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        try body(dir)
    }

    private let file = try! ClusterFile.parse(
        """
        services:
          - name: bus
            command: kubus-bus
            ready: bus
          - name: kubelet
            command: kubus-kubelet
            afterStop: [cleanup, --state-dir, "${KUBUS_STATE_DIR}"]
          - name: own
            command: /bin/sh
        """)

    /// With `kubus` next to kubus-up, the programs it hosts run from it (argv[0] the program's own path, which is
    /// what `ps` shows and what the bus rights follow); a command with a slash still runs that file.
    @Test func kubusUpRunsHostedProgramsFromTheMultiCallBinary() throws {
        try binaries(["kubus", "kubus-bus", "kubus-kubelet"]) { dir in
            let plan = try ClusterPlan(
                file: file, clusterFilePath: "k.yaml", stateDirectory: "/s", bus: "ipc:///tmp/b", binaryDirectory: dir,
                searchPath: "/usr/bin:/bin")
            let bus = try #require(plan.instance(named: "bus"))
            #expect(bus.executable == dir + "/kubus")
            #expect(bus.argv0 == dir + "/kubus-bus")
            #expect(bus.program == dir + "/kubus-bus")
            let kubelet = try #require(plan.instance(named: "kubelet"))
            #expect(kubelet.executable == dir + "/kubus")
            // The multi-call binary takes the program first when run without argv[0] (kubus-up's afterStop).
            #expect(kubelet.afterStopArguments == ["kubus-kubelet", "cleanup", "--state-dir", "/s/kubelet"])
            let own = try #require(plan.instance(named: "own"))
            #expect(own.executable == "/bin/sh")
            #expect(own.argv0 == nil)
        }
    }

    @Test func withoutTheMultiCallBinaryEachProgramRunsItsOwnExecutable() throws {
        try binaries(["kubus-bus", "kubus-kubelet"]) { dir in
            let plan = try ClusterPlan(
                file: file, clusterFilePath: "k.yaml", stateDirectory: "/s", bus: "ipc:///tmp/b", binaryDirectory: dir,
                searchPath: "/usr/bin:/bin")
            let kubelet = try #require(plan.instance(named: "kubelet"))
            #expect(kubelet.executable == dir + "/kubus-kubelet")
            #expect(kubelet.argv0 == nil)
            #expect(kubelet.afterStopArguments == ["cleanup", "--state-dir", "/s/kubelet"])
        }
    }
}
