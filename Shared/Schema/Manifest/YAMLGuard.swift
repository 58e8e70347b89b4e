import CYaml

/// A pass over libyaml's events before Yams builds nodes, refusing what a Kubernetes manifest cannot hold and what
/// would make composing or converting it unbounded (found by the `yaml` fuzz target, docs/fuzzing.md):
/// - a mapping key that is a mapping or sequence (`? [a]`, `{a: 1}: b`): JSON keys are strings — and Yams sorts
///   duplicated complex keys with a comparison exponential in their depth;
/// - nesting deeper than `maxDepth`;
/// - aliases that expand past `maxExpandedNodes` nodes (the "billion laughs": each alias copies its anchor when
///   the document becomes JSON).
enum YAMLGuard {
    static let maxDepth = 256
    static let maxExpandedNodes = 4_000_000

    /// Nil when the text may be composed; else what is wrong, with its line.
    static func problem(in text: String) -> String? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> String? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Per open collection: whether it is a mapping, how many children it has had (a mapping's even ones
            // are keys), its anchor and its expanded size so far.
            var open: [(mapping: Bool, children: Int, anchor: String?, size: Int)] = []
            var sizes: [String: Int] = [:]
            func add(_ size: Int) -> String? {
                guard !open.isEmpty else { return nil }
                open[open.count - 1].size += size
                open[open.count - 1].children += 1
                return open[open.count - 1].size > maxExpandedNodes
                    ? "aliases expand the document to more than \(maxExpandedNodes) nodes" : nil
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }  // Yams reports syntax errors
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
                    pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                }
                func isKey() -> Bool { open.last.map { $0.mapping && $0.children % 2 == 0 } ?? false }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_DOCUMENT_START_EVENT:
                    open = []
                    sizes = [:]
                case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                    if isKey() { return "line \(line): a mapping key must be a string, not a mapping or a sequence" }
                    if open.count >= maxDepth { return "line \(line): nested deeper than \(maxDepth) levels" }
                    let anchor =
                        event.type == YAML_MAPPING_START_EVENT
                        ? string(event.data.mapping_start.anchor) : string(event.data.sequence_start.anchor)
                    open.append((event.type == YAML_MAPPING_START_EVENT, 0, anchor, 1))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    guard let closed = open.popLast() else { continue }
                    if let anchor = closed.anchor { sizes[anchor] = closed.size }
                    if let problem = add(closed.size) { return "line \(line): \(problem)" }
                case YAML_SCALAR_EVENT:
                    if let anchor = string(event.data.scalar.anchor) { sizes[anchor] = 1 }
                    if let problem = add(1) { return "line \(line): \(problem)" }
                case YAML_ALIAS_EVENT:
                    let size = string(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                    if isKey(), size > 1 {
                        return "line \(line): a mapping key must be a string, not a mapping or a sequence"
                    }
                    if let problem = add(size) { return "line \(line): \(problem)" }
                default:
                    continue
                }
            }
        }
    }
}
