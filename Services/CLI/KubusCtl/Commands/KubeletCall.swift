import Bus
import Client
import Foundation
import Schema
import Wire

/// Requests to the kubelet of a pod's node over the bus (`kubelet.<node>`), with kubectl's checks first.
struct KubeletCall: Sendable {
    let bus: BusClient
    let node: String
    let timeout: Duration

    /// Sends one request; a failure Status becomes an `APIError` (printed as `Error from server (...)`).
    func request<Request: Encodable, Reply: Decodable>(
        _ type: String, _ request: Request, as reply: Reply.Type
    ) async throws -> Reply {
        let payload = try JSONValue(encoding: request).encoded()
        let answer: BusReply
        do {
            answer = try await bus.request(
                service: KubeletService.name(for: node), type: type, payload: payload, timeout: timeout)
        } catch {
            throw CtlError(
                "the kubelet of node \"\(node)\" is not answering on the bus (\(error.message)); "
                    + "check it with `kubusctl get node \(node)` and `kubus-up status`")
        }
        if answer.code == 503 {
            throw CtlError(
                "the kubelet of node \"\(node)\" is not serving on the bus (no worker for \(KubeletService.name(for: node))); "
                    + "simulated nodes have no logs or exec, and a real node's kubelet may be down: "
                    + "check `kubusctl describe node \(node)`")
        }
        return try KubusClient.decode(code: answer.code, payload: answer.payload, warnings: nil).body
            .decode(as: Reply.self)
    }
}

/// Which container of a pod a command means, and whether it can serve logs or exec (kubectl's rules).
enum ContainerChoice {
    static let defaultContainerAnnotation = "kubectl.kubernetes.io/default-container"

    /// The container named `requested`, else the pod's default-container annotation, else its first container;
    /// `notice` is kubectl's `Defaulted container "a" out of: ...` when the pod has others.
    static func resolve(_ pod: JSONValue, requested: String?) throws -> (name: String, notice: String?) {
        let containers = pod.list("spec.containers").map(\.name)
        let initContainers = pod.list("spec.initContainers").map(\.name)
        let ephemeral = pod.list("spec.ephemeralContainers").map(\.name)
        if let requested {
            guard containers.contains(requested) || initContainers.contains(requested) || ephemeral.contains(requested)
            else {
                throw badRequest("container \(requested) is not valid for pod \(pod.name) out of: \(allNames(pod))")
            }
            return (requested, nil)
        }
        if let annotated = pod.stringMap("metadata.annotations")[defaultContainerAnnotation],
            containers.contains(annotated)
        {
            return (annotated, nil)
        }
        guard let first = containers.first else { throw badRequest("pod \(pod.name) does not have any containers") }
        let others = containers.count > 1 || !initContainers.isEmpty || !ephemeral.isEmpty
        return (first, others ? "Defaulted container \"\(first)\" out of: \(allNames(pod))" : nil)
    }

    /// `init (init), app, debug (ephem)`, as kubectl lists a pod's containers.
    static func allNames(_ pod: JSONValue) -> String {
        (pod.list("spec.initContainers").map { "\($0.name) (init)" } + pod.list("spec.containers").map(\.name)
            + pod.list("spec.ephemeralContainers").map { "\($0.name) (ephem)" }).joined(separator: ", ")
    }

    /// The pod's node; throws kubectl's error when it has none yet.
    static func node(of pod: JSONValue) throws -> String {
        guard let node = pod.str("spec.nodeName"), !node.isEmpty else {
            throw badRequest("pod \(pod.name) does not have a host assigned")
        }
        return node
    }

    /// Throws kubectl's error when `container` has not started yet (it has no log and nothing to exec in).
    static func requireStarted(_ pod: JSONValue, container: String, previous: Bool = false) throws {
        let statuses = pod.list("status.containerStatuses") + pod.list("status.initContainerStatuses")
        let status = statuses.first { $0.name == container }
        if previous {
            guard status?.at("lastState.terminated") != nil else {
                throw badRequest("previous terminated container \"\(container)\" in pod \"\(pod.name)\" not found")
            }
            return
        }
        if let waiting = status?.at("state.waiting"), status?.at("lastState.terminated") == nil {
            let reason = waiting.str("reason") ?? "ContainerCreating"
            throw badRequest("container \"\(container)\" in pod \"\(pod.name)\" is waiting to start: \(reason)")
        }
        if status == nil || status?.at("state")?.objectValue?.isEmpty != false {
            throw badRequest("container \"\(container)\" in pod \"\(pod.name)\" is waiting to start: ContainerCreating")
        }
    }

    /// Throws kubectl's error when `container` is not running (exec needs a running process).
    static func requireRunning(_ pod: JSONValue, container: String) throws {
        let phase = pod.str("status.phase")
        if phase == "Succeeded" || phase == "Failed" {
            throw badRequest("cannot exec into a container in a completed pod; current phase is \(phase!)")
        }
        try requireStarted(pod, container: container)
        let status = (pod.list("status.containerStatuses") + pod.list("status.initContainerStatuses"))
            .first { $0.name == container }
        if status?.at("state.running") == nil {
            throw badRequest("container \(container) is not running in pod \(pod.name)")
        }
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(status: Status(status: "Failure", message: message, reason: "BadRequest", code: 400))
    }
}
