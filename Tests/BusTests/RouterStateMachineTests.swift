import Bus
import Testing

@testable import Broker

/// The broker's request router as a value: frames in, frames out, no sockets.
@Suite struct RouterStateMachineTests {
    let client: [UInt8] = [0, 1, 2, 3]
    let worker: [UInt8] = [9, 9]

    func request(_ envelope: String, service: String = "api", payload: String = "{}") -> [[UInt8]] {
        [client, [], WireProtocol.client, Array(service.utf8), Array(envelope.utf8), Array(payload.utf8)]
    }

    /// The envelope and the Status message of the one reply to the client.
    func reply(_ out: [[[UInt8]]]) throws -> (envelope: Envelope, body: String) {
        try #require(out.count == 1)
        let frames = out[0]
        try #require(frames.count == 6 && frames[0] == client && frames[2] == WireProtocol.client)
        return (try Envelope.decode(frames[4]), String(decoding: frames[5], as: UTF8.self))
    }

    @Test func badEnvelopesAreAnsweredWithTheirIDWhenItCanBeFound() throws {
        var router = RouterStateMachine()
        let wrongType = try reply(router.receive(request(#"{"type":"get","id":"r1","timeout":"soon"}"#), now: 0))
        #expect(wrongType.envelope.type == "error")
        #expect(wrongType.envelope.id == "r1")
        #expect(wrongType.envelope.code == 400)
        #expect(wrongType.body.contains(#"envelope field \"timeout\" has the wrong type"#))

        let nested = try reply(router.receive(request(#"{"type":"get","x":{"a":[1,"}"]},"id":"r2"}"#), now: 0))
        #expect(nested.envelope.id == "r2")
        #expect(nested.envelope.code == 400)

        let fraction = try reply(router.receive(request(#"{"id":"r3","type":"get","timeout":1.5}"#), now: 0))
        #expect(fraction.envelope.id == "r3")

        let notJSON = try reply(router.receive(request("hello"), now: 0))
        #expect(notJSON.envelope.id == nil)
        #expect(notJSON.envelope.code == 400)

        let noID = try reply(router.receive(request(#"{"type":"get"}"#), now: 0))
        #expect(noID.envelope.id == nil)
        #expect(noID.body.contains(#"no string field \"id\""#))
        #expect(router.counters.malformed == 5)
    }

    @Test func aRequestGoesToARegisteredWorkerAndItsReplyBack() throws {
        var router = RouterStateMachine()
        #expect(router.receive([worker, [], WireProtocol.worker, WireProtocol.ready, Array("api".utf8), Array("2".utf8)], now: 0).isEmpty)
        let out = router.receive(request(#"{"type":"get","id":"a"}"#, payload: "{\"k\":1}"), now: 1)
        try #require(out.count == 1)
        #expect(out[0][0] == worker)
        #expect(out[0][3] == WireProtocol.request)
        #expect(out[0][4] == client)
        // A retry of a request in flight is not handed out twice.
        #expect(router.receive(request(#"{"type":"get","id":"a"}"#), now: 2).isEmpty)
        let back = router.receive(
            [worker, [], WireProtocol.worker, WireProtocol.reply, client, [], Array(#"{"type":"reply","id":"a","code":200}"#.utf8), Array("ok".utf8)],
            now: 3)
        let answer = try reply(back)
        #expect(answer.envelope.id == "a")
        #expect(answer.body == "ok")
    }

    @Test func aRequestNobodyServesTimesOutWith503() throws {
        var router = RouterStateMachine(defaultTimeoutMs: 100)
        #expect(router.receive(request(#"{"type":"get","id":"late"}"#, service: "nobody"), now: 0).isEmpty)
        #expect(router.tick(now: 50).isEmpty)
        let answer = try reply(router.tick(now: 100))
        #expect(answer.envelope.id == "late")
        #expect(answer.envelope.code == 503)
    }
}
