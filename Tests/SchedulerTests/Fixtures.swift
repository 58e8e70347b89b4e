import Schema

@testable import Scheduler

/// A Ready node with allocatable cpu, memory and pods.
func makeNode(
    _ name: String, cpu: String = "4", memory: String = "8Gi", pods: String = "110", labels: [String: String] = [:],
    taints: [Taint] = [], unschedulable: Bool = false, ready: Bool = true
) -> Node {
    var node = Node()
    node.metadata.name = name
    node.metadata.labels = labels.merging(["kubernetes.io/hostname": name]) { a, _ in a }
    node.spec.taints = taints.isEmpty ? nil : taints
    node.spec.unschedulable = unschedulable ? true : nil
    let allocatable: [String: Quantity] = [
        "cpu": Quantity(stringLiteral: cpu), "memory": Quantity(stringLiteral: memory),
        "pods": Quantity(stringLiteral: pods),
    ]
    node.status.allocatable = allocatable
    node.status.capacity = allocatable
    node.status.conditions = [NodeCondition(type: "Ready", status: ready ? "True" : "False")]
    return node
}

/// A pod with one container per request pair.
func makePod(
    _ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil,
    labels: [String: String] = [:], hostPort: Int? = nil, nodeName: String? = nil
) -> Pod {
    var pod = Pod()
    pod.metadata.name = name
    pod.metadata.namespace = namespace
    pod.metadata.labels = labels.isEmpty ? nil : labels
    var requests: [String: Quantity] = [:]
    if let cpu { requests["cpu"] = Quantity(stringLiteral: cpu) }
    if let memory { requests["memory"] = Quantity(stringLiteral: memory) }
    var container = Container(name: "main", image: "nginx")
    if !requests.isEmpty { container.resources = ResourceRequirements(requests: requests) }
    if let hostPort { container.ports = [ContainerPort(hostPort: hostPort, containerPort: 80)] }
    pod.spec.containers = [container]
    pod.spec.nodeName = nodeName
    return pod
}

func container(_ name: String, cpu: String, memory: String, restartPolicy: String? = nil) -> Container {
    var c = Container(name: name, image: "busybox")
    c.resources = ResourceRequirements(requests: [
        "cpu": Quantity(stringLiteral: cpu), "memory": Quantity(stringLiteral: memory),
    ])
    c.restartPolicy = restartPolicy
    return c
}

/// Runs one filter against one node, with its preFilter, over a cluster of `cluster` (default: just `node`).
func run(_ filter: any FilterPlugin, _ pod: Pod, on node: NodeInfo, cluster: [NodeInfo]? = nil) -> String? {
    let state = CycleState(nodes: cluster ?? [node])
    filter.preFilter(pod: pod, state: state)
    return filter.filter(pod: pod, node: node, state: state)
}

func term(_ key: String, _ op: String, _ values: [String]? = nil) -> NodeSelectorTerm {
    NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: key, operator: op, values: values)])
}
