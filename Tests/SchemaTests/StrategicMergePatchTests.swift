import Testing

@testable import Schema

@Suite struct StrategicMergePatchTests {
    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    func apply(_ patch: String, to original: String, kind: String = "Deployment") throws -> JSONValue {
        try StrategicMergePatch.apply(json(patch), to: json(original), kind: kind)
    }

    let deployment = #"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{
           "containers":[
             {"name":"web","image":"nginx:1.25","ports":[{"containerPort":80},{"containerPort":443}],
              "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"args":["-x","-y"]},
             {"name":"sidecar","image":"busybox"}],
           "tolerations":[{"key":"a","operator":"Exists"}]}}}}
        """#

    @Test func containersMergeByName() throws {
        let patched = try apply(
            #"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}"#, to: deployment)
        let containers = patched[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        #expect(containers.count == 2)
        #expect(containers[0]["image"] == "nginx:1.27")
        #expect(containers[0]["ports"]?.arrayValue?.count == 2)
        #expect(containers[1]["name"] == "sidecar")
        // A JSON merge patch of the same document replaces the list: the sidecar is gone.
        let merged = try json(deployment).mergePatched(
            with: json(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}"#))
        #expect(merged[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
    }

    @Test func newContainersAreAppendedAndDeletedByDirective() throws {
        let patched = try apply(
            #"{"spec":{"template":{"spec":{"containers":[{"name":"logger","image":"fluentd"},{"name":"sidecar","$patch":"delete"}]}}}}"#,
            to: deployment)
        let names = patched[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.map { $0["name"] }
        #expect(names == ["web", "logger"])
    }

    @Test func envMergesByNameAndNullRemovesAField() throws {
        let patched = try apply(
            #"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}],"args":["-z"]}]}}}}"#,
            to: deployment)
        let web = patched[path: ["spec", "template", "spec", "containers", "0"]]
        #expect(
            try web?["env"] == json(#"[{"name":"A","value":"1"},{"name":"B","value":"20"},{"name":"C","value":"3"}]"#))
        // args has no merge key: it is replaced.
        #expect(web?["args"] == ["-z"])
        let cleared = try apply(#"{"spec":{"replicas":null}}"#, to: deployment)
        #expect(cleared[path: ["spec", "replicas"]] == nil)
    }

    @Test func portsMergeByContainerPortAndServicePortsByPort() throws {
        let patched = try apply(
            #"{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":443,"name":"https"},{"containerPort":8080}]}]}}}}"#,
            to: deployment)
        #expect(
            try patched[path: ["spec", "template", "spec", "containers", "0", "ports"]]
                == json(#"[{"containerPort":80},{"containerPort":443,"name":"https"},{"containerPort":8080}]"#))
        let service = #"{"kind":"Service","spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}"#
        let svc = try apply(#"{"spec":{"ports":[{"port":80,"targetPort":9090}]}}"#, to: service, kind: "Service")
        #expect(try svc[path: ["spec", "ports"]] == json(#"[{"port":80,"targetPort":9090},{"port":443}]"#))
    }

    @Test func tolerationsKeepReplaceSemantics() throws {
        let patched = try apply(
            #"{"spec":{"template":{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}}}"#, to: deployment)
        #expect(
            try patched[path: ["spec", "template", "spec", "tolerations"]]
                == json(#"[{"key":"b","operator":"Exists"}]"#))
    }

    @Test func listReplaceDirective() throws {
        let patched = try apply(
            #"{"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x"}]}}}}"#,
            to: deployment)
        #expect(
            try patched[path: ["spec", "template", "spec", "containers"]] == json(#"[{"name":"only","image":"x"}]"#))
    }

    @Test func mapDirectivesAndRetainKeys() throws {
        let replaced = try apply(#"{"metadata":{"labels":{"$patch":"replace","tier":"front"}}}"#, to: deployment)
        #expect(replaced[path: ["metadata", "labels"]] == ["tier": "front"])
        let deleted = try apply(#"{"metadata":{"labels":{"$patch":"delete"}}}"#, to: deployment)
        #expect(deleted[path: ["metadata", "labels"]] == nil)
        let strategy = #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#
        let retained = try apply(#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#, to: strategy)
        #expect(retained[path: ["spec", "strategy"]] == ["type": "Recreate"])
        #expect(throws: PatchError.self) {
            try apply(#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}"#, to: strategy)
        }
    }

    @Test func primitiveListsMergeAsSetsWithDeleteDirective() throws {
        let object = #"{"metadata":{"finalizers":["a","b"]}}"#
        let added = try apply(#"{"metadata":{"finalizers":["b","c"]}}"#, to: object, kind: "ConfigMap")
        #expect(added[path: ["metadata", "finalizers"]] == ["a", "b", "c"])
        let removed = try apply(
            #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#, to: object, kind: "ConfigMap")
        #expect(removed[path: ["metadata", "finalizers"]] == ["b"])
    }

    @Test func conditionsMergeByType() throws {
        let pod =
            #"{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}"#
        let patched = try apply(#"{"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#, to: pod, kind: "Pod")
        #expect(
            try patched[path: ["status", "conditions"]]
                == json(#"[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]"#))
        let job = #"{"status":{"conditions":[{"type":"Complete","status":"True"}]}}"#
        let jobPatched = try apply(
            #"{"status":{"conditions":[{"type":"Failed","status":"False"}]}}"#, to: job, kind: "Job")
        #expect(jobPatched[path: ["status", "conditions"]]?.arrayValue?.count == 2)
    }

    @Test func setElementOrder() throws {
        let patched = try apply(
            #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}}}"#,
            to: deployment)
        #expect(
            patched[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.map { $0["name"] } == [
                "sidecar", "web",
            ])
    }

    @Test func aMissingMergeKeyIsAnErrorNamingTheField() throws {
        do {
            _ = try apply(#"{"spec":{"template":{"spec":{"containers":[{"image":"nginx"}]}}}}"#, to: deployment)
            Issue.record("expected an error")
        } catch let error as PatchError {
            #expect(!error.isMalformed)
            #expect(error.fieldErrors.first?.field == "spec.template.spec.containers[0].name")
            #expect(error.message.contains("does not contain declared merge key: name"))
        }
        #expect(throws: PatchError.self) { try apply(#"{"metadata":{"$patch":"explode"}}"#, to: deployment) }
        #expect(throws: PatchError.self) { try apply(#"[1]"#, to: deployment) }
    }

    @Test func podsAndCronJobTemplatesUseTheSameKeys() throws {
        let pod =
            #"{"spec":{"containers":[{"name":"a","image":"x","volumeMounts":[{"name":"v","mountPath":"/data"}]}],"volumes":[{"name":"v","emptyDir":{}}]}}"#
        let patched = try apply(
            #"{"spec":{"containers":[{"name":"a","volumeMounts":[{"name":"w","mountPath":"/cache"}]}],"volumes":[{"name":"w","emptyDir":{}}]}}"#,
            to: pod, kind: "Pod")
        #expect(patched[path: ["spec", "containers", "0", "volumeMounts"]]?.arrayValue?.count == 2)
        #expect(patched[path: ["spec", "volumes"]]?.arrayValue?.count == 2)
        let cron =
            #"{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}}}}}"#
        let cronPatched = try apply(
            #"{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"z"}]}}}}}}"#,
            to: cron, kind: "CronJob")
        #expect(
            cronPatched[path: ["spec", "jobTemplate", "spec", "template", "spec", "containers", "1", "image"]] == "z")
        #expect(
            cronPatched[path: ["spec", "jobTemplate", "spec", "template", "spec", "containers"]]?.arrayValue?.count == 2
        )
    }
}
