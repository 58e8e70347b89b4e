import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import StoreTesting
import Testing

/// Issue 13 items 4 and 5: Kubernetes' PodSecurity admission — a namespace's `pod-security.kubernetes.io/enforce`
/// level refuses pods that break it, `warn` answers with a warning, workloads' templates are warned about and
/// never refused, and the labels themselves are checked.
@Suite(.timeLimit(.minutes(1)))
struct PodSecurityAdmissionTests {
    /// A namespace labelled as the official `security/podsecurity-<level>.yaml` examples are.
    static func namespace(_ name: String, enforce: String? = nil, warn: String? = nil, audit: String? = nil)
        -> JSONValue
    {
        var labels: [String: JSONValue] = [:]
        for (mode, level) in [("enforce", enforce), ("warn", warn), ("audit", audit)] {
            guard let level else { continue }
            labels["pod-security.kubernetes.io/\(mode)"] = .string(level)
            labels["pod-security.kubernetes.io/\(mode)-version"] = "latest"
        }
        return [
            "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name), "labels": .object(labels)],
        ]
    }

    static func pod(_ name: String, namespace: String, spec: JSONValue) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": spec,
        ]
    }

    /// A container that meets `restricted`, as the Pod Security Standards page describes one.
    static let hardened: JSONValue = [
        "name": "app", "image": "busybox",
        "securityContext": [
            "allowPrivilegeEscalation": false, "runAsNonRoot": true, "runAsUser": 1000,
            "capabilities": ["drop": ["ALL"]], "seccompProfile": ["type": "RuntimeDefault"],
        ],
    ]

    static let privileged: JSONValue = [
        "containers": [["name": "c", "image": "busybox", "securityContext": ["privileged": true]]]
    ]

    @Test func aRestrictedNamespaceRefusesAPrivilegedPodAndSaysWhy() async throws {
        let api = try await APIHarness()
        #expect(await api.create(Self.namespace("locked", enforce: "restricted", warn: "restricted")).code == 201)
        let refused = await api.create(Self.pod("root", namespace: "locked", spec: Self.privileged))
        #expect(refused.code == 403)
        #expect(refused.reason == "Forbidden")
        #expect(refused.message.hasPrefix("pods \"root\" is forbidden: violates PodSecurity \"restricted:latest\": "))
        #expect(refused.message.contains("privileged (container \"c\" must not set securityContext.privileged=true)"))
        #expect(
            refused.message.contains(
                "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false)"
            ))
        #expect(refused.message.contains("runAsNonRoot != true (pod or container \"c\" must set"))
        #expect(refused.message.contains("seccompProfile (pod or container \"c\" must set"))
        #expect(await api.get("pods", "root", namespace: "locked").code == 404)

        let fine = await api.create(Self.pod("ok", namespace: "locked", spec: ["containers": [Self.hardened]]))
        #expect(fine.code == 201)
        #expect(fine.warnings == nil)
    }

    @Test func baselineRefusesHostAccessAndWarnsAtRestricted() async throws {
        let api = try await APIHarness()
        _ = await api.create(Self.namespace("base", enforce: "baseline", warn: "restricted"))
        let hostPath: JSONValue = [
            "containers": [["name": "c", "image": "busybox", "ports": [["containerPort": 80, "hostPort": 8080]]]],
            "volumes": [["name": "root", "hostPath": ["path": "/"]]],
            "hostNetwork": true,
        ]
        let refused = await api.create(Self.pod("host", namespace: "base", spec: hostPath))
        #expect(refused.code == 403)
        #expect(
            refused.message
                == "pods \"host\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces "
                + "(hostNetwork=true), hostPath volumes (volume \"root\"), hostPort (container \"c\" uses hostPort 8080)"
        )

        // Baseline allows a plain pod; the restricted warning says what it would need.
        let plain = await api.create(
            Self.pod("plain", namespace: "base", spec: ["containers": [["name": "c", "image": "busybox"]]]))
        #expect(plain.code == 201)
        let warning = try #require(plain.warnings)
        #expect(warning.contains("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"))
        #expect(
            warning.contains(
                "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"])"))

        let extraCapability = await api.create(
            Self.pod(
                "net", namespace: "base",
                spec: [
                    "containers": [
                        [
                            "name": "c", "image": "busybox",
                            "securityContext": ["capabilities": ["add": ["NET_ADMIN", "CHOWN"]]],
                        ]
                    ]
                ]))
        #expect(extraCapability.code == 403)
        #expect(
            extraCapability.message.hasSuffix(
                "non-default capabilities (container \"c\" must not include \"NET_ADMIN\" in securityContext.capabilities.add)"
            ))
    }

    @Test func namespacesWithoutLabelsArePrivileged() async throws {
        let api = try await APIHarness()
        let created = await api.create(Self.pod("root", namespace: "default", spec: Self.privileged))
        #expect(created.code == 201)
        #expect(created.warnings == nil)
    }

    @Test func workloadTemplatesAreWarnedAboutNotRefused() async throws {
        let api = try await APIHarness()
        _ = await api.create(Self.namespace("apps", enforce: "restricted", warn: "restricted"))
        var deploy = deployment("web")
        deploy[path: ["metadata", "namespace"]] = "apps"
        deploy[path: ["spec", "template", "spec"]] = Self.privileged
        let created = await api.create(deploy)
        #expect(created.code == 201)
        #expect(created.warnings?.contains("would violate PodSecurity \"restricted:latest\": privileged") == true)
    }

    @Test func updatesAreCheckedOnlyWhenThePodSpecChanges() async throws {
        let api = try await APIHarness()
        _ = await api.create(Self.namespace("later"))
        #expect(await api.create(Self.pod("p", namespace: "later", spec: Self.privileged)).code == 201)
        // Locking the namespace warns about the pod already there.
        let locked = await api.call(
            "patch",
            [
                "kind": "Namespace", "name": "later", "patchType": "merge",
                "patch": ["metadata": ["labels": ["pod-security.kubernetes.io/enforce": "baseline"]]],
            ])
        #expect(locked.code == 200)
        let warning = try #require(locked.warnings)
        #expect(
            warning.contains(
                "existing pods in namespace \"later\" violate the new PodSecurity enforce level \"baseline:latest\""))
        #expect(warning.contains("p: privileged"))
        // A label change is not a spec change: allowed.
        let labelled = await api.call(
            "patch",
            [
                "kind": "Pod", "namespace": "later", "name": "p", "patchType": "merge",
                "patch": ["metadata": ["labels": ["tier": "x"]]],
            ])
        #expect(labelled.code == 200)
        // An image change is: refused while the pod breaks the level.
        let image = await api.call(
            "patch",
            [
                "kind": "Pod", "namespace": "later", "name": "p", "patchType": "strategic",
                "patch": ["spec": ["containers": [["name": "c", "image": "busybox:1.36"]]]],
            ])
        #expect(image.code == 403)
        #expect(image.message.contains("violates PodSecurity \"baseline:latest\": privileged"))
    }

    @Test func badLabelsNameTheLabelAndTheLevels() async throws {
        let api = try await APIHarness()
        let bad = await api.create(Self.namespace("typo", enforce: "restrcted"))
        #expect(bad.code == 422)
        #expect(bad.message.contains("metadata.labels[pod-security.kubernetes.io/enforce]"))
        #expect(bad.message.contains("\"privileged\", \"baseline\", \"restricted\""))
        var version = Self.namespace("v", enforce: "baseline")
        version[path: ["metadata", "labels", "pod-security.kubernetes.io/enforce-version"]] = "1.30"
        let badVersion = await api.create(version)
        #expect(badVersion.code == 422)
        #expect(badVersion.message.contains("pod-security.kubernetes.io/enforce-version"))
        version[path: ["metadata", "labels", "pod-security.kubernetes.io/enforce-version"]] = "v1.30"
        #expect(await api.create(version).code == 201)
    }

    @Test func theAuditLevelAnnotatesTheAuditEvent() async throws {
        let path = "/tmp/kubus-psa-audit-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let audit = try AuditLog(path: path, policy: .standard)
        let handler = APIHandler(
            store: BackendStoreAccess(backend: MemoryBackend()), audit: audit, logger: Logger(label: "test"))
        try await handler.bootstrap()
        let admin = UserInfo(name: "kubus-admin", groups: [UserInfo.mastersGroup])
        for object in [
            Self.namespace("watched", audit: "baseline"),
            Self.pod("root", namespace: "watched", spec: Self.privileged),
        ] {
            let reply = await handler.handle(
                verb: "create", payload: JSONValue.object(["object": object]).encoded(), requestID: "", user: admin)
            #expect(reply.code == 201)
        }
        audit.flush()
        let events = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONValue.parse(Array($0.utf8))
        }
        let podEvent = try #require(events.first { $0[path: ["objectRef", "resource"]] == "pods" })
        #expect(podEvent[path: ["annotations", "pod-security.kubernetes.io/enforce-policy"]] == "privileged:latest")
        #expect(
            podEvent[path: ["annotations", "pod-security.kubernetes.io/audit-violations"]]?.stringValue
                == "would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set "
                + "securityContext.privileged=true)")
    }
}
