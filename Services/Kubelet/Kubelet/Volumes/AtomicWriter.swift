import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a set of files into a volume folder atomically, the way the kubelet does for ConfigMap, Secret,
/// downward API and projected volumes.
///
/// The files live in a timestamped folder `..<time>`; the symlink `..data` points at it, and every top-level
/// entry is a symlink through `..data`. An update writes a new folder, then swaps `..data` with one `rename`, so
/// a reader sees either the old set or the new one, never a mix.
public struct AtomicWriter: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// One file to write: its bytes and its mode.
    public struct File: Sendable, Hashable {
        public var bytes: [UInt8]
        public var mode: Int

        public init(bytes: [UInt8], mode: Int = 0o644) {
            self.bytes = bytes
            self.mode = mode
        }
    }

    /// Makes the folder hold exactly `files` (relative paths); returns whether anything changed.
    @discardableResult
    public func write(_ files: [String: File]) throws -> Bool {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dataLink = "\(directory)/..data"
        if let current = try? fm.destinationOfSymbolicLink(atPath: dataLink),
            try matches(folder: "\(directory)/\(current)", files: files)
        {
            return false
        }
        let stamp = Self.stamp()
        let fresh = "\(directory)/\(stamp)"
        try fm.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            let full = "\(fresh)/\(path)"
            try fm.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Plain system calls: FileManager would sync each file to disk (see `StateFile`).
            try StateFile.create(full, with: file.bytes)
            chmod(full, mode_t(file.mode))
        }
        let tmp = "\(directory)/..data_tmp"
        unlink(tmp)
        try fm.createSymbolicLink(atPath: tmp, withDestinationPath: stamp)
        guard rename(tmp, dataLink) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: dataLink])
        }
        let top = Set(files.keys.map { String($0.split(separator: "/").first ?? "") })
        for name in top where !name.isEmpty {
            let link = "\(directory)/\(name)"
            if (try? fm.destinationOfSymbolicLink(atPath: link)) != "..data/\(name)" {
                unlink(link)
                try fm.createSymbolicLink(atPath: link, withDestinationPath: "..data/\(name)")
            }
        }
        for entry in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] {
            if entry.hasPrefix("..") {
                if entry != "..data" && entry != stamp { try? fm.removeItem(atPath: "\(directory)/\(entry)") }
            } else if !top.contains(entry) {
                try? fm.removeItem(atPath: "\(directory)/\(entry)")
            }
        }
        return true
    }

    private func matches(folder: String, files: [String: File]) throws -> Bool {
        var seen = 0
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(atPath: folder) else { return false }
        for case let path as String in enumerator {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: "\(folder)/\(path)", isDirectory: &isDir), !isDir.boolValue else { continue }
            guard let want = files[path], let have = fm.contents(atPath: "\(folder)/\(path)"),
                Array(have) == want.bytes
            else { return false }
            var st = stat()
            if stat("\(folder)/\(path)", &st) == 0, Int(st.st_mode) & 0o7777 != want.mode { return false }
            seen += 1
        }
        return seen == files.count
    }

    static func stamp() -> String {
        let now = Date()
        let nanos = Int((now.timeIntervalSince1970 - now.timeIntervalSince1970.rounded(.down)) * 1e9)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        return String(
            format: "..%04d_%02d_%02d_%02d_%02d_%02d.%09d", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!,
            nanos)
    }
}
