import Foundation
import Testing

@testable import Schema

/// The code generated for `JSONTreeCodable` reads and writes what the kinds' `Codable` conformances read and write
/// through Foundation's coders: the same values, the same trees, and on bad input an error naming the same field.
@Suite struct JSONTreeTests {
    /// What one kind's two paths made of one document.
    struct Outcome {
        var agreed = 0
        var refused = 0
        var disagreements: [String] = []

        /// The first few, each cut short.
        var summary: String {
            "\(disagreements.count): " + disagreements.prefix(3).map { String($0.prefix(400)) }.joined(separator: " | ")
        }
    }

    static func compare<T: KubeObject>(_ type: T.Type, _ document: JSONValue, into outcome: inout Outcome) {
        let foundation = Result { try JSONValueCodingTests.foundationDecode(T.self, document) }
        let tree = Result { () throws(DecodingError) -> T in try T(jsonTree: document) }
        switch (foundation, tree) {
        case (.success(let a), .success(let b)):
            guard a == b else {
                outcome.disagreements.append("\(T.self) read differently from \(document)")
                return
            }
            let written = b.jsonTree()
            guard let expected = try? JSONValueCodingTests.foundationEncode(b), written == expected else {
                outcome.disagreements.append("\(T.self) written differently: \(written)")
                return
            }
            outcome.agreed += 1
        case (.failure(let a as DecodingError), .failure(let b)):
            let old = FieldError(decodingError: a, in: document)
            let new = FieldError(decodingError: b, in: document)
            // Foundation names no field for a number that does not fit its integer; the tree names it.
            if !old.field.isEmpty, old != new {
                outcome.disagreements.append("\(T.self) from \(document): \(new) where Foundation says \(old)")
            }
            // Only a document that is not an object at all fails without naming a field.
            if new.field.isEmpty, document.objectValue != nil {
                outcome.disagreements.append("\(T.self) from \(document): \(new) names no field")
            }
            outcome.refused += 1
        default:
            outcome.disagreements.append("\(T.self): Foundation \(foundation), tree \(tree) for \(document)")
        }
    }

    /// Every path to a value inside `value`, objects' members and arrays' elements, in document order.
    static func paths(_ value: JSONValue, _ prefix: [String] = []) -> [[String]] {
        switch value {
        case .object(let members):
            return members.keys.sorted().flatMap { key in [prefix + [key]] + paths(members[key]!, prefix + [key]) }
        case .array(let elements):
            return elements.indices.flatMap { index in
                [prefix + ["\(index)"]] + paths(elements[index], prefix + ["\(index)"])
            }
        default:
            return []
        }
    }

    /// Replaces the value at `path`, array elements included (`JSONValue[path:]` sets object members only).
    static func replacing(_ value: JSONValue, at path: ArraySlice<String>, with replacement: JSONValue) -> JSONValue {
        guard let first = path.first else { return replacement }
        switch value {
        case .object(var members):
            members[first] = replacing(members[first] ?? .null, at: path.dropFirst(), with: replacement)
            return .object(members)
        case .array(var elements):
            guard let index = Int(first), elements.indices.contains(index) else { return value }
            elements[index] = replacing(elements[index], at: path.dropFirst(), with: replacement)
            return .array(elements)
        default:
            return value
        }
    }

    @Test func everyKindReadsAndWritesWhatFoundationDoesOnEveryDocument() throws {
        let documents = try JSONValueCodingTests.documents()
        var outcome = Outcome()
        for document in documents {
            for codec in KindRegistry.codecs {
                (codec as? any TreeComparing)?.compare(document, into: &outcome)
            }
        }
        #expect(outcome.disagreements.isEmpty, "\(outcome.summary)")
        // Each document is read by its own kind at least, and refused by kinds whose fields it breaks.
        #expect(outcome.agreed >= documents.count)
        #expect(outcome.refused > 0)
    }

    /// Each value of each document replaced in turn by a value of every other JSON type: both paths accept the same
    /// documents, read and write them alike, and name the same field when they refuse one.
    @Test func everyValueReplacedByEveryTypeIsReadOrRefusedAlike() throws {
        let documents = try JSONValueCodingTests.documents()
        let replacements: [JSONValue] = [
            .null, "text", "25%", "100Mi", 7, -3, 1.5, 3e10, 1e300, true, [], ["x"], [:], ["k": "v"],
        ]
        var outcome = Outcome()
        var kindsSeen = Set<String>()
        for document in documents {
            guard let kind = document["kind"]?.stringValue,
                let codec = KindRegistry.codecs.first(where: { $0.info.kind == kind }) as? any TreeComparing
            else { continue }
            kindsSeen.insert(kind)
            for path in Self.paths(document) where path != ["kind"] && path != ["apiVersion"] {
                for replacement in replacements {
                    codec.compare(Self.replacing(document, at: path[...], with: replacement), into: &outcome)
                }
            }
        }
        #expect(outcome.disagreements.isEmpty, "\(outcome.summary)")
        #expect(kindsSeen.count >= 7, "\(kindsSeen)")
        #expect(outcome.agreed > 100 && outcome.refused > 100, "\(outcome.agreed) read, \(outcome.refused) refused")
    }

    @Test func errorsNameTheFieldWithArrayIndexesAndMapKeys() throws {
        let cases: [(String, String, String)] = [
            (
                #"{"spec":{"containers":[{"name":"a"},{"name":"b","ports":[{"containerPort":"x"}]}]}}"#,
                "spec.containers[1].ports[0].containerPort", "expected integer, got string"
            ),
            (
                #"{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":"lots"}}}]}}"#,
                "spec.containers[0].resources.limits.cpu", "lots"
            ),
            (#"{"spec":{"containers":[null]}}"#, "spec.containers[0]", "Required value"),
            (#"{"metadata":{"labels":{"a":null}}}"#, "metadata.labels.a", "Required value"),
            (#"{"spec":{"priority":1e19}}"#, "spec.priority", "fits in Int"),
            (#"{"spec":{"nodeSelector":[]}}"#, "spec.nodeSelector", "expected object, got array"),
        ]
        for (text, field, detail) in cases {
            let document = try JSONValue.parse(text)
            do {
                _ = try Pod(jsonTree: document)
                Issue.record("\(text) was read")
            } catch {
                let found = FieldError(decodingError: error, in: document)
                #expect(found.field == field, "\(text): \(found)")
                #expect(found.description.contains(detail), "\(text): \(found)")
            }
        }
    }

    @Test func theEntryPointsTakeTheTreePath() throws {
        var pod = Pod()
        pod.metadata.name = "p"
        pod.spec = PodSpec(containers: [Container(name: "c", image: "nginx")])
        #expect(try JSONValue(encoding: pod) == pod.jsonTree())
        #expect(try pod.jsonTree().decode(as: Pod.self) == pod)
        // Inside a type that has only `Codable`, the kinds still read and write the same.
        struct Wrapper: Codable, Hashable {
            var pods: [Pod]
            var note: String?
        }
        let wrapped = Wrapper(pods: [pod, pod], note: nil)
        let tree = try JSONValue(encoding: wrapped)
        #expect(tree == ["pods": [pod.jsonTree(), pod.jsonTree()]])
        #expect(try tree.decode(as: Wrapper.self) == wrapped)
        var broken = tree
        broken = Self.replacing(broken, at: ["pods", "1", "spec", "containers", "0", "name"][...], with: 5)
        do {
            _ = try broken.decode(as: Wrapper.self)
            Issue.record("decoded")
        } catch {
            #expect(error.fieldErrors.first?.field == "pods[1].spec.containers[0].name", "\(error)")
        }
    }
}

/// A kind's codec compares the kind's two paths.
protocol TreeComparing {
    func compare(_ document: JSONValue, into outcome: inout JSONTreeTests.Outcome)
}

extension TypedCodec: TreeComparing {
    func compare(_ document: JSONValue, into outcome: inout JSONTreeTests.Outcome) {
        JSONTreeTests.compare(T.self, document, into: &outcome)
    }
}
