/// An error from `kubus-up`: what went wrong and what to do about it.
public struct UpError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case clusterFile
        case executableNotFound
        case alreadyRunning
        case startup
        case system
        case notRunning
    }

    private let code: Code
    /// What went wrong, in words a user can act on.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The cluster file is missing or does not say what it must.
    public static func clusterFile(_ message: String) -> UpError { UpError(.clusterFile, message) }

    /// A service's command is neither next to `kubus-up` nor on PATH.
    public static func executableNotFound(_ message: String) -> UpError { UpError(.executableNotFound, message) }

    /// Another supervisor owns the state folder.
    public static func alreadyRunning(_ message: String) -> UpError { UpError(.alreadyRunning, message) }

    /// The cluster did not become ready.
    public static func startup(_ message: String) -> UpError { UpError(.startup, message) }

    /// A system call failed.
    public static func system(_ operation: String, errno: Int32) -> UpError {
        UpError(.system, "\(operation): \(String(cString: strerror(errno))) (errno \(errno))")
    }

    /// Something that needs a running supervisor found none.
    public static func notRunning(_ message: String) -> UpError { UpError(.notRunning, message) }

    public var description: String { message }
}

#if canImport(Glibc)
    import Glibc
#endif
