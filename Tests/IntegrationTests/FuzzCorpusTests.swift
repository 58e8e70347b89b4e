import Foundation
import Testing

/// Issue 13 item 8: every input in each fuzz target's corpus (seeds, and what fuzz runs kept) goes through its
/// decoder again with the plain build's replay, so a crash once found stays fixed.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Services/Tools/Fuzz/corpus").path

    @Test(arguments: ["envelope", "json", "yaml", "kinds", "dns"])
    func theCorpusReplaysWithoutACrash(_ target: String) throws {
        let output = try runProgram(
            "\(try TestCluster.binaryFolder())/kubus-fuzz", [target, "\(Self.corpus)/\(target)"],
            withStandardError: true)
        let count = Int(output.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(output.hasPrefix("\(target): ") && output.contains("inputs, no crash"), "\(output)")
        #expect(count >= 3, "\(output)")
    }
}
