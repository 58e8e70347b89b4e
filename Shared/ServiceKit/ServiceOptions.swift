public import ArgumentParser
public import Bus
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The options every Kubus service takes: where the bus is, where state lives, how much to log.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Bus base address: tcp://HOST:PORT uses PORT (requests), PORT+1 (publish), PORT+2 (subscribe); ipc:///PATH uses PATH.req, PATH.pub, PATH.sub. Env: KUBUS_BUS.",
            valueName: "address"))
    public var bus: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Key file this process authenticates with on the bus (CurveZMQ; kubus-up issues one per service). Env: KUBUS_BUS_KEY.",
            valueName: "path"))
    public var busKey: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Folder for this service's state and files. Env: KUBUS_STATE_DIR.", valueName: "path"))
    public var stateDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical. Env: KUBUS_LOG_LEVEL.")
    public var logLevel: String?

    public init() {}

    /// The bus endpoints from `--bus`, `KUBUS_BUS` or the default, with the credentials of `--bus-key` or
    /// `KUBUS_BUS_KEY` when one is given. A user's tool (`userTool`: kubus-tap, kubus-pub) without either takes the
    /// administrator's key of a cluster kubus-up started in this folder (`.kubus/keys/admin.key`), as kubusctl does.
    public func endpoints(userTool: Bool = false) throws -> BusEndpoints {
        let busKey = BusEndpoints.keyFile(explicit: self.busKey, localAdministrator: userTool)
        do {
            _ = try BusEndpoints(base: bus ?? Environment.get("KUBUS_BUS") ?? BusEndpoints.defaultBase)
        } catch {
            throw ValidationError("--bus: \(error)")
        }
        do {
            return try BusEndpoints.fromEnvironment(bus, keyFile: busKey ?? "")
        } catch {
            throw ValidationError("--bus-key: \(error)")
        }
    }

    /// The state folder from `--state-dir`, `KUBUS_STATE_DIR`, or `./state`.
    public var resolvedStateDir: String {
        stateDir ?? Environment.get("KUBUS_STATE_DIR") ?? "state"
    }

    /// Sets up logging to standard error at the chosen level and returns a logger labelled `label`.
    public func makeLogger(_ label: String) throws -> Logger {
        let levelText = logLevel ?? Environment.get("KUBUS_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError(
                "--log-level: \"\(levelText)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingBootstrap.once(level: level)
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
