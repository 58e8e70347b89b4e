import Foundation

/// A pod network failure: bad configuration, an exhausted range, a mode the host cannot run, a failed command.
public struct PodNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidConfiguration
        case exhausted
        case modeUnavailable
        case commandFailed
        case system
        case conflict
    }

    private let code: Code
    /// What went wrong, in words a user can act on.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A flag or field that cannot work (`--pod-cidr` outside `--cluster-cidr`, ...).
    public static func invalidConfiguration(_ message: String) -> PodNetworkError {
        PodNetworkError(.invalidConfiguration, message)
    }

    /// Every address (or every node slice) of a range is taken.
    public static func exhausted(_ message: String) -> PodNetworkError { PodNetworkError(.exhausted, message) }

    /// A forced network mode that this host cannot run.
    public static func modeUnavailable(_ message: String) -> PodNetworkError {
        PodNetworkError(.modeUnavailable, message)
    }

    /// An `ip` (or other) command that exited with an error; the message quotes the command and its output.
    public static func commandFailed(_ message: String) -> PodNetworkError {
        PodNetworkError(.commandFailed, message)
    }

    /// A system call on the state folder that failed.
    public static func system(_ operation: String, errno: Int32) -> PodNetworkError {
        PodNetworkError(.system, "\(operation): \(String(cString: strerror(errno))) (errno \(errno))")
    }

    /// Something on the host that belongs to someone else stands where a pod's namespace or link must go.
    public static func conflict(_ message: String) -> PodNetworkError { PodNetworkError(.conflict, message) }

    /// Whether the error reports an exhausted range.
    public var isExhausted: Bool { code == .exhausted }
    /// Whether the error reports a forced mode the host cannot run.
    public var isModeUnavailable: Bool { code == .modeUnavailable }

    public var description: String { message }
}
