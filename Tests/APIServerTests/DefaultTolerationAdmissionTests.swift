import APIServer
import Foundation
import Schema
import Store
import Testing

/// Pods tolerate the not-ready and unreachable NoExecute taints for 300 s unless they say otherwise, as
/// Kubernetes' DefaultTolerationSeconds admission makes them.
@Suite(.timeLimit(.minutes(1)))
struct DefaultTolerationAdmissionTests {
    static func pod(_ name: String, tolerations: JSONValue? = nil) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "c", "image": "busybox"]]]
        if let tolerations { spec["tolerations"] = tolerations }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
    }

    static func seconds(_ pod: JSONValue, _ key: String) -> [Int64] {
        (pod[path: ["spec", "tolerations"]]?.arrayValue ?? []).compactMap { t -> Int64? in
            guard t["key"]?.stringValue == key, case .int(let s)? = t["tolerationSeconds"] else { return nil }
            return s
        }
    }

    @Test func podGetsBothDefaultTolerations() async throws {
        let api = try await APIHarness()
        let created = await api.create(Self.pod("plain"))
        #expect(created.code == 201)
        let stored = await api.get("pods", "plain")
        #expect(Self.seconds(stored.body, "node.kubernetes.io/not-ready") == [300])
        #expect(Self.seconds(stored.body, "node.kubernetes.io/unreachable") == [300])
    }

    @Test func podKeepsItsOwnTolerationSeconds() async throws {
        let api = try await APIHarness()
        let own: JSONValue = [
            [
                "key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                "tolerationSeconds": 5,
            ]
        ]
        _ = await api.create(Self.pod("short", tolerations: own))
        let stored = await api.get("pods", "short")
        #expect(Self.seconds(stored.body, "node.kubernetes.io/unreachable") == [5])
        #expect(Self.seconds(stored.body, "node.kubernetes.io/not-ready") == [300])
    }

    @Test func tolerateEverythingNeedsNoDefaults() async throws {
        let api = try await APIHarness()
        _ = await api.create(Self.pod("all", tolerations: [["operator": "Exists"]]))
        let stored = await api.get("pods", "all")
        #expect(stored["spec", "tolerations"]?.arrayValue?.count == 1)
    }
}
