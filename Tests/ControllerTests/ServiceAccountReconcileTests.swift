import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The serviceaccounts controller against the in-memory api: every active namespace has the ServiceAccount
/// `default` — the namespaces there at start and new ones — and gets it back when it is deleted; a namespace
/// being deleted does not.
@Suite(.timeLimit(.minutes(1)))
struct ServiceAccountReconcileTests {
    static func account(_ harness: ControllerHarness, in namespace: String) async throws -> ServiceAccount? {
        do {
            return try await harness.api.get(ServiceAccount.self, namespace: namespace, name: "default")
        } catch  where error.isNotFound {
            return nil
        }
    }

    static func accountCreates(_ harness: ControllerHarness, in namespace: String) -> Int {
        harness.api.writes.filter { $0.verb == "create" && $0.kind == "ServiceAccount" && $0.namespace == namespace }
            .count
    }

    @Test func everyNamespaceGetsADefaultServiceAccount() async throws {
        let harness = try await ControllerHarness([ServiceAccountController.self])
        defer { harness.close() }
        try await harness.settle()
        // The namespaces the api starts with.
        for namespace in try await harness.api.list(Namespace.self).items.compactMap(\.metadata.name) {
            #expect(try await Self.account(harness, in: namespace) != nil, "no default ServiceAccount in \(namespace)")
        }

        // kubectl create namespace team-a
        try await harness.create(yaml: "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}")
        try await harness.settle()
        let account = try await Self.account(harness, in: "team-a")
        #expect(account?.metadata.namespace == "team-a")
        #expect(Self.accountCreates(harness, in: "team-a") == 1)
        // Nothing more to do: another look creates nothing.
        await harness.resync()
        try await harness.settle()
        #expect(Self.accountCreates(harness, in: "team-a") == 1)
    }

    @Test func aDeletedDefaultServiceAccountComesBack() async throws {
        let harness = try await ControllerHarness([ServiceAccountController.self])
        defer { harness.close() }
        try await harness.create(yaml: "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}")
        try await harness.settle()
        let first = try #require(try await Self.account(harness, in: "team-a"))

        _ = try await harness.api.delete(kind: "ServiceAccount", namespace: "team-a", name: "default")
        try await harness.settle()
        let second = try #require(try await Self.account(harness, in: "team-a"))
        #expect(second.metadata.uid != first.metadata.uid)

        // Another ServiceAccount is the user's own: deleting it brings nothing back.
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: build-robot, namespace: team-a}
                """)
        try await harness.settle()
        _ = try await harness.api.delete(kind: "ServiceAccount", namespace: "team-a", name: "build-robot")
        try await harness.settle()
        let left = try await harness.api.list(ServiceAccount.self, namespace: "team-a").items
        #expect(left.compactMap(\.metadata.name) == ["default"])
    }

    @Test func aNamespaceBeingDeletedGetsNoNewServiceAccount() async throws {
        let harness = try await ControllerHarness([ServiceAccountController.self, NamespaceController.self])
        defer { harness.close() }
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-a}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: nginx, namespace: team-a}
                spec:
                  containers: [{name: nginx, image: nginx:1.14.2}]
                """)
        try await harness.runPods(namespace: "team-a")
        try await harness.settle()
        #expect(try await Self.account(harness, in: "team-a") != nil)

        // The namespace controller deletes the ServiceAccount while the pod stops; it is not made again.
        _ = try await harness.api.delete(kind: "Namespace", namespace: nil, name: "team-a")
        try await harness.settle()
        #expect(try await harness.api.get(Namespace.self, namespace: nil, name: "team-a").status.phase == "Terminating")
        #expect(try await Self.account(harness, in: "team-a") == nil)
        await harness.resync()
        try await harness.settle()
        #expect(try await Self.account(harness, in: "team-a") == nil)
        #expect(Self.accountCreates(harness, in: "team-a") == 1)

        try await harness.runPods(namespace: "team-a")
        await harness.resync()
        try await harness.settle()
        #expect(try await harness.api.list(Namespace.self).items.allSatisfy { $0.metadata.name != "team-a" })
        #expect(Self.accountCreates(harness, in: "team-a") == 1)
    }
}
