public import ArgumentParser
import Bus
import Client
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import UpKit

#if canImport(Glibc)
    import Glibc
#endif

/// `kubus-up`: starts a local cluster from the cluster file, supervises it, stops it.
public struct UpCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-up",
        abstract: "Start a local Kubus cluster from compose/kubus.yaml, supervise it, stop it.",
        discussion: """
            Services run as child processes of a supervisor that restarts them when they exit (backoff 1 s doubling \
            to 30 s). State and logs live in the state folder (default ./.kubus): logs/<service>.log, logs/up.log.
            """,
        subcommands: [Start.self, Down.self, Status.self, Logs.self],
        defaultSubcommand: Start.self)
}

/// Where the cluster is described and where it keeps its state.
struct ClusterOptions: ParsableArguments {
    @Option(
        name: [.short, .customLong("file")],
        help: ArgumentHelp(
            "The cluster file. Default: compose/kubus.yaml here, else in the package kubus-up was built in.",
            valueName: "file"))
    var file: String?

    @Option(
        help: ArgumentHelp(
            "State and logs folder. Default: the cluster file's stateDir, else ./.kubus.", valueName: "path"))
    var stateDir: String?
}

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the cluster and wait until it is ready (the default command).")

    @OptionGroup var cluster: ClusterOptions

    @Option(
        help: ArgumentHelp(
            "Bus base address for every service. Default: KUBUS_BUS, else the cluster file's bus.", valueName: "address"
        ))
    var bus: String?

    @Flag(help: "Stay attached: supervise in this process and stop the cluster on Ctrl-C.")
    var foreground = false

    @Option(help: "The supervisor's log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    @Option(
        help: "How many kubelets to run (node names <host>-0 …, pod ranges 10.244.<i+1>.0/24). Default: the file's.")
    var nodes: Int?

    @Option(
        name: .customLong("sim-nodes"), help: "Add one simulated kubelet registering this many nodes (<host>-sim-0 …).")
    var simNodes: Int?

    func run() async throws {
        let context = UpContext.current()
        let path = try context.clusterFilePath(cluster.file)
        let file = try ClusterFile.load(path: path).withNodes(nodes, simNodes: simNodes)
        let stateDirectory = context.stateDirectory(explicit: cluster.stateDir, file: file)
        let busAddress = bus ?? ProcessInfo.processInfo.environment["KUBUS_BUS"] ?? file.bus
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel): use trace, debug, info, notice, warning or error")
        }
        var plan = try ClusterPlan(
            file: file, clusterFilePath: path, stateDirectory: stateDirectory.path, bus: busAddress,
            binaryDirectory: context.binaryDirectory, searchPath: ProcessInfo.processInfo.environment["PATH"])
        try stateDirectory.create()
        // Every process gets its own key on the bus; the administrator's is keys/admin.key.
        do throws(BusError) {
            try plan.secure(with: BusKeyring(directory: stateDirectory.keysDirectory))
        } catch {
            throw ValidationError("cannot issue the bus keys in \(stateDirectory.keysDirectory): \(error.message)")
        }
        // kubusctl finds this cluster from any folder through its kubeconfig (context `kubus`, the administrator).
        if let adminKey = plan.adminKeyFile {
            let absolute =
                adminKey.hasPrefix("/") ? adminKey : FileManager.default.currentDirectoryPath + "/" + adminKey
            var config = (try? KubusConfig.load(path: KubusConfig.defaultPath)) ?? KubusConfig()
            config.upsert(
                cluster: .init(name: "kubus", server: plan.bus), user: .init(name: "kubus-admin", busKey: absolute),
                context: .init(name: "kubus", cluster: "kubus", user: "kubus-admin"))
            do {
                try config.save(path: KubusConfig.defaultPath)
            } catch {
                print("warning: cannot write the kubeconfig \(KubusConfig.defaultPath): \(error)")
            }
        }

        guard foreground else {
            if let pid = stateDirectory.runningSupervisor() {
                throw UpError.alreadyRunning(
                    "a Kubus cluster is already running from \(stateDirectory.path) (supervisor pid \(pid)); "
                        + "see it with `kubus-up status`, stop it with `kubus-up down`")
            }
            print("Starting Kubus cluster from \(path) (supervisor log: \(stateDirectory.supervisorLog))")
            // The supervisor too runs from the multi-call binary when it is there, sharing its pages with the services.
            let host = MultiCall.host(for: "kubus-up", binaryDirectory: context.binaryDirectory)
            _ = try Detacher.launch(
                executable: host ?? context.executable, argv0: host.map { _ in context.binaryDirectory + "/kubus-up" },
                arguments: [
                    "start", "--foreground", "-f", path, "--state-dir", stateDirectory.path, "--bus", busAddress,
                    "--log-level", logLevel,
                ] + (nodes.map { ["--nodes", String($0)] } ?? [])
                    + (simNodes.map { ["--sim-nodes", String($0)] } ?? []),
                stateDirectory: stateDirectory)
            if let status = stateDirectory.readStatus() {
                let isDefault =
                    (try? context.stateDirectoryLeniently(explicitFile: nil, explicitStateDir: nil))?.path
                    == stateDirectory.path
                print(
                    StatusReport.summary(
                        status, binaryDirectory: context.binaryDirectory,
                        stateOption: isDefault ? "" : "--state-dir \(stateDirectory.path)"))
            }
            return
        }

        let notifier = Detacher.adoptNotifier()
        let lock: SupervisorLock
        do {
            lock = try stateDirectory.acquireSupervisorLock()
        } catch {
            notifier?.send("failed\n\(error)\n")
            throw error
        }
        defer { lock.release() }
        let sink = try FileLogHandler.Sink(path: stateDirectory.supervisorLog)
        let toTerminal = notifier == nil
        LoggingSystem.bootstrap { label in
            var file = FileLogHandler(label: label, sink: sink)
            file.logLevel = level
            guard toTerminal else { return file }
            var stderr = StreamLogHandler.standardError(label: label)
            stderr.logLevel = level
            return MultiplexLogHandler([file, stderr])
        }
        var logger = Logger(label: "kubus.up")
        logger.logLevel = level
        var supervisor = Supervisor(plan: plan, notifier: notifier, logger: logger)
        if toTerminal {
            let binaryDirectory = context.binaryDirectory
            supervisor.onReady = {
                guard let status = stateDirectory.readStatus() else { return }
                print(
                    StatusReport.summary(
                        status, binaryDirectory: binaryDirectory, stateOption: "--state-dir \(stateDirectory.path)")
                        + "\n(foreground: Ctrl-C stops the cluster)")
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: supervisor)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            notifier?.send("failed\n\(error)\n")
            throw error
        }
    }
}

struct Down: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop the cluster: services in reverse order, then the supervisor.")

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Seconds to wait for the supervisor to stop everything.")
    var timeout: Double = 30

    func run() async throws {
        let stateDirectory = try UpContext.current().stateDirectoryLeniently(
            explicitFile: cluster.file, explicitStateDir: cluster.stateDir)
        guard let pid = stateDirectory.runningSupervisor() else {
            let strays = stateDirectory.stopStrays()
            if strays.isEmpty {
                print("No Kubus cluster is running in \(stateDirectory.path).")
            } else {
                print(
                    "No supervisor was running in \(stateDirectory.path); stopped what it left behind: "
                        + strays.map { "\($0.name) (pid \($0.pid))" }.joined(separator: ", "))
            }
            return
        }
        guard pid > 0 else {
            throw UpError.notRunning(
                "\(stateDirectory.pidFile) is locked but holds no pid; remove it once no kubus-up runs")
        }
        print("Stopping Kubus cluster (supervisor pid \(pid))…")
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while stateDirectory.runningSupervisor() != nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        if stateDirectory.runningSupervisor() != nil {
            throw UpError.notRunning(
                "the supervisor (pid \(pid)) did not stop within \(Int(timeout)) s; see \(stateDirectory.supervisorLog). "
                    + "Force it with `kill -9 \(pid)`, then run `kubus-up down` again to stop what it left behind.")
        }
        let strays = stateDirectory.stopStrays()
        if !strays.isEmpty {
            print(
                "Stopped processes the supervisor left behind: "
                    + strays.map { "\($0.name) (pid \($0.pid))" }.joined(separator: ", "))
        }
        print("Kubus cluster stopped.")
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the supervisor, each service's pid, restarts and uptime, and what the broker reports.")

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let stateDirectory = try UpContext.current().stateDirectoryLeniently(
            explicitFile: cluster.file, explicitStateDir: cluster.stateDir)
        guard let pid = stateDirectory.runningSupervisor() else {
            print("No Kubus cluster is running in \(stateDirectory.path). Start one with `kubus-up`.")
            let strays = stateDirectory.readChildren().filter(\.isSameProcessAlive)
            if !strays.isEmpty {
                print(
                    "Processes left by a supervisor that was killed still run: "
                        + strays.map { "\($0.name) (pid \($0.pid))" }.joined(separator: ", ")
                        + "; `kubus-up down` stops them.")
            }
            throw ExitCode(3)
        }
        guard let status = stateDirectory.readStatus() else {
            print("Supervisor pid \(pid) runs in \(stateDirectory.path) but has written no status yet.")
            return
        }
        print(
            "Supervisor pid \(pid), up \(StatusReport.age(Date().timeIntervalSince(status.startedAt))), phase \(status.phase)"
        )
        print("State \(status.stateDir), cluster file \(status.clusterFile)\n")
        print(StatusReport.table(status))
        print("")
        do {
            let adminKey = StateDirectory(path: status.stateDir).adminKeyFile
            let probe = try BrokerProbe(
                bus: status.bus, keyFile: FileManager.default.fileExists(atPath: adminKey) ? adminKey : nil)
            defer { probe.close() }
            let services = try await probe.services(timeout: .seconds(2))
            print("Broker at \(status.bus):")
            print(StatusReport.brokerTable(services))
        } catch {
            print("Broker at \(status.bus) did not answer: \(error)")
        }
    }
}

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a service's log (NAME, or NAME-i with replicas; `up` for the supervisor).")

    // -f means --follow here, as in kubectl logs; the cluster file is --file only.
    @Option(name: .customLong("file"), help: ArgumentHelp("The cluster file (for its stateDir).", valueName: "file"))
    var file: String?

    @Option(
        help: ArgumentHelp(
            "State and logs folder. Default: the cluster file's stateDir, else ./.kubus.", valueName: "path"))
    var stateDir: String?

    @Argument(help: "The instance: bus, store, api-0, …; up for the supervisor.")
    var name: String

    @Flag(name: [.short, .long], help: "Keep printing what the service writes.")
    var follow = false

    @Option(help: "Print only the last N lines first.")
    var tail: Int?

    func run() async throws {
        let stateDirectory = try UpContext.current().stateDirectoryLeniently(
            explicitFile: file, explicitStateDir: stateDir)
        let path = stateDirectory.log(for: name)
        guard FileManager.default.fileExists(atPath: path) else {
            let available = ((try? FileManager.default.contentsOfDirectory(atPath: stateDirectory.logsDirectory)) ?? [])
                .filter { $0.hasSuffix(".log") }.map { String($0.dropLast(4)) }.sorted()
            throw UpError.notRunning(
                "no log for \"\(name)\" in \(stateDirectory.logsDirectory)"
                    + (available.isEmpty
                        ? "; has the cluster been started there?"
                        : "; logs there: \(available.joined(separator: ", "))"))
        }
        var offset = tail.map { LogFile.offsetOfLastLines(path, $0) } ?? 0
        offset = LogFile.copy(path, from: offset)
        while follow {
            try await Task.sleep(for: .milliseconds(200))
            offset = LogFile.copy(path, from: offset)
        }
    }
}
