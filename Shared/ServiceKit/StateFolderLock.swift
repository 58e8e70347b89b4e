import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a service's state folder (`<folder>/<name>.lock`, holding the owner's pid), held while the
/// service runs: a second instance started on the same folder (two kubelets sharing pods and network namespaces)
/// is refused instead of corrupting the first one's state. The kernel drops the lock when the process ends,
/// however it ends.
public final class StateFolderLock: Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock or throws, naming the process that holds it.
    public init(folder: String, name: String) throws(StateFolderLockError) {
        path = folder + "/" + name + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StateFolderLockError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw StateFolderLockError(
                "another \(name) (pid \(holder.isEmpty ? "?" : holder)) already runs on the state folder \(folder); "
                    + "stop it first, or give this one its own --state-dir")
        }
        let text = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    deinit { close(fd) }
}

/// The state folder is locked by another process, or the lock file cannot be opened.
public struct StateFolderLockError: Error, Sendable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
