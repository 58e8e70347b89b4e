public import ArgumentParser
import Bus
import Client
import DNS
import Logging
import NIOCore
import Schema
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-dns`: cluster DNS for pods, from the cluster's Services and EndpointSlices.
public struct DNSCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-dns",
        abstract:
            "Cluster DNS: Services, headless Services, StatefulSet pods, SRV, PTR and ExternalName, over UDP and TCP.",
        subcommands: [Run.self, Cleanup.self], defaultSubcommand: Run.self)
}

extension DNSCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Serve cluster DNS (the default).",
            discussion: """
                Without --listen: as root, adds 169.254.20.10/32 to a dummy interface kubus-dns0 (created if missing; \
                on a kernel without dummy interfaces, to lo labelled lo:kubus-dns0; `kubus-dns cleanup` removes \
                either) and listens on 169.254.20.10:53, where the service proxy sends the kube-dns Service's \
                10.96.0.10:53; otherwise listens on 127.0.0.1:10053.
                """)

        @OptionGroup var options: ServiceOptions

        @Option(help: "The cluster domain.")
        var clusterDomain = "cluster.local"

        @Option(
            help: """
                The service range (its reverse zones are answered here; kube-dns gets its 10th address; default \
                10.96.0.0/12 as root, 127.96.0.0/12 otherwise).
                """)
        var serviceCIDR = ClusterRanges.defaultServiceCIDR

        @Option(
            help:
                "The pod range (its reverse zones are answered here; default 10.244.0.0/16 as root, 127.244.0.0/16 otherwise)."
        )
        var clusterCIDR = ClusterRanges.defaultClusterCIDR

        @Option(help: "ADDRESS:PORT to answer on over UDP and TCP; repeatable (see the discussion for the default).")
        var listen: [String] = []

        @Option(
            help:
                "ADDRESS[:PORT] of a resolver for names outside the cluster; repeatable (default: --resolv-conf's nameservers)."
        )
        var upstream: [String] = []

        @Option(help: "Where the host's resolvers are read from when no --upstream is given.")
        var resolvConf = "/etc/resolv.conf"

        @Option(help: "TTL of cluster records, in seconds.")
        var ttl = 30

        @Option(help: "The kube-dns Service's cluster IP (default: the 10th address of --service-cidr).")
        var dnsServiceIP: String?

        @Option(help: "Seconds one upstream gets to answer one attempt.")
        var upstreamTimeout = 2.0

        @Option(help: "Upstream answers cached (at most 30 s each); 0 turns the cache off.")
        var cacheSize = 10_000

        @Option(help: "The dummy interface that holds the link-local address.")
        var interface = LinkLocalInterface.defaultName

        @Option(
            help:
                "Add this address/32 to --interface before listening (default: 169.254.20.10 as root without --listen)."
        )
        var linkLocal: String?

        @Option(help: "Event loop threads.")
        var threads = 1

        @Option(help: "UDP sockets per listen address (SO_REUSEPORT), spread over the event loops.")
        var udpSockets = 1

        @Option(help: "Create kube-system/kube-dns when missing and keep its Endpoints on the listen addresses.")
        var registerKubeDNS = true

        func run() async throws {
            let logger = try options.makeLogger("kubus.dns")
            guard let domain = DNSName(clusterDomain), !domain.isRoot else {
                throw ValidationError("--cluster-domain: \"\(clusterDomain)\" is not a domain name")
            }
            guard let serviceRange = CIDR(serviceCIDR) else {
                throw ValidationError("--service-cidr: \"\(serviceCIDR)\" is not an IPv4 CIDR")
            }
            guard let podRange = CIDR(clusterCIDR) else {
                throw ValidationError("--cluster-cidr: \"\(clusterCIDR)\" is not an IPv4 CIDR")
            }
            guard (0...604_800).contains(ttl) else {
                throw ValidationError("--ttl: must be between 0 and 604800 seconds")
            }
            guard upstreamTimeout > 0 else { throw ValidationError("--upstream-timeout: must be more than 0") }
            guard threads >= 1, udpSockets >= 1 else {
                throw ValidationError("--threads and --udp-sockets: must be at least 1")
            }
            var dnsIP: IPv4?
            if let dnsServiceIP {
                guard let ip = IPv4(dnsServiceIP) else {
                    throw ValidationError("--dns-service-ip: \"\(dnsServiceIP)\" is not an IPv4 address")
                }
                dnsIP = ip
            }
            let zone = ClusterZoneConfiguration(
                domain: domain, serviceCIDR: serviceRange, podCIDR: podRange, ttl: UInt32(ttl), dnsServiceIP: dnsIP)

            var listenAddresses: [ListenAddress] = []
            for text in listen {
                guard let address = ListenAddress(text) else {
                    throw ValidationError("--listen: \"\(text)\" is not ADDRESS:PORT (an IPv4 address, or [IPv6]:PORT)")
                }
                listenAddresses.append(address)
            }
            var linkLocalInterface: LinkLocalInterface?
            if let linkLocal {
                guard let ip = IPv4(linkLocal) else {
                    throw ValidationError("--link-local: \"\(linkLocal)\" is not an IPv4 address")
                }
                linkLocalInterface = LinkLocalInterface(name: interface, address: ip)
                if listenAddresses.isEmpty { listenAddresses = [ListenAddress(host: ip.description, port: 53)] }
            }
            if listenAddresses.isEmpty {
                if LinkLocalInterface.isPossible {
                    let ip = LinkLocalInterface.defaultAddress
                    linkLocalInterface = LinkLocalInterface(name: interface, address: ip)
                    listenAddresses = [ListenAddress(host: ip.description, port: 53)]
                } else {
                    listenAddresses = [ListenAddress(host: "127.0.0.1", port: 10053)]
                    logger.notice(
                        "not root (or no iproute2): listening on 127.0.0.1:10053; give --listen to choose")
                }
            }

            let upstreamTexts = upstream.isEmpty ? ResolvConf.nameservers(path: resolvConf) : upstream
            var upstreams: [SocketAddress] = []
            for text in upstreamTexts {
                guard let parsed = ListenAddress(text) ?? ListenAddress("[\(text)]"),
                    let address = try? SocketAddress(ipAddress: parsed.host, port: parsed.port)
                else {
                    throw ValidationError("--upstream: \"\(text)\" is not ADDRESS[:PORT]")
                }
                // Asking ourselves (directly or through kube-dns' address) would loop.
                let own =
                    listenAddresses.contains { $0.host == parsed.host && $0.port == parsed.port }
                    || (parsed.host == zone.dnsServiceIP.description && parsed.port == 53)
                if own {
                    logger.warning(
                        "ignoring upstream \(parsed): it is this server", metadata: ["kubus.upstream": "\(parsed)"])
                    continue
                }
                upstreams.append(address)
            }
            if upstream.isEmpty && upstreams.isEmpty {
                logger.warning("no usable nameserver in \(resolvConf)")
            }

            var configuration = DNSConfiguration(zone: zone, listen: listenAddresses, upstreams: upstreams)
            configuration.linkLocal = linkLocalInterface
            configuration.upstreamTimeout = .milliseconds(Int64(upstreamTimeout * 1000))
            configuration.cacheCapacity = max(0, cacheSize)
            configuration.threads = threads
            configuration.udpSocketsPerAddress = udpSockets
            configuration.registerKubeDNS = registerKubeDNS

            let endpoints = try options.endpoints()
            let bus = try BusClient(endpoints: endpoints)
            defer { bus.close() }
            let service = DNSService(
                configuration: configuration, client: KubusClient(bus: bus), endpoints: endpoints, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }

    struct Cleanup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Remove the interface (or lo address) kubus-dns created (what the supervisor runs after stopping it).")

        @OptionGroup var options: ServiceOptions

        @Option(help: "The dummy interface to remove.")
        var interface = LinkLocalInterface.defaultName

        func run() async throws {
            let logger = try options.makeLogger("kubus.dns")
            guard LinkLocalInterface.isPossible else {
                logger.info("not root (or no iproute2): no interface to remove")
                return
            }
            for what in try await LinkLocalInterface.remove(name: interface) {
                logger.info("removed \(what)")
            }
        }
    }
}
