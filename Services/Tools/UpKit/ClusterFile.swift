import Foundation
import Yams

/// The local cluster file (`compose/kubus.yaml`): the bus, the state folder and the services in start order.
public struct ClusterFile: Codable, Sendable, Equatable {
    /// The bus base address every service gets as `--bus`.
    public var bus: String
    /// The folder for state and logs, relative to the current folder unless absolute.
    public var stateDir: String
    /// The services, in start order; they stop in reverse order.
    public var services: [ServiceEntry]

    public static let defaultBus = "tcp://127.0.0.1:7700"
    public static let defaultStateDir = "./.kubus"

    public init(bus: String = defaultBus, stateDir: String = defaultStateDir, services: [ServiceEntry]) {
        self.bus = bus
        self.stateDir = stateDir
        self.services = services
    }

    enum CodingKeys: String, CodingKey { case bus, stateDir, services }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bus = try c.decodeIfPresent(String.self, forKey: .bus) ?? Self.defaultBus
        stateDir = try c.decodeIfPresent(String.self, forKey: .stateDir) ?? Self.defaultStateDir
        services = try c.decodeIfPresent([ServiceEntry].self, forKey: .services) ?? []
    }

    /// Parses and validates cluster file text; `source` names the file in errors.
    public static func parse(_ text: String, source: String = "cluster file") throws(UpError) -> ClusterFile {
        let file: ClusterFile
        do {
            file = try YAMLDecoder().decode(ClusterFile.self, from: text)
        } catch {
            throw .clusterFile("\(source): \(Self.describe(error))")
        }
        try file.validate(source: source)
        return file
    }

    /// Reads and validates the cluster file at `path`.
    public static func load(path: String) throws(UpError) -> ClusterFile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw .clusterFile("cannot read cluster file \(path); pass one with -f FILE")
        }
        return try parse(text, source: path)
    }

    /// Checks what the types cannot: unique names, positive replica counts, known readiness values.
    public func validate(source: String) throws(UpError) {
        guard !services.isEmpty else { throw .clusterFile("\(source): field services: must list at least one service") }
        var seen = Set<String>()
        for (i, s) in services.enumerated() {
            let field = "\(source): field services[\(i)]"
            guard !s.name.isEmpty, s.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw .clusterFile("\(field).name: \"\(s.name)\" must be non-empty letters, digits, '-' or '_'")
            }
            guard seen.insert(s.name).inserted else {
                throw .clusterFile("\(field).name: \"\(s.name)\" is used twice; service names must be unique")
            }
            guard !s.command.isEmpty else { throw .clusterFile("\(field).command: must name an executable") }
            guard s.replicas >= 1 else { throw .clusterFile("\(field).replicas: must be >= 1") }
            guard s.readyTimeout > 0 else { throw .clusterFile("\(field).readyTimeout: must be > 0 seconds") }
            guard s.stopTimeout > 0 else { throw .clusterFile("\(field).stopTimeout: must be > 0 seconds") }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? DecodingError {
            switch e {
            case .keyNotFound(let key, let ctx):
                return "field \(path(ctx.codingPath + [key])): required"
            case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
                return "field \(path(ctx.codingPath)): \(ctx.debugDescription)"
            @unknown default:
                return "\(e)"
            }
        }
        return "\(error)"
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { k in k.intValue.map { "[\($0)]" } ?? ".\(k.stringValue)" }.joined().drop { $0 == "." }.description
    }

    /// Where to look for the cluster file when `-f` is not given: `compose/kubus.yaml` under the current folder,
    /// then under the package that holds the `kubus-up` binary (`<package>/.build/<config>/kubus-up`).
    public static func defaultPaths(currentDirectory: String, binaryDirectory: String) -> [String] {
        var paths = [currentDirectory + "/compose/kubus.yaml"]
        var dir = URL(fileURLWithPath: binaryDirectory)
        // .build/debug may be a symlink to .build/<triple>/debug; walk up until a folder holding `.build`.
        for _ in 0..<4 {
            dir = dir.deletingLastPathComponent()
            if dir.lastPathComponent == ".build" {
                paths.append(dir.deletingLastPathComponent().path + "/compose/kubus.yaml")
                break
            }
        }
        return paths
    }
}

/// One service of the cluster file.
public struct ServiceEntry: Codable, Sendable, Equatable {
    /// The service's name: its log is `<name>.log` (`<name>-<i>.log` with replicas) and its state `<stateDir>/<name>`.
    public var name: String
    /// The executable, looked up next to `kubus-up` first, then on PATH; or an absolute path.
    public var command: String
    /// Extra arguments; `--bus` and `--state-dir` are added by `kubus-up`.
    public var args: [String]
    /// How many instances to run.
    public var replicas: Int
    /// What "ready" means: `bus` for the broker answering, a bus service name registered with the broker, or nil.
    public var ready: String?
    /// Extra environment variables.
    public var env: [String: String]
    /// Seconds to wait for readiness before giving up (default 30).
    public var readyTimeout: Double
    /// Seconds between SIGTERM and SIGKILL when stopping (default 10).
    public var stopTimeout: Double
    /// Whether `kubus-up` adds `--bus` and `--state-dir` (default true; false for programs that are not Kubus services).
    public var serviceFlags: Bool
    /// Whether stopping signals the service's whole process group (for shell wrappers) rather than the process
    /// alone (default false: a service such as the kubelet keeps what it started across its own restarts).
    public var stopProcessGroup: Bool
    /// Whether instance names carry their index even with one replica (`kubelet-0`), so each has its own state
    /// folder and adding replicas later renames nothing (default false).
    public var indexed: Bool
    /// Arguments for the same executable, run once per instance after the whole cluster stopped (the kubelet's
    /// `cleanup`, which stops the pods it left running); `${NAME}` variables as in `args` (default none).
    public var afterStop: [String]

    public init(
        name: String, command: String, args: [String] = [], replicas: Int = 1, ready: String? = nil,
        env: [String: String] = [:], readyTimeout: Double = 30, stopTimeout: Double = 10, serviceFlags: Bool = true,
        stopProcessGroup: Bool = false, indexed: Bool = false, afterStop: [String] = []
    ) {
        self.indexed = indexed
        self.afterStop = afterStop
        self.name = name
        self.command = command
        self.args = args
        self.replicas = replicas
        self.ready = ready
        self.env = env
        self.readyTimeout = readyTimeout
        self.stopTimeout = stopTimeout
        self.serviceFlags = serviceFlags
        self.stopProcessGroup = stopProcessGroup
    }

    enum CodingKeys: String, CodingKey {
        case name, command, args, replicas, ready, env, readyTimeout, stopTimeout, serviceFlags, stopProcessGroup
        case indexed, afterStop
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        command = try c.decode(String.self, forKey: .command)
        args = try c.decodeIfPresent([String].self, forKey: .args) ?? []
        replicas = try c.decodeIfPresent(Int.self, forKey: .replicas) ?? 1
        let readyValue = try c.decodeIfPresent(String.self, forKey: .ready)
        ready = (readyValue == nil || readyValue == "none" || readyValue == "") ? nil : readyValue
        env = try c.decodeIfPresent([String: String].self, forKey: .env) ?? [:]
        readyTimeout = try c.decodeIfPresent(Double.self, forKey: .readyTimeout) ?? 30
        stopTimeout = try c.decodeIfPresent(Double.self, forKey: .stopTimeout) ?? 10
        serviceFlags = try c.decodeIfPresent(Bool.self, forKey: .serviceFlags) ?? true
        stopProcessGroup = try c.decodeIfPresent(Bool.self, forKey: .stopProcessGroup) ?? false
        indexed = try c.decodeIfPresent(Bool.self, forKey: .indexed) ?? false
        afterStop = try c.decodeIfPresent([String].self, forKey: .afterStop) ?? []
    }

    /// The instance names: `name` alone, or `name-0`, `name-1`, … with replicas (or when `indexed`).
    public var instanceNames: [String] {
        replicas == 1 && !indexed ? [name] : (0..<replicas).map { "\(name)-\($0)" }
    }
}
