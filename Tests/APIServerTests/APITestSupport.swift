import APIServer
import APITesting
import Bus
import Foundation
import Logging
import Schema
import Store
import StoreTesting
import Testing

/// One reply, parsed.
struct Answer {
    var code: Int
    var body: JSONValue
    var warnings: String?

    var message: String { body["message"]?.stringValue ?? "" }
    var reason: String { body["reason"]?.stringValue ?? "" }
    var resourceVersion: String { body[path: ["metadata", "resourceVersion"]]?.stringValue ?? "" }
    subscript(path: String...) -> JSONValue? { body[path: path] }
}

/// An api handler over a fresh in-memory store, with the system namespaces created.
struct APIHarness {
    let backend: MemoryBackend
    let handler: APIHandler

    init() async throws {
        backend = MemoryBackend()
        handler = APIHandler(store: BackendStoreAccess(backend: backend), logger: Logger(label: "test"))
        try await handler.bootstrap()
    }

    /// A harness over a handler built by the test (bootstrap it before use).
    init(backend: MemoryBackend, handler: APIHandler) {
        self.backend = backend
        self.handler = handler
    }

    func call(_ verb: String, _ payload: JSONValue, id: String = UUID().uuidString) async -> Answer {
        await raw(verb, payload.encoded(), id: id)
    }

    func raw(_ verb: String, _ payload: [UInt8], id: String = UUID().uuidString) async -> Answer {
        let reply = await handler.handle(verb: verb, payload: payload, requestID: id)
        let body = (try? JSONValue.parse(reply.payload)) ?? .string(String(decoding: reply.payload, as: UTF8.self))
        if reply.code >= 400 {
            #expect(reply.envelope.code == reply.code)
            #expect(body["kind"] == "Status")
            #expect(body["code"]?.intValue == Int64(reply.code))
        }
        return Answer(code: reply.code, body: body, warnings: reply.envelope.extra["warnings"])
    }

    func create(_ object: JSONValue, fieldValidation: String? = nil, id: String = UUID().uuidString) async -> Answer {
        var payload: JSONValue = ["object": object]
        if let fieldValidation { payload["fieldValidation"] = .string(fieldValidation) }
        return await call("create", payload, id: id)
    }

    func get(_ kind: String, _ name: String, namespace: String? = nil) async -> Answer {
        var payload: JSONValue = ["kind": .string(kind), "name": .string(name)]
        if let namespace { payload["namespace"] = .string(namespace) }
        return await call("get", payload)
    }

    func delete(_ kind: String, _ name: String, namespace: String? = nil, extra: JSONValue = [:]) async -> Answer {
        var payload = extra
        payload["kind"] = .string(kind)
        payload["name"] = .string(name)
        if let namespace { payload["namespace"] = .string(namespace) }
        return await call("delete", payload)
    }
}

func configMap(_ name: String, namespace: String? = nil, labels: [String: String] = [:], data: JSONValue = [:])
    -> JSONValue
{
    var meta: JSONValue = ["name": .string(name)]
    if let namespace { meta["namespace"] = .string(namespace) }
    if !labels.isEmpty { meta["labels"] = .object(labels.mapValues { .string($0) }) }
    return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data]
}

func deployment(_ name: String, replicas: Int64? = nil) -> JSONValue {
    var spec: JSONValue = [
        "selector": ["matchLabels": ["app": .string(name)]],
        "template": [
            "metadata": ["labels": ["app": .string(name)]],
            "spec": ["containers": [["name": "web", "image": "nginx:1.27"]]],
        ],
    ]
    if let replicas { spec["replicas"] = .int(replicas) }
    return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)], "spec": spec]
}
