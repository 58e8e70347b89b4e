import Testing
import UpKit

@Suite struct ClusterFileTests {
    @Test func parsesDefaults() throws {
        let file = try ClusterFile.parse(
            """
            services:
              - name: bus
                command: kubus-bus
                ready: bus
              - name: api
                command: kubus-api
                replicas: 2
                ready: api
                env: {A: 1}
              - name: tool
                command: /bin/sleep
                args: ["10"]
                ready: none
                serviceFlags: false
            """)
        #expect(file.bus == "tcp://127.0.0.1:7700")
        #expect(file.stateDir == "./.kubus")
        #expect(file.services.map(\.name) == ["bus", "api", "tool"])
        #expect(file.services[1].instanceNames == ["api-0", "api-1"])
        #expect(file.services[1].env == ["A": "1"])
        #expect(file.services[2].ready == nil)
        #expect(file.services[0].instanceNames == ["bus"])
    }

    @Test func rejectsDuplicateNames() {
        #expect(throws: UpError.self) {
            try ClusterFile.parse("services: [{name: a, command: x}, {name: a, command: y}]")
        }
    }

    @Test func rejectsZeroReplicasAndMissingCommand() {
        #expect(throws: UpError.self) { try ClusterFile.parse("services: [{name: a, command: x, replicas: 0}]") }
        #expect(throws: UpError.self) { try ClusterFile.parse("services: [{name: a}]") }
    }

    @Test func errorNamesTheField() {
        do {
            _ = try ClusterFile.parse("services: [{name: a}]", source: "k.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("k.yaml"))
            #expect(error.message.contains("command"))
        }
    }

    @Test func planAddsFlagsAndSubstitutesVariables() throws {
        let file = try ClusterFile.parse(
            """
            services:
              - name: node
                command: /bin/sh
                args: [--node-name, "node-${KUBUS_INDEX}"]
                replicas: 2
              - name: raw
                command: /bin/sh
                serviceFlags: false
            """)
        let plan = try ClusterPlan(
            file: file, clusterFilePath: "k.yaml", stateDirectory: "/s", bus: "ipc:///tmp/b",
            binaryDirectory: "/nonexistent",
            searchPath: "/usr/bin:/bin")
        #expect(plan.instances.map(\.name) == ["node-0", "node-1", "raw"])
        #expect(
            plan.instances[1].arguments == [
                "--node-name", "node-1", "--bus", "ipc:///tmp/b", "--state-dir", "/s/node-1",
            ])
        #expect(plan.instances[1].log == "/s/logs/node-1.log")
        #expect(plan.instances[2].arguments == [])
    }

    @Test func planNamesEveryMissingExecutable() {
        do {
            let file = try ClusterFile.parse(
                "services: [{name: a, command: kubus-nope-a}, {name: b, command: kubus-nope-b}]")
            _ = try ClusterPlan(
                file: file, clusterFilePath: "k.yaml", stateDirectory: "/s", bus: "tcp://127.0.0.1:1",
                binaryDirectory: "/x",
                searchPath: "/usr/bin")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("kubus-nope-a, kubus-nope-b"))
        }
    }
}
