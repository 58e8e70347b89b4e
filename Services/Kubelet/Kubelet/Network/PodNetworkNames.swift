import Schema

/// The host names a pod's network pieces get: its namespace and the host end of its veth pair.
///
/// Both are derived from the pod uid alone, so a restarted kubelet (or `removeAll`) finds them again.
public enum PodNetworkNames {
    /// The folder named network namespaces are mounted in (`ip netns`' own).
    public static let namespaceFolder = "/run/netns"

    /// `kubus-<first 12 of the uid>` (a hash of the uid when it is not a UUID-like string).
    public static func namespace(podUID: String) -> String {
        let prefix = podUID.prefix(12)
        if prefix.count == 12, prefix.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
            return "kubus-\(prefix.lowercased())"
        }
        return "kubus-\(hash(podUID).prefix(12))"
    }

    /// `/run/netns/kubus-…`, the path containers join.
    public static func namespacePath(podUID: String) -> String {
        "\(namespaceFolder)/\(namespace(podUID: podUID))"
    }

    /// `kv<10 hex of the uid>`: 12 characters, inside Linux's 15-character limit for interface names.
    public static func hostLink(podUID: String) -> String {
        let hex = podUID.filter { $0 != "-" }.prefix(10)
        if hex.count == 10, hex.allSatisfy(\.isHexDigit) { return "kv\(hex.lowercased())" }
        return "kv\(hash(podUID).prefix(10))"
    }

    /// 16 hex digits of the uid's FNV-1a hash.
    private static func hash(_ text: String) -> String {
        let digits = String(StableHash.fnv1a64(text.utf8), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
