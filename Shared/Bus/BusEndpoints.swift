/// The three endpoints of a bus broker, derived from one base address.
///
/// `tcp://HOST:PORT` gives requests on PORT, publishers on PORT+1 and subscribers on PORT+2;
/// `ipc:///PATH` gives `ipc:///PATH.req`, `ipc:///PATH.pub` and `ipc:///PATH.sub`.
public struct BusEndpoints: Sendable, Hashable, CustomStringConvertible {
    /// The ROUTER where clients send requests and workers register.
    public var requests: String
    /// The XSUB where publishers connect and send events.
    public var publish: String
    /// The XPUB where subscribers connect and receive events.
    public var subscribe: String
    /// The address the endpoints were derived from.
    public var base: String
    /// Who this process is on the bus (CurveZMQ); nil connects in plain text, which only a broker started with
    /// `--insecure` accepts.
    public var credentials: BusCredentials?

    /// The default local bus: `tcp://127.0.0.1:7700`.
    public static let defaultBase = "tcp://127.0.0.1:7700"

    public init(base: String) throws(BusError) {
        self.base = base
        if base.hasPrefix("tcp://") {
            let rest = base.dropFirst("tcp://".count)
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
                port > 0, port < 65534
            else { throw BusError.invalidEndpoint(base) }
            let host = rest[..<colon]
            requests = "tcp://\(host):\(port)"
            publish = "tcp://\(host):\(port + 1)"
            subscribe = "tcp://\(host):\(port + 2)"
        } else if base.hasPrefix("ipc://") || base.hasPrefix("inproc://") {
            requests = base + ".req"
            publish = base + ".pub"
            subscribe = base + ".sub"
        } else {
            throw BusError.invalidEndpoint(base)
        }
    }

    /// The bus named by `value`, `KUBUS_BUS` or the default local bus, with the credentials of the key file
    /// `keyFile` or `KUBUS_BUS_KEY` (none when neither is set).
    public static func fromEnvironment(_ value: String? = nil, keyFile: String? = nil) throws(BusError) -> BusEndpoints
    {
        var endpoints = try BusEndpoints(base: value ?? ProcessEnvironment.get("KUBUS_BUS") ?? defaultBase)
        if let path = keyFile ?? ProcessEnvironment.get("KUBUS_BUS_KEY"), !path.isEmpty {
            endpoints.credentials = try BusCredentials.load(path: path)
        }
        return endpoints
    }

    /// The administrator's key of a cluster `kubus-up` started in the working folder (its default state folder).
    public static let localAdministratorKeyFile = ".kubus/keys/admin.key"

    /// The key file a process authenticates with: `explicit` (its `--bus-key`), else `KUBUS_BUS_KEY`, else for a
    /// user's tool (`localAdministrator`: kubusctl, kubus-tap, kubus-pub) `localAdministratorKeyFile` when it exists;
    /// nil for none.
    public static func keyFile(explicit: String?, localAdministrator: Bool) -> String? {
        if let path = explicit ?? ProcessEnvironment.get("KUBUS_BUS_KEY") { return path }
        guard localAdministrator, access(localAdministratorKeyFile, R_OK) == 0 else { return nil }
        return localAdministratorKeyFile
    }

    /// These endpoints with `credentials`.
    public func authenticated(as credentials: BusCredentials?) -> BusEndpoints {
        var copy = self
        copy.credentials = credentials
        return copy
    }

    public var description: String { base }
}

/// Environment look-ups without Foundation.
enum ProcessEnvironment {
    static func get(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
