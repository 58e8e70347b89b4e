import APIServer
import Foundation
import Schema
import Store
import Testing

/// Pods without a service account get `default` at create time, as Kubernetes' ServiceAccount admission does.
@Suite(.timeLimit(.minutes(1)))
struct ServiceAccountAdmissionTests {
    static func pod(_ name: String, serviceAccountName: String? = nil) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "c", "image": "busybox"]]]
        if let serviceAccountName { spec["serviceAccountName"] = .string(serviceAccountName) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func podWithoutServiceAccountGetsDefault() async throws {
        let api = try await APIHarness()
        let created = await api.create(Self.pod("plain"))
        #expect(created.code == 201)
        #expect(created["spec", "serviceAccountName"] == "default")
        #expect(await api.get("pods", "plain")["spec", "serviceAccountName"] == "default")
    }

    @Test func podKeepsItsServiceAccount() async throws {
        let api = try await APIHarness()
        let created = await api.create(Self.pod("named", serviceAccountName: "builder"))
        #expect(created["spec", "serviceAccountName"] == "builder")
    }

    @Test func legacyServiceAccountFieldWins() async throws {
        let api = try await APIHarness()
        var pod = Self.pod("legacy")
        pod[path: ["spec", "serviceAccount"]] = "old-style"
        let created = await api.create(pod)
        #expect(created["spec", "serviceAccountName"] == "old-style")
    }
}
