public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a service that crashed leaves behind, kept in its state folder: `crashes/` holds the Swift runtime's
/// backtrace (`SWIFT_BACKTRACE=…,output-to=crashes`) and the kernel's core file, renamed `core.<pid>`.
///
/// Services run with their state folder as working directory and an unlimited core size, so with the kernel's
/// default `core_pattern` (`core`) a core lands there. A crash the backtracer cannot report (a stack overflow on a
/// thread without an alternate signal stack dies silently) still leaves its core. Only the newest `keep` cores
/// of an instance are kept, so repeated crashes cannot fill the disk.
public struct CrashReports: Sendable {
    /// The instance's state folder.
    public var stateDirectory: String
    /// Cores kept per instance.
    public var keep = 3

    public init(stateDirectory: String, keep: Int = 3) {
        self.stateDirectory = stateDirectory
        self.keep = keep
    }

    public var folder: String { stateDirectory + "/crashes" }

    /// The `SWIFT_BACKTRACE` setting for the service: backtraces on, written into `folder`. A value the user set
    /// is kept as it is.
    public func backtraceSetting(existing: String?) -> String {
        if let existing, !existing.isEmpty { return existing }
        return "enable=yes,symbolicate=full,output-to=\(folder)"
    }

    /// The `SWIFT_BACKTRACE` setting of kubus-up's fork server, which every service it forks keeps (the runtime
    /// reads it once, at start-up): `crashes` relative to the working folder, which is each service's state folder.
    public static let forkedBacktraceSetting = "enable=yes,symbolicate=full,output-to=crashes"

    /// Creates the folder.
    public func prepare() {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// After `pid` ended on a signal: moves its core (if the kernel wrote one into the state folder) into `folder`
    /// as `core.<pid>`, drops the oldest cores beyond `keep`, and returns what a person should look at — the
    /// backtrace file and its first lines, the core — or nil when there is nothing.
    public func collect(pid: Int32, since: Date) -> String? {
        prepare()
        var found: [String] = []
        let fm = FileManager.default
        for name in ["core.\(pid)", "core"] {
            let path = stateDirectory + "/" + name
            guard fm.fileExists(atPath: path) else { continue }
            let target = folder + "/core.\(pid)"
            try? fm.removeItem(atPath: target)
            if rename(path, target) == 0 { found.append("core \(target)") }
            break
        }
        pruneCores()
        let entries = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        for name in entries where name.hasSuffix(".log") && name.contains("-\(pid)-") {
            let path = folder + "/" + name
            let modified = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            guard modified >= since.addingTimeInterval(-1) else { continue }
            found.append("backtrace \(path)" + (Self.summary(ofBacktrace: path).map { ": \($0)" } ?? ""))
        }
        return found.isEmpty ? nil : found.joined(separator: "; ")
    }

    /// The crash line and the crashed thread's first frames of a Swift backtrace file.
    static func summary(ofBacktrace path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var parts: [String] = []
        if let crash = lines.first(where: { $0.hasPrefix("*** Program crashed") }) {
            parts.append(crash.trimmingCharacters(in: CharacterSet(charactersIn: "* ")))
        }
        if let start = lines.firstIndex(where: { $0.hasSuffix("crashed:") }) {
            let frames = lines[(start + 1)...].prefix { $0.first?.isNumber == true }
            parts += frames.prefix(4).map { String($0) }
        }
        return parts.isEmpty ? nil : parts.joined(separator: " | ")
    }

    /// Keeps the newest `keep` cores.
    private func pruneCores() {
        let fm = FileManager.default
        let cores = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("core.") }
            .map { folder + "/" + $0 }
            .sorted {
                let a = (try? fm.attributesOfItem(atPath: $0)[.modificationDate] as? Date) ?? .distantPast
                let b = (try? fm.attributesOfItem(atPath: $1)[.modificationDate] as? Date) ?? .distantPast
                return a > b
            }
        for old in cores.dropFirst(keep) { try? fm.removeItem(atPath: old) }
    }

    /// Raises this process's core size limit to its hard limit, so children it starts may dump core.
    public static func allowCoreDumps() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
    }
}
