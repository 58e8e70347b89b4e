import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A log handler appending one line per message to a file (the supervisor's `up.log`).
public struct FileLogHandler: LogHandler {
    /// An open log file shared by every logger writing to it.
    public final class Sink: Sendable {
        let fd: Int32

        /// Opens `path` for appending.
        public init(path: String) throws(UpError) {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .system("open \(path)", errno: errno) }
        }

        func write(_ line: String) {
            var line = line
            // One write(2) per line, so lines from several writers never interleave in an O_APPEND file.
            line.withUTF8 { buf in _ = Glibc.write(fd, buf.baseAddress, buf.count) }
        }

        deinit { close(fd) }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: Sink

    public init(label: String, sink: Sink) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let meta =
            merged.isEmpty
            ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Date().ISO8601Format()
        sink.write("\(time) \(event.level) \(label):\(meta) \(event.message)\n")
    }
}
