public import Schema

extension CIDR {
    /// Parses like `init?(_:)` but throws an error that names the flag or field the text came from.
    public static func parse(_ text: String, what: String) throws -> CIDR {
        guard let cidr = CIDR(text) else {
            throw PodNetworkError.invalidConfiguration(
                "\(what) \"\(text)\" is not an IPv4 CIDR: write it like 10.244.0.0/16")
        }
        return cidr
    }
}
