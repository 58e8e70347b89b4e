import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the kubelet reads about its host for the Node's status: capacity, system info, pressure signals.
public struct HostFacts: Sendable, Hashable {
    public var cpuCores: Int
    public var memoryTotal: Int64
    public var memoryAvailable: Int64
    /// Bytes and free fraction of the filesystem holding the state folder.
    public var diskTotal: Int64
    public var diskFreeFraction: Double
    public var pidMax: Int
    public var processes: Int
    public var kernelVersion: String
    public var osImage: String
    public var architecture: String
    public var machineID: String
    public var bootID: String

    public init(
        cpuCores: Int = 1, memoryTotal: Int64 = 1 << 30, memoryAvailable: Int64 = 1 << 29, diskTotal: Int64 = 1 << 34,
        diskFreeFraction: Double = 0.5, pidMax: Int = 32768, processes: Int = 100, kernelVersion: String = "",
        osImage: String = "", architecture: String = "amd64", machineID: String = "", bootID: String = ""
    ) {
        self.cpuCores = cpuCores
        self.memoryTotal = memoryTotal
        self.memoryAvailable = memoryAvailable
        self.diskTotal = diskTotal
        self.diskFreeFraction = diskFreeFraction
        self.pidMax = pidMax
        self.processes = processes
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.architecture = architecture
        self.machineID = machineID
        self.bootID = bootID
    }

    /// Reads the facts of this host; `stateDirectory` names the filesystem checked for disk pressure.
    public static func read(stateDirectory: String) -> HostFacts {
        var facts = HostFacts()
        facts.cpuCores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        for line in meminfo.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == ":" })
            guard parts.count >= 2, let kib = Int64(parts[1]) else { continue }
            if parts[0] == "MemTotal" { facts.memoryTotal = kib * 1024 }
            if parts[0] == "MemAvailable" { facts.memoryAvailable = kib * 1024 }
        }
        var fs = statvfs()
        if statvfs(stateDirectory, &fs) == 0, fs.f_blocks > 0 {
            facts.diskTotal = Int64(fs.f_blocks) * Int64(fs.f_frsize)
            facts.diskFreeFraction = Double(fs.f_bavail) / Double(fs.f_blocks)
        }
        facts.pidMax = Int(read("/proc/sys/kernel/pid_max")) ?? 32768
        // /proc/loadavg: "0.00 0.01 0.05 1/123 4567": the fourth field counts scheduling entities (threads).
        let load = read("/proc/loadavg").split(separator: " ")
        if load.count >= 4, let total = load[3].split(separator: "/").last.flatMap({ Int($0) }) {
            facts.processes = total
        }
        var name = utsname()
        if uname(&name) == 0 {
            facts.kernelVersion = withUnsafeBytes(of: &name.release) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            facts.architecture = goArchitecture(machine)
        }
        facts.osImage = osImage(fromOSRelease: read("/etc/os-release"))
        facts.machineID = read("/etc/machine-id")
        facts.bootID = read("/proc/sys/kernel/random/boot_id")
        return facts
    }

    /// `x86_64` → `amd64`, `aarch64` → `arm64`, as Go's GOARCH names them.
    public static func goArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64", "arm64": return "arm64"
        case "i386", "i686": return "386"
        default: return machine
        }
    }

    /// `PRETTY_NAME` from `/etc/os-release` text.
    public static func osImage(fromOSRelease text: String) -> String {
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'"))
        }
        return "Linux"
    }

    private static func read(_ path: String) -> String {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
