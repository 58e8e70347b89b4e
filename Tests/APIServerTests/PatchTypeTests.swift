import Schema
import Testing

/// `patch` with `patchType` json and strategic, and the `version` request.
@Suite struct PatchTypeTests {
    @Test func jsonPatchAppliesOperationsInOrder() async throws {
        let api = try await APIHarness()
        _ = await api.create(deployment("web", replicas: 2))
        let patched = await api.call(
            "patch",
            [
                "kind": "deploy", "name": "web", "patchType": "json",
                "patch": [
                    ["op": "replace", "path": "/spec/replicas", "value": 4],
                    ["op": "add", "path": "/metadata/labels", "value": ["tier": "front"]],
                    ["op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "nginx:1.28"],
                ],
            ])
        #expect(patched.code == 200)
        #expect(patched["spec", "replicas"] == 4)
        #expect(patched["metadata", "labels"] == ["tier": "front"])
        #expect(patched["spec", "template", "spec", "containers", "0", "image"] == "nginx:1.28")
        #expect(patched["metadata", "generation"] == 2)
    }

    @Test func jsonPatchErrorsAre400WhenMalformedAnd422WithTheField() async throws {
        let api = try await APIHarness()
        _ = await api.create(configMap("c", data: ["a": "1"]))
        let notAList = await api.call(
            "patch", ["kind": "cm", "name": "c", "patchType": "json", "patch": ["op": "remove", "path": "/data"]])
        #expect(notAList.code == 400)
        #expect(notAList.reason == "BadRequest")
        let unknownOp = await api.call(
            "patch", ["kind": "cm", "name": "c", "patchType": "json", "patch": [["op": "jump", "path": "/data"]]])
        #expect(unknownOp.code == 400)
        let missing = await api.call(
            "patch", ["kind": "cm", "name": "c", "patchType": "json", "patch": [["op": "remove", "path": "/data/zz"]]])
        #expect(missing.code == 422)
        #expect(missing.reason == "Invalid")
        #expect(missing.message.hasPrefix("ConfigMap \"c\" is invalid: data.zz: "))
        #expect(missing["details", "causes", "0", "field"] == "data.zz")
        let failedTest = await api.call(
            "patch",
            [
                "kind": "cm", "name": "c", "patchType": "json",
                "patch": [
                    ["op": "test", "path": "/data/a", "value": "2"], ["op": "remove", "path": "/data/a"],
                ],
            ])
        #expect(failedTest.code == 422)
        #expect(await api.get("cm", "c")["data"] == ["a": "1"])
        // A merge patch may not be an array.
        let arrayMerge = await api.call(
            "patch", ["kind": "cm", "name": "c", "patch": [["op": "remove", "path": "/data"]]])
        #expect(arrayMerge.code == 400)
        let unknownType = await api.call("patch", ["kind": "cm", "name": "c", "patchType": "apply", "patch": [:]])
        #expect(unknownType.code == 415)
        #expect(unknownType.reason == "UnsupportedMediaType")
    }

    @Test func jsonPatchSeesAndTestsTheResourceVersion() async throws {
        let api = try await APIHarness()
        let created = await api.create(configMap("v", data: ["a": "1"]))
        let version = created.resourceVersion
        let ok = await api.call(
            "patch",
            [
                "kind": "cm", "name": "v", "patchType": "json",
                "patch": [
                    ["op": "test", "path": "/metadata/resourceVersion", "value": .string(version)],
                    ["op": "add", "path": "/data/b", "value": "2"],
                ],
            ])
        #expect(ok.code == 200)
        let stale = await api.call(
            "patch",
            [
                "kind": "cm", "name": "v", "patchType": "json",
                "patch": [
                    ["op": "replace", "path": "/metadata/resourceVersion", "value": .string(version)],
                    ["op": "add", "path": "/data/c", "value": "3"],
                ],
            ])
        #expect(stale.code == 409)
    }

    @Test func strategicPatchMergesContainersByName() async throws {
        let api = try await APIHarness()
        var object = deployment("web")
        object[path: ["spec", "template", "spec", "containers"]] = [
            ["name": "web", "image": "nginx:1.27", "env": [["name": "A", "value": "1"]]],
            ["name": "sidecar", "image": "busybox"],
        ]
        #expect(await api.create(object).code == 201)
        let patched = await api.call(
            "patch",
            [
                "kind": "deployments", "name": "web", "patchType": "strategic",
                "patch": [
                    "spec": [
                        "template": [
                            "spec": [
                                "containers": [
                                    ["name": "web", "image": "nginx:1.28", "env": [["name": "B", "value": "2"]]]
                                ]
                            ]
                        ]
                    ]
                ],
            ])
        #expect(patched.code == 200)
        let containers = patched["spec", "template", "spec", "containers"]?.arrayValue ?? []
        #expect(containers.map { $0["name"] } == ["web", "sidecar"])
        #expect(containers.first?["image"] == "nginx:1.28")
        #expect(containers.first?["env"] == [["name": "A", "value": "1"], ["name": "B", "value": "2"]])
        let noKey = await api.call(
            "patch",
            [
                "kind": "deployments", "name": "web", "patchType": "strategic",
                "patch": ["spec": ["template": ["spec": ["containers": [["image": "x"]]]]]],
            ])
        #expect(noKey.code == 422)
        #expect(noKey["details", "causes", "0", "field"] == "spec.template.spec.containers[0].name")
        let badDirective = await api.call(
            "patch",
            ["kind": "deployments", "name": "web", "patchType": "strategic", "patch": ["spec": ["$patch": "x"]]])
        #expect(badDirective.code == 400)
    }

    @Test func versionAnswersLikeKubesVersionEndpoint() async throws {
        let api = try await APIHarness()
        let answer = await api.call("version", [:])
        #expect(answer.code == 200)
        #expect(answer["major"] == "1")
        #expect(answer["minor"] == "31")
        #expect(answer["gitVersion"]?.stringValue?.hasPrefix("v1.31.") == true)
        #expect(answer["platform"]?.stringValue?.hasPrefix("linux/") == true)
        let unknown = await api.call("frobnicate", [:])
        #expect(unknown.code == 405)
        #expect(unknown.message.hasSuffix("changes, version"))
    }
}
