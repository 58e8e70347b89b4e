import ArgumentParser
import Client
import Schema

/// `kubusctl describe TYPE [NAME]`.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Show details of a specific resource or group of resources.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE [NAME...] or TYPE/NAME.")
    var arguments: [String] = []

    @Flag(name: [.customShort("A"), .long], help: "Across all namespaces.")
    var allNamespaces = false

    @OptionGroup var selectorOption: SelectorOption
    var selector: String? { selectorOption.selector }

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            var failed = false
            var first = true
            for target in try ResourceTypes.parse(arguments) {
                let ns = target.info.namespaced ? (allNamespaces ? nil : global.resolvedNamespace) : nil
                var objects: [JSONValue] = []
                if target.names.isEmpty {
                    objects = try await client.list(kind: target.info.kind, namespace: ns, labelSelector: selector)
                        .items
                } else {
                    for name in target.names {
                        do {
                            objects.append(try await client.get(kind: target.info.kind, namespace: ns, name: name))
                        } catch {
                            Console.err(ErrorFormatter.format(error))
                            failed = true
                        }
                    }
                }
                for object in objects {
                    let eventNamespace = target.info.namespaced ? object.namespace : "default"
                    let events = (try? await client.list(kind: "Event", namespace: eventNamespace).items) ?? []
                    if !first { Console.line("") }
                    first = false
                    let related = await Self.related(object, info: target.info, client: client)
                    Console.out(
                        Describer.describe(
                            object, events: Describer.events(about: object, in: events), related: related))
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    /// What `describe` shows beside an object: a node's lease and pods, a workload's pods, a Deployment's
    /// ReplicaSets, a Service's Endpoints, the pods of a claim's namespace. Best effort: a failed read leaves
    /// the part out.
    static func related(_ object: JSONValue, info: KindInfo, client: KubusClient) async -> DescribeRelated {
        var related = DescribeRelated()
        let namespace = object.namespace
        func ownedPods() async -> [JSONValue] {
            guard let value = object.at("spec.selector"), let selector = try? value.decode(as: LabelSelector.self)
            else { return [] }
            let pods =
                (try? await client.list(kind: "Pod", namespace: namespace, labelSelector: selector.selectorString).items)
                ?? []
            let uid = object.str("metadata.uid")
            return pods.filter { pod in
                let owners = pod.list("metadata.ownerReferences")
                return owners.isEmpty || owners.contains { $0.str("uid") == uid }
            }
        }
        switch info.kind {
        case "Node":
            related.lease = try? await client.get(kind: "Lease", namespace: "kube-node-lease", name: object.name)
            related.pods = (try? await DrainCommand.pods(on: object.name, selector: nil, client: client)) ?? []
        case "Deployment":
            related.replicaSets = (try? await client.list(kind: "ReplicaSet", namespace: namespace).items) ?? []
        case "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
            related.pods = await ownedPods()
        case "Service":
            related.endpoints = try? await client.get(kind: "Endpoints", namespace: namespace, name: object.name)
        case "Ingress":
            // As kubectl: the Endpoints of each backend Service, then the Service (for the port's name).
            let backends =
                ([object.at("spec.defaultBackend")]
                + object.list("spec.rules").flatMap { rule in
                    rule.list("http.paths").map { $0.at("backend") }
                }).compactMap { $0?.str("service.name") }
            for name in Set(backends) {
                do {
                    related.backendEndpoints[name] = try await client.get(
                        kind: "Endpoints", namespace: namespace, name: name)
                    related.backendServices[name] = try await client.get(
                        kind: "Service", namespace: namespace, name: name)
                } catch {
                    related.backendErrors[name] = error.status.message ?? "\(error)"
                }
            }
        case "PersistentVolumeClaim":
            related.pods = (try? await client.list(kind: "Pod", namespace: namespace).items) ?? []
        case "Namespace":
            related.quotas = (try? await client.list(kind: "ResourceQuota", namespace: object.name).items) ?? []
            related.limitRanges = (try? await client.list(kind: "LimitRange", namespace: object.name).items) ?? []
        default:
            break
        }
        return related
    }
}
