import ArgumentParser
import Client
public import Schema

/// `kubusctl autoscale TYPE NAME --max=N [--min=N] [--cpu-percent=P] [--name=HPA]`: the HorizontalPodAutoscaler
/// kubectl makes (autoscaling/v2). Kubus stores it and the api warns that nothing scales yet (no metrics).
struct AutoscaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoscale",
        abstract: "Auto-scale a deployment, replica set or stateful set (stored; Kubus has no autoscaler yet).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE NAME, or TYPE/NAME") var arguments: [String] = []
    @Option(help: "The upper limit for the number of pods. Required.") var max: Int32 = -1
    @Option(help: "The lower limit for the number of pods; unset: the server's default (1).") var min: Int32 = -1
    @Option(name: .customLong("cpu-percent"), help: "The target average CPU utilization over all the pods.")
    var cpuPercent: Int32 = -1
    @Option(help: "The name of the autoscaler; default: the target's name.") var name: String?
    @Option(name: .customLong("dry-run"), help: "none, client or server.") var dryRun: DryRunMode = .none
    @Option(name: [.short, .long], help: "Output: yaml, json or name.") var output: String?

    func run() async throws {
        try await Console.run {
            if max < 1 { throw CtlError("--max=MAXPODS is required and must be at least 1, max: \(max)") }
            if max < min {
                throw CtlError("--max=MAXPODS must be larger or equal to --min=MINPODS, max: \(max), min: \(min)")
            }
            let targets = try ResourceTypes.parse(arguments)
            guard let target = targets.first, let targetName = target.names.first else {
                throw CtlError("no objects passed to autoscale")
            }
            guard ScaleCommand.scalable.contains(target.info.kind) else {
                throw CtlError(
                    "cannot autoscale a \(target.info.kind): only deployments, replicasets and statefulsets can be scaled"
                )
            }
            // As kubectl: the target must exist.
            let client = try global.client()
            _ = try await client.get(kind: target.info.kind, namespace: global.resolvedNamespace, name: targetName)
            let object = Self.autoscaler(
                name: name ?? targetName, namespace: global.namespace, target: target.info, targetName: targetName,
                min: min, max: max, cpuPercent: cpuPercent)
            try await createAndReport(object, global: global, dryRun: dryRun, output: output, operation: "autoscaled")
        }
    }

    /// kubectl's autoscaling/v2 object: `minReplicas` only when above 0, a CPU utilization target only when given.
    static func autoscaler(
        name: String, namespace: String?, target: KindInfo, targetName: String, min: Int32, max: Int32,
        cpuPercent: Int32
    ) -> JSONValue {
        var spec: JSONValue = [
            "scaleTargetRef": [
                "apiVersion": .string(target.apiVersion), "kind": .string(target.kind), "name": .string(targetName),
            ],
            "maxReplicas": .int(Int64(max)),
        ]
        if min > 0 { spec["minReplicas"] = .int(Int64(min)) }
        if cpuPercent >= 0 {
            spec["metrics"] = [
                [
                    "type": "Resource",
                    "resource": [
                        "name": "cpu",
                        "target": ["type": "Utilization", "averageUtilization": .int(Int64(cpuPercent))],
                    ],
                ]
            ]
        }
        var metadata: JSONValue = ["name": .string(name), "creationTimestamp": nil]
        if let namespace { metadata["namespace"] = .string(namespace) }
        return [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": metadata, "spec": spec,
        ]
    }
}
