import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import Store
import StoreTesting
import Testing

/// Issue 13 item 7: the audit log — an audit.k8s.io/v1 Event per request as a JSON line, with user, groups, verb,
/// object, response code and latency, at the level a Kubernetes audit Policy gives it.
@Suite(.timeLimit(.minutes(1)))
struct AuditTests {
    static let jane = UserInfo(name: "jane", groups: ["dev", "system:authenticated"])
    static let admin = UserInfo(name: "kubus-admin", groups: ["system:masters", "system:authenticated"])

    /// A policy in the shape of Kubernetes' example audit policy: levels by resource, group, user and URL.
    static let policy = """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: [RequestReceived]
        rules:
        - level: RequestResponse
          resources:
          - group: ""
            resources: [pods]
        - level: Metadata
          resources:
          - group: ""
            resources: [pods/log, pods/status]
        - level: None
          resources:
          - group: ""
            resources: [configmaps]
            resourceNames: [controller-leader]
        - level: None
          users: [system:kube-proxy]
          verbs: [watch]
        - level: None
          userGroups: [system:authenticated]
          nonResourceURLs: [/api*, /version]
        - level: Request
          resources:
          - group: ""
            resources: [configmaps]
          namespaces: [kube-system]
        - level: Metadata
          resources:
          - group: ""
            resources: [secrets, configmaps]
        - level: Request
          resources:
          - group: ""
          - group: apps
        - level: Metadata
          omitStages: [RequestReceived]
        """

    @Test func thePolicyGivesEachRequestItsLevel() throws {
        let policy = try AuditPolicy(yaml: Self.policy, source: "policy.yaml")
        func level(_ a: AccessAttributes, _ user: UserInfo = Self.jane) -> AuditLevel { policy.level(user, a) }
        #expect(level(AccessAttributes(verb: "create", resource: "pods", namespace: "a")) == .requestResponse)
        #expect(level(AccessAttributes(verb: "get", resource: "pods", subresource: "log", namespace: "a")) == .metadata)
        #expect(
            level(AccessAttributes(verb: "update", resource: "configmaps", namespace: "a", name: "controller-leader"))
                == .none)
        #expect(level(AccessAttributes(verb: "get", path: "/version")) == .none)
        #expect(level(AccessAttributes(verb: "get", resource: "configmaps", namespace: "kube-system")) == .request)
        #expect(level(AccessAttributes(verb: "get", resource: "secrets", namespace: "a")) == .metadata)
        #expect(level(AccessAttributes(verb: "list", group: "apps", resource: "deployments")) == .request)
        #expect(
            level(AccessAttributes(verb: "create", group: "apps", resource: "deployments", namespace: "a")) == .request)
        #expect(
            level(
                AccessAttributes(verb: "watch", resource: "endpoints", namespace: "a"),
                UserInfo(name: "system:kube-proxy")) == .none)
        #expect(level(AccessAttributes(verb: "get", group: "batch", resource: "jobs", namespace: "a")) == .metadata)
    }

    @Test func aBadPolicyNamesTheField() {
        #expect(throws: AuditPolicyError.self) {
            try AuditPolicy(yaml: "apiVersion: v1\nkind: ConfigMap\n", source: "p.yaml")
        }
        do {
            _ = try AuditPolicy(
                yaml: "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Everything\n", source: "p.yaml")
            Issue.record("a bad level was accepted")
        } catch {
            #expect(error.message.contains("rules[0].level"))
            #expect(error.message.contains("\"Metadata\""))
        }
    }

    @Test func theStandardPolicyKeepsPeopleAndDropsHeartbeats() {
        let policy = AuditPolicy.standard
        let scheduler = UserInfo(name: "system:kubus:scheduler", groups: ["system:kubus:scheduler"])
        let node = UserInfo(name: "system:kubus:kubelet-0", groups: ["system:nodes"])
        #expect(
            policy.level(Self.jane, AccessAttributes(verb: "get", resource: "secrets", namespace: "a")) == .metadata)
        #expect(policy.level(scheduler, AccessAttributes(verb: "list", resource: "pods")) == .none)
        #expect(
            policy.level(
                node, AccessAttributes(verb: "update", group: "coordination.k8s.io", resource: "leases", namespace: "x")
            )
                == .none)
        #expect(
            policy.level(
                scheduler, AccessAttributes(verb: "create", resource: "pods", subresource: "binding", namespace: "a"))
                == .metadata)
    }

    @Test func eachRequestIsOneJSONLineWithWhoWhatAndTheAnswer() async throws {
        let path = "/tmp/kubus-audit-\(UUID().uuidString).log"
        defer {
            try? FileManager.default.removeItem(atPath: path)
        }
        let backend = MemoryBackend()
        let audit = try AuditLog(path: path, policy: try AuditPolicy(yaml: Self.policy, source: "policy.yaml"))
        let authorization = Authorization()
        let handler = APIHandler(
            store: BackendStoreAccess(backend: backend), authorization: authorization, audit: audit,
            logger: Logger(label: "test"))
        try await handler.bootstrap()
        // The api's own calls (bootstrap) are not audited.
        audit.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)

        let secret: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "default"],
            "stringData": ["password": "s3cr3t"],
        ]
        let created = await handler.handle(
            verb: "create", payload: JSONValue.object(["object": secret]).encoded(), requestID: "req-1",
            user: Self.admin)
        #expect(created.code == 201)
        let denied = await handler.handle(
            verb: "list", payload: JSONValue.object(["kind": "Secret", "namespace": "default"]).encoded(),
            requestID: "req-2", user: Self.admin, impersonating: Impersonation(user: "jane"))
        #expect(denied.code == 403)
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
            "spec": [
                "selector": ["matchLabels": ["app": "web"]],
                "template": [
                    "metadata": ["labels": ["app": "web"]],
                    "spec": ["containers": [["name": "web", "image": "nginx"]]],
                ],
            ],
        ]
        _ = await handler.handle(
            verb: "create", payload: JSONValue.object(["object": deployment]).encoded(), requestID: "req-3",
            user: Self.admin)
        audit.flush()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let events = try lines.map { try JSONValue.parse(Array($0.utf8)) }
        guard events.count == 3 else { return }

        // A Secret at Metadata: who, what, the answer; never its data.
        #expect(events[0]["kind"] == "Event" && events[0]["apiVersion"] == "audit.k8s.io/v1")
        #expect(events[0]["level"] == "Metadata" && events[0]["auditID"] == "req-1")
        #expect(events[0]["verb"] == "create" && events[0][path: ["user", "username"]] == "kubus-admin")
        #expect(events[0][path: ["user", "groups"]] == ["system:masters", "system:authenticated"])
        #expect(events[0][path: ["objectRef", "resource"]] == "secrets")
        #expect(events[0][path: ["objectRef", "namespace"]] == "default")
        #expect(events[0][path: ["responseStatus", "code"]] == 201)
        #expect(events[0]["requestURI"] == "/api/v1/namespaces/default/secrets")
        #expect(
            events[0][path: ["annotations", "kubus.io/latency-microseconds"]]?.stringValue.flatMap { Int($0) } != nil)
        #expect(!lines[0].contains("s3cr3t"))

        // An impersonated request names both users, and the denial.
        #expect(events[1][path: ["impersonatedUser", "username"]] == "jane")
        #expect(events[1][path: ["user", "username"]] == "kubus-admin")
        #expect(events[1]["verb"] == "list" && events[1][path: ["responseStatus", "code"]] == 403)
        #expect(events[1][path: ["responseStatus", "reason"]] == "Forbidden")

        // An apps write at Request carries its object.
        #expect(events[2]["level"] == "Request")
        #expect(events[2][path: ["requestObject", "metadata", "name"]] == "web")
        #expect(events[2][path: ["objectRef", "apiGroup"]] == "apps")
        #expect(events[2]["requestURI"] == "/apis/apps/v1/namespaces/default/deployments")
    }
}
