public import Schema

/// `-o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image` and `-o custom-columns-file=FILE`.
public struct CustomColumns: Sendable {
    /// One column: its header and where its value comes from.
    public struct Column: Sendable {
        public var header: String
        public var path: JSONPathTemplate
    }

    public var columns: [Column]

    /// Parses kubectl's comma-separated `HEADER:FIELD` list.
    public init(spec: String) throws(CtlError) {
        guard !spec.isEmpty else { throw CtlError("custom-columns format specified but no custom columns given") }
        var columns: [Column] = []
        for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else {
                throw CtlError("unexpected custom-columns spec: \(part), expected <header>:<json-path-expr>")
            }
            columns.append(Column(header: String(pieces[0]), path: try JSONPathTemplate.relaxed(String(pieces[1]))))
        }
        self.columns = columns
    }

    /// Parses a template file: a line of headers, then a line of field paths, whitespace-separated.
    public init(template: String) throws(CtlError) {
        let lines = template.split(separator: "\n", omittingEmptySubsequences: true)
        let format = "Expected format is one line of space separated headers, one line of space separated column specs."
        guard let headerLine = lines.first else { throw CtlError("invalid template, missing header line. \(format)") }
        guard lines.count > 1 else { throw CtlError("invalid template, missing spec line. \(format)") }
        let headers = headerLine.split(whereSeparator: \.isWhitespace).map(String.init)
        let specs = lines[1].split(whereSeparator: \.isWhitespace).map(String.init)
        guard headers.count == specs.count else {
            throw CtlError(
                "number of headers (\(headers.count)) and field specifications (\(specs.count)) don't match")
        }
        var columns: [Column] = []
        for (header, spec) in zip(headers, specs) {
            columns.append(Column(header: header, path: try JSONPathTemplate.relaxed(spec)))
        }
        self.columns = columns
    }

    /// The table of `objects`: each cell the values found, joined by commas, or `<none>`.
    public func table(_ objects: [JSONValue]) -> Table {
        Table(
            columns: columns.map(\.header),
            rows: objects.map { object in
                columns.map { column in
                    let values = column.path.values(in: object)
                    return values.isEmpty ? "<none>" : values.map(Self.goText).joined(separator: ",")
                }
            })
    }

    /// A value as Go's `fmt.Sprint` prints what kubectl finds: strings bare, maps as `map[k:v]`, lists `[a b]`.
    static func goText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .null: return "<nil>"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            return number.rounded() == number && abs(number) < 1e21 ? String(Int64(number)) : "\(number)"
        case .array(let elements): return "[" + elements.map(goText).joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.keys.sorted().map { "\($0):\(goText(members[$0]!))" }.joined(separator: " ") + "]"
        }
    }
}

/// `--sort-by=.metadata.creationTimestamp`: kubectl's ordering of list items by a field.
public enum SortBy {
    /// The objects ordered by the value at `expression` (numbers by value, strings in natural order); objects
    /// without it come first. Throws when no object has the field.
    public static func sort(_ objects: [JSONValue], by expression: String) throws(CtlError) -> [JSONValue] {
        let path = try JSONPathTemplate.relaxed(expression)
        let keyed = objects.map { (object: $0, value: path.values(in: $0).first) }
        if !objects.isEmpty, !keyed.contains(where: { $0.value != nil }) {
            var field = expression
            if !field.hasPrefix("{") { field = "{" + (field.hasPrefix(".") ? field : "." + field) + "}" }
            throw CtlError("couldn't find any field with path \"\(field)\" in the list of objects")
        }
        // A stable sort: equal values keep the server's order.
        return keyed.enumerated().sorted { a, b in
            switch (a.element.value, b.element.value) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if less(x, y) { return true }
                if less(y, x) { return false }
                return a.offset < b.offset
            }
        }.map(\.element.object)
    }

    static func less(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return naturalLess(x, y)
        case (.bool(let x), .bool(let y)): return !x && y
        default:
            if let x = a.doubleValue, let y = b.doubleValue { return x < y }
            return naturalLess(CustomColumns.goText(a), CustomColumns.goText(b))
        }
    }

    /// Natural order: runs of digits compare as numbers (`web-2` < `web-10`), other bytes as they are.
    static func naturalLess(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            let (da, db) = (isDigit(a[i]), isDigit(b[j]))
            if da != db { return da }
            if !da {
                if a[i] != b[j] { return a[i] < b[j] }
                i += 1
                j += 1
                continue
            }
            while i < a.count && a[i] == 48 { i += 1 }
            while j < b.count && b[j] == 48 { j += 1 }
            let (startA, startB) = (i, j)
            while i < a.count && isDigit(a[i]) { i += 1 }
            while j < b.count && isDigit(b[j]) { j += 1 }
            let (runA, runB) = (a[startA..<i], b[startB..<j])
            if runA.count != runB.count { return runA.count < runB.count }
            if runA != runB { return runA.lexicographicallyPrecedes(runB) }
            if startA != startB { return startA < startB }
        }
        return a.count < b.count
    }
}
