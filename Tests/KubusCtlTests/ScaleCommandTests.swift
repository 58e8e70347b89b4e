import ArgumentParser
import Testing

@testable import KubusCtl

/// `kubusctl scale` preconditions, with kubectl's messages.
struct ScaleCommandTests {
    @Test func currentReplicasMustMatch() {
        #expect(throws: Never.self) {
            try ScaleCommand.checkPreconditions(current: 3, expected: 3, version: "7", expectedVersion: nil)
        }
        #expect(throws: Never.self) {
            try ScaleCommand.checkPreconditions(current: 3, expected: -1, version: "7", expectedVersion: nil)
        }
        do {
            try ScaleCommand.checkPreconditions(current: 3, expected: 2, version: "7", expectedVersion: nil)
            Issue.record("a wrong --current-replicas must fail")
        } catch {
            #expect(error.message == "Expected replicas to be 2, was 3")
        }
    }

    @Test func resourceVersionMustMatch() {
        do {
            try ScaleCommand.checkPreconditions(current: 1, expected: -1, version: "9", expectedVersion: "7")
            Issue.record("a stale --resource-version must fail")
        } catch {
            #expect(error.message == "Expected resource version to be 7, was 9")
        }
    }

    @Test func parsesItsFlags() throws {
        let command = try ScaleCommand.parse(["deployment/web", "--replicas", "4", "--current-replicas", "2"])
        #expect(command.replicas == 4)
        #expect(command.currentReplicas == 2)
        #expect(command.arguments == ["deployment/web"])
    }
}
