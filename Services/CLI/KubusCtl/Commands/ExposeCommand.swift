import ArgumentParser
import Client
import Schema

/// `kubusctl expose TYPE NAME | -f FILE [--port] [--target-port] [--name] [--type] ...`: a Service for a Pod,
/// Service, Deployment or ReplicaSet, as kubectl expose generates it (`ServiceExposer`).
struct ExposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expose",
        abstract:
            "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service.",
        discussion: """
            Uses the selector of the resource (a pod's labels) as the selector of a new Service on the given port, or \
            on the resource's ports (a workload's container ports) when --port is not given; without --labels the \
            Service gets the resource's labels. Possible resources: pod (po), service (svc), deployment (deploy), \
            replicaset (rs).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Argument(help: "TYPE NAME or TYPE/NAME.") var arguments: [String] = []

    @Option(help: "The port that the service should serve on. Copied from the resource being exposed, if unspecified.")
    var port: String = ""
    @Option(
        name: .customLong("target-port"),
        help: "Name or number for the port on the container that the service should direct traffic to.")
    var targetPort: String = ""
    @Option(
        name: .customLong("protocol"), help: "The network protocol for the service to be created. Default is 'TCP'.")
    var protocolName: String = ""
    @Option(help: "The name for the newly created object.") var name: String = ""
    @Option(help: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.")
    var type: String = ""
    @Option(help: "A label selector to use for this service (equality only). Default: the resource's selector.")
    var selector: String = ""
    @Option(name: [.customShort("l"), .long], help: "Labels to apply to the service created by this call.")
    var labels: String = ""
    @Option(name: .customLong("external-ip"), help: "Additional external IP address to accept for the service.")
    var externalIP: String = ""
    @Option(name: .customLong("load-balancer-ip"), help: "IP to assign to the LoadBalancer.")
    var loadBalancerIP: String = ""
    @Option(name: .customLong("session-affinity"), help: "None or ClientIP.") var sessionAffinity: String = ""
    @Option(name: .customLong("cluster-ip"), help: "ClusterIP to be assigned to the service; None for a headless one.")
    var clusterIP: String = ""

    @Option(name: .customLong("dry-run"), help: "none, client or server.") var dryRun: DryRunMode = .none
    @Option(name: [.short, .long], help: "Output: yaml, json or name.") var output: String?

    var exposer: ServiceExposer {
        ServiceExposer(
            options: .init(
                name: name, port: port, targetPort: targetPort, protocolName: protocolName, type: type,
                selector: selector,
                labels: labels, externalIP: externalIP, loadBalancerIP: loadBalancerIP,
                sessionAffinity: sessionAffinity,
                clusterIP: clusterIP))
    }

    func run() async throws {
        try await Console.run {
            var objects: [(KindInfo, JSONValue)] = []
            if !fileOptions.files.isEmpty {
                // As kubectl: the objects of the files, as written.
                for source in try ManifestFiles.collect(fileOptions.files, recursive: fileOptions.recursive) {
                    for item in try ManifestFiles.read(source) {
                        objects.append((try ResourceTypes.kind(item.object.kindName), item.object))
                    }
                }
            } else {
                guard !arguments.isEmpty else {
                    throw CtlError("You must provide one or more resources by argument or filename.")
                }
                guard arguments[0].contains("/") || arguments.count > 1 else {
                    throw CtlError("resource(s) were provided, but no name was specified")
                }
                let client = try global.client()
                for target in try ResourceTypes.parse(arguments) {
                    for name in target.names {
                        let namespace = target.info.namespaced ? global.resolvedNamespace : nil
                        objects.append(
                            (
                                target.info,
                                try await client.get(kind: target.info.kind, namespace: namespace, name: name)
                            ))
                    }
                }
            }
            for (info, object) in objects {
                let service = try exposer.service(exposing: object, info: info, namespace: global.namespace)
                try await createAndReport(service, global: global, dryRun: dryRun, output: output, operation: "exposed")
            }
        }
    }
}
