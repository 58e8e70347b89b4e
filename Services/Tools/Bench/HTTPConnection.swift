import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal keep-alive HTTP/1.1 client over one blocking TCP socket, for the etcd peer benchmark.
///
/// One request at a time; bodies by Content-Length (chunked replies are read too). Fast enough that the
/// client is not what is measured (check with `GET /version`).
final class HTTPConnection {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private var fd: Int32 = -1
    private let host: String
    private let port: Int
    private var buffer: [UInt8] = []
    private var start = 0

    init(host: String = "127.0.0.1", port: Int) throws {
        self.host = host
        self.port = port
        try connect()
    }

    deinit { if fd >= 0 { close(fd) } }

    private func connect() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(4))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr(host)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            fd = -1
            throw Failure(description: "connect \(host):\(port): errno \(errno)")
        }
    }

    /// Sends one request and reads the whole reply. Returns the status code and body.
    func request(method: String, path: String, body: [UInt8] = []) throws -> (status: Int, body: [UInt8]) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        if method == "POST" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + body
        try writeAll(out)
        return try readResponse()
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "write: errno \(errno)")
            }
            off += n
        }
    }

    /// Reads more bytes into the buffer; throws on close.
    private func fill() throws {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw Failure(description: "connection closed by the server") }
            buffer += chunk[0..<n]
            return
        }
    }

    /// Index just past the next CRLF at or after `from`, filling as needed.
    private func line(from: Int) throws -> (text: String, next: Int) {
        var i = from
        while true {
            while i + 1 < buffer.count {
                if buffer[i] == 13 && buffer[i + 1] == 10 {
                    return (String(decoding: buffer[from..<i], as: UTF8.self), i + 2)
                }
                i += 1
            }
            try fill()
        }
    }

    private func take(_ count: Int, at: Int) throws -> [UInt8] {
        while buffer.count < at + count { try fill() }
        return Array(buffer[at..<at + count])
    }

    private func readResponse() throws -> (status: Int, body: [UInt8]) {
        var (statusLine, pos) = try line(from: start)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw Failure(description: "bad status line: \(statusLine)")
        }
        var length: Int?
        var chunked = false
        while true {
            let (h, next) = try line(from: pos)
            pos = next
            if h.isEmpty { break }
            let lower = h.lowercased()
            if lower.hasPrefix("content-length:") {
                length = Int(lower.dropFirst(15).trimmingCharacters(in: .whitespaces))
            }
            if lower.hasPrefix("transfer-encoding:") && lower.contains("chunked") { chunked = true }
        }
        var body: [UInt8] = []
        if chunked {
            while true {
                let (sizeLine, next) = try line(from: pos)
                let size = Int(sizeLine.split(separator: ";")[0], radix: 16) ?? 0
                pos = next
                if size == 0 {
                    let (_, after) = try line(from: pos)
                    pos = after
                    break
                }
                body += try take(size, at: pos)
                pos += size + 2
                _ = try take(0, at: pos)
            }
        } else if let length {
            body = try take(length, at: pos)
            pos += length
        }
        statusLine = ""
        start = pos
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return (status, body)
    }
}
