public import Schema

/// How kubus-ingress runs: its class, where nginx listens, where its files live.
public struct IngressConfiguration: Sendable, Hashable {
    /// The IngressClass this controller serves and creates at start (`--ingress-class`).
    public var className = "kubus"
    /// The `spec.controller` of the classes this controller serves (`--controller-class`).
    public var controllerName = "kubus.dev/ingress-nginx"
    /// Where nginx answers plain HTTP.
    public var listenHTTP = ListenAddress(host: IPv4(0x7F00_0050), port: 80)
    /// Where nginx answers HTTPS.
    public var listenHTTPS = ListenAddress(host: IPv4(0x7F00_0050), port: 443)
    /// The state folder (absolute): nginx.conf, certificates, nginx's pid and temporary files.
    public var stateDirectory = "/var/lib/kubus/ingress"
    /// The nginx executable.
    public var nginxPath = "/usr/sbin/nginx"
    /// The openssl executable, for the default certificate and checking TLS Secrets.
    public var opensslPath = "/usr/bin/openssl"
    /// nginx's `worker_processes`.
    public var workerProcesses = "auto"
    /// The user nginx's workers run as when kubus-ingress runs as root; nil: root too, so the workers can use the
    /// state folder wherever it is.
    public var workerUser: String?
    /// Write nginx's access log (ingress-nginx's format) to kubus-ingress's own log.
    public var accessLog = true
    /// Redirect HTTP to HTTPS for hosts with a TLS certificate, as ingress-nginx's `ssl-redirect` (308).
    public var sslRedirect = true
    /// Write `status.loadBalancer` of the Ingresses served.
    public var updateStatus = true
    /// Clear that status when kubus-ingress stops, as ingress-nginx's `--update-status-on-shutdown`.
    public var updateStatusOnShutdown = true

    /// The defaults of `kubus-ingress`.
    public init() {}

    /// The address written to `status.loadBalancer.ingress[0].ip`.
    public var statusAddress: String { listenHTTP.host.description }

    /// `nginx.conf`, the file nginx runs from.
    public var nginxConfigPath: String { stateDirectory + "/nginx.conf" }
    /// The folder of certificate files (one PEM per TLS Secret, 0600).
    public var certificateDirectory: String { stateDirectory + "/certs" }
    /// The certificate served to hosts without one of their own (self-signed, made at start).
    public var defaultCertificatePath: String { certificateDirectory + "/default.pem" }
    /// nginx's pid file.
    public var pidPath: String { stateDirectory + "/nginx.pid" }
    /// nginx's temporary files (request bodies and responses buffered to disk).
    public var temporaryDirectory: String { stateDirectory + "/tmp" }
}

/// An IPv4 address and TCP port nginx listens on (`127.0.0.80:80`).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: IPv4
    public var port: Int

    public init(host: IPv4, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `ADDRESS:PORT` with an IPv4 address and a port from 1 to 65535; nil for anything else.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let host = IPv4(text[..<colon]),
            let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        self.init(host: host, port: port)
    }

    /// Whether the address is inside 127.0.0.0/8, reachable from this machine only.
    public var isLoopback: Bool { host.value >> 24 == 127 }

    public var description: String { "\(host):\(port)" }
}
