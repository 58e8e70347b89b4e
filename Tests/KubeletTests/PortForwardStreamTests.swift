import Testing

@testable import Kubelet

@Suite struct PortForwardStreamTests {
    @Test func aRetriedPollGetsTheSameBytesUntilTheyAreAcknowledged() {
        var stream = PortForwardStream()
        stream.podSent(Array("hello".utf8))
        #expect(stream.ready(from: 0))
        #expect(stream.reply(from: 0).bytes == Array("hello".utf8))
        #expect(stream.reply(from: 0).bytes == Array("hello".utf8))
        stream.podSent(Array(" world".utf8))
        stream.acknowledge(5)
        #expect(stream.reply(from: 5).bytes == Array(" world".utf8))
        stream.acknowledge(11)
        #expect(!stream.ready(from: 11))
        #expect(stream.reply(from: 11).bytes.isEmpty)
    }

    @Test func theEndComesWithTheLastBytesOnly() {
        var stream = PortForwardStream(replyLimit: 4)
        stream.podSent(Array("abcdef".utf8))
        stream.podFinished()
        let first = stream.reply(from: 0)
        #expect(first.bytes == Array("abcd".utf8))
        #expect(!first.eof)
        stream.acknowledge(4)
        let last = stream.reply(from: 4)
        #expect(last.bytes == Array("ef".utf8))
        #expect(last.eof)
        #expect(stream.reply(from: 6).eof)
        #expect(stream.ready(from: 6))
    }

    @Test func aFailureIsReportedAfterTheBytesBeforeIt() {
        var stream = PortForwardStream()
        stream.podSent([1, 2, 3])
        stream.connectionFailed("connection reset by peer")
        stream.connectionFailed("later")
        #expect(stream.reply(from: 0) == .init(bytes: [1, 2, 3], eof: false, error: "connection reset by peer"))
        #expect(!stream.wantsMoreFromPod)
    }

    @Test func theReaderPausesWhenTheClientLagsBehind() {
        var stream = PortForwardStream(bufferLimit: 8)
        stream.podSent([UInt8](repeating: 0, count: 8))
        #expect(!stream.wantsMoreFromPod)
        stream.acknowledge(3)
        #expect(stream.wantsMoreFromPod)
    }

    @Test func aRetriedSendWritesNothingTwice() {
        var stream = PortForwardStream()
        #expect(
            stream.send(Array("GET /".utf8), at: 0, closeWrite: false) == .write(Array("GET /".utf8), closeWrite: false)
        )
        #expect(stream.send(Array("GET /".utf8), at: 0, closeWrite: false) == .write([], closeWrite: false))
        // A retry that overlaps what was written and carries more.
        #expect(
            stream.send(Array("/ HTTP".utf8), at: 4, closeWrite: false)
                == .write(Array(" HTTP".utf8), closeWrite: false))
        #expect(stream.send([1], at: 20, closeWrite: false) == .gap(expected: 10, got: 20))
        #expect(stream.send([], at: 10, closeWrite: true) == .write([], closeWrite: true))
        #expect(stream.send([], at: 10, closeWrite: true) == .write([], closeWrite: false))
    }
}
