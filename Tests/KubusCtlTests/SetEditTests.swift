import ArgumentParser
import Schema
import Testing

@testable import KubusCtl

@Suite struct SetEditTests {
    let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
        "spec": [
            "template": [
                "spec": [
                    "initContainers": [["name": "setup", "image": "busybox"]],
                    "containers": [
                        [
                            "name": "web", "image": "nginx:1.25",
                            "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                        ],
                        ["name": "side", "image": "busybox"],
                    ],
                ]
            ]
        ],
    ]

    func containers(_ object: JSONValue) -> [JSONValue] { PodTemplate.containers(object) }

    @Test func setImageByNameAndWildcard() throws {
        let one = try SetImageEdit.parse(["web=nginx:1.27"]).apply(to: deployment)
        #expect(containers(one).map { $0.str("image") } == ["nginx:1.27", "busybox"])
        let all = try SetImageEdit.parse(["*=registry.k8s.io/pause"]).apply(to: deployment)
        #expect(containers(all).allSatisfy { $0.str("image") == "registry.k8s.io/pause" })
        #expect(PodTemplate.containers(all, field: "initContainers").first?.str("image") == "registry.k8s.io/pause")
        #expect(throws: CtlError("unable to find container named \"nope\"")) {
            try SetImageEdit.parse(["nope=x"]).apply(to: deployment)
        }
        #expect(throws: CtlError("at least one image update is required")) { try SetImageEdit.parse([]) }
        let pod: JSONValue = [
            "kind": "Pod", "metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "a"]]],
        ]
        #expect(try SetImageEdit.parse(["c=b"]).apply(to: pod)[path: ["spec", "containers", "0", "image"]] == "b")
        let cron: JSONValue = [
            "kind": "CronJob", "metadata": ["name": "c"],
            "spec": ["jobTemplate": ["spec": ["template": ["spec": ["containers": [["name": "c", "image": "a"]]]]]]],
        ]
        #expect(containers(try SetImageEdit.parse(["c=b"]).apply(to: cron)).first?.str("image") == "b")
        #expect(throws: CtlError.self) {
            try SetImageEdit.parse(["c=b"]).apply(to: ["kind": "ConfigMap", "metadata": ["name": "x"]])
        }
    }

    @Test func setEnvSetsReplacesAppendsAndRemoves() throws {
        let edit = try SetEnvEdit.parse(["B=20", "C=3", "A-"])
        let env = try edit.apply(to: containers(deployment)[0].list("env"), overwrite: true)
        #expect(env == [["name": "B", "value": "20"], ["name": "C", "value": "3"]])
        #expect(throws: CtlError("'B' already has a value (2), and --overwrite is false")) {
            try edit.apply(to: containers(deployment)[0].list("env"), overwrite: false)
        }
        #expect(throws: CtlError.self) { try SetEnvEdit.parse(["1BAD=x"]) }
        #expect(throws: CtlError("unknown environment variable: JUSTANAME")) { try SetEnvEdit.parse(["JUSTANAME"]) }
    }

    @Test func setEnvFromSecretsAndConfigMaps() throws {
        let secret: JSONValue = [
            "kind": "Secret", "metadata": ["name": "creds"], "data": ["db-user": "dQ==", "pass.word": "cA=="],
        ]
        let refs = try SetEnvEdit.references(from: secret, keys: [], prefix: "APP_")
        #expect(
            refs == [
                ["name": "APP_DB_USER", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "db-user"]]],
                ["name": "APP_PASS_WORD", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "pass.word"]]],
            ])
        let config: JSONValue = ["kind": "ConfigMap", "metadata": ["name": "cfg"], "data": ["mode": "fast", "x": "y"]]
        #expect(
            try SetEnvEdit.references(from: config, keys: ["mode"], prefix: "")
                == [["name": "MODE", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "mode"]]]])
        #expect(throws: CtlError("unsupported resource specified in --from")) {
            try SetEnvEdit.references(from: ["kind": "Pod"], keys: [], prefix: "")
        }
    }

    @Test func setEnvListIsKubectls() {
        var object = deployment
        var list = containers(deployment)
        list[1]["env"] = [
            ["name": "TOKEN", "valueFrom": ["secretKeyRef": ["name": "s", "key": "t"]]],
            ["name": "NODE", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]],
        ]
        object[path: ["spec", "template", "spec", "containers"]] = .array(list)
        #expect(
            SetEnvEdit.list(object, containers: "*") == """
                # Deployment web, container web
                A=1
                B=2
                # Deployment web, container side
                # TOKEN from secret s, key t
                # NODE from field path spec.nodeName

                """)
        #expect(SetEnvEdit.list(object, containers: "we?") == "# Deployment web, container web\nA=1\nB=2\n")
    }

    @Test func setResourcesOnMatchingContainers() throws {
        let edit = try SetResourcesEdit.parse(limits: "cpu=200m,memory=512Mi", requests: "cpu=100m")
        let (result, matched) = try edit.apply(to: deployment, containers: "web")
        #expect(matched == 1)
        #expect(
            containers(result)[0].at("resources") == [
                "limits": ["cpu": "200m", "memory": "512Mi"], "requests": ["cpu": "100m"],
            ])
        #expect(containers(result)[1].at("resources") == nil)
        #expect(
            throws: CtlError("you must specify an update to requests or limits (in the form of --requests/--limits)")
        ) {
            try SetResourcesEdit.parse(limits: nil, requests: nil)
        }
        #expect(throws: CtlError.self) { try SetResourcesEdit.parse(limits: "cpu=lots", requests: nil) }
    }

    @Test func wildcards() {
        #expect(PodTemplate.matches("*", "anything"))
        #expect(PodTemplate.matches("web*", "web-1"))
        #expect(PodTemplate.matches("w?b", "web"))
        #expect(!PodTemplate.matches("web", "web-1"))
    }

    @Test func parsesSubcommands() throws {
        let command = try KubusCtlCommand.parseAsRoot([
            "set", "env", "deploy/web", "A=1", "--from", "secret/s", "-c", "web", "--list",
        ])
        let env = try #require(command as? SetEnvCommand)
        #expect(
            env.arguments == ["deploy/web", "A=1"] && env.from == "secret/s" && env.containers == "web" && env.list)
        let image = try #require(
            try KubusCtlCommand.parseAsRoot(["set", "image", "deploy", "web", "web=x", "-l", "a=b"]) as? SetImageCommand
        )
        #expect(image.options.selectorOption.selector == "a=b")
    }
}
