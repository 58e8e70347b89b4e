import Foundation
public import Schema

/// Hashes of pod templates, as Kubernetes' `controller.ComputeHash` makes them: the Deployment's
/// `pod-template-hash`, and the revision names of StatefulSets and DaemonSets.
public enum TemplateHash {
    /// The label naming the revision a StatefulSet or DaemonSet pod was made from.
    public static let label = "controller-revision-hash"

    /// Kubernetes' `rand.SafeEncodeString` alphabet: no vowels, no 0/1/3 (no bad words, no look-alikes).
    static let safeAlphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    /// The FNV-32a hash of the template's canonical (sorted-key) JSON and, when set, the collision count as
    /// four little-endian bytes (`ComputeHash`).
    public static func value(_ template: PodTemplateSpec, collisionCount: Int?) -> UInt32 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array((try? encoder.encode(template)) ?? Data())
        if let collisionCount {
            let value = UInt32(truncatingIfNeeded: collisionCount)
            for shift in stride(from: 0, to: 32, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
            }
        }
        return StableHash.fnv1a32(bytes)
    }

    /// `rand.SafeEncodeString` of `text`.
    public static func safeEncode(_ text: String) -> String {
        String(decoding: text.utf8.map { safeAlphabet[Int($0) % safeAlphabet.count] }, as: UTF8.self)
    }

    /// The hash as Kubernetes writes it in names and labels.
    public static func compute(_ template: PodTemplateSpec, collisionCount: Int? = nil) -> String {
        safeEncode(String(value(template, collisionCount: collisionCount)))
    }

    /// The revision name of `template` for the owner `name`, `<owner>-<hash>`; the revision label itself is left out,
    /// so a template that carries it hashes as one that does not.
    public static func revision(of template: PodTemplateSpec, owner name: String) -> String {
        var template = template
        template.metadata.labels?[label] = nil
        return "\(name)-\(compute(template))"
    }
}
