import CZeroMQ
import Foundation

/// The peer figure: libzmq alone, PUSH→PULL over TCP loopback, one sender thread and one receiver thread.
enum RawZMQBench {
    struct Result {
        var messages: Int
        var seconds: Double
        var perSecond: Double { Double(messages) / seconds }
    }

    private struct Handle: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

    static func run(messages: Int, size: Int = 100) throws -> Result {
        guard let ctx = zmq_ctx_new() else { throw BenchCluster.Failure("zmq_ctx_new failed") }
        defer { zmq_ctx_term(ctx) }
        guard let pull = zmq_socket(ctx, ZMQ_PULL) else { throw BenchCluster.Failure("zmq_socket failed") }
        var linger: Int32 = 0
        zmq_setsockopt(pull, ZMQ_LINGER, &linger, 4)
        guard zmq_bind(pull, "tcp://127.0.0.1:*") == 0 else {
            zmq_close(pull)
            throw BenchCluster.Failure("bind tcp://127.0.0.1:* failed: errno \(zmq_errno())")
        }
        var buf = [CChar](repeating: 0, count: 256)
        var len = buf.count
        zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, &buf, &len)
        let endpoint = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        let sender = Handle(pointer: ctx)
        let senderDone = DispatchSemaphore(value: 0)
        let thread = Thread {
            let push = zmq_socket(sender.pointer, ZMQ_PUSH)!
            var linger: Int32 = 1000
            zmq_setsockopt(push, ZMQ_LINGER, &linger, 4)
            zmq_connect(push, endpoint)
            let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
            payload.withUnsafeBytes { p in
                for _ in 0..<messages {
                    while zmq_send(push, p.baseAddress, size, 0) < 0 && zmq_errno() == EINTR {}
                }
            }
            zmq_close(push)
            senderDone.signal()
        }
        thread.start()

        // Receive on this thread; time from the first message to the last.
        var rbuf = [UInt8](repeating: 0, count: size + 64)
        var start: Int64 = 0
        var received = 0
        rbuf.withUnsafeMutableBytes { p in
            while received < messages {
                let rc = zmq_recv(pull, p.baseAddress, p.count, 0)
                if rc < 0 {
                    if zmq_errno() == EINTR { continue }
                    break
                }
                if received == 0 { start = monotonicNs() }
                received += 1
            }
        }
        let end = monotonicNs()
        senderDone.wait()
        zmq_close(pull)
        // The first message only starts the clock.
        return Result(messages: received - 1, seconds: Double(end - start) / 1e9)
    }

    static func monotonicNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
