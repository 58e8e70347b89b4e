import Foundation
import Schema
import Testing
import Wire

/// The store's write request and reply, written and read without Foundation's coders, against the `Codable`
/// conformances that define the documented JSON: each side reads what the other writes.
@Suite struct StoreMessagesJSONTests {
    static let values = [
        "", "plain", #"{"metadata":{"name":"x","annotations":{"a":"q\"uote\\back"}},"data":{"k":"v\nw\t\u{01}é😀"}}"#,
    ]

    static var requests: [WriteRequest] {
        values.flatMap { value in
            [
                WriteRequest(key: "/registry/ConfigMap/default/x", operation: .put(value: value)),
                WriteRequest(
                    key: "/registry/ConfigMap/ns/\"odd\"", operation: .put(value: value), precondition: .absent,
                    requestID: "r-1"),
                WriteRequest(key: "/k", operation: .delete, precondition: .modRevision(9_007_199_254_740_993)),
                WriteRequest(key: "/k", operation: .delete, precondition: .none, requestID: "ü"),
            ]
        }
    }

    static var results: [WriteResult] {
        values.flatMap { value in
            let kv = KeyValue(key: "/k/\(value.count)", value: value, createRevision: 3, modRevision: 7, version: 2)
            return [
                WriteResult(succeeded: true, revision: 7, kv: kv, previous: nil, bucketPrevRevision: 6),
                WriteResult(succeeded: false, revision: 8, kv: kv, previous: kv, bucketPrevRevision: 0),
                WriteResult(succeeded: true, revision: -1, kv: nil, previous: nil, bucketPrevRevision: 1),
            ]
        }
    }

    /// Each side reads what the other writes, and both write the same JSON document.
    func roundTrip<T: JSONMessage & Codable & Equatable>(_ value: T) throws {
        let bytes = value.jsonBytes()
        #expect(try T(json: bytes) == value)
        #expect(try JSONDecoder().decode(T.self, from: Data(bytes)) == value)
        let foundation = Array(try JSONEncoder().encode(value))
        #expect(try T(json: foundation) == value)
        #expect(try JSONValue.parse(bytes) == JSONValue.parse(foundation))
    }

    @Test func readsAndRangesAndChangesRoundTripAgainstCodable() throws {
        let kvs = Self.values.enumerated().map { i, value in
            KeyValue(
                key: "/registry/Pod/ns/p\(i)", value: value, createRevision: 1, modRevision: Int64(i + 2), version: 1)
        }
        try roundTrip(StoreRequest.Get(key: "/k"))
        try roundTrip(StoreRequest.Get(key: "/k\"q", revision: 12))
        try roundTrip(StoreRequest.GetResult(kv: nil, revision: 4))
        try roundTrip(StoreRequest.GetResult(kv: kvs[2], revision: 4))
        try roundTrip(StoreRequest.Range(prefix: "/registry/Pod/"))
        try roundTrip(
            StoreRequest.Range(prefix: "/registry/Pod/", revision: 9, startAfter: "/registry/Pod/a", limit: 500))
        try roundTrip(RangeResult(kvs: [], revision: 1, more: false, bucketRevision: 0))
        try roundTrip(RangeResult(kvs: kvs, revision: 10, more: true, bucketRevision: 7))
        try roundTrip(StoreRequest.Changes(prefix: "/registry/", after: 0))
        try roundTrip(StoreRequest.Changes(prefix: "/registry/Pod/", after: 77, limit: 1000))
        try roundTrip(ChangesResult(changes: [], revision: 3, more: false))
        try roundTrip(
            ChangesResult(
                changes: [
                    Change(type: .put, kv: kvs[0], previous: nil, bucketPrevRevision: 0),
                    Change(type: .delete, kv: kvs[2], previous: kvs[1], bucketPrevRevision: 5),
                ], revision: 12, more: true))
    }

    @Test func nestedErrorsNameThePath() {
        let text =
            #"{"changes":[{"type":"put","kv":{"key":"/k","value":"v","createRevision":1,"modRevision":2,"version":1},"bucketPrevRevision":0},{"type":"put","kv":{"key":"/k","value":"v","createRevision":1,"modRevision":"2","version":1},"bucketPrevRevision":0}],"revision":3,"more":false}"#
        #expect(throws: SchemaError.self) { try ChangesResult(json: Array(text.utf8)) }
        do {
            _ = try ChangesResult(json: Array(text.utf8))
        } catch {
            #expect(error.description.contains("field changes[1].kv.modRevision: expected an integer"))
        }
        let missing =
            #"{"kvs":[{"key":"/k","value":"v","createRevision":1,"modRevision":2}],"revision":1,"more":false,"bucketRevision":0}"#
        #expect((try? RangeResult(json: Array(missing.utf8))) == nil)
        do {
            _ = try RangeResult(json: Array(missing.utf8))
        } catch {
            #expect(error.fieldErrors == [.required("kvs[0].version")])
        }
        let badType =
            #"{"type":"upsert","kv":{"key":"/k","value":"v","createRevision":1,"modRevision":2,"version":1},"bucketPrevRevision":0}"#
        #expect((try? Change(json: Array(badType.utf8))) == nil)
    }

    @Test func requestsRoundTripAgainstCodable() throws {
        for request in Self.requests {
            let bytes = request.jsonBytes()
            #expect(try WriteRequest(json: bytes) == request)
            #expect(try JSONDecoder().decode(WriteRequest.self, from: Data(bytes)) == request)
            let foundation = Array(try JSONEncoder().encode(request))
            #expect(try WriteRequest(json: foundation) == request)
            #expect(try JSONValue.parse(bytes) == JSONValue.parse(foundation))
        }
    }

    @Test func resultsRoundTripAgainstCodable() throws {
        for result in Self.results {
            let bytes = result.jsonBytes()
            #expect(try WriteResult(json: bytes) == result)
            #expect(try JSONDecoder().decode(WriteResult.self, from: Data(bytes)) == result)
            let foundation = Array(try JSONEncoder().encode(result))
            #expect(try WriteResult(json: foundation) == result)
            #expect(try JSONValue.parse(bytes) == JSONValue.parse(foundation))
        }
    }

    @Test func toleratesOrderUnknownMembersAndNulls() throws {
        let text =
            #"{"requestID":null,"extra":{"a":[1]},"value":"v","op":"put","expect":"modRevision","modRevision":4,"key":"/k"}"#
        #expect(
            try WriteRequest(json: Array(text.utf8))
                == WriteRequest(key: "/k", operation: .put(value: "v"), precondition: .modRevision(4)))
        let reply = #"{"bucketPrevRevision":0,"previous":null,"kv":null,"revision":5,"succeeded":false,"new":true}"#
        #expect(
            try WriteResult(json: Array(reply.utf8))
                == WriteResult(succeeded: false, revision: 5, kv: nil, previous: nil, bucketPrevRevision: 0))
    }

    @Test func badRequestsNameTheField() {
        func message(_ text: String) -> String {
            do {
                _ = try WriteRequest(json: Array(text.utf8))
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(message(#"{"op":"put","value":"v"}"#).contains("key: Required value"))
        #expect(message(#"{"key":"/k","value":"v"}"#).contains("op: Required value"))
        #expect(message(#"{"key":"/k","op":"put"}"#).contains("value: Required value"))
        #expect(message(#"{"key":"/k","op":"frob"}"#).contains(#"op: Unsupported value: "frob""#))
        #expect(message(#"{"key":"/k","op":"delete","expect":"sometimes"}"#).contains(#"expect: Unsupported value"#))
        #expect(message(#"{"key":"/k","op":"delete","expect":"modRevision"}"#).contains("modRevision: Required value"))
        #expect(
            message(#"{"key":"/k","op":"delete","expect":"modRevision","modRevision":"3"}"#).contains(
                "field modRevision: expected an integer"))
        #expect(message(#"{"key":7,"op":"delete"}"#).contains("field key: expected a string"))
        #expect(message(#"{"key":"/k","op":"delete"} {}"#).contains("unexpected data"))
        #expect(
            (try? WriteResult(
                json: Array(#"{"succeeded":true,"revision":1,"kv":{"key":"/k"},"bucketPrevRevision":0}"#.utf8)))
                == nil)
    }
}
