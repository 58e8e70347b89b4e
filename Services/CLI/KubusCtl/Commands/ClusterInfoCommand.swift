import ArgumentParser
import Bus
import Client
import Foundation
import Schema

/// `kubusctl cluster-info`: where the control plane is, what serves on the bus, who leads, how many nodes.
struct ClusterInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster-info",
        abstract: "Display addresses of the control plane and the services on its bus.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Console.run {
            let endpoints = try global.endpoints()
            let client = try global.client()
            let reply: BusReply
            do {
                reply = try await client.bus.request(
                    service: "bus", type: "services", payload: Array("{}".utf8), timeout: global.requestDuration)
            } catch let error as BusError {
                throw CtlError(
                    "the bus at \(endpoints.base) is not answering (\(error.message)); is the cluster up? "
                        + "Check it with `kubus-up status`")
            }
            let services = (try? JSONValue.parse(reply.payload))?["services"] ?? [:]
            // Leaders and nodes come from the api; without it, the bus services still tell what runs.
            let leases = (try? await client.list(kind: "Lease", namespace: "kube-system").items) ?? []
            let nodes = try? await client.list(kind: "Node").items
            Console.out(Self.render(bus: endpoints.base, services: services, leases: leases, nodes: nodes))
        }
    }

    /// The text: the bus, each bus service with its instances, each leader lease, the nodes.
    static func render(bus: String, services: JSONValue, leases: [JSONValue], nodes: [JSONValue]?, now: Date = Date())
        -> String
    {
        var text = "Kubus control plane is running at \(bus)\n"
        let members = services.objectValue ?? [:]
        for name in members.keys.sorted() {
            let service = members[name]!
            let workers = service.int("workers") ?? 0
            var line = "\(name) is running on the bus: \(workers) instance\(workers == 1 ? "" : "s")"
            let queued = service.int("queued") ?? 0
            let inFlight = service.int("inFlight") ?? 0
            if queued > 0 || inFlight > 0 { line += " (\(queued) queued, \(inFlight) in flight)" }
            text += line + "\n"
        }
        if members["api"] == nil { text += "api is not running on the bus: requests wait until it registers\n" }
        for lease in leases.sorted(by: { $0.name < $1.name }) {
            guard let holder = lease.str("spec.holderIdentity"), !holder.isEmpty else {
                text += "\(lease.name) has no leader\n"
                continue
            }
            let renewed = lease.str("spec.renewTime").map { AgeFormatter.age(of: $0, now: now) } ?? "<unknown>"
            text += "\(lease.name) is led by \(holder) (renewed \(renewed) ago)\n"
        }
        if let nodes {
            let ready = nodes.filter { node in
                node.list("status.conditions").contains { $0.str("type") == "Ready" && $0.str("status") == "True" }
            }.count
            text += "Nodes: \(nodes.count) (\(ready) Ready)\n"
        }
        text += "\nTo further debug and diagnose cluster problems, use 'kubus-up status' and 'kubus-tap'.\n"
        return text
    }
}
