import Foundation
public import Schema

/// The `/etc/hosts` and `/etc/resolv.conf` the kubelet gives a pod's containers.
public enum PodFiles {
    /// Kubernetes' managed hosts file: localhost, the pod's IP and hostname, then hostAliases.
    public static func hosts(pod: Pod, podIP: String?, clusterDomain: String) -> String {
        var text = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters

            """
        let hostname = ContainerEnvironment.hostname(of: pod)
        if let podIP, !podIP.isEmpty {
            if let subdomain = pod.spec.subdomain, !subdomain.isEmpty {
                let fqdn = "\(hostname).\(subdomain).\(pod.metadata.namespace ?? "default").svc.\(clusterDomain)"
                text += "\(podIP)\t\(fqdn)\t\(hostname)\n"
            } else {
                text += "\(podIP)\t\(hostname)\n"
            }
        }
        let aliases = pod.spec.hostAliases ?? []
        if !aliases.isEmpty {
            text += "\n# Entries added by HostAliases.\n"
            for alias in aliases {
                text += "\(alias.ip)\t\((alias.hostnames ?? []).joined(separator: "\t"))\n"
            }
        }
        return text
    }

    /// The pod's resolv.conf per `dnsPolicy`. `ClusterFirst` points at the cluster DNS address, which answers once
    /// the Kubus DNS service runs (issue: dns); until then names outside `/etc/hosts` do not resolve in netns pods.
    public static func resolvConf(pod: Pod, clusterDNS: String, clusterDomain: String, hostResolvConf: String) -> String
    {
        let namespace = pod.metadata.namespace ?? "default"
        var nameservers: [String] = []
        var searches: [String] = []
        var options: [String] = []
        switch pod.spec.dnsPolicy ?? "ClusterFirst" {
        case "Default":
            for line in hostResolvConf.split(separator: "\n") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                guard let key = parts.first else { continue }
                if key == "nameserver", parts.count > 1 { nameservers.append(parts[1]) }
                if key == "search" { searches += parts.dropFirst() }
                if key == "options" { options += parts.dropFirst() }
            }
        case "None":
            break
        default:
            nameservers = [clusterDNS]
            searches = ["\(namespace).svc.\(clusterDomain)", "svc.\(clusterDomain)", clusterDomain]
            options = ["ndots:5"]
        }
        if let config = pod.spec.dnsConfig {
            nameservers += config.nameservers ?? []
            searches += config.searches ?? []
            for o in config.options ?? [] {
                guard let name = o.name else { continue }
                options.removeAll { $0 == name || $0.hasPrefix(name + ":") }
                options.append(o.value.map { "\(name):\($0)" } ?? name)
            }
        }
        var text = ""
        if !searches.isEmpty { text += "search \(searches.joined(separator: " "))\n" }
        for n in nameservers.prefix(3) { text += "nameserver \(n)\n" }
        if !options.isEmpty { text += "options \(options.joined(separator: " "))\n" }
        return text
    }
}
