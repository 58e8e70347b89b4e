import Bus
import Foundation
import Testing

/// The wire protocol is language-neutral: a Python client written from docs/protocol.md creates a
/// ConfigMap through the api and receives its watch event.
@Suite(.timeLimit(.minutes(2)))
struct PythonClientTests {
    @Test func pythonClientCreatesAConfigMapAndSeesItsWatchEvent() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("python/wire_client.py").path
            let p = Process()
            // Debian's python3 carries python3-zmq (scripts/setup.sh installs it).
            p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            p.arguments = [script, cluster.endpoints.base, "from-python"]
            p.environment = ProcessInfo.processInfo.environment.merging(["KUBUS_BUS_KEY": cluster.adminKeyFile]) {
                _, new in new
            }
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            p.waitUntilExit()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 0, "python client: \(text)")
            #expect(text.contains("watch event ADDED event/ConfigMap/default/from-python"))
        }
    }
}
