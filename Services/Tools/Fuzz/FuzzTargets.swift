import Bus
import DNS
import Foundation
import Schema

/// The decoders that read the wire or a user's input, each as a libFuzzer target (issue 13 item 8): a target must
/// return for any input — an error is an answer, a crash or a hang is a bug.
enum FuzzTarget: String, CaseIterable {
    /// A bus message's envelope frame (every service reads it first).
    case envelope
    /// The JSON parser every payload goes through, and the encoder that writes it back.
    case json
    /// kubusctl's manifests: YAML documents.
    case yaml
    /// The typed decoding, defaulting and validation of each kind (the api's `normalize`); the first byte picks the
    /// kind.
    case kinds
    /// A DNS message as kubus-dns reads it from UDP and TCP.
    case dns

    func run(_ bytes: [UInt8]) {
        switch self {
        case .envelope:
            _ = try? Envelope.decode(bytes)
        case .json:
            if let value = try? JSONValue.parse(bytes) { _ = value.encoded() }
        case .yaml:
            _ = try? Manifest.parse(yaml: String(decoding: bytes, as: UTF8.self), source: "fuzz")
        case .kinds:
            guard let first = bytes.first else { return }
            let codec = KindRegistry.codecs[Int(first) % KindRegistry.codecs.count]
            guard var object = try? JSONValue.parse(Array(bytes.dropFirst())), object.objectValue != nil else {
                return
            }
            object["apiVersion"] = .string(codec.info.apiVersion)
            object["kind"] = .string(codec.info.kind)
            if let normalized = try? codec.normalize(object, validate: true) {
                _ = codec.validate(normalized.object, oldObject: object)
            }
        case .dns:
            _ = try? DNSMessage(bytes: bytes)
        }
    }
}

#if KUBUS_FUZZ
    /// The target `KUBUS_FUZZ_TARGET` names, read once by libFuzzer's initializer.
    nonisolated(unsafe) var selected = FuzzTarget.json

    @_cdecl("LLVMFuzzerInitialize")
    public func fuzzerInitialize(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
    ) -> Int32 {
        let name = ProcessInfo.processInfo.environment["KUBUS_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("KUBUS_FUZZ_TARGET must be one of: \(names)\n".utf8))
            exit(2)
        }
        selected = target
        return 0
    }

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
#else
    /// Without libFuzzer (a plain build): `kubus-fuzz TARGET FILE|FOLDER...` runs each input through the target —
    /// how a crash found by a fuzz run is reproduced, and how the test suite replays the corpus.
    @main
    struct FuzzReplay {
        static func main() {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                FileHandle.standardError.write(Data("usage: kubus-fuzz \(names) FILE|FOLDER...\n".utf8))
                exit(2)
            }
            var count = 0
            for path in arguments.dropFirst() {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                    FileHandle.standardError.write(Data("kubus-fuzz: no such file \(path)\n".utf8))
                    exit(2)
                }
                let files =
                    isFolder.boolValue
                    ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map {
                        "\(path)/\($0)"
                    } : [path]
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else { continue }
                    target.run(Array(data))
                    count += 1
                }
            }
            print("\(target.rawValue): \(count) inputs, no crash")
        }
    }
#endif
