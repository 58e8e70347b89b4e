import Bus
import Client
import Foundation
import Schema
import Testing

@testable import KubusCtl

/// Issue 10: an object too large to apply fails at once with the api's 422, never a stall on the bus.
@Suite(.timeLimit(.minutes(1)))
struct ApplySizeTests {
    static func bigConfigMap(bytes: Int) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "big", "namespace": "default"],
            "data": ["v": .string(String(repeating: "x", count: bytes))],
        ]
    }

    @Test func applyOfAConfigMapOverTheLimitsFailsBeforeSendingWithThe422() throws {
        let annotated = ApplyPlanner.withLastApplied(Self.bigConfigMap(bytes: 1_500_000))
        let info = try #require(KindRegistry.lookup(apiVersion: "v1", kind: "ConfigMap"))
        #expect {
            try ApplyCommand.checkSizes(annotated, info: info, name: "big", context: "error when creating \"big.yaml\"")
        } throws: { error in
            let text = "\(error)"
            return text.contains("ConfigMap \"big\" is invalid")
                && text.contains("metadata.annotations: Too long: must have at most 262144 bytes")
                && text.contains("Too long: must have at most 1048576 bytes")
        }
    }

    @Test func applyOfASmallObjectIsLeftToTheServer() throws {
        let info = try #require(KindRegistry.lookup(apiVersion: "v1", kind: "ConfigMap"))
        try ApplyCommand.checkSizes(
            ApplyPlanner.withLastApplied(Self.bigConfigMap(bytes: 100_000)), info: info, name: "big", context: "")
    }

    @Test func aRequestOverTheBusLimitFailsAtOnceWith413() async throws {
        // No broker listens here: a request that was sent would wait out the timeout.
        let bus = try BusClient(endpoints: try BusEndpoints(base: "ipc:///tmp/kubus-unused-apply-size"))
        defer { bus.close() }
        let client = KubusClient(bus: bus, timeout: .seconds(40))
        await #expect {
            _ = try await client.create(Self.bigConfigMap(bytes: KubusClient.maxRequestBytes + 1024))
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.code == 413 && error.message.contains("Request entity too large")
        }
        // A request that was sent would have waited the timeout out and failed as "not answering", not with 413.
    }
}
