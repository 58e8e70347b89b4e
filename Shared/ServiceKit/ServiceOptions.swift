public import ArgumentParser
public import Bus
public import Logging

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
        help: ArgumentHelp("Folder for this service's state and files. Env: KUBUS_STATE_DIR.", valueName: "path"))
    public var stateDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical. Env: KUBUS_LOG_LEVEL.")
    public var logLevel: String?

    public init() {}

    /// The bus endpoints from `--bus`, `KUBUS_BUS` or the default.
    public func endpoints() throws -> BusEndpoints {
        do {
            return try BusEndpoints.fromEnvironment(bus)
        } catch {
            throw ValidationError("--bus: \(error)")
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
