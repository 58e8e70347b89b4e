public import Bus
import Foundation

/// The cluster file resolved for one run: absolute paths, executables found, one entry per instance.
public struct ClusterPlan: Sendable {
    /// One process to supervise.
    public struct Instance: Sendable, Equatable {
        /// `store`, or `api-0`, `api-1` with replicas.
        public var name: String
        public var service: String
        public var index: Int
        /// The file to execute: the command's own executable, or the multi-call binary hosting it.
        public var executable: String
        /// argv[0] when `executable` is the multi-call binary: the path the program's own executable has next to
        /// kubus-up (`…/kubus-api`), which picks the program and is what `ps` shows; nil to run `executable` as itself.
        public var argv0: String? = nil
        /// The arguments after argv[0], including `--bus` and `--state-dir`.
        public var arguments: [String]
        /// Variables added to the supervisor's environment.
        public var environment: [String: String]
        public var stateDirectory: String
        public var log: String
        /// The bus service whose registration means ready, `bus` for the broker itself, or nil.
        public var ready: String?
        /// How many workers of `ready` must be registered: this instance and the ones before it.
        public var readyWorkers: Int
        public var readyTimeout: Duration
        public var stopTimeout: Duration
        /// Whether stop signals go to the process group rather than the process.
        public var stopProcessGroup: Bool
        /// Arguments to run the executable with once the cluster has stopped; empty for none.
        public var afterStop: [String] = []

        /// The program as its user knows it: argv[0]'s path.
        public var program: String { argv0 ?? executable }

        /// `afterStop` as arguments of `executable`: the multi-call binary takes the program's name first.
        public var afterStopArguments: [String] {
            (argv0.map { [($0 as NSString).lastPathComponent] } ?? []) + afterStop
        }
    }

    public var bus: String
    public var stateDirectory: StateDirectory
    public var clusterFile: String
    public var instances: [Instance]
    /// The administrator's key file once `secure(with:)` issued it; nil for a bus run with `--insecure`.
    public var adminKeyFile: String?

    /// Resolves `file`: each command from the multi-call binary `kubus` next to `kubus-up` (`binaryDirectory`) when it
    /// hosts the command, else the command's own executable next to kubus-up, else on `searchPath`.
    /// - Throws: `UpError` naming every command it could not find and how to get it.
    public init(
        file: ClusterFile, clusterFilePath: String, stateDirectory: String, bus: String, binaryDirectory: String,
        searchPath: String?, hostname: String = ClusterFile.nodeHostname()
    ) throws(UpError) {
        self.bus = bus
        self.stateDirectory = StateDirectory(path: stateDirectory)
        self.clusterFile = clusterFilePath
        var instances: [Instance] = []
        var missing: [String] = []
        for entry in file.services {
            let host = MultiCall.host(for: entry.command, binaryDirectory: binaryDirectory)
            guard
                let exe = host
                    ?? Self.findExecutable(entry.command, binaryDirectory: binaryDirectory, searchPath: searchPath)
            else {
                missing.append(entry.command)
                continue
            }
            for (i, name) in entry.instanceNames.enumerated() {
                let dir = self.stateDirectory.serviceStateDirectory(for: name)
                let vars = [
                    "KUBUS_BUS": bus, "KUBUS_STATE_DIR": dir, "KUBUS_SERVICE": entry.name, "KUBUS_INSTANCE": name,
                    "KUBUS_INDEX": "\(i)", "KUBUS_INDEX1": "\(i + 1)", "KUBUS_CLUSTER_STATE_DIR": stateDirectory,
                    "KUBUS_HOSTNAME": hostname,
                ]
                let args =
                    entry.args.map { Self.substitute($0, vars) }
                    + (entry.serviceFlags ? ["--bus", bus, "--state-dir", dir] : [])
                var env = vars
                for (k, v) in entry.env { env[k] = Self.substitute(v, vars) }
                var instance =
                    Instance(
                        name: name, service: entry.name, index: i, executable: exe, arguments: args, environment: env,
                        stateDirectory: dir, log: self.stateDirectory.log(for: name), ready: entry.ready,
                        readyWorkers: i + 1,
                        readyTimeout: .milliseconds(Int64(entry.readyTimeout * 1000)),
                        stopTimeout: .milliseconds(Int64(entry.stopTimeout * 1000)),
                        stopProcessGroup: entry.stopProcessGroup)
                instance.afterStop = entry.afterStop.map { Self.substitute($0, vars) }
                if host != nil { instance.argv0 = binaryDirectory + "/" + entry.command }
                instances.append(instance)
            }
        }
        guard missing.isEmpty else {
            throw .executableNotFound(
                "executable\(missing.count > 1 ? "s" : "") not found: \(missing.joined(separator: ", ")) "
                    + "(looked next to kubus-up in \(binaryDirectory), then on PATH); build them with `swift build`, "
                    + "or fix \"command\" in \(clusterFilePath)")
        }
        self.instances = instances
    }

    public func instance(named name: String) -> Instance? { instances.first { $0.name == name } }

    /// Gives every instance its key on the bus (`BusKeyring.variables(command:name:)`) and the administrator a key
    /// for kubusctl. Keys already issued are kept. A broker run with `--insecure` gets none.
    public mutating func secure(with keyring: BusKeyring) throws(BusError) {
        guard !instances.contains(where: { $0.ready == "bus" && $0.arguments.contains("--insecure") }) else { return }
        adminKeyFile = try keyring.issueAdministrator()
        for i in instances.indices {
            let command = instances[i].ready == "bus" ? "kubus-bus" : instances[i].program
            let arguments = instances[i].arguments
            for (k, v) in try keyring.variables(command: command, name: instances[i].name, arguments: arguments) {
                instances[i].environment[k] = v
            }
        }
    }

    /// The members of the supervisor's state machine, in start order.
    public var members: [SupervisorStateMachine.Member] {
        instances.map {
            .init(
                name: $0.name, waitsForReady: $0.ready != nil, readyTimeout: $0.readyTimeout,
                stopTimeout: $0.stopTimeout)
        }
    }

    /// Replaces `${NAME}` for the `KUBUS_*` variables of the instance.
    static func substitute(_ text: String, _ vars: [String: String]) -> String {
        guard text.contains("${") else { return text }
        var out = text
        for (k, v) in vars { out = out.replacingOccurrences(of: "${\(k)}", with: v) }
        return out
    }

    /// An absolute path for `command`: as given when it holds a slash, else next to kubus-up, else on PATH.
    public static func findExecutable(_ command: String, binaryDirectory: String, searchPath: String?) -> String? {
        if command.contains("/") {
            let path = command.hasPrefix("/") ? command : FileManager.default.currentDirectoryPath + "/" + command
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let dirs = [binaryDirectory] + (searchPath ?? "").split(separator: ":").map(String.init)
        for dir in dirs where !dir.isEmpty {
            let path = dir + "/" + command
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

extension BusKeyring {
    /// The administrator's key file (kubusctl's, the tools' and the supervisor's), issued on first use: it may
    /// call, serve and publish anything, as cluster-admin may do anything.
    public func issueAdministrator() throws(BusError) -> String {
        try issue(
            "admin", identity: "kubus-admin", groups: ["system:masters"], calls: ["*"], serves: ["*"], publishes: ["*"])
    }

    /// The environment a process of `command` (a path or a program name) started as `name` needs on a secured bus:
    /// the key folder for the broker, a key of its own with its program's rights (`BusRights`) for any other.
    public func variables(command: String, name: String, arguments: [String] = []) throws(BusError)
        -> [String: String]
    {
        if command.split(separator: "/").last == "kubus-bus" { return ["KUBUS_KEYS_DIR": directory] }
        let rights = BusRights.of(command: command, service: name, arguments: arguments)
        let key = try issue(
            name, identity: BusRights.identity(command: command, service: name, arguments: arguments),
            groups: rights.groups, calls: rights.calls, serves: rights.serves, publishes: rights.publishes)
        return ["KUBUS_BUS_KEY": key]
    }
}

/// What each Kubus program may do on the bus: the least it needs. A program the table does not know (added to a
/// cluster file by its user) may call the api and serve a service named as its cluster file entry.
///
/// `groups` name the program to the api's RBAC: each is bound at the api's start to the ClusterRole of the same
/// name (docs/security.md); a program the table does not know is in no group, and may do at the api what its user
/// grants its identity `system:kubus:<name>`.
public enum BusRights {
    /// The rights of `command` run as `service` with `arguments`: a kubelet serves only its own node's service
    /// (`kubelet.<node>`, or `kubelet.<prefix>-*` for the nodes a simulated kubelet registers, `--runtime sim`), when its
    /// `--node-name` is given; a controller is in the group of the controller its first argument names.
    public static func of(command: String, service: String, arguments: [String] = [])
        -> (groups: [String], calls: [String], serves: [String], publishes: [String])
    {
        switch command.split(separator: "/").last.map(String.init) ?? command {
        // The store publishes every watch event and the Sync beacons.
        case "kubus-store": (["system:kubus:store"], ["bus"], ["store"], ["*"])
        case "kubus-api": (["system:kubus:api"], ["store", "bus"], ["api"], [])
        case "kubus-scheduler": (["system:kubus:scheduler"], ["api"], [], [])
        case "kubus-controller": (controllerGroups(arguments), ["api"], ["controller-*"], [])
        case "kubus-kubelet": (["system:nodes"], ["api"], [kubeletService(arguments)], [])
        case "kubus-dns": (["system:kubus:dns"], ["api"], ["dns"], [])
        case "kubus-proxy": (["system:kubus:proxy"], ["api"], ["proxy"], [])
        case "kubus-netpol": (["system:kubus:netpol"], ["api"], ["netpol"], [])
        // It serves its status (`ingress`) and, as every ControllerKit controller, `controller-ingress`.
        case "kubus-ingress": (["system:kubus:ingress"], ["api"], ["ingress", "controller-ingress"], [])
        default: ([], ["api"], [service], [])
        }
    }

    /// The identity the api knows a program by: `system:kubus:<service>`, but a kubelet's is Kubernetes' node user
    /// `system:node:<node>` (`system:node:<prefix>-*` for a simulated kubelet's nodes), which NodeRestriction
    /// holds to its own Node, Lease and pods.
    public static func identity(command: String, service: String, arguments: [String] = []) -> String {
        let program = command.split(separator: "/").last.map(String.init) ?? command
        guard program == "kubus-kubelet", let i = arguments.firstIndex(of: "--node-name"), i + 1 < arguments.count
        else { return "system:kubus:\(service)" }
        let node = arguments[i + 1]
        return simulated(arguments) ? "system:node:\(node)-*" : "system:node:\(node)"
    }

    /// Whether a kubelet's arguments make it simulated (`--runtime sim`): it runs the nodes `<node-name>-0 …`.
    static func simulated(_ arguments: [String]) -> Bool {
        if arguments.contains("--sim-nodes") || arguments.contains("--runtime=sim") { return true }
        guard let i = arguments.firstIndex(of: "--runtime"), i + 1 < arguments.count else { return false }
        return arguments[i + 1] == "sim"
    }

    /// `system:kubus:controller:<name>` for each controller a `kubus-controller` runs: its one positional argument,
    /// a comma-separated list (every option of kubus-controller takes a value, so `--opt value` pairs are skipped).
    static func controllerGroups(_ arguments: [String]) -> [String] {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("-") {
                index += argument.contains("=") ? 1 : 2
                continue
            }
            return argument.split(separator: ",").map { "system:kubus:controller:\($0)" }
        }
        return []
    }

    /// The bus service names a kubelet with `arguments` may serve.
    static func kubeletService(_ arguments: [String]) -> String {
        guard let i = arguments.firstIndex(of: "--node-name"), i + 1 < arguments.count else { return "kubelet.*" }
        let node = arguments[i + 1]
        return simulated(arguments) ? "kubelet.\(node)-*" : "kubelet.\(node)"
    }
}
