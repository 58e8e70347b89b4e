import JSONCore
public import Schema

// The store's write request and reply on its hot path, read and written straight between bytes and the typed value
// (`JSONReader`, `JSONText`) instead of through Foundation's coders: the same JSON as their `Codable` conformances
// (docs/protocol.md), which stay for everything else. Members may come in any order; unknown members are skipped;
// a null optional is absent.

extension KeyValue {
    /// Appends this kv as a JSON object.
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"key":"#.utf8)
        JSONText.appendString(key, to: &out)
        out.append(contentsOf: #","value":"#.utf8)
        JSONText.appendString(value, to: &out)
        out.append(contentsOf: #","createRevision":"#.utf8)
        out.append(contentsOf: String(createRevision).utf8)
        out.append(contentsOf: #","modRevision":"#.utf8)
        out.append(contentsOf: String(modRevision).utf8)
        out.append(contentsOf: #","version":"#.utf8)
        out.append(contentsOf: String(version).utf8)
        out.append(UInt8(ascii: "}"))
    }

    /// Reads a kv object at `path`.
    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var key: String?
        var value: String?
        var createRevision: Int64?
        var modRevision: Int64?
        var version: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "key": key = try reader.readString(at: path)
            case "value": value = try reader.readString(at: path)
            case "createRevision": createRevision = try reader.readInt64(at: path)
            case "modRevision": modRevision = try reader.readInt64(at: path)
            case "version": version = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        let prefix = path.isEmpty ? "" : path + "."
        guard let key else { throw JSONReader.missing(prefix + "key") }
        guard let value else { throw JSONReader.missing(prefix + "value") }
        guard let createRevision else { throw JSONReader.missing(prefix + "createRevision") }
        guard let modRevision else { throw JSONReader.missing(prefix + "modRevision") }
        guard let version else { throw JSONReader.missing(prefix + "version") }
        self.init(
            key: key, value: value, createRevision: createRevision, modRevision: modRevision, version: version)
    }
}

extension WriteRequest {
    /// This request as JSON.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        var size = key.utf8.count + 96 + (requestID?.utf8.count ?? 0)
        if case .put(let value) = operation { size += value.utf8.count + value.utf8.count / 8 }
        out.reserveCapacity(size)
        out.append(contentsOf: #"{"key":"#.utf8)
        JSONText.appendString(key, to: &out)
        switch operation {
        case .put(let value):
            out.append(contentsOf: #","op":"put","value":"#.utf8)
            JSONText.appendString(value, to: &out)
        case .delete:
            out.append(contentsOf: #","op":"delete""#.utf8)
        }
        switch precondition {
        case .none: out.append(contentsOf: #","expect":"none""#.utf8)
        case .absent: out.append(contentsOf: #","expect":"absent""#.utf8)
        case .modRevision(let revision):
            out.append(contentsOf: #","expect":"modRevision","modRevision":"#.utf8)
            out.append(contentsOf: String(revision).utf8)
        }
        if let requestID {
            out.append(contentsOf: #","requestID":"#.utf8)
            JSONText.appendString(requestID, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads a request from JSON; errors name the field.
    public init(json bytes: [UInt8]) throws(SchemaError) {
        var reader = JSONReader(bytes)
        var key: String?
        var op: String?
        var value: String?
        var expect: String?
        var modRevision: Int64?
        var requestID: String?
        try reader.readObject(at: "") { (reader, name, path) throws(SchemaError) in
            if try reader.readNull() { return }
            switch name {
            case "key": key = try reader.readString(at: path)
            case "op": op = try reader.readString(at: path)
            case "value": value = try reader.readString(at: path)
            case "expect": expect = try reader.readString(at: path)
            case "modRevision": modRevision = try reader.readInt64(at: path)
            case "requestID": requestID = try reader.readString(at: path)
            default: try reader.skipValue()
            }
        }
        try reader.end()
        guard let key else { throw JSONReader.missing("key") }
        let operation: WriteOperation
        switch op {
        case "put"?:
            guard let value else { throw JSONReader.missing("value") }
            operation = .put(value: value)
        case "delete"?: operation = .delete
        case nil: throw JSONReader.missing("op")
        case let other?: throw JSONReader.notSupported("op", other, supported: ["put", "delete"])
        }
        let precondition: WritePrecondition
        switch expect ?? "none" {
        case "none": precondition = .none
        case "absent": precondition = .absent
        case "modRevision":
            guard let modRevision else { throw JSONReader.missing("modRevision") }
            precondition = .modRevision(modRevision)
        case let other:
            throw JSONReader.notSupported("expect", other, supported: ["none", "absent", "modRevision"])
        }
        self.init(key: key, operation: operation, precondition: precondition, requestID: requestID)
    }
}

extension WriteResult {
    /// This result as JSON.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        let values = (kv?.value.utf8.count ?? 0) + (previous?.value.utf8.count ?? 0)
        out.reserveCapacity(values + values / 8 + 320)
        out.append(contentsOf: succeeded ? #"{"succeeded":true"#.utf8 : #"{"succeeded":false"#.utf8)
        out.append(contentsOf: #","revision":"#.utf8)
        out.append(contentsOf: String(revision).utf8)
        if let kv {
            out.append(contentsOf: #","kv":"#.utf8)
            kv.appendJSON(to: &out)
        }
        if let previous {
            out.append(contentsOf: #","previous":"#.utf8)
            previous.appendJSON(to: &out)
        }
        out.append(contentsOf: #","bucketPrevRevision":"#.utf8)
        out.append(contentsOf: String(bucketPrevRevision).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads a result from JSON; errors name the field.
    public init(json bytes: [UInt8]) throws(SchemaError) {
        var reader = JSONReader(bytes)
        var succeeded: Bool?
        var revision: Int64?
        var kv: KeyValue?
        var previous: KeyValue?
        var bucketPrevRevision: Int64?
        try reader.readObject(at: "") { (reader, name, path) throws(SchemaError) in
            if try reader.readNull() { return }
            switch name {
            case "succeeded": succeeded = try reader.readBool(at: path)
            case "revision": revision = try reader.readInt64(at: path)
            case "kv": kv = try KeyValue(reading: &reader, at: path)
            case "previous": previous = try KeyValue(reading: &reader, at: path)
            case "bucketPrevRevision": bucketPrevRevision = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        try reader.end()
        guard let succeeded else { throw JSONReader.missing("succeeded") }
        guard let revision else { throw JSONReader.missing("revision") }
        guard let bucketPrevRevision else { throw JSONReader.missing("bucketPrevRevision") }
        self.init(
            succeeded: succeeded, revision: revision, kv: kv, previous: previous, bucketPrevRevision: bucketPrevRevision
        )
    }
}
