import Testing

@testable import Schema

@Suite struct QuantityTests {
    @Test(arguments: [
        ("100m", Int64(100)), ("0.5", 500), ("1", 1000), ("200Mi", 209_715_200_000), ("1Gi", 1_073_741_824_000),
        ("1G", 1_000_000_000_000), ("1e3", 1_000_000), ("1k", 1_000_000), ("1.5", 1500), ("250u", 1),
    ])
    func parsesMilliValue(text: String, milli: Int64) throws {
        #expect(try Quantity.parse(text).milliValue == milli)
    }

    @Test func valueRoundsUp() throws {
        #expect(try Quantity.parse("100m").value == 1)
        #expect(try Quantity.parse("1500m").value == 2)
        #expect(try Quantity.parse("2").value == 2)
        #expect(try Quantity.parse("1Ki").value == 1024)
    }

    @Test(arguments: [
        ("0.5", "500m"), ("1000m", "1"), ("1500m", "1500m"), ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("12000", "12k"),
        ("1e3", "1e3"), ("1k", "1k"), ("0.5Ki", "512"), ("100m", "100m"), ("0", "0"), ("200Mi", "200Mi"),
        ("1G", "1G"), ("-1.5", "-1500m"), ("1500", "1500"),
    ])
    func formatsCanonically(text: String, canonical: String) throws {
        #expect(try Quantity.parse(text).description == canonical)
    }

    @Test func comparesByValue() throws {
        #expect(try Quantity.parse("1Gi") > Quantity.parse("1G"))
        #expect(try Quantity.parse("500m") == Quantity.parse("0.5"))
        #expect(try Quantity.parse("1024Mi") == Quantity.parse("1Gi"))
        #expect(try Quantity.parse("999m") < Quantity.parse("1"))
        #expect(try (Quantity.parse("250m") + Quantity.parse("750m")).description == "1")
        #expect(try (Quantity.parse("1Gi") - Quantity.parse("512Mi")).description == "512Mi")
    }

    @Test(arguments: ["12xyz", "", "abc", "1K", "1.2.3", "Mi", "1e"])
    func rejectsGarbageNamingTheText(text: String) {
        do {
            _ = try Quantity.parse(text)
            Issue.record("\(text) should not parse")
        } catch {
            #expect(error.message.contains("\"\(text)\""))
        }
    }

    @Test func decodesFromStringOrNumber() throws {
        let resources: [String: Quantity] = try JSONValue.parse(#"{"cpu": 0.5, "memory": "64Mi", "pods": 110}"#)
            .decode()
        #expect(resources["cpu"]?.description == "500m")
        #expect(resources["memory"]?.value == Int64(67_108_864))
        #expect(resources["pods"]?.value == 110)
        #expect(try JSONValue(encoding: resources)["cpu"] == .string("500m"))
    }
}

@Suite struct IntOrStringTests {
    @Test func resolvesPercentages() throws {
        #expect(try IntOrString.string("25%").resolve(total: 10, roundUp: true) == 3)
        #expect(try IntOrString.string("25%").resolve(total: 10, roundUp: false) == 2)
        #expect(try IntOrString.string("100%").resolve(total: 7, roundUp: false) == 7)
        #expect(try IntOrString.int(4).resolve(total: 10, roundUp: true) == 4)
        #expect(throws: SchemaError.self) { try IntOrString.string("abc").resolve(total: 10, roundUp: true) }
    }

    @Test func codesAsIntOrString() throws {
        let values: [IntOrString] = try JSONValue.parse(#"[8080, "http", "25%"]"#).decode()
        #expect(values == [.int(8080), .string("http"), .string("25%")])
        #expect(try JSONValue(encoding: values) == [8080, "http", "25%"])
    }
}
