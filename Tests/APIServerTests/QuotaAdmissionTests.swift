import APIServer
import Foundation
import Schema
import Testing

/// Issue 13 item 5: LimitRanger and ResourceQuota admission, with objects shaped as the official
/// `admin/resource/` examples (memory-defaults, cpu-constraints, quota-pod, quota-mem-cpu).
@Suite(.timeLimit(.minutes(1)))
struct QuotaAdmissionTests {
    static func namespace(_ api: APIHarness, _ name: String) async {
        let created = await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        #expect(created.code == 201)
    }

    static func pod(_ name: String, _ namespace: String, resources: JSONValue? = nil) -> JSONValue {
        var container: JSONValue = ["name": "c", "image": "nginx"]
        if let resources { container["resources"] = resources }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": ["containers": [container]],
        ]
    }

    static func object(_ kind: String, _ name: String, _ namespace: String, spec: JSONValue) -> JSONValue {
        [
            "apiVersion": "v1", "kind": .string(kind),
            "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec,
        ]
    }

    @Test func defaultsFillWhatAContainerDoesNotSay() async throws {
        let api = try await APIHarness()
        await Self.namespace(api, "default-mem-example")
        let range = Self.object(
            "LimitRange", "mem-limit-range", "default-mem-example",
            spec: [
                "limits": [
                    ["default": ["memory": "512Mi"], "defaultRequest": ["memory": "256Mi"], "type": "Container"]
                ]
            ])
        #expect(await api.create(range).code == 201)

        #expect(await api.create(Self.pod("bare", "default-mem-example")).code == 201)
        let bare = await api.get("pods", "bare", namespace: "default-mem-example")
        #expect(bare["spec", "containers"]?[0]?[path: ["resources", "requests", "memory"]] == "256Mi")
        #expect(bare["spec", "containers"]?[0]?[path: ["resources", "limits", "memory"]] == "512Mi")
        #expect(
            bare["metadata", "annotations", "kubernetes.io/limit-ranger"]
                == "LimitRanger plugin set: memory request for container c; memory limit for container c")
        #expect(bare["status", "qosClass"] == "Burstable")

        // A limit alone is also the request (the pod's own defaults); a request alone gets the default limit.
        _ = await api.create(Self.pod("limit", "default-mem-example", resources: ["limits": ["memory": "1Gi"]]))
        let limit = await api.get("pods", "limit", namespace: "default-mem-example")
        #expect(limit["spec", "containers"]?[0]?[path: ["resources", "requests", "memory"]] == "1Gi")
        _ = await api.create(Self.pod("request", "default-mem-example", resources: ["requests": ["memory": "128Mi"]]))
        let request = await api.get("pods", "request", namespace: "default-mem-example")
        #expect(request["spec", "containers"]?[0]?[path: ["resources", "limits", "memory"]] == "512Mi")
        // A request above the default limit makes an invalid pod, as in Kubernetes.
        let above = await api.create(
            Self.pod("above", "default-mem-example", resources: ["requests": ["memory": "1Gi"]]))
        #expect(above.code == 422)
        #expect(above.message.contains("must be less than or equal to memory limit"))
    }

    @Test func minAndMaxRefuseWithKubernetesWords() async throws {
        let api = try await APIHarness()
        await Self.namespace(api, "constraints-cpu-example")
        let range = Self.object(
            "LimitRange", "cpu-min-max-demo-lr", "constraints-cpu-example",
            spec: ["limits": [["max": ["cpu": "800m"], "min": ["cpu": "200m"], "type": "Container"]]])
        #expect(await api.create(range).code == 201)
        // The LimitRange's own defaults: the default limit is the max, the default request the default limit.
        let stored = await api.get("limitranges", "cpu-min-max-demo-lr", namespace: "constraints-cpu-example")
        #expect(stored["spec", "limits"]?[0]?[path: ["default", "cpu"]] == "800m")
        #expect(stored["spec", "limits"]?[0]?[path: ["defaultRequest", "cpu"]] == "800m")

        let big = await api.create(
            Self.pod(
                "big", "constraints-cpu-example", resources: ["limits": ["cpu": "1.5"], "requests": ["cpu": "500m"]]))
        #expect(big.code == 403)
        #expect(
            big.message == "pods \"big\" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m")
        let small = await api.create(
            Self.pod(
                "small", "constraints-cpu-example", resources: ["limits": ["cpu": "800m"], "requests": ["cpu": "100m"]])
        )
        #expect(small.code == 403)
        #expect(small.message.hasSuffix("minimum cpu usage per Container is 200m, but request is 100m"))
        let fine = await api.create(Self.pod("fine", "constraints-cpu-example"))
        #expect(fine.code == 201)

        let backwards = Self.object(
            "LimitRange", "backwards", "constraints-cpu-example",
            spec: ["limits": [["max": ["cpu": "100m"], "min": ["cpu": "200m"], "type": "Container"]]])
        let refused = await api.create(backwards)
        #expect(refused.code == 422)
        #expect(refused.message.contains("spec.limits[0].min[cpu]"))
    }

    @Test func aPodQuotaCountsAndRefusesTheThirdPod() async throws {
        let api = try await APIHarness()
        await Self.namespace(api, "quota-pod-example")
        let quota = Self.object("ResourceQuota", "pod-demo", "quota-pod-example", spec: ["hard": ["pods": "2"]])
        #expect(await api.create(quota).code == 201)
        let fresh = await api.get("resourcequotas", "pod-demo", namespace: "quota-pod-example")
        #expect(fresh["status", "hard", "pods"] == "2")
        #expect(fresh["status", "used", "pods"] == "0")

        #expect(await api.create(Self.pod("a", "quota-pod-example")).code == 201)
        #expect(await api.create(Self.pod("b", "quota-pod-example")).code == 201)
        let third = await api.create(Self.pod("c", "quota-pod-example"))
        #expect(third.code == 403)
        #expect(
            third.message
                == "pods \"c\" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2"
        )
        let charged = await api.get("resourcequotas", "pod-demo", namespace: "quota-pod-example")
        #expect(charged["status", "used", "pods"] == "2")
        // Other kinds are not counted by a pods quota.
        #expect(await api.create(configMap("cm", namespace: "quota-pod-example")).code == 201)
    }

    @Test func aComputeQuotaNeedsEveryContainerToSayItsResources() async throws {
        let api = try await APIHarness()
        await Self.namespace(api, "quota-mem-cpu-example")
        let quota = Self.object(
            "ResourceQuota", "mem-cpu-demo", "quota-mem-cpu-example",
            spec: ["hard": ["requests.cpu": "1", "requests.memory": "1Gi", "limits.cpu": "2", "limits.memory": "2Gi"]])
        #expect(await api.create(quota).code == 201)
        let bare = await api.create(Self.pod("bare", "quota-mem-cpu-example"))
        #expect(bare.code == 403)
        #expect(
            bare.message
                == "pods \"bare\" is forbidden: failed quota: mem-cpu-demo: must specify limits.cpu for: c; "
                + "limits.memory for: c; requests.cpu for: c; requests.memory for: c")
        let sized: JSONValue = [
            "limits": ["memory": "800Mi", "cpu": "800m"], "requests": ["memory": "600Mi", "cpu": "400m"],
        ]
        #expect(await api.create(Self.pod("quota-mem-cpu-demo", "quota-mem-cpu-example", resources: sized)).code == 201)
        let second = await api.create(
            Self.pod(
                "quota-mem-cpu-demo-2", "quota-mem-cpu-example",
                resources: [
                    "limits": ["memory": "1Gi", "cpu": "800m"], "requests": ["memory": "700Mi", "cpu": "400m"],
                ]))
        #expect(second.code == 403)
        #expect(
            second.message.hasSuffix(
                "exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, "
                    + "limited: requests.memory=1Gi"))
        let used = await api.get("resourcequotas", "mem-cpu-demo", namespace: "quota-mem-cpu-example")
        #expect(used["status", "used", "requests.cpu"] == "400m")
        #expect(used["status", "used", "limits.memory"] == "800Mi")
    }

    @Test func aNewQuotaCountsWhatIsAlreadyThere() async throws {
        let api = try await APIHarness()
        await Self.namespace(api, "counted")
        for i in 0..<3 { _ = await api.create(configMap("cm-\(i)", namespace: "counted")) }
        let quota = Self.object(
            "ResourceQuota", "objects", "counted",
            spec: ["hard": ["configmaps": "4", "count/configmaps": "10", "resourcequotas": "1"]])
        #expect(await api.create(quota).code == 201)
        let status = await api.get("resourcequotas", "objects", namespace: "counted")
        #expect(status["status", "used", "configmaps"] == "3")
        #expect(status["status", "used", "count/configmaps"] == "3")
        #expect(status["status", "used", "resourcequotas"] == "1")
        #expect(await api.create(configMap("cm-3", namespace: "counted")).code == 201)
        let fifth = await api.create(configMap("cm-4", namespace: "counted"))
        #expect(fifth.code == 403)
        #expect(fifth.message.contains("exceeded quota: objects, requested: configmaps=1, used: configmaps=4"))
        let second = await api.create(Self.object("ResourceQuota", "more", "counted", spec: ["hard": ["pods": "1"]]))
        #expect(second.code == 403)
        #expect(second.message.contains("resourcequotas=1"))
        let badScope = await api.create(
            Self.object(
                "ResourceQuota", "scoped", "counted",
                spec: ["hard": ["services": "1"], "scopes": ["BestEffort"]]))
        #expect(badScope.code == 422)
        #expect(badScope.message.contains("unsupported scope applied to resource"))
    }
}
