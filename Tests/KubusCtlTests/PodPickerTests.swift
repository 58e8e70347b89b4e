import ArgumentParser
import Schema
import Testing

@testable import KubusCtl

@Suite struct PodPickerTests {
    func pod(
        _ name: String, node: String? = "n1", phase: String = "Running", ready: Bool = true, readySince: String? = nil,
        restarts: Int64 = 0, created: String = "2024-01-01T00:00:00Z"
    ) -> JSONValue {
        var object: JSONValue = [
            "kind": "Pod", "metadata": ["name": .string(name), "creationTimestamp": .string(created)],
            "spec": ["containers": [["name": "app"]]],
            "status": [
                "phase": .string(phase),
                "conditions": [
                    [
                        "type": "Ready", "status": ready ? "True" : "False",
                        "lastTransitionTime": .string(readySince ?? created),
                    ]
                ],
                "containerStatuses": [["name": "app", "restartCount": .int(restarts)]],
            ],
        ]
        if let node { object[path: ["spec", "nodeName"]] = .string(node) }
        return object
    }

    @Test func logsPreferAssignedRunningReadyOldestAndMostRestarted() {
        let pods = [
            pod("pending", node: nil, phase: "Pending", ready: false),
            pod("notready", ready: false),
            pod("young", readySince: "2024-01-05T00:00:00Z"),
            pod("old", readySince: "2024-01-02T00:00:00Z"),
        ]
        #expect(PodPicker.byLogging(pods).map(\.name) == ["old", "young", "notready", "pending"])
        let restarts = [pod("calm", restarts: 0), pod("crashy", restarts: 4)]
        #expect(PodPicker.byLogging(restarts).first?.name == "crashy")
    }

    @Test func execPrefersTheMostActiveWithFewestRestarts() {
        let pods = [
            pod("pending", node: nil, phase: "Pending", ready: false),
            pod("crashy", restarts: 4),
            pod("calm", restarts: 0),
        ]
        #expect(PodPicker.byActivity(pods).map(\.name) == ["calm", "crashy", "pending"])
    }

    @Test func selectorsOfWorkloads() throws {
        let deployment: JSONValue = [
            "kind": "Deployment", "metadata": ["name": "web"],
            "spec": [
                "selector": [
                    "matchLabels": ["app": "web"],
                    "matchExpressions": [["key": "tier", "operator": "In", "values": ["a", "b"]]],
                ]
            ],
        ]
        let selector = try PodPicker.selector(of: deployment, info: .deployment, verb: "get the logs from")
        #expect(selector.contains("app=web"))
        #expect(selector.contains("tier in (a,b)"))
        let service: JSONValue = ["kind": "Service", "metadata": ["name": "s"], "spec": ["selector": ["app": "web"]]]
        #expect(try PodPicker.selector(of: service, info: .service, verb: "x") == "app=web")
        #expect(throws: CtlError("invalid service 's': Service is defined without a selector")) {
            try PodPicker.selector(of: ["metadata": ["name": "s"]], info: .service, verb: "x")
        }
        #expect(throws: CtlError("cannot get the logs from cronjobs.batch \"c\": selector for CronJob not implemented"))
        {
            try PodPicker.selector(of: ["metadata": ["name": "c"]], info: .cronJob, verb: "get the logs from")
        }
        #expect(try PodPicker.target("deploy/web") == (.deployment, "web"))
        #expect(try PodPicker.target("web-0") == (.pod, "web-0"))
        #expect(try PodPicker.target("sts/db") == (.statefulSet, "db"))
    }

    @Test func containerDefaultsToTheFirstWithKubectlsNotice() throws {
        let pod: JSONValue = [
            "metadata": ["name": "web"],
            "spec": ["initContainers": [["name": "setup"]], "containers": [["name": "app"], ["name": "side"]]],
        ]
        let chosen = try ContainerChoice.resolve(pod, requested: nil)
        #expect(chosen.name == "app")
        #expect(chosen.notice == "Defaulted container \"app\" out of: setup (init), app, side")
        #expect(try ContainerChoice.resolve(pod, requested: "side").name == "side")
        #expect(try ContainerChoice.resolve(["spec": ["containers": [["name": "only"]]]], requested: nil).notice == nil)
        #expect(throws: APIError.self) { try ContainerChoice.resolve(pod, requested: "nope") }
    }

    @Test func logsArgumentsAndPrefixes() throws {
        #expect(try LogsCommand.split(["web"], selector: nil) == ("web", nil))
        #expect(try LogsCommand.split(["web", "app"], selector: nil) == ("web", "app"))
        #expect(throws: CtlError("only a selector (-l) or a POD name is allowed")) {
            try LogsCommand.split(["web"], selector: "app=web")
        }
        #expect(throws: CtlError.self) { try LogsCommand.split([], selector: nil) }
        #expect(LogWriter.prefixed("a\nb\n", with: "[pod/web/app] ") == "[pod/web/app] a\n[pod/web/app] b\n")
        #expect(LogsCommand.Source(pod: ["metadata": ["name": "web"]], container: "app").label == "[pod/web/app] ")
        let parsed = try LogsCommand.parse(["-l", "app=web", "--prefix", "--max-log-requests", "8", "-f"])
        #expect(parsed.selector == "app=web" && parsed.prefix && parsed.maxLogRequests == 8 && parsed.follow)
    }
}
