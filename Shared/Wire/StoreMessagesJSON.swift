import JSONCore
public import Schema

// The store's requests and replies between the api and the store, read and written straight between bytes and the
// typed value (`JSONReader`, `JSONText`) instead of through Foundation's coders: the same JSON as their `Codable`
// conformances (docs/protocol.md), which stay for everything else. Members may come in any order; unknown members
// are skipped; a null optional is absent; every error names the field.

/// A message with a hand-written JSON form.
public protocol JSONMessage: Sendable {
    /// Appends this message as a JSON object.
    func appendJSON(to out: inout [UInt8])
    /// Reads the message from the value at `path` (`""` for the document).
    init(reading reader: inout JSONReader, at path: String) throws(SchemaError)
}

extension JSONMessage {
    /// This message as JSON text.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return out
    }

    /// Reads a whole document.
    public init(json bytes: [UInt8]) throws(SchemaError) {
        var reader = JSONReader(bytes)
        try self.init(reading: &reader, at: "")
        try reader.end()
    }
}

/// Appends `"name":` after a comma (or after the opening brace when `first`).
private func member(_ name: StaticString, _ out: inout [UInt8], first: Bool = false) {
    out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
    out.append(UInt8(ascii: "\""))
    out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    out.append(UInt8(ascii: "\""))
    out.append(UInt8(ascii: ":"))
}

private func appendInt(_ value: some BinaryInteger, _ out: inout [UInt8]) {
    out.append(contentsOf: String(value).utf8)
}

private func required<T>(_ value: T?, _ path: String, _ name: String) throws(SchemaError) -> T {
    guard let value else { throw JSONReader.missing(path.isEmpty ? name : path + "." + name) }
    return value
}

extension KeyValue: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.reserveCapacity(out.count + key.utf8.count + value.utf8.count + value.utf8.count / 8 + 96)
        member("key", &out, first: true)
        JSONText.appendString(key, to: &out)
        member("value", &out)
        JSONText.appendString(value, to: &out)
        member("createRevision", &out)
        appendInt(createRevision, &out)
        member("modRevision", &out)
        appendInt(modRevision, &out)
        member("version", &out)
        appendInt(version, &out)
        out.append(UInt8(ascii: "}"))
    }

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
        self.init(
            key: try required(key, path, "key"), value: try required(value, path, "value"),
            createRevision: try required(createRevision, path, "createRevision"),
            modRevision: try required(modRevision, path, "modRevision"), version: try required(version, path, "version")
        )
    }
}

extension WriteRequest: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        member("key", &out, first: true)
        JSONText.appendString(key, to: &out)
        switch operation {
        case .put(let value):
            out.reserveCapacity(out.count + value.utf8.count + value.utf8.count / 8 + 96)
            out.append(contentsOf: #","op":"put","value":"#.utf8)
            JSONText.appendString(value, to: &out)
        case .delete:
            out.append(contentsOf: #","op":"delete""#.utf8)
        }
        switch precondition {
        case .none: out.append(contentsOf: #","expect":"none""#.utf8)
        case .absent: out.append(contentsOf: #","expect":"absent""#.utf8)
        case .modRevision(let revision):
            out.append(contentsOf: #","expect":"modRevision""#.utf8)
            member("modRevision", &out)
            appendInt(revision, &out)
        }
        if let requestID {
            member("requestID", &out)
            JSONText.appendString(requestID, to: &out)
        }
        if prevKV { out.append(contentsOf: #","prevKV":true"#.utf8) }
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var key: String?
        var op: String?
        var value: String?
        var expect: String?
        var modRevision: Int64?
        var requestID: String?
        var prevKV = false
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "key": key = try reader.readString(at: path)
            case "op": op = try reader.readString(at: path)
            case "value": value = try reader.readString(at: path)
            case "expect": expect = try reader.readString(at: path)
            case "modRevision": modRevision = try reader.readInt64(at: path)
            case "requestID": requestID = try reader.readString(at: path)
            case "prevKV": prevKV = try reader.readBool(at: path)
            default: try reader.skipValue()
            }
        }
        let operation: WriteOperation
        switch try required(op, path, "op") {
        case "put": operation = .put(value: try required(value, path, "value"))
        case "delete": operation = .delete
        case let other: throw JSONReader.notSupported("op", other, supported: ["put", "delete"])
        }
        let precondition: WritePrecondition
        switch expect ?? "none" {
        case "none": precondition = .none
        case "absent": precondition = .absent
        case "modRevision": precondition = .modRevision(try required(modRevision, path, "modRevision"))
        case let other:
            throw JSONReader.notSupported("expect", other, supported: ["none", "absent", "modRevision"])
        }
        self.init(
            key: try required(key, path, "key"), operation: operation, precondition: precondition,
            requestID: requestID, prevKV: prevKV)
    }
}

extension WriteResult: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: succeeded ? #"{"succeeded":true"#.utf8 : #"{"succeeded":false"#.utf8)
        member("revision", &out)
        appendInt(revision, &out)
        if let kv {
            member("kv", &out)
            kv.appendJSON(to: &out)
        }
        if let previous {
            member("previous", &out)
            previous.appendJSON(to: &out)
        }
        member("bucketPrevRevision", &out)
        appendInt(bucketPrevRevision, &out)
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var succeeded: Bool?
        var revision: Int64?
        var kv: KeyValue?
        var previous: KeyValue?
        var bucketPrevRevision: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "succeeded": succeeded = try reader.readBool(at: path)
            case "revision": revision = try reader.readInt64(at: path)
            case "kv": kv = try KeyValue(reading: &reader, at: path)
            case "previous": previous = try KeyValue(reading: &reader, at: path)
            case "bucketPrevRevision": bucketPrevRevision = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(
            succeeded: try required(succeeded, path, "succeeded"), revision: try required(revision, path, "revision"),
            kv: kv, previous: previous, bucketPrevRevision: try required(bucketPrevRevision, path, "bucketPrevRevision")
        )
    }
}

extension StoreRequest.Get: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        member("key", &out, first: true)
        JSONText.appendString(key, to: &out)
        if let revision {
            member("revision", &out)
            appendInt(revision, &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var key: String?
        var revision: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "key": key = try reader.readString(at: path)
            case "revision": revision = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(key: try required(key, path, "key"), revision: revision)
    }
}

extension StoreRequest.GetResult: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let kv {
            out.append(contentsOf: #""kv":"#.utf8)
            kv.appendJSON(to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""revision":"#.utf8)
        appendInt(revision, &out)
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var kv: KeyValue?
        var revision: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "kv": kv = try KeyValue(reading: &reader, at: path)
            case "revision": revision = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(kv: kv, revision: try required(revision, path, "revision"))
    }
}

extension StoreRequest.Range: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        member("prefix", &out, first: true)
        JSONText.appendString(prefix, to: &out)
        if let revision {
            member("revision", &out)
            appendInt(revision, &out)
        }
        if let startAfter {
            member("startAfter", &out)
            JSONText.appendString(startAfter, to: &out)
        }
        if let limit {
            member("limit", &out)
            appendInt(limit, &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var prefix: String?
        var revision: Int64?
        var startAfter: String?
        var limit: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "prefix": prefix = try reader.readString(at: path)
            case "revision": revision = try reader.readInt64(at: path)
            case "startAfter": startAfter = try reader.readString(at: path)
            case "limit": limit = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(
            prefix: try required(prefix, path, "prefix"), revision: revision, startAfter: startAfter,
            limit: limit.map { Int(truncatingIfNeeded: $0) })
    }
}

extension RangeResult: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"kvs":["#.utf8)
        for (i, kv) in kvs.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            kv.appendJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
        member("revision", &out)
        appendInt(revision, &out)
        out.append(contentsOf: more ? #","more":true"#.utf8 : #","more":false"#.utf8)
        member("bucketRevision", &out)
        appendInt(bucketRevision, &out)
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var kvs: [KeyValue]?
        var revision: Int64?
        var more: Bool?
        var bucketRevision: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "kvs":
                var list: [KeyValue] = []
                try reader.readArray(at: path) { (reader, path) throws(SchemaError) in
                    list.append(try KeyValue(reading: &reader, at: path))
                }
                kvs = list
            case "revision": revision = try reader.readInt64(at: path)
            case "more": more = try reader.readBool(at: path)
            case "bucketRevision": bucketRevision = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(
            kvs: try required(kvs, path, "kvs"), revision: try required(revision, path, "revision"),
            more: try required(more, path, "more"), bucketRevision: try required(bucketRevision, path, "bucketRevision")
        )
    }
}

extension StoreRequest.Changes: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        member("prefix", &out, first: true)
        JSONText.appendString(prefix, to: &out)
        member("after", &out)
        appendInt(after, &out)
        if let limit {
            member("limit", &out)
            appendInt(limit, &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var prefix: String?
        var after: Int64?
        var limit: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "prefix": prefix = try reader.readString(at: path)
            case "after": after = try reader.readInt64(at: path)
            case "limit": limit = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(
            prefix: try required(prefix, path, "prefix"), after: try required(after, path, "after"),
            limit: limit.map { Int(truncatingIfNeeded: $0) })
    }
}

extension Change: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: type == .put ? #"{"type":"put""#.utf8 : #"{"type":"delete""#.utf8)
        member("kv", &out)
        kv.appendJSON(to: &out)
        if let previous {
            member("previous", &out)
            previous.appendJSON(to: &out)
        }
        member("bucketPrevRevision", &out)
        appendInt(bucketPrevRevision, &out)
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var type: ChangeType?
        var kv: KeyValue?
        var previous: KeyValue?
        var bucketPrevRevision: Int64?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "type":
                let text = try reader.readString(at: path)
                guard let value = ChangeType(rawValue: text) else {
                    throw JSONReader.notSupported(path, text, supported: ["put", "delete"])
                }
                type = value
            case "kv": kv = try KeyValue(reading: &reader, at: path)
            case "previous": previous = try KeyValue(reading: &reader, at: path)
            case "bucketPrevRevision": bucketPrevRevision = try reader.readInt64(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(
            type: try required(type, path, "type"), kv: try required(kv, path, "kv"), previous: previous,
            bucketPrevRevision: try required(bucketPrevRevision, path, "bucketPrevRevision"))
    }
}

extension ChangesResult: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"changes":["#.utf8)
        for (i, change) in changes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            change.appendJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
        member("revision", &out)
        appendInt(revision, &out)
        out.append(contentsOf: more ? #","more":true"#.utf8 : #","more":false"#.utf8)
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var changes: [Change]?
        var revision: Int64?
        var more: Bool?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "changes":
                var list: [Change] = []
                try reader.readArray(at: path) { (reader, path) throws(SchemaError) in
                    list.append(try Change(reading: &reader, at: path))
                }
                changes = list
            case "revision": revision = try reader.readInt64(at: path)
            case "more": more = try reader.readBool(at: path)
            default: try reader.skipValue()
            }
        }
        self.init(
            changes: try required(changes, path, "changes"), revision: try required(revision, path, "revision"),
            more: try required(more, path, "more"))
    }
}

extension StoreRequest.Writes: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"writes":["#.utf8)
        for (i, write) in writes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            write.appendJSON(to: &out)
        }
        out.append(contentsOf: "]}".utf8)
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var writes: [WriteRequest]?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "writes":
                var list: [WriteRequest] = []
                try reader.readArray(at: path) { (reader, path) throws(SchemaError) in
                    list.append(try WriteRequest(reading: &reader, at: path))
                }
                writes = list
            default: try reader.skipValue()
            }
        }
        self.init(writes: try required(writes, path, "writes"))
    }
}

extension StoreRequest.WriteOutcome: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .done(let result):
            out.append(contentsOf: #"{"code":200,"result":"#.utf8)
            result.appendJSON(to: &out)
        case .failed(let code, let reason, let message):
            member("code", &out, first: true)
            appendInt(code, &out)
            member("reason", &out)
            JSONText.appendString(reason, to: &out)
            member("message", &out)
            JSONText.appendString(message, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var code: Int64?
        var result: WriteResult?
        var reason: String?
        var message: String?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "code": code = try reader.readInt64(at: path)
            case "result": result = try WriteResult(reading: &reader, at: path)
            case "reason": reason = try reader.readString(at: path)
            case "message": message = try reader.readString(at: path)
            default: try reader.skipValue()
            }
        }
        let status = Int(truncatingIfNeeded: try required(code, path, "code"))
        if (200..<300).contains(status) {
            self = .done(try required(result, path, "result"))
        } else {
            self = .failed(code: status, reason: reason ?? "", message: message ?? "")
        }
    }
}

extension StoreRequest.WritesResult: JSONMessage {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"results":["#.utf8)
        for (i, outcome) in results.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            outcome.appendJSON(to: &out)
        }
        out.append(contentsOf: "]}".utf8)
    }

    public init(reading reader: inout JSONReader, at path: String) throws(SchemaError) {
        var results: [StoreRequest.WriteOutcome]?
        try reader.readObject(at: path) { (reader, name, path) throws(SchemaError) in
            switch name {
            case "results":
                var list: [StoreRequest.WriteOutcome] = []
                try reader.readArray(at: path) { (reader, path) throws(SchemaError) in
                    list.append(try StoreRequest.WriteOutcome(reading: &reader, at: path))
                }
                results = list
            default: try reader.skipValue()
            }
        }
        self.init(results: try required(results, path, "results"))
    }
}
