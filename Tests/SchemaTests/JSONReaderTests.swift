import Testing

@testable import Schema

@Suite struct JSONReaderTests {
    struct Point: Equatable {
        var name = ""
        var x: Int64 = 0
        var ok = false
        var inner: String?
    }

    func read(_ text: String) throws(SchemaError) -> Point {
        var reader = JSONReader(Array(text.utf8))
        var point = Point()
        try reader.readObject(at: "") { (reader, key, path) throws(SchemaError) in
            switch key {
            case "name": point.name = try reader.readString(at: path)
            case "x": point.x = try reader.readInt64(at: path)
            case "ok": point.ok = try reader.readBool(at: path)
            case "inner":
                try reader.readObject(at: path) { (reader, key, path) throws(SchemaError) in
                    if key == "v" { point.inner = try reader.readString(at: path) } else { try reader.skipValue() }
                }
            default: try reader.skipValue()
            }
        }
        try reader.end()
        return point
    }

    @Test func readsMembersInAnyOrderAndSkipsTheRest() throws {
        let text =
            #" { "skip": [1, {"a": [true, null]}, "x\"y"], "x": -42, "inner": {"u": 1.5e3, "v": "in"}, "ok": true, "name": "a\"b\\c\n\u00e9\ud83d\ude00", "n": null } "#
        #expect(try read(text) == Point(name: "a\"b\\c\né😀", x: -42, ok: true, inner: "in"))
        #expect(try read("{}") == Point())
        #expect(try read(#"{"inner": {}, "name": null}"#) == Point())
    }

    @Test func readsStringsAsTheTreeParserDoes() throws {
        for text in [#""""#, #""plain""#, #""tab\there""#, #""\/\b\f\r\u0001""#, #""ünïcödé""#, #""\ud800x""#] {
            var reader = JSONReader(Array(text.utf8))
            #expect(try reader.readString(at: "s") == JSONValue.parse(text).stringValue)
        }
    }

    @Test func errorsNameTheField() {
        func message(_ text: String) -> String {
            do {
                _ = try read(text)
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(message(#"{"x": "1"}"#).contains("field x: expected an integer"))
        #expect(message(#"{"x": 1.5}"#).contains("field x: expected an integer"))
        #expect(message(#"{"name": 3}"#).contains("field name: expected a string"))
        #expect(message(#"{"ok": "yes"}"#).contains("field ok: expected true or false"))
        #expect(message(#"{"inner": []}"#).contains("field inner: expected an object"))
        #expect(message(#"{"inner": {"v": false}}"#).contains("field inner.v: expected a string"))
        #expect(message("[]").contains("expected an object"))
        #expect(message(#"{"x": 1} x"#).contains("unexpected data after the top-level value"))
        #expect(message(#"{"x": 1"#).contains("unexpected end of input"))
        #expect(message(#"{"x" 1}"#).contains("expected ':'"))
        #expect(message(#"{"name": "a\qb"}"#).contains("invalid escape"))
        #expect(message("{\"name\": \"a\u{01}\"}").contains("invalid control character"))
        #expect(message("").contains("unexpected end of input"))
    }

    @Test func missingAndUnsupportedAreFieldErrors() {
        #expect(JSONReader.missing("kv.key").fieldErrors == [.required("kv.key")])
        #expect(
            JSONReader.notSupported("op", "frob", supported: ["put", "delete"]).description
                == FieldError.notSupported("op", "frob", supported: ["put", "delete"]).description)
    }
}
