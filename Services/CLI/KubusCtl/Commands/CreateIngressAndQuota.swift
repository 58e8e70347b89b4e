import ArgumentParser
import Foundation
public import Schema

// `create ingress` and `create quota`: the objects kubectl's generators make, with their checks and messages.

extension CreateBuilder {
    /// `create ingress NAME --rule=host/path=svc:port[,tls[=secret]]... [--class C] [--default-backend svc:port]
    /// [--annotation k=v]...`: one rule per host with its paths in order (`Exact`, or `Prefix` for a path ending in
    /// `*`, the `*` dropped), TLS entries per secret with each host once.
    public static func ingress(
        _ name: String, namespace: String?, rules: [String], ingressClass: String?, defaultBackend: String?,
        annotations: [String]
    ) throws(CtlError) -> JSONValue {
        if (defaultBackend ?? "").isEmpty && rules.isEmpty {
            throw CtlError(
                "not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)"
            )
        }
        for rule in rules {
            // kubectl's check: `host/path=service:port[,tls[=secret]]`, a prefix match as Go's MatchString.
            guard rule.prefixMatch(of: #/([\w\*\-\.]*)(/.*)=([\w\-]+):([\w\-]+)(,(tls)=?([\w\-]+)?)?/#) != nil else {
                throw CtlError(
                    "rule \(rule) is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")
            }
        }
        var annotationValues: [String: JSONValue] = [:]
        for annotation in annotations {
            guard let eq = annotation.firstIndex(of: "=") else {
                throw CtlError("annotation \(annotation) is invalid and should be in format key=[value]")
            }
            annotationValues[String(annotation[..<eq])] = .string(String(annotation[annotation.index(after: eq)...]))
        }
        if let defaultBackend, !defaultBackend.isEmpty, defaultBackend.split(separator: ":").count != 2 {
            throw CtlError("default-backend should be in format servicename:serviceport")
        }

        var spec: JSONValue = [:]
        if let ingressClass, !ingressClass.isEmpty { spec["ingressClassName"] = .string(ingressClass) }
        if let defaultBackend, !defaultBackend.isEmpty { spec["defaultBackend"] = ingressBackend(defaultBackend) }
        // TLS: a rule with `,tls[=secret]` adds its host to the entry of that secret (each host once).
        var tls: [(hosts: [String], secret: String)] = []
        var hostsWithTLS: Set<String> = []
        for rule in rules {
            let parts = rule.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { continue }
            let host = String(rule.prefix { $0 != "/" })
            let secretParts = parts[1].split(separator: "=", omittingEmptySubsequences: false)
            let secret = secretParts.count > 1 ? String(secretParts[1]) : ""
            guard !hostsWithTLS.contains(host) else { continue }
            hostsWithTLS.insert(host)
            if let index = tls.firstIndex(where: { $0.secret == secret }) {
                tls[index].hosts.append(host)
            } else if !host.isEmpty || !secret.isEmpty {
                tls.append((host.isEmpty ? [] : [host], secret))
            }
        }
        if !tls.isEmpty {
            spec["tls"] = .array(
                tls.map { entry in
                    var value: JSONValue = [:]
                    if !entry.hosts.isEmpty { value["hosts"] = .array(entry.hosts.map { .string($0) }) }
                    if !entry.secret.isEmpty { value["secretName"] = .string(entry.secret) }
                    return value
                })
        }
        // Rules: one per host, its paths in the order given.
        var hosts: [String] = []
        var paths: [String: [JSONValue]] = [:]
        for rule in rules {
            let withoutTLS = String(rule.prefix { $0 != "," })
            let slash = withoutTLS.firstIndex(of: "/") ?? withoutTLS.endIndex
            let host = String(withoutTLS[..<slash])
            let pathAndService = withoutTLS[withoutTLS.index(after: slash)...].split(
                separator: "=", omittingEmptySubsequences: false)
            var path = "/" + pathAndService[0]
            var pathType = "Exact"
            if path.hasSuffix("*") {
                pathType = "Prefix"
                path.removeLast()
            }
            if paths[host] == nil { hosts.append(host) }
            paths[host, default: []].append([
                "path": .string(path), "pathType": .string(pathType),
                "backend": ingressBackend(String(pathAndService[1])),
            ])
        }
        if !hosts.isEmpty {
            spec["rules"] = .array(
                hosts.map { host in
                    var value: JSONValue = ["http": ["paths": .array(paths[host] ?? [])]]
                    if !host.isEmpty { value["host"] = .string(host) }
                    return value
                })
        }
        var meta = metadata(name, namespace: namespace)
        if !annotationValues.isEmpty { meta["annotations"] = .object(annotationValues) }
        return ["apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec]
    }

    /// `svc:port` as an Ingress backend: a numeric port by number, else by name.
    static func ingressBackend(_ service: String) -> JSONValue {
        let parts = service.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let port: JSONValue =
            parts.count > 1 && Int32(parts[1]) != nil
            ? ["number": .int(Int64(parts[1]) ?? 0)] : ["name": .string(parts.count > 1 ? parts[1] : "")]
        return ["service": ["name": .string(parts[0]), "port": port]]
    }

    /// `create quota NAME --hard=pods=10,cpu=1 [--scopes=BestEffort,...]`.
    public static func quota(_ name: String, namespace: String?, hard: String?, scopes: String?) throws(CtlError)
        -> JSONValue
    {
        var spec: JSONValue = [:]
        if let hard, !hard.isEmpty {
            var values: [String: JSONValue] = [:]
            for statement in hard.split(separator: ",", omittingEmptySubsequences: false) {
                let parts = statement.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2 else {
                    throw CtlError("Invalid argument syntax \(statement), expected <resource>=<value>")
                }
                do throws(SchemaError) {
                    _ = try Quantity(parsing: parts[1])
                } catch {
                    throw CtlError(error.message)
                }
                values[parts[0]] = .string(parts[1])
            }
            spec["hard"] = .object(values)
        }
        if let scopes, !scopes.isEmpty {
            let list = scopes.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // As kubectl: the scope names themselves are the api's to check.
            guard !list.contains("") else { throw CtlError("invalid resource quota scope \"\"") }
            spec["scopes"] = .array(list.map { .string($0) })
        }
        return [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": metadata(name, namespace: namespace), "spec": spec,
        ]
    }
}

/// `create ingress NAME --rule=... [--class] [--default-backend] [--annotation]`.
struct CreateIngress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingress", abstract: "Create an ingress with the specified name.", aliases: ["ing"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(
        help:
            "Rule in format host/path=service:port[,tls=secretname] (repeatable); a path ending in '*' is pathType=Prefix."
    )
    var rule: [String] = []
    @Option(name: .customLong("class"), help: "Ingress Class to be used.") var ingressClass: String?
    @Option(name: .customLong("default-backend"), help: "Default service for backend, as svcname:port.")
    var defaultBackend: String?
    @Option(help: "Annotation to insert in the ingress object, as annotation=value (repeatable).")
    var annotation: [String] = []

    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.ingress(
                name, namespace: parent.global.namespace, rules: rule, ingressClass: ingressClass,
                defaultBackend: defaultBackend, annotations: annotation)
            try await parent.createAndReport(object)
        }
    }
}

/// `create quota|resourcequota NAME [--hard=...] [--scopes=...]`.
struct CreateQuota: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota", abstract: "Create a quota with the specified name.", aliases: ["resourcequota"])

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(help: "Resource to quantity pairs of the hard limits, as pods=10,cpu=1.") var hard: String?
    @Option(help: "Scopes the quota applies to, as BestEffort,NotTerminating.") var scopes: String?

    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.quota(
                name, namespace: parent.global.namespace, hard: hard, scopes: scopes)
            try await parent.createAndReport(object)
        }
    }
}
