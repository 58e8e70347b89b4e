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
        #expect(
            router.receive(
                [worker, [], WireProtocol.worker, WireProtocol.ready, Array("api".utf8), Array("2".utf8)], now: 0
            ).isEmpty)
        let out = router.receive(request(#"{"type":"get","id":"a"}"#, payload: "{\"k\":1}"), now: 1)
        try #require(out.count == 1)
        #expect(out[0][0] == worker)
        #expect(out[0][3] == WireProtocol.request)
        #expect(out[0][4] == client)
        // A retry of a request in flight is not handed out twice.
        #expect(router.receive(request(#"{"type":"get","id":"a"}"#), now: 2).isEmpty)
        let back = router.receive(
            [
                worker, [], WireProtocol.worker, WireProtocol.reply, client, [],
                Array(#"{"type":"reply","id":"a","code":200}"#.utf8), Array("ok".utf8),
            ],
            now: 3)
        let answer = try reply(back)
        #expect(answer.envelope.id == "a")
        #expect(answer.body == "ok")
    }

    /// A worker that dies hands its requests to the others in the tick that finds it dead; a worker whose heartbeat
    /// falls due in that same tick keeps them, and its replies reach the clients. (The tick once wrote back a copy of
    /// each worker taken before the handover, so the requests stayed assigned but unknown to their worker: its replies
    /// were dropped as late and the clients' retries ignored as duplicates, for good.)
    @Test func requestsOfADeadWorkerAreAnsweredByTheOthers() throws {
        // The order a tick visits workers in is the dictionary's; over several sets of addresses both orders occur.
        for trial in 0..<10 {
            var router = RouterStateMachine(heartbeatMs: 100, liveness: 3, defaultTimeoutMs: 60_000)
            let dying: [UInt8] = [7, UInt8(trial)]
            let ready = { (w: [UInt8]) in
                [w, [], WireProtocol.worker, WireProtocol.ready, Array("api".utf8), Array("1".utf8)]
            }
            _ = router.receive(ready(dying), now: 0)
            _ = router.receive(request(#"{"type":"get","id":"r"}"#), now: 0)
            let others = (0..<20).map { [8, UInt8(trial), UInt8($0)] }
            for w in others { _ = router.receive(ready(w), now: 150) }
            // At 301 the dying worker has been silent for 3 heartbeats; every other one is due a heartbeat.
            let out = router.tick(now: 301)
            let handedTo = try #require(out.first { $0.count == 8 && $0[3] == WireProtocol.request }?[0])
            #expect(router.workers[handedTo]?.inFlight.count == 1, "trial \(trial)")
            let back = router.receive(
                [
                    handedTo, [], WireProtocol.worker, WireProtocol.reply, client, [],
                    Array(#"{"type":"reply","id":"r","code":200}"#.utf8), Array("ok".utf8),
                ],
                now: 302)
            #expect(try reply(back).body == "ok", "trial \(trial)")
            #expect(router.requests.isEmpty)
        }
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

/// Bounds of the request router (issue 10): one client cannot exhaust the broker.
@Suite struct RouterStateMachineBoundsTests {
    func request(_ id: String, client: [UInt8] = [0, 1], service: String = "nobody", payload: [UInt8] = [])
        -> [[UInt8]]
    {
        [client, [], WireProtocol.client, Array(service.utf8), Array(#"{"type":"get","id":"\#(id)"}"#.utf8), payload]
    }

    func answer(_ out: [[[UInt8]]]) throws -> (envelope: Envelope, body: String) {
        try #require(out.count == 1)
        return (try Envelope.decode(out[0][4]), String(decoding: out[0][5], as: UTF8.self))
    }

    @Test func aClientOverItsBoundGets429NamingTheBound() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxPendingPerClient: 3))
        for i in 0..<3 { #expect(router.receive(request("r\(i)"), now: 0).isEmpty) }
        let refused = try answer(router.receive(request("r3"), now: 0))
        #expect(refused.envelope.code == 429)
        #expect(refused.envelope.id == "r3")
        #expect(refused.body.contains("TooManyRequests"))
        #expect(refused.body.contains("(3)"))
        // Another client is not affected, and a retry of a held request is still ignored, not refused.
        #expect(router.receive(request("r0", client: [7]), now: 0).isEmpty)
        #expect(router.receive(request("r0"), now: 0).isEmpty)
        #expect(router.counters.rejected == 1)
    }

    @Test func aServiceOverItsBoundGets429() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxPendingPerService: 2))
        #expect(router.receive(request("a", client: [1]), now: 0).isEmpty)
        #expect(router.receive(request("b", client: [2]), now: 0).isEmpty)
        let refused = try answer(router.receive(request("c", client: [3]), now: 0))
        #expect(refused.envelope.code == 429)
        #expect(refused.body.contains(#"service \"nobody\" has 2 requests"#))
        // Another service still takes requests.
        #expect(router.receive(request("d", client: [3], service: "other"), now: 0).isEmpty)
    }

    @Test func pendingBytesPerClientAreBounded() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxPendingBytesPerClient: 1000))
        #expect(router.receive(request("a", payload: [UInt8](repeating: 1, count: 600)), now: 0).isEmpty)
        let refused = try answer(router.receive(request("b", payload: [UInt8](repeating: 1, count: 600)), now: 0))
        #expect(refused.envelope.code == 429)
        #expect(refused.body.contains("1000 bytes"))
    }

    @Test func aRequestOverTheMessageLimitGets413() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxMessageBytes: 100))
        let big = try answer(router.receive(request("big", payload: [UInt8](repeating: 65, count: 200)), now: 0))
        #expect(big.envelope.code == 413)
        #expect(big.envelope.id == "big")
        #expect(big.body.contains("RequestEntityTooLarge"))
        #expect(router.services.isEmpty)
    }

    @Test func unservedServicesAreForgottenOnceTheirRequestsTimeOut() throws {
        var router = RouterStateMachine(defaultTimeoutMs: 100)
        for i in 0..<50 { #expect(router.receive(request("r\(i)", service: "typo-\(i)"), now: 0).isEmpty) }
        #expect(router.services.count == 50)
        #expect(router.tick(now: 100).count == 50)  // each answered 503
        #expect(router.services.isEmpty)
        #expect(router.requests.isEmpty)
        #expect(router.clients.isEmpty)
        #expect(router.counters.expiredServices == 50)
        // A served service stays when idle.
        _ = router.receive(
            [[9], [], WireProtocol.worker, WireProtocol.ready, Array("api".utf8), Array("1".utf8)], now: 200)
        _ = router.tick(now: 300)
        #expect(router.services["api"] != nil)
    }

    @Test func theNumberOfServicesIsBounded() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxServices: 2))
        #expect(router.receive(request("a", service: "s1"), now: 0).isEmpty)
        #expect(router.receive(request("b", service: "s2"), now: 0).isEmpty)
        let refused = try answer(router.receive(request("c", service: "s3"), now: 0))
        #expect(refused.envelope.code == 429)
        #expect(refused.body.contains("at most 2 services"))
    }

    @Test func queuedRequestsAreHandedOutOnceInOrderAfterTimeouts() throws {
        var router = RouterStateMachine(defaultTimeoutMs: 100)
        #expect(router.receive(request("early"), now: 0).isEmpty)
        let env = Array(#"{"type":"get","id":"late","timeout":1000}"#.utf8)
        #expect(router.receive([[0, 1], [], WireProtocol.client, Array("nobody".utf8), env, []], now: 50).isEmpty)
        #expect(router.tick(now: 100).count == 1)  // "early" timed out
        let out = router.receive(
            [[9], [], WireProtocol.worker, WireProtocol.ready, Array("nobody".utf8), Array("5".utf8)], now: 200)
        try #require(out.count == 1)
        #expect(try Envelope.decode(out[0][6]).id == "late")
    }

    /// 50,000 requests from one client to a service nobody serves: each is one lookup (it was a scan of the queue).
    @Test(.timeLimit(.minutes(1))) func theDuplicateCheckDoesNotScanTheQueue() throws {
        var router = RouterStateMachine(
            limits: RouterLimits(maxPendingPerClient: 100_000, maxPendingPerService: 100_000))
        let started = ContinuousClock.now
        for i in 0..<50_000 { _ = router.receive(request("r\(i)"), now: 0) }
        #expect(router.requests.count == 50_000)
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
