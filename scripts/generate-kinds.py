#!/usr/bin/env python3
"""Generates the Kubernetes kinds of Shared/Schema from their spec.

Each `Shared/Schema/Spec/<path>.json` describes one Swift file `Shared/Schema/<path>.swift`: its imports and, in
order, its items — a struct (name, doc, whether it is a kind, fields) or Swift written by hand (`swift`). For each
struct the generator writes the stored properties, a public memberwise initializer whose every parameter defaults
to empty, `CodingKeys` (a field's JSON key when it differs from its Swift name), and, when a field is required, an
`init(from:)` that decodes an absent or null required field as its empty value (Kubernetes' decoders accept what
kubectl accepts), and a `JSONTreeCodable` conformance that reads and writes the `JSONValue` tree the same way
without `Decoder` and `Encoder` (Shared/Schema/JSON/JSONTree.swift). The output is laid out by `swift format` with the repository's `.swift-format`.

    scripts/generate-kinds.py           # write every file
    scripts/generate-kinds.py --check   # fail, naming the files, when a committed file differs from its spec

A field: {"name", "type", "doc"?, "key"?, "default"?, "initDefault"?}. A type ending in `?` is optional (absent
means nil); any other type is required and `default` is what an absent value decodes as: its empty value (`""`,
`0`, `false`, `[]`, `[:]` or `Type()`) when not given. `initDefault` is the initializer's default when it differs
(EndpointSlice's `addressType` is `IPv4` when built in Swift, yet an absent one must stay empty for validation).
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(ROOT, "Shared", "Schema", "Spec")
OUT = os.path.join(ROOT, "Shared", "Schema")
HEADER = "// Generated from the Kubus schema spec; edit the spec, not this file."
KEYWORDS = {"protocol", "operator", "default", "class", "struct", "enum", "extension", "import", "func", "var",
            "let", "in", "is", "as", "init", "self", "Type", "where", "case", "internal", "public", "private"}


def swift_name(name):
    return f"`{name}`" if name in KEYWORDS else name


def empty_value(type_name):
    if type_name == "String":
        return '""'
    if type_name in ("Int", "Int32", "Int64", "UInt", "Double"):
        return "0"
    if type_name == "Bool":
        return "false"
    if type_name.startswith("["):
        return "[:]" if ":" in type_name else "[]"
    return f"{type_name}()"


def struct_text(item):
    name = item["name"]
    fields = item.get("fields", [])
    lines = []
    for doc in item.get("doc", "").split("\n") if item.get("doc") else []:
        lines.append(f"/// {doc}".rstrip())
    conformance = "KubeObject" if item.get("kindInfo") else "Sendable, Codable, Hashable"
    lines.append(f"public struct {name}: {conformance} {{")
    if item.get("kindInfo"):
        lines.append("    /// The kind's registry entry.")
        lines.append(f"    public static var kindInfo: KindInfo {{ .{item['kindInfo']} }}")
        lines.append("")
    for field in fields:
        for doc in field.get("doc", "").split("\n") if field.get("doc") else []:
            lines.append(f"    /// {doc}".rstrip())
        lines.append(f"    public var {swift_name(field['name'])}: {field['type']}")
    if fields:
        lines.append("")
    lines.append(f"    /// Creates a `{name}`; every field defaults to empty.")
    if fields:
        lines.append("    public init(")
        params = []
        for field in fields:
            optional = field["type"].endswith("?")
            default = "nil" if optional else field.get("initDefault", field.get("default", empty_value(field["type"])))
            params.append(f"        {swift_name(field['name'])}: {field['type']} = {default}")
        lines.append(",\n".join(params))
        lines.append("    ) {")
        for field in fields:
            lines.append(f"        self.{field['name']} = {swift_name(field['name'])}")
        lines.append("    }")
    else:
        lines.append("    public init() {}")
    if fields:
        lines.append("")
        lines.append("    enum CodingKeys: String, CodingKey {")
        for field in fields:
            key = field.get("key")
            lines.append(f"        case {swift_name(field['name'])}" + (f' = "{key}"' if key else ""))
        lines.append("    }")
    if any(not f["type"].endswith("?") for f in fields):
        lines.append("")
        lines.append("    /// Decodes, filling absent or null required fields with their empty value.")
        lines.append("    public init(from decoder: any Decoder) throws {")
        lines.append("        let container = try decoder.container(keyedBy: CodingKeys.self)")
        for field in fields:
            type_name = field["type"]
            key = swift_name(field["name"])
            if type_name.endswith("?"):
                lines.append(
                    f"        self.{field['name']} = try container.decodeIfPresent({type_name[:-1]}.self, forKey: .{key})")
            else:
                default = field.get("default", empty_value(type_name))
                lines.append(
                    f"        self.{field['name']} = try container.decodeIfPresent({type_name}.self, forKey: .{key}) "
                    f"?? {default}")
        lines.append("    }")
    lines.append("}")
    lines.append("")
    lines.extend(tree_codable_text(name, fields))
    return "\n".join(lines)


def tree_codable_text(name, fields):
    """`JSONTreeCodable`: the same reads as `init(from:)` and the same tree as the synthesized `encode(to:)`."""
    lines = [f"extension {name}: JSONTreeCodable {{"]
    lines.append("    /// Reads the tree as `init(from:)` decodes it.")
    lines.append("    public init(jsonTree tree: JSONValue) throws(DecodingError) {")
    if fields:
        lines.append("        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)")
    else:
        lines.append("        _ = try JSONTree.members(of: tree, keyedBy: JSONValueCoding.Key.self)")
    for field in fields:
        key = field.get("key", field["name"])
        read = f'try JSONTree.field(members, "{key}")'
        if not field["type"].endswith("?"):
            read += f" ?? {field.get('default', empty_value(field['type']))}"
        lines.append(f"        self.{field['name']} = {read}")
    lines.append("    }")
    lines.append("")
    lines.append("    /// The tree `encode(to:)` writes.")
    lines.append("    public func jsonTree() -> JSONValue {")
    if fields:
        lines.append("        var members: [String: JSONValue] = [:]")
        for field in fields:
            key = field.get("key", field["name"])
            name_ = swift_name(field["name"])
            if field["type"].endswith("?"):
                lines.append(f'        if let {name_} {{ members["{key}"] = {name_}.jsonTree() }}')
            else:
                lines.append(f'        members["{key}"] = {name_}.jsonTree()')
        lines.append("        return .object(members)")
    else:
        lines.append("        .object([:])")
    lines.append("    }")
    lines.append("}")
    return lines


def file_text(spec):
    parts = [HEADER + "\n" + "".join(f"import {m}\n" for m in spec.get("imports", []))]
    for item in spec["items"]:
        parts.append(item["swift"].rstrip("\n") if "swift" in item else struct_text(item))
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def formatted(text):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "Kind.swift")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        subprocess.run(
            ["swift", "format", "format", "-i", "--configuration", os.path.join(ROOT, ".swift-format"), path],
            check=True)
        with open(path, encoding="utf-8") as f:
            return f.read()


def main():
    check = "--check" in sys.argv[1:]
    differing = []
    count = 0
    for folder, _, files in os.walk(SPEC):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            spec_path = os.path.join(folder, name)
            relative = os.path.relpath(spec_path, SPEC)[: -len(".json")] + ".swift"
            target = os.path.join(OUT, relative)
            with open(spec_path, encoding="utf-8") as f:
                text = formatted(file_text(json.load(f)))
            count += 1
            current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
            if current == text:
                continue
            if check:
                differing.append(os.path.relpath(target, ROOT))
            else:
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
    if differing:
        print("generate-kinds: these files differ from their spec (run scripts/generate-kinds.py):")
        for path in differing:
            print("  " + path)
        return 1
    print(f"generate-kinds: {count} files {'match their spec' if check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
