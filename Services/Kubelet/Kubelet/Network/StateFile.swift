import Foundation

/// Small files in the network's state folder, written with plain system calls.
///
/// No `fsync`: Foundation's atomic writes sync the disk, which costs milliseconds on the pod-startup path, and what
/// these files describe (namespaces under /run, addresses of running pods) does not survive a power loss either.
enum StateFile {
    /// Writes `contents` to a temporary file beside `path` and renames it over `path`, so a reader sees the old or
    /// the new contents, never a mix.
    static func replace(_ path: String, with contents: [UInt8]) throws {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PodNetworkError.system("create \(temporary)", errno: errno) }
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let writeErrno = errno
        close(fd)
        guard written == contents.count else {
            unlink(temporary)
            throw PodNetworkError.system("write \(temporary)", errno: writeErrno)
        }
        guard rename(temporary, path) == 0 else {
            let saved = errno
            unlink(temporary)
            throw PodNetworkError.system("rename \(temporary) to \(path)", errno: saved)
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
        guard fd >= 0 else { throw PodNetworkError.system("open \(path)", errno: errno) }
        defer { close(fd) }
        let written = contents.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == contents.count else { throw PodNetworkError.system("write \(path)", errno: errno) }
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
