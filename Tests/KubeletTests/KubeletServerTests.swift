import Bus
import Foundation
import Logging
import Schema
import Testing

@testable import Kubelet

@Suite struct KubeletServerTests {
    let runtime = FakeRuntime()

    func server(_ pods: [Pod]) throws -> KubeletServer {
        let byKey = Dictionary(
            uniqueKeysWithValues: pods.map { ("\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")", $0) })
        return KubeletServer(
            endpoints: try BusEndpoints(base: "ipc:///tmp/kubus-unused"), nodeName: "node-1", runtime: runtime,
            pods: { ns, name in byKey["\(ns)/\(name)"] }, logger: Logger(label: "test"))
    }

    func request<T: Encodable>(_ type: String, _ body: T) throws -> BusRequest {
        BusRequest(envelope: Envelope(type: type), payload: Array(try JSONEncoder().encode(body)))
    }

    func message(_ reply: BusReply) -> String {
        (try? JSONValue.parse(reply.payload))?["message"]?.stringValue ?? ""
    }

    @Test func unknownPodIs404() async throws {
        let reply = await try server([]).handle(try request("logs", LogsRequest(namespace: "default", pod: "web")))
        #expect(reply.code == 404)
        #expect(message(reply) == "pods \"web\" not found")
    }

    @Test func waitingContainerIs400WithItsReason() async throws {
        var pod = Fixtures.pod()
        pod.status.containerStatuses = [
            ContainerStatus(
                name: "app", state: ContainerState(waiting: ContainerStateWaiting(reason: "ImagePullBackOff")),
                ready: false,
                restartCount: 0, image: "busybox", imageID: "")
        ]
        let reply = await try server([pod]).handle(try request("logs", LogsRequest(namespace: "default", pod: "web")))
        #expect(reply.code == 400)
        #expect(message(reply) == "container \"app\" in pod \"web\" is waiting to start: ImagePullBackOff")
    }

    @Test func podWithSeveralContainersNeedsAName() async throws {
        let pod = Fixtures.pod(containers: [Container(name: "a"), Container(name: "b")])
        let reply = await try server([pod]).handle(try request("logs", LogsRequest(namespace: "default", pod: "web")))
        #expect(message(reply) == "a container name must be specified for pod web, choose one of: [a b]")
    }

    @Test func logsReadTheCRIFileAndFinishWhenTheContainerExited() async throws {
        let path = NSTemporaryDirectory() + "kubus-srv-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "2026-11-25T12:00:00Z stdout F one\n2026-11-25T12:00:01Z stderr F two\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        var exited = Fixtures.exited("app", code: 0)
        exited.logPath = path
        runtime.add(exited)
        let reply = await try server([Fixtures.pod()]).handle(
            try request("logs", LogsRequest(namespace: "default", pod: "web", tailLines: 1)))
        let logs = try JSONDecoder().decode(LogsReply.self, from: Data(reply.payload))
        #expect(logs.text == "two\n")
        #expect(logs.done)
    }

    @Test func previousWithoutAnEarlierInstanceIs400() async throws {
        runtime.add(Fixtures.running("app"))
        let reply = await try server([Fixtures.pod()]).handle(
            try request("logs", LogsRequest(namespace: "default", pod: "web", previous: true)))
        #expect(message(reply) == "previous terminated container \"app\" in pod \"web\" not found")
    }

    @Test func execCollectsOutputAndExitCode() async throws {
        runtime.add(Fixtures.running("app"))
        let server = try server([Fixtures.pod()])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await server.sessions.run() }
            let start = await server.handle(
                try request("exec.start", ExecStartRequest(namespace: "default", pod: "web", command: ["x"])))
            let session = try JSONDecoder().decode(ExecStartReply.self, from: Data(start.payload)).session
            var out = Data()
            var err = Data()
            var code: Int?
            for _ in 0..<20 where code == nil {
                let io = await server.handle(try request("exec.io", ExecIORequest(session: session, waitMillis: 200)))
                let reply = try JSONDecoder().decode(ExecIOReply.self, from: Data(io.payload))
                out += Data(base64Encoded: reply.stdout) ?? Data()
                err += Data(base64Encoded: reply.stderr) ?? Data()
                code = reply.exitCode
            }
            #expect(String(decoding: out, as: UTF8.self) == "out\n")
            #expect(String(decoding: err, as: UTF8.self) == "err\n")
            #expect(code == 3)
            let gone = await server.handle(try request("exec.io", ExecIORequest(session: session)))
            #expect(gone.code == 404)
            server.sessions.finish()
            group.cancelAll()
        }
    }
}
