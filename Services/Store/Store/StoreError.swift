import Schema

/// An error of the store engine.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable, Hashable {
        case compacted(requested: Int64, compactRevision: Int64)
        case futureRevision(requested: Int64, current: Int64)
        case notFound
        case io
        case corrupted
        case invalidArgument
        case closed
    }

    private let code: Code
    /// What went wrong, and what to do.
    public let message: String
    /// The underlying error, if any.
    public let cause: (any Error)?

    private init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }

    /// The requested revision was compacted away.
    public static func compacted(requested: Int64, compactRevision: Int64) -> StoreError {
        StoreError(
            .compacted(requested: requested, compactRevision: compactRevision),
            "revision \(requested) has been compacted (compact revision \(compactRevision)); "
                + "relist at the current revision"
        )
    }

    /// The requested revision is above the current one.
    public static func futureRevision(requested: Int64, current: Int64) -> StoreError {
        StoreError(
            .futureRevision(requested: requested, current: current),
            "revision \(requested) is a future revision (current revision \(current))"
        )
    }

    /// A named thing does not exist.
    public static func notFound(_ message: String) -> StoreError { StoreError(.notFound, message) }

    /// Reading or writing the database failed.
    public static func io(_ message: String, cause: (any Error)? = nil) -> StoreError {
        StoreError(.io, message, cause: cause)
    }

    /// The database file is not a store or is damaged.
    public static func corrupted(_ message: String, cause: (any Error)? = nil) -> StoreError {
        StoreError(.corrupted, message, cause: cause)
    }

    /// The caller passed an unusable argument.
    public static func invalidArgument(_ message: String) -> StoreError { StoreError(.invalidArgument, message) }

    /// The store was closed.
    public static let closed = StoreError(.closed, "the store is closed")

    /// True when the requested revision was compacted.
    public var isCompacted: Bool {
        if case .compacted = code { return true }
        return false
    }

    /// The compact revision reported by a `compacted` error.
    public var compactRevision: Int64? {
        if case .compacted(_, let compactRevision) = code { return compactRevision }
        return nil
    }

    /// True when the requested revision is in the future.
    public var isFutureRevision: Bool {
        if case .futureRevision = code { return true }
        return false
    }

    /// True for `notFound`.
    public var isNotFound: Bool { code == .notFound }
    /// True for I/O failures.
    public var isIO: Bool { code == .io }
    /// True for a damaged or foreign database file.
    public var isCorrupted: Bool { code == .corrupted }
    /// True for an unusable argument.
    public var isInvalidArgument: Bool { code == .invalidArgument }
    /// True when the store was closed.
    public var isClosed: Bool { code == .closed }
}
