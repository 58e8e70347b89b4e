public import Foundation
public import Schema

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one probe or lifecycle hook: exec through the runtime, an HTTP/1.1 GET, or a TCP connect.
public struct Prober: Sendable {
    public let runtime: any ContainerRuntime

    public init(runtime: any ContainerRuntime) {
        self.runtime = runtime
    }

    /// Runs `probe` against container `containerID` of a pod at `podIP`; 200–399 is success for httpGet.
    public func run(
        exec: ExecAction?, httpGet: HTTPGetAction?, tcpSocket: TCPSocketAction?, container: Container,
        containerID: String, podIP: String, timeout: TimeInterval
    ) async -> ProbeOutcome {
        if let exec {
            return await runExec(exec.command ?? [], containerID: containerID, timeout: timeout)
        }
        if let http = httpGet {
            guard let port = Self.port(http.port, container: container) else {
                return .failure("unknown port \(http.port)")
            }
            let host = http.host.flatMap { $0.isEmpty ? nil : $0 } ?? podIP
            let headers = (http.httpHeaders ?? []).map { ($0.name, $0.value) }
            return await Self.blocking {
                Self.httpGet(host: host, port: port, path: http.path ?? "/", headers: headers, timeout: timeout)
            }
        }
        if let tcp = tcpSocket {
            guard let port = Self.port(tcp.port, container: container) else {
                return .failure("unknown port \(tcp.port)")
            }
            let host = tcp.host.flatMap { $0.isEmpty ? nil : $0 } ?? podIP
            return await Self.blocking {
                switch Self.connect(host: host, port: port, timeout: timeout) {
                case .success(let fd):
                    close(fd)
                    return .success
                case .failure(let message):
                    return .failure(message)
                }
            }
        }
        return .failure("the probe has no handler")
    }

    private func runExec(_ command: [String], containerID: String, timeout: TimeInterval) async -> ProbeOutcome {
        let process: any ExecProcess
        do {
            process = try await runtime.exec(containerID, command: command, tty: false, stdin: false)
        } catch {
            return .failure("\(error)")
        }
        return await withTaskGroup(of: ProbeOutcome?.self) { group in
            group.addTask {
                var output: [UInt8] = []
                while let chunk = await process.read() {
                    if output.count < 10_240 { output += chunk.bytes }
                }
                let code = await process.wait()
                if code == 0 { return .success }
                let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                return .failure(text.isEmpty ? "command \(command) exited with \(code)" : text)
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            await process.kill()
            return .failure("command timed out after \(Int(timeout))s")
        }
    }

    /// A named or numeric port of `container`.
    static func port(_ port: IntOrString, container: Container) -> Int? {
        switch port {
        case .int(let n): return n
        case .string(let name):
            if let n = Int(name) { return n }
            return container.ports?.first { $0.name == name }.map { $0.containerPort }
        }
    }

    /// Runs blocking socket work on its own thread, off the cooperative pool.
    static func blocking(_ work: @escaping @Sendable () -> ProbeOutcome) async -> ProbeOutcome {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.name = "kubus-probe"
            thread.start()
        }
    }

    enum Connect {
        case success(Int32)
        case failure(String)
    }

    /// Connects to `host:port` (IPv4) within `timeout`.
    static func connect(host: String, port: Int, timeout: TimeInterval) -> Connect {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { return .failure("invalid address \(host)") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure("socket: \(String(cString: strerror(errno)))") }
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 && errno != EINPROGRESS {
            let message = String(cString: strerror(errno))
            close(fd)
            return .failure("dial tcp \(host):\(port): connect: \(message.lowercased())")
        }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&pfd, 1, Int32(timeout * 1000))
        if ready <= 0 {
            close(fd)
            return .failure("dial tcp \(host):\(port): i/o timeout")
        }
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        if err != 0 {
            close(fd)
            return .failure("dial tcp \(host):\(port): connect: \(String(cString: strerror(err)).lowercased())")
        }
        _ = fcntl(fd, F_SETFL, flags)
        return .success(fd)
    }

    /// A minimal HTTP/1.1 GET: success when the status is 200–399.
    static func httpGet(
        host: String, port: Int, path: String, headers: [(String, String)], timeout: TimeInterval
    ) -> ProbeOutcome {
        let fd: Int32
        switch connect(host: host, port: port, timeout: timeout) {
        case .success(let f): fd = f
        case .failure(let message): return .failure("Get \"http://\(host):\(port)\(path)\": \(message)")
        }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var request = "GET \(path.hasPrefix("/") ? path : "/" + path) HTTP/1.1\r\n"
        var hasHost = false
        var hasAgent = false
        for (name, value) in headers {
            if name.lowercased() == "host" { hasHost = true }
            if name.lowercased() == "user-agent" { hasAgent = true }
            request += "\(name): \(value)\r\n"
        }
        if !hasHost { request += "Host: \(host):\(port)\r\n" }
        if !hasAgent { request += "User-Agent: kube-probe/1.31\r\n" }
        request += "Accept: */*\r\nConnection: close\r\n\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            return .failure("Get \"http://\(host):\(port)\(path)\": write failed")
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while response.count < 4096, !response.contains(UInt8(ascii: "\n")) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let line = String(
            decoding: response.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else {
            return .failure("Get \"http://\(host):\(port)\(path)\": malformed HTTP response \"\(line)\"")
        }
        if (200..<400).contains(code) { return .success }
        return .failure("HTTP probe failed with statuscode: \(code)")
    }
}
