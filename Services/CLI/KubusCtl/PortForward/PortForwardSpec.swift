import Schema

#if canImport(Glibc)
    import Glibc
#endif

/// The ports and addresses of `port-forward`, resolved as kubectl does before it listens: named ports become the
/// container's numbers, a Service's ports its target ports, and `localhost` both loopback addresses.
enum PortForwardSpec {
    /// A local port (0: any free one) forwarded to a port of the pod.
    struct Port: Sendable, Hashable {
        var local: Int
        var remote: Int
    }

    /// An address to listen on.
    struct Address: Sendable, Hashable {
        var host: String
        /// `localhost` expands to two addresses; it fails only when neither can listen.
        var optional: Bool
    }

    /// `[LOCAL:]REMOTE` split as kubectl's `splitPort`: without a colon both sides are the same.
    static func split(_ port: String) -> (local: String, remote: String) {
        let parts = port.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (parts[0], parts[0])
    }

    /// kubectl's `convertPodNamedPortToNumber`: a named remote port becomes the container port of that name.
    static func translatePodPorts(_ ports: [String], pod: JSONValue) throws(CtlError) -> [String] {
        var converted: [String] = []
        for port in ports {
            let (local, remote) = split(port)
            var container = remote
            if Int(remote) == nil { container = String(try containerPort(named: remote, in: pod)) }
            converted.append(local != remote ? "\(local):\(container)" : container)
        }
        return converted
    }

    /// kubectl's `translateServicePortToTargetPort`: the remote side names a Service port (number or name), which
    /// becomes its target port on the pod (a named target port looked up in the pod's containers).
    static func translateServicePorts(_ ports: [String], service: JSONValue, pod: JSONValue) throws(CtlError)
        -> [String]
    {
        var translated: [String] = []
        for port in ports {
            var (local, remote) = split(port)
            var number = Int(remote)
            if number == nil {
                guard let found = service.list("spec.ports").first(where: { $0.str("name") == remote })?.int("port")
                else {
                    throw CtlError("Service '\(service.name)' does not have a named port '\(remote)'")
                }
                number = Int(found)
                if local == remote { local = String(found) }
            }
            let container = try containerPort(forServicePort: number!, service: service, pod: pod)
            remote = String(container)
            translated.append(local != remote ? "\(local):\(remote)" : remote)
        }
        return translated
    }

    /// kubectl's `LookupContainerPortNumberByServicePort`.
    static func containerPort(forServicePort port: Int, service: JSONValue, pod: JSONValue) throws(CtlError) -> Int {
        guard let servicePort = service.list("spec.ports").first(where: { $0.int("port") == Int64(port) }) else {
            throw CtlError("Service \(service.name) does not have a service port \(port)")
        }
        if service.str("spec.clusterIP") == "None" { return port }
        switch servicePort.at("targetPort") {
        case .string(let name)?:
            if let number = Int(name) { return number }
            return try containerPort(named: name, in: pod)
        case let value?:
            let number = Int(value.intValue ?? 0)
            return number == 0 ? port : number
        case nil:
            return port
        }
    }

    /// kubectl's `LookupContainerPortNumberByName`.
    static func containerPort(named name: String, in pod: JSONValue) throws(CtlError) -> Int {
        for container in pod.list("spec.containers") {
            if let port = container.list("ports").first(where: { $0.str("name") == name })?.int("containerPort") {
                return Int(port)
            }
        }
        throw CtlError("Pod '\(pod.name)' does not have a named port '\(name)'")
    }

    /// client-go's `parsePorts`: `LOCAL:REMOTE`, `:REMOTE` (any local port) or `PORT`.
    static func parse(_ ports: [String]) throws(CtlError) -> [Port] {
        func number(_ text: String, side: String) throws(CtlError) -> Int {
            guard let value = Int(text), value >= 0 else {
                let digits = !text.isEmpty && text.allSatisfy(\.isNumber)
                throw CtlError(
                    "error parsing \(side) port '\(text)': strconv.ParseUint: parsing \"\(text)\": "
                        + (digits ? "value out of range" : "invalid syntax"))
            }
            guard value <= 65_535 else {
                throw CtlError(
                    "error parsing \(side) port '\(text)': strconv.ParseUint: parsing \"\(text)\": value out of range")
            }
            return value
        }
        var result: [Port] = []
        for text in ports {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2 else { throw CtlError("invalid port format '\(text)'") }
            let local = parts.count == 2 ? (parts[0].isEmpty ? "0" : parts[0]) : parts[0]
            let remote = parts.count == 2 ? parts[1] : parts[0]
            let port = Port(local: try number(local, side: "local"), remote: try number(remote, side: "remote"))
            guard port.remote > 0 else { throw CtlError("remote port must be > 0") }
            result.append(port)
        }
        return result
    }

    /// kubectl's `parseAddresses`: IPs as given, `localhost` as 127.0.0.1 and ::1 (either may fail alone).
    static func addresses(_ values: [String]) throws(CtlError) -> [Address] {
        var result: [Address] = []
        func add(_ address: Address) {
            if !result.contains(where: { $0.host == address.host }) { result.append(address) }
        }
        for value in values.flatMap({ $0.split(separator: ",").map(String.init) }) {
            if value == "localhost" {
                add(Address(host: "127.0.0.1", optional: true))
                add(Address(host: "::1", optional: true))
            } else if IPv4(value) != nil || isIPv6(value) {
                add(Address(host: value, optional: false))
            } else {
                throw CtlError("\(value) is not a valid IP")
            }
        }
        return result
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// `127.0.0.1:8080` or `[::1]:8080` (Go's `net.JoinHostPort`).
    static func join(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
