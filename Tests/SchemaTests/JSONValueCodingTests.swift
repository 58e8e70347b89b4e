import Foundation
import Testing

@testable import Schema

/// The coders over `JSONValue` give what Foundation's JSON coders gave through text: the same typed values, the same
/// trees, the same field errors.
@Suite struct JSONValueCodingTests {
    /// Foundation's way, as `JSONValue` did it before: through JSON text.
    static func foundationDecode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(value.encoded()))
    }

    static func foundationEncode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue.parse(Array(try JSONEncoder().encode(value)))
    }

    /// Documents of several kinds: the official examples in the repository, the fuzz seeds, and hand-made ones that
    /// reach numbers, nulls, maps, int-or-string and quantities.
    static func documents() throws -> [JSONValue] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var out: [JSONValue] = []
        for folder in ["examples", "Tests/Support/examples/access"] {
            let dir = root.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            where file.hasSuffix(".yaml") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                out += try Manifest.parse(yaml: text, source: file)
            }
        }
        let seeds = root.appendingPathComponent("Services/Tools/Fuzz/corpus/kinds")
        for file in try FileManager.default.contentsOfDirectory(atPath: seeds.path).sorted() {
            // A seed's first byte picks the kind for the fuzzer; the rest is the document.
            if let value = try? JSONValue.parse(
                Array(try Data(contentsOf: seeds.appendingPathComponent(file)).dropFirst()))
            {
                out.append(value)
            }
        }
        let deployment = #"""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","labels":{"a":"b"},
                 "annotations":null,"generation":3},
                 "spec":{"replicas":3.0,"revisionHistoryLimit":1e1,"selector":{"matchLabels":{"app":"w"}},
                 "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},
                 "template":{"metadata":{"labels":{"app":"w"}},"spec":{"terminationGracePeriodSeconds":30,
                 "containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80,"protocol":null}],
                 "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":1}},
                 "env":[{"name":"X","value":"1"},{"name":"Y","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}],
                 "tolerations":[{"key":"k","operator":"Exists","tolerationSeconds":300}]}}}}
            """#
        out.append(try JSONValue.parse(Array(deployment.utf8)))
        return out
    }

    static func check<T: Codable & Hashable>(_ type: T.Type, _ document: JSONValue) throws {
        let old = Result { try Self.foundationDecode(T.self, document) }
        let new = Result { () throws(SchemaError) -> T in try document.decode(as: T.self) }
        switch (old, new) {
        case (.success(let a), .success(let b)):
            #expect(a == b, "\(T.self) decoded differently from \(document)")
            #expect(try JSONValue(encoding: b) == Self.foundationEncode(b), "\(T.self) encoded differently")
        case (.failure, .failure(let error)):
            // Both refuse it; the field errors agree (Foundation names no field for a number that does not fit).
            let foundation = try? Self.foundationDecode(T.self, document)
            #expect(foundation == nil)
            #expect(!error.message.isEmpty)
        default:
            Issue.record("\(T.self): Foundation \(old), JSONValueDecoder \(new) for \(document)")
        }
    }

    @Test func everyKindDecodesAndEncodesAsFoundationDid() throws {
        let documents = try Self.documents()
        #expect(documents.count >= 13)
        for document in documents {
            try Self.check(Pod.self, document)
            try Self.check(Deployment.self, document)
            try Self.check(Service.self, document)
            try Self.check(ConfigMap.self, document)
            try Self.check(Secret.self, document)
            try Self.check(Namespace.self, document)
            try Self.check(Role.self, document)
            try Self.check(RoleBinding.self, document)
            try Self.check(StatefulSet.self, document)
            try Self.check(CronJob.self, document)
            try Self.check(HorizontalPodAutoscaler.self, document)
            try Self.check(Ingress.self, document)
            try Self.check(NetworkPolicy.self, document)
        }
        // Through every codec of the registry, as the api normalizes.
        for codec in KindRegistry.codecs {
            var minimal: JSONValue = ["apiVersion": .string(codec.info.apiVersion), "kind": .string(codec.info.kind)]
            minimal["metadata"] = ["name": "x", "namespace": "default", "labels": ["a": "b"]]
            let result = try codec.normalize(minimal, validate: true)
            #expect(result.object["kind"] == .string(codec.info.kind))
            #expect(result.unknownFields.isEmpty, "\(codec.info.kind): \(result.unknownFields)")
        }
    }

    @Test func numbersAreWhatFoundationWroteAndRead() throws {
        struct Numbers: Codable, Hashable {
            var i: Int32?
            var l: [Int]?
            var d: Double?
            var f: Float?
            var u: UInt8?
        }
        // Integers from integral numbers; doubles from integers.
        let read = try JSONValue.parse(#"{"i":1.0,"l":[1,1e3],"d":2,"f":0.5,"u":255}"#).decode(as: Numbers.self)
        #expect(read == Numbers(i: 1, l: [1, 1000], d: 2, f: 0.5, u: 255))
        // Integral doubles are written as integers, others as doubles: the tree Foundation's text parsed into.
        let written = try JSONValue(encoding: Numbers(i: 7, l: nil, d: 3.0, f: 0.1, u: nil))
        #expect(written == (try Self.foundationEncode(Numbers(i: 7, l: nil, d: 3.0, f: 0.1, u: nil))))
        #expect(written["d"] == .int(3) && written["f"] == .double(0.1) && written["l"] == nil)
        #expect(try JSONValue(encoding: 1e20) == .double(1e20))
        #expect(throws: SchemaError.self) { try JSONValue(encoding: Double.nan) }
        // A number that does not fit names its field.
        for (text, field) in [(#"{"i":1.5}"#, "i"), (#"{"i":3000000000}"#, "i"), (#"{"l":[1,-2.5]}"#, "l[1]")] {
            do {
                _ = try JSONValue.parse(text).decode(as: Numbers.self)
                Issue.record("\(text) decoded")
            } catch {
                #expect(error.fieldErrors.first?.field == field, "\(error)")
            }
        }
    }

    @Test func fieldErrorsNameTheFieldAsBefore() throws {
        let cases: [(String, String)] = [
            (#"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":5}]}}"#, "spec.containers[0].image"),
            (#"{"metadata":{"name":"p"},"spec":{"containers":{"name":"c"}}}"#, "spec.containers"),
            (
                #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","ports":[{"containerPort":"x"}]}]}}"#,
                "spec.containers[0].ports[0].containerPort"
            ),
            (#"{"metadata":[]}"#, "metadata"),
            (#"{"metadata":{"labels":{"a":1}}}"#, "metadata.labels.a"),
        ]
        for (text, field) in cases {
            let document = try JSONValue.parse(text)
            var old: FieldError?
            do {
                _ = try Self.foundationDecode(Pod.self, document)
            } catch let error as DecodingError {
                old = FieldError(decodingError: error, in: document)
            }
            do {
                _ = try document.decode(as: Pod.self)
                Issue.record("\(text) decoded")
            } catch {
                #expect(error.fieldErrors.first?.field == field, "\(error)")
                #expect(
                    error.fieldErrors.first == old, "\(text): \(error.fieldErrors) against \(String(describing: old))")
            }
        }
    }
}
