import APIServer
public import ArgumentParser
import Foundation
import Schema
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-api`: the API server, the only client of the store.
public struct APICommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-api",
        abstract: "The Kubus API server: create, get, list, update, patch, delete and changes for every kind, "
            + "validated and defaulted, over the bus. Run several instances to share the load.")

    @OptionGroup var options: ServiceOptions

    @Option(help: "Requests this instance takes at once.")
    var capacity: Int = 512

    @Option(
        help: """
            The range Services' cluster IPs come from; its first address is the kubernetes Service's \
            (default: 10.96.0.0/12 as root, 127.96.0.0/12 otherwise, where loopback-mode pods and the userspace proxy \
            reach them).
            """)
    var serviceClusterIPRange: String = ClusterRanges.defaultServiceCIDR

    @Option(
        help: """
            Bytes of objects one list or changes reply carries at most; a larger list is answered in pages with \
            metadata.continue (must stay well below the bus's 16 MiB message limit).
            """)
    var listByteBudget: Int = 8 << 20

    @Option(help: "The range of node ports, FIRST-LAST.")
    var serviceNodePortRange: String = "30000-32767"

    @Option(
        help: """
            RBAC (deny by default, docs/security.md) or AlwaysAllow (every request the bus lets through is allowed; \
            for measuring what RBAC costs). On an insecure bus requests carry no identity and nothing is enforced.
            """)
    var authorizationMode: String = "RBAC"

    @Option(
        help: """
            Write an audit.k8s.io/v1 Event per request to this file as JSON lines (0600; renamed to PATH.1 past \
            --audit-log-maxsize). Without --audit-policy-file, the standard policy: Metadata for everything but the \
            cluster's own programs' reads and heartbeats (docs/security.md).
            """)
    var auditLogPath: String?

    @Option(help: "An audit.k8s.io/v1 Policy file (Kubernetes' format): which requests to log at which level.")
    var auditPolicyFile: String?

    @Option(help: "Megabytes the audit log reaches before it is rotated.")
    var auditLogMaxsize: Int = 100

    @Option(
        help: """
            The PEM EC P-256 private key that signs and checks ServiceAccount tokens (created, 0600, when missing; \
            every api instance of a cluster names the same file). Without it the api issues no tokens, accepts none \
            and mounts none into pods.
            """)
    var serviceAccountSigningKeyFile: String?

    @Option(help: "The issuer (iss) of ServiceAccount tokens, and the audience the api accepts.")
    var serviceAccountIssuer = ServiceAccountTokenSigner.defaultIssuer

    public func validate() throws {
        guard let range = CIDR(serviceClusterIPRange), range.prefix <= 30 else {
            throw ValidationError(
                "--service-cluster-ip-range \"\(serviceClusterIPRange)\" must be an IPv4 CIDR of at least 4 addresses, "
                    + "e.g. 10.96.0.0/12")
        }
        _ = try nodePortRange()
        guard ["RBAC", "AlwaysAllow"].contains(authorizationMode) else {
            throw ValidationError("--authorization-mode \"\(authorizationMode)\" must be RBAC or AlwaysAllow")
        }
        guard listByteBudget >= 1024, listByteBudget <= 12 << 20 else {
            throw ValidationError("--list-byte-budget \(listByteBudget) must be between 1024 and 12582912 bytes")
        }
    }

    /// The audit log the flags ask for; nil without `--audit-log-path` (a policy file alone names `<state>/audit.log`).
    func audit() throws -> AuditLog? {
        guard auditLogPath != nil || auditPolicyFile != nil else { return nil }
        var policy = AuditPolicy.standard
        if let auditPolicyFile {
            let text: String
            do {
                text = try String(contentsOfFile: auditPolicyFile, encoding: .utf8)
            } catch {
                throw ValidationError(
                    "--audit-policy-file \(auditPolicyFile): cannot read it: \(error.localizedDescription)")
            }
            do {
                policy = try AuditPolicy(yaml: text, source: auditPolicyFile)
            } catch {
                throw ValidationError("--audit-policy-file \(error.message)")
            }
        }
        do {
            return try AuditLog(
                path: auditLogPath ?? options.resolvedStateDir + "/audit.log", policy: policy,
                maxBytes: max(1, auditLogMaxsize) << 20)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func nodePortRange() throws -> ClosedRange<Int> {
        let parts = serviceNodePortRange.split(separator: "-").map { Int($0) }
        guard parts.count == 2, let first = parts[0], let last = parts[1], 1 <= first, first <= last, last <= 65535
        else {
            throw ValidationError(
                "--service-node-port-range \"\(serviceNodePortRange)\" must be FIRST-LAST, e.g. 30000-32767")
        }
        return first...last
    }

    public func run() async throws {
        let logger = try options.makeLogger("kubus.api")
        var config = APIServerConfiguration()
        config.capacity = max(1, capacity)
        config.serviceClusterIPRange = CIDR(serviceClusterIPRange)!
        config.serviceNodePortRange = try nodePortRange()
        config.listByteBudget = listByteBudget
        config.enforceRBAC = authorizationMode == "RBAC"
        if let serviceAccountSigningKeyFile {
            do {
                config.serviceAccountTokens = try ServiceAccountTokenSigner(
                    keyFile: serviceAccountSigningKeyFile, issuer: serviceAccountIssuer)
            } catch {
                throw ValidationError("--service-account-signing-key-file \(error.message)")
            }
        }
        let server = APIServer(
            endpoints: try options.endpoints(), configuration: config, audit: try audit(), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
