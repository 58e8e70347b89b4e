import Foundation
import Schema
import Testing

@testable import KubusCtl

@Suite struct OutputTests {
    let pods: [JSONValue] = [
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "a", "namespace": "default"],
            "status": ["phase": "Running"],
        ],
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "b", "namespace": "default"],
            "status": ["phase": "Pending"],
        ],
    ]

    @Test func outputName() throws {
        let text = try GetRenderer.render(
            [.init(info: .pod, objects: pods, named: false)], output: "name", options: TableOptions())
        #expect(text == "pod/a\npod/b\n")
        let deploy: JSONValue = ["kind": "Deployment", "metadata": ["name": "web"]]
        #expect(
            try GetRenderer.render(
                [.init(info: .deployment, objects: [deploy], named: true)], output: "name",
                options: TableOptions()) == "deployment.apps/web\n")
    }

    @Test func jsonpathOnListAndObject() throws {
        let list = try GetRenderer.render(
            [.init(info: .pod, objects: pods, named: false)],
            output: "jsonpath={.items[*].metadata.name}", options: TableOptions())
        #expect(list == "a b")
        let one = try GetRenderer.render(
            [.init(info: .pod, objects: [pods[0]], named: true)],
            output: "jsonpath={.status.phase}", options: TableOptions())
        #expect(one == "Running")
        let name = try JSONPathTemplate("{.metadata.name}").render(pods[1])
        #expect(name == "b")
    }

    @Test func jsonpathRangeLiteralsAndQuotedKeys() throws {
        let list: JSONValue = ["items": .array(pods)]
        let text = try JSONPathTemplate(#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#).render(
            list)
        #expect(text == "a\tRunning\nb\tPending\n")
        let labelled: JSONValue = ["metadata": ["labels": ["app.kubernetes.io/name": "web"]]]
        #expect(try JSONPathTemplate("{.metadata.labels['app.kubernetes.io/name']}").render(labelled) == "web")
        #expect(try JSONPathTemplate("{.items[0].metadata.name}").render(list) == "a")
        #expect(throws: CtlError.self) { try JSONPathTemplate("{.items[*") }
    }

    @Test func yamlAndJSONOfASingleObjectAndOfAList() throws {
        let yaml = try GetRenderer.render(
            [.init(info: .pod, objects: [pods[0]], named: true)], output: "yaml",
            options: TableOptions())
        #expect(yaml.hasPrefix("apiVersion: v1\nkind: Pod\n"))
        let json = try GetRenderer.render(
            [.init(info: .pod, objects: pods, named: false)], output: "json",
            options: TableOptions())
        let parsed = try JSONValue.parse(json)
        #expect(parsed["kind"] == "List")
        #expect(parsed["items"]?.arrayValue?.count == 2)
        #expect(json.hasPrefix("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\""))
    }

    @Test func unknownOutputFormat() {
        #expect(throws: CtlError.self) {
            try GetRenderer.render([], output: "xml", options: TableOptions())
        }
    }

    @Test func errorsAreFormattedLikeKubectl() {
        let notFound = APIError.notFound(.pod, "x")
        #expect(ErrorFormatter.format(notFound) == #"Error from server (NotFound): pods "x" not found"#)
        let exists = APIError.alreadyExists(.configMap, "cfg")
        #expect(ErrorFormatter.format(exists) == #"Error from server (AlreadyExists): configmaps "cfg" already exists"#)
        #expect(
            ErrorFormatter.server(exists, context: #"error when creating "f.yaml""#)
                == #"Error from server (AlreadyExists): error when creating "f.yaml": configmaps "cfg" already exists"#)
        #expect(
            ErrorFormatter.format(CtlError("the server doesn't have a resource type \"foo\""))
                == #"error: the server doesn't have a resource type "foo""#)
    }

    @Test func resourceArguments() throws {
        let several = try ResourceTypes.parse(["po,deploy", "a"])
        #expect(several.map(\.info) == [.pod, .deployment])
        #expect(several.map(\.names) == [["a"], ["a"]])
        let slashed = try ResourceTypes.parse(["pod/a", "pod/b", "svc/c"])
        #expect(slashed.map(\.info) == [.pod, .service])
        #expect(slashed[0].names == ["a", "b"])
        #expect(
            try ResourceTypes.parse(["all"]).map(\.info.kind) == [
                "Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "HorizontalPodAutoscaler",
                "CronJob",
                "Job",
            ])
        #expect(throws: CtlError.self) { try ResourceTypes.parse(["foo"]) }
        #expect(noResourcesMessage(namespace: "default") == "No resources found in default namespace.")
    }

    @Test func describeShowsEventsOrNone() {
        let pod: JSONValue = [
            "kind": "Pod",
            "metadata": [
                "name": "web", "namespace": "default", "uid": "u1",
                "labels": ["app": "web"],
            ], "spec": ["containers": [["name": "c", "image": "nginx"]]],
        ]
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let event: JSONValue = [
            "kind": "Event", "type": "Normal", "reason": "Scheduled", "message": "assigned to n1",
            "involvedObject": ["kind": "Pod", "name": "web", "uid": "u1"], "source": ["component": "default-scheduler"],
            "lastTimestamp": .string(Time(now.addingTimeInterval(-10)).rawValue),
        ]
        let other: JSONValue = ["kind": "Event", "involvedObject": ["kind": "Pod", "name": "db"]]
        let events = Describer.events(about: pod, in: [event, other])
        #expect(events == [event])
        let text = Describer.describe(pod, events: events, now: now)
        #expect(text.hasPrefix("Name:             web\nNamespace:        default\n"))
        #expect(text.contains("Labels:           app=web\n"))
        #expect(text.contains("  Normal  Scheduled  10s   default-scheduler  assigned to n1"))
        #expect(
            Describer.describe(pod, events: [], now: now).hasSuffix(
                "Tolerations:        <none>\nEvents:             <none>\n"))
    }
}
