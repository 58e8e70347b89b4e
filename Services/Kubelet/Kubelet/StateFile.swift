import Foundation

/// The kubelet's small state files — a container's config and launch files, the network's records, the files of a
/// projected volume — written with plain system calls.
///
/// No `fsync`: Foundation's `Data.write` syncs every file it writes (even without `.atomic`), which on a disk costs
/// milliseconds each — three per container start, some tens of milliseconds per pod in a burst on this project's
/// test machine — and what these files describe (containers and namespaces, addresses of running pods, volume
/// contents written again at every pod start) does not survive a power loss either. A file replaced is renamed
/// into place, so a reader or a kubelet killed mid-write sees the old or the new contents, never a mix.
enum StateFile {
    /// A failed system call, with the path and the system's reason.
    struct Failure: Error, Sendable, CustomStringConvertible {
        let description: String

        init(_ operation: String, errno: Int32) {
            description = "\(operation): \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }

    /// Writes `contents` to a temporary file beside `path` and renames it over `path`, so a reader sees the old or
    /// the new contents, never a mix.
    static func replace(_ path: String, with contents: some ContiguousBytes) throws {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("create \(temporary)", errno: errno) }
        let (written, count) = contents.withUnsafeBytes { (write(fd, $0.baseAddress, $0.count), $0.count) }
        let writeErrno = errno
        close(fd)
        guard written == count else {
            unlink(temporary)
            throw Failure("write \(temporary)", errno: writeErrno)
        }
        guard rename(temporary, path) == 0 else {
            let saved = errno
            unlink(temporary)
            throw Failure("rename \(temporary) to \(path)", errno: saved)
        }
    }

    /// Overwrites the first bytes of `path` in place (creating it), without truncating or replacing it: for a hint
    /// whose every value has the same length, which a reader may see torn only if the machine stops mid-write.
    ///
    /// Replacing a file frees the old one's block, and on ext4 mounted with `discard` (and no journal) freeing a
    /// block waits for the disk to discard it: some tens of milliseconds per pod on the pod-startup path. Overwriting
    /// frees nothing.
    static func overwrite(_ path: String, with contents: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("open \(path)", errno: errno) }
        defer { close(fd) }
        let written = contents.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == contents.count else { throw Failure("write \(path)", errno: errno) }
    }

    /// Creates (or truncates) `path` with `contents` and `mode`.
    static func create(_ path: String, with contents: some ContiguousBytes, mode: mode_t = 0o644) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure("create \(path)", errno: errno) }
        let (written, count) = contents.withUnsafeBytes { (write(fd, $0.baseAddress, $0.count), $0.count) }
        let writeErrno = errno
        close(fd)
        guard written == count else { throw Failure("write \(path)", errno: writeErrno) }
    }

    /// The file's contents; nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return contents }
            contents.append(contentsOf: buffer[0..<n])
        }
    }

    /// The file's text without the ASCII white space around it; nil when it cannot be read.
    static func text(_ path: String) -> String? {
        guard let bytes = read(path) else { return nil }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// Creates the folder and its parents.
    static func createDirectory(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PodNetworkError.invalidConfiguration(
                "cannot create \(path): \(error); check the kubelet's state folder (--state-dir) is writable")
        }
    }
}
