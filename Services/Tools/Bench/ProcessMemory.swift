import Foundation

/// Resident memory of a process, from `/proc/PID/status`.
enum ProcessMemory {
    /// VmRSS in MiB, or nil when the process is gone.
    static func rssMiB(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap {
                Double($0)
            }
            return kb.map { $0 / 1024 }
        }
        return nil
    }

    /// Proportional set size in MiB (shared pages divided among the processes that map them, so shared libraries
    /// count once across processes), from `/proc/PID/smaps_rollup`; nil when the process is gone.
    static func pssMiB(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
            let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap {
                Double($0)
            }
            return kb.map { $0 / 1024 }
        }
        return nil
    }
}

/// Samples the resident memory of some processes in the background and keeps each one's maximum.
final class MemorySampler: @unchecked Sendable {
    private let lock = NSLock()
    private var maxima: [String: Double] = [:]
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(pids: [String: Int32], interval: Double = 0.05) {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                for (name, pid) in pids {
                    if let v = ProcessMemory.rssMiB(pid: pid) {
                        lock.withLock { maxima[name] = max(maxima[name] ?? 0, v) }
                    }
                }
                Thread.sleep(forTimeInterval: interval)
            }
            done.signal()
        }
        thread.start()
    }

    /// Stops sampling and returns the maximum per process.
    func stop() -> [String: Double] {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { maxima }
    }
}

/// CPU time used by a process (user + system), from `/proc/PID/stat`; load-independent cost per message.
enum ProcessCPU {
    /// Seconds of CPU used so far by `pid` (nil: the bench itself), or nil when the process is gone.
    static func seconds(pid: Int32? = nil) -> Double? {
        let path = pid.map { "/proc/\($0)/stat" } ?? "/proc/self/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return nil }
        return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// The CPU time the named services of a bench cluster use from its creation on (each process's own threads).
struct ServiceCPU {
    let cluster: BenchCluster
    let names: [String]
    private let start: [Double]

    init(_ cluster: BenchCluster, _ names: [String]) {
        self.cluster = cluster
        self.names = names
        start = names.map { cluster.pid($0).flatMap { ProcessCPU.seconds(pid: $0) } ?? 0 }
    }

    /// Seconds used since creation, in `names`' order (0 for a process gone since).
    func used() -> [(name: String, seconds: Double)] {
        zip(names, start).map { name, before in
            (name, (cluster.pid(name).flatMap { ProcessCPU.seconds(pid: $0) } ?? before) - before)
        }
    }
}

/// Every process on the machine with its parent and command name, from `/proc`.
struct ProcessTable {
    var parent: [Int32: Int32] = [:]
    var children: [Int32: [Int32]] = [:]
    var comm: [Int32: String] = [:]

    static func read() -> ProcessTable {
        var table = ProcessTable()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "(comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let ppid = Int32(fields[1]) else { continue }
            table.comm[pid] = String(stat[stat.index(after: open)..<close])
            table.parent[pid] = ppid
            table.children[ppid, default: []].append(pid)
        }
        return table
    }

    func isShim(_ pid: Int32) -> Bool { comm[pid] == "kubus-shim" }

    static func footprint(pid: Int32, name: String) -> ProcessFootprint? {
        guard let rss = ProcessMemory.rssMiB(pid: pid), let pss = ProcessMemory.pssMiB(pid: pid) else { return nil }
        return ProcessFootprint(name: name, pid: pid, rssMiB: rss, pssMiB: pss)
    }
}
