import Bus
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the cluster: the driver of `SupervisorStateMachine`, doing the process I/O.
///
/// It spawns children with posix_spawn, reaps them with `waitpid`, polls the broker for readiness, and keeps
/// `up.status` and `up.children` current. Graceful shutdown (SIGTERM/SIGINT through the `ServiceGroup`)
/// stops the services in reverse order. It returns once every child is gone; it throws when startup failed.
public struct Supervisor: Service {
    public let plan: ClusterPlan
    public let notifier: ReadyNotifier?
    public let logger: Logger
    /// Called once when every service is ready (after `up.status` is written).
    public var onReady: (@Sendable () -> Void)?
    /// How often the loop reaps, ticks and checks readiness.
    public var pollInterval: Duration = .milliseconds(100)

    public init(plan: ClusterPlan, notifier: ReadyNotifier?, logger: Logger) {
        self.plan = plan
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        CrashReports.allowCoreDumps()
        let stop = StopFlag()
        var driver = Driver(plan: plan, notifier: notifier, logger: logger, onReady: onReady)
        let strays = plan.stateDirectory.stopStrays()
        if !strays.isEmpty {
            logger.warning(
                "stopped processes left by a supervisor that did not exit cleanly",
                metadata: ["kubus.pids": "\(strays.map { "\($0.name)=\($0.pid)" }.joined(separator: ","))"])
        }
        let interval = pollInterval
        try await withGracefulShutdownHandler {
            try await driver.run(stop: stop, interval: interval)
        } onGracefulShutdown: {
            stop.set()
        }
    }
}

/// Set once when the supervisor must stop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Tells the `kubus-up` that detached the supervisor whether the cluster came up, through a pipe.
public final class ReadyNotifier: Sendable {
    private let fd: Int32
    private let sent = Atomic<Bool>(false)

    /// Wraps the write end of the pipe; it is kept from the services the supervisor starts.
    public init(fd: Int32) {
        self.fd = fd
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Sends `ready` or `failed` and a message, once, and closes the pipe.
    public func send(_ text: String) {
        guard !sent.exchange(true, ordering: .relaxed) else { return }
        var text = text
        text.withUTF8 { buf in _ = write(fd, buf.baseAddress, buf.count) }
        close(fd)
    }
}

extension Supervisor {
    struct Driver {
        let plan: ClusterPlan
        let notifier: ReadyNotifier?
        let logger: Logger
        let onReady: (@Sendable () -> Void)?
        var machine: SupervisorStateMachine
        var startedAt: [String: Date] = [:]
        var children: [String: ChildRecord] = [:]
        var finished = false
        var stopFed = false
        var probe: BrokerProbe?
        let supervisorStarted = Date()
        /// Forks the services `kubus` hosts (ForkServer); nil until the first, or after it failed.
        var forkServer: ForkServer?
        /// False with KUBUS_UP_FORK=0, or when kubus-up cannot adopt what the fork server forks.
        var forking = ForkServer.isEnabled(environment: ProcessInfo.processInfo.environment)
        /// Whether the zygote forked from kubus-up's own image was looked for (it is used for the first service).
        var triedInherited = false
        /// Whether kubus-up adopts orphaned descendants (what the zygote forks), once it is.
        var isSubreaper = false

        init(plan: ClusterPlan, notifier: ReadyNotifier?, logger: Logger, onReady: (@Sendable () -> Void)?) {
            self.plan = plan
            self.notifier = notifier
            self.logger = logger
            self.onReady = onReady
            machine = SupervisorStateMachine(members: plan.members)
        }

        mutating func run(stop: StopFlag, interval: Duration) async throws {
            logger.info(
                "starting cluster",
                metadata: [
                    "kubus.bus": "\(plan.bus)", "kubus.stateDir": "\(plan.stateDirectory.path)",
                    "kubus.file": "\(plan.clusterFile)",
                ])
            feed(.start)
            var lastReadyCheck = ContinuousClock.now - .seconds(1)
            while !finished {
                if (stop.isSet || Task.isCancelled) && !stopFed {
                    stopFed = true
                    logger.info("stopping cluster")
                    feed(.stopRequested)
                }
                while let (pid, description, signaled) = ProcessSpawner.reapAny() {
                    if let name = children.first(where: { $0.value.pid == pid })?.key {
                        children[name] = nil
                        let started = startedAt[name] ?? Date()
                        startedAt[name] = nil
                        logger.info(
                            "\(name) \(description)", metadata: ["kubus.instance": "\(name)", "kubus.pid": "\(pid)"])
                        if signaled, let instance = plan.instance(named: name) {
                            reportCrash(instance, pid: pid, description: description, since: started)
                        }
                    }
                    feed(.exited(pid: pid, description: description))
                }
                feed(.tick)
                if !finished, let name = machine.awaitingReady, !stopFed,
                    ContinuousClock.now - lastReadyCheck >= .milliseconds(250),
                    let instance = plan.instance(named: name), let ready = instance.ready
                {
                    lastReadyCheck = ContinuousClock.now
                    if probe == nil { probe = try? BrokerProbe(bus: plan.bus, keyFile: plan.adminKeyFile) }
                    if let probe, await probe.isReady(ready, workers: instance.readyWorkers) {
                        logger.info("\(name) is ready", metadata: ["kubus.instance": "\(name)"])
                        feed(.ready(name))
                    }
                }
                if finished { break }
                if Task.isCancelled {
                    usleep(UInt32(interval.milliseconds * 1000))
                } else {
                    try? await Task.sleep(for: interval)
                }
            }
            probe?.close()
            cleanUp()
            if let failure = machine.failure {
                throw UpError.startup("the cluster did not start: \(failure)")
            }
        }

        mutating func feed(_ input: SupervisorStateMachine.Input) {
            let actions = machine.handle(input, now: .now)
            guard !actions.isEmpty || input != .tick else { return }
            for action in actions { perform(action) }
            writeStatus()
        }

        mutating func perform(_ action: SupervisorStateMachine.Action) {
            switch action {
            case .start(let name):
                guard let instance = plan.instance(named: name) else { return }
                do {
                    let pid = try spawn(instance)
                    startedAt[name] = Date()
                    children[name] = ChildRecord(name: name, pid: pid, startTime: ProcFS.stat(pid)?.startTime)
                    logger.info("started \(name)", metadata: ["kubus.instance": "\(name)", "kubus.pid": "\(pid)"])
                    feed(.spawned(name, pid: pid))
                } catch {
                    logger.error("could not start \(name): \(error)", metadata: ["kubus.instance": "\(name)"])
                    feed(.spawnFailed(name, reason: "could not be started: \(error)"))
                }
            case .stop(let name, let pid):
                logger.info(
                    "stopping \(name) (SIGTERM)", metadata: ["kubus.instance": "\(name)", "kubus.pid": "\(pid)"])
                signal(name, pid, SIGTERM)
            case .kill(let name, let pid):
                logger.warning(
                    "\(name) did not stop in time; sending SIGKILL",
                    metadata: ["kubus.instance": "\(name)", "kubus.pid": "\(pid)"])
                signal(name, pid, SIGKILL)
            case .scheduleRestart(let name, _, let delay, let reason, let restarts):
                logger.warning(
                    "\(name) \(reason); restarting in \(delay) (restart \(restarts))",
                    metadata: ["kubus.instance": "\(name)", "kubus.restarts": "\(restarts)"])
            case .clusterReady:
                logger.notice("cluster ready", metadata: ["kubus.instances": "\(plan.instances.count)"])
                writeStatus()
                notifier?.send("ready\n")
                onReady?()
            case .startupFailed(let name, let reason):
                let instance = plan.instance(named: name)
                let log = instance?.log ?? plan.stateDirectory.supervisorLog
                var hint = ""
                if reason.hasPrefix("not ready"), let ready = instance?.ready {
                    hint =
                        ready == "bus"
                        ? " (the broker did not answer at \(plan.bus))"
                        : " (it must register \(instance?.readyWorkers ?? 1) worker(s) of bus service \"\(ready)\"; "
                            + "raise readyTimeout in \(plan.clusterFile) if it is only slow)"
                }
                let message = "\(name) \(reason)\(hint); \(LogFile.excerpt(log))"
                logger.error("\(message)")
                notifier?.send("failed\n\(message)\n")
            case .finished:
                finished = true
            }
        }

        /// Says where a crashed service's backtrace and core are, in the supervisor's log and the service's.
        func reportCrash(_ instance: ClusterPlan.Instance, pid: Int32, description: String, since: Date) {
            guard let found = CrashReports(stateDirectory: instance.stateDirectory).collect(pid: pid, since: since)
            else { return }
            let line = "\(instance.name) (pid \(pid)) \(description): \(found)"
            logger.warning("\(line)", metadata: ["kubus.instance": "\(instance.name)", "kubus.pid": "\(pid)"])
            if let sink = try? FileLogHandler.Sink(path: instance.log) {
                sink.write("--- kubus-up \(Date().ISO8601Format()): \(line)\n")
            }
        }

        func signal(_ name: String, _ pid: Int32, _ signal: Int32) {
            if plan.instance(named: name)?.stopProcessGroup == true {
                ProcessSpawner.signalGroup(pid, signal)
            } else {
                kill(pid, signal)
            }
        }

        mutating func spawn(_ instance: ClusterPlan.Instance) throws(UpError) -> Int32 {
            do {
                try FileManager.default.createDirectory(
                    atPath: instance.stateDirectory, withIntermediateDirectories: true)
            } catch {
                throw .system("create \(instance.stateDirectory)", errno: errno)
            }
            guard FileManager.default.isExecutableFile(atPath: instance.executable) else {
                throw .executableNotFound("\(instance.executable) is missing or not executable (being rebuilt?)")
            }
            let header =
                "--- kubus-up \(Date().ISO8601Format()): starting \(instance.name): "
                + ([instance.program] + instance.arguments).joined(separator: " ")
                + (instance.argv0 != nil ? " (from \(instance.executable))" : "") + "\n"
            if let sink = try? FileLogHandler.Sink(path: instance.log) { sink.write(header) }
            var env = ProcessSpawner.currentEnvironment()
            env["KUBUS_UP_NOTIFY_FD"] = nil
            // One malloc arena per Kubus service instead of glibc's one per thread (up to 8 per core): idle, the
            // default cluster's 26 services kept 34 MiB in arenas, 2.3 MiB of it spread thin over the extra ones;
            // CPU per api create did not change (docs/benchmarks.md). A GLIBC_TUNABLES of the user's, in kubus-up's
            // environment or the service's, wins.
            if instance.argv0 != nil, env["GLIBC_TUNABLES"] == nil {
                env["GLIBC_TUNABLES"] = ForkServer.mallocTunables
            }
            for (k, v) in instance.environment { env[k] = v }
            // A crash leaves its backtrace and core in the instance's state folder (its working directory).
            let crashes = CrashReports(stateDirectory: instance.stateDirectory)
            crashes.prepare()
            env["SWIFT_BACKTRACE"] = crashes.backtraceSetting(existing: env["SWIFT_BACKTRACE"])
            // Services run in their state folder; the image catalog is found next to the cluster file, as it was
            // from the folder kubus-up was started in.
            let catalog = (plan.clusterFile as NSString).deletingLastPathComponent + "/images.yaml"
            if env["KUBUS_IMAGE_CATALOG"] == nil, FileManager.default.fileExists(atPath: catalog) {
                env["KUBUS_IMAGE_CATALOG"] = catalog
            }
            if let argv0 = instance.argv0, let server = forkServer(running: instance.executable) {
                do {
                    return try server.spawn(
                        argv0: argv0, arguments: instance.arguments, environment: env, logPath: instance.log,
                        workingDirectory: instance.stateDirectory)
                } catch {
                    logger.warning(
                        "the fork server could not start \(instance.name) (\(error)); starting it by exec",
                        metadata: ["kubus.instance": "\(instance.name)"])
                    server.stop()
                    forkServer = nil
                }
            }
            return try ProcessSpawner.spawn(
                executable: instance.executable, arguments: instance.arguments, environment: env, logPath: instance.log,
                workingDirectory: instance.stateDirectory, argv0: instance.argv0)
        }

        /// The fork server for the multi-call binary `binary`: the running one while it serves the file as it is
        /// now, else a new one (a rebuilt binary gets a new zygote, so a restarted service runs the new build); nil
        /// when forking is off or the zygote cannot be started.
        mutating func forkServer(running binary: String) -> ForkServer? {
            guard forking else { return nil }
            if !isSubreaper {
                do {
                    try ForkServer.becomeSubreaper()
                    isSubreaper = true
                } catch {
                    logger.warning("services are started by exec: \(error)")
                    forking = false
                    return nil
                }
            }
            if forkServer == nil, !triedInherited {
                triedInherited = true
                if let inherited = ForkServer(inheritedFor: binary) {
                    if inherited.isCurrent {
                        logger.info("forking services from the zygote forked from kubus-up (pid \(inherited.pid))")
                        forkServer = inherited
                        return inherited
                    }
                    inherited.stop()
                }
            }
            if let server = forkServer, server.binary == binary, server.isCurrent { return server }
            if let old = forkServer {
                logger.info(
                    "\(binary) changed or its fork server (pid \(old.pid)) ended; starting a new fork server")
                old.stop()
                forkServer = nil
            }
            var env = ProcessSpawner.currentEnvironment()
            env[Detacher.notifyVariable] = nil
            do {
                let server = try ForkServer(
                    binary: binary, workingDirectory: plan.stateDirectory.path + "/zygote",
                    logPath: plan.stateDirectory.log(for: "zygote"), environment: ForkServer.zygoteEnvironment(env))
                logger.info("started the fork server (pid \(server.pid)) of \(binary)")
                forkServer = server
                return server
            } catch {
                logger.warning("services are started by exec: the fork server did not start (\(error))")
                return nil
            }
        }

        func writeStatus() {
            let now = ContinuousClock.now
            let instances = machine.statuses.map { s -> ClusterStatus.InstanceStatus in
                let instance = plan.instance(named: s.member.name)
                let started = s.since.map { Date().addingTimeInterval(-Double((now - $0).milliseconds) / 1000) }
                return .init(
                    name: s.member.name, service: instance?.service ?? s.member.name,
                    command: instance?.program ?? "", pid: s.state.pid, state: Self.name(of: s.state),
                    restarts: s.restarts, startedAt: startedAt[s.member.name] ?? started, log: instance?.log ?? "",
                    ready: instance?.ready)
            }
            plan.stateDirectory.writeStatus(
                ClusterStatus(
                    supervisorPid: getpid(), bus: plan.bus, stateDir: plan.stateDirectory.path,
                    clusterFile: plan.clusterFile,
                    phase: "\(machine.phase)", startedAt: supervisorStarted, updatedAt: Date(), instances: instances))
            // In start order, so that `down` after a kill -9 stops them in reverse.
            plan.stateDirectory.writeChildren(plan.instances.compactMap { children[$0.name] })
        }

        static func name(of state: SupervisorStateMachine.MemberState) -> String {
            switch state {
            case .notStarted: "notStarted"
            case .launching: "launching"
            case .starting: "starting"
            case .running: "running"
            case .waitingToRestart: "waitingToRestart"
            case .stopping: "stopping"
            case .killed: "killed"
            case .stopped: "stopped"
            }
        }

        func cleanUp() {
            forkServer?.stop()
            // After every service stopped: what instances asked to run then (a kubelet stops its pods).
            for instance in plan.instances.reversed() where !instance.afterStop.isEmpty {
                logger.info("\(instance.name): \(([instance.program] + instance.afterStop).joined(separator: " "))")
                let p = Process()
                p.executableURL = URL(fileURLWithPath: instance.executable)
                p.arguments = instance.afterStopArguments
                p.standardInput = FileHandle.nullDevice
                if let log = FileHandle(forWritingAtPath: instance.log) {
                    log.seekToEndOfFile()
                    p.standardOutput = log
                    p.standardError = log
                }
                do {
                    try p.run()
                    p.waitUntilExit()
                } catch {
                    logger.warning("\(instance.name): after-stop command failed to start: \(error)")
                }
            }
            if plan.bus.hasPrefix("ipc://") {
                let base = String(plan.bus.dropFirst("ipc://".count))
                for suffix in [".req", ".pub", ".sub"] { unlink(base + suffix) }
            }
            plan.stateDirectory.removeRunFiles()
            logger.info("cluster stopped")
        }
    }
}
