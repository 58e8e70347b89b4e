import ArgumentParser
import Client
import Foundation
import Schema

/// `kubusctl port-forward TYPE/NAME [LOCAL:]REMOTE...`: local ports forwarded to a pod, through the bus and the
/// pod's kubelet (`PortForwarder`); runs until interrupted.
struct PortForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port-forward",
        abstract: "Forward one or more local ports to a pod.",
        discussion: """
            TYPE/NAME is a pod (pod/NAME or NAME) or a resource whose pods are chosen as kubectl does (svc/, deploy/, \
            rs/, sts/, ds/, job/): a running pod of its selector. For a Service the remote port is a Service port \
            (number or name), forwarded to its target port on the pod. [LOCAL:]REMOTE: LOCAL 0 or empty (:80) picks \
            a free port; a named REMOTE port is looked up in the pod's containers. Listens on 127.0.0.1 unless \
            --address says otherwise (localhost: 127.0.0.1 and ::1).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE/NAME (or a pod's NAME), then [LOCAL_PORT:]REMOTE_PORT...")
    var arguments: [String] = []

    @Option(
        name: .customLong("address"),
        help: "Addresses to listen on (comma separated or repeated): IP addresses or localhost.")
    var address: [String] = ["127.0.0.1"]

    @Option(
        name: .customLong("pod-running-timeout"),
        help: ArgumentHelp("How long to wait for a workload's first pod (Go duration).", valueName: "duration"))
    var podRunningTimeout = GoDuration(.seconds(60), text: "1m0s")

    func run() async throws {
        try await Console.run {
            guard arguments.count >= 2 else {
                throw CtlError(
                    arguments.isEmpty
                        ? "TYPE/NAME and list of ports are required for port-forward"
                        : "at least 1 PORT is required for port-forward")
            }
            let addresses = try PortForwardSpec.addresses(address)
            let client = try global.client()
            let namespace = global.resolvedNamespace
            let (info, name) = try PodPicker.target(arguments[0])
            var service: JSONValue?
            let pod: JSONValue
            if info == .pod {
                pod = try await client.get(kind: "Pod", namespace: namespace, name: name)
            } else {
                let object = try await client.get(kind: info.kind, namespace: namespace, name: name)
                if info.kind == "Service" { service = object }
                pod = try await PodPicker.pods(
                    of: object, info: info, namespace: namespace, verb: "forward to", timeout: podRunningTimeout,
                    client: client, order: PodPicker.byActivity)[0]
            }
            guard pod.str("status.phase") == "Running" else {
                throw CtlError(
                    "unable to forward port because pod is not running. Current status=\(pod.str("status.phase") ?? "")"
                )
            }
            let requested = Array(arguments.dropFirst())
            let translated =
                try service.map { try PortForwardSpec.translateServicePorts(requested, service: $0, pod: pod) }
                ?? PortForwardSpec.translatePodPorts(requested, pod: pod)
            let ports = try PortForwardSpec.parse(translated)
            let call = KubeletCall(
                bus: client.bus, node: try ContainerChoice.node(of: pod),
                timeout: max(.seconds(5), global.requestDuration))
            let forwarder = PortForwarder(call: call, namespace: namespace, pod: pod.name)
            let bound = try await forwarder.bind(ports, addresses: addresses)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await forwarder.serve(bound) }
                group.addTask {
                    for await _ in Terminal.interrupts() { return }
                }
                await group.next()
                group.cancelAll()
            }
            await forwarder.closeAll()
        }
    }
}
