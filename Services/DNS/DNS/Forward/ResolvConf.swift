import Foundation

/// The host's resolvers, from resolv.conf's `nameserver` lines (as CoreDNS' `forward . /etc/resolv.conf`).
public enum ResolvConf {
    /// The `nameserver` addresses of resolv.conf text, in order; scoped IPv6 addresses (`fe80::1%eth0`) are skipped.
    public static func nameservers(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "nameserver" else { return nil }
            let address = String(words[1])
            guard !address.contains("%"), IPv6(address) != nil || address.split(separator: ".").count == 4 else {
                return nil
            }
            return address
        }
    }

    /// The nameservers of the file at `path`; empty when it cannot be read.
    public static func nameservers(path: String = "/etc/resolv.conf") -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return nameservers(text)
    }
}
