import Schema

/// The revision of a pod template, as the `controller-revision-hash` label carries it: `<owner>-<hash>`.
///
/// Kubus has no ControllerRevision kind; a revision is named by a stable FNV-1a hash of the template's JSON
/// with sorted keys (the hash label itself left out), so every instance of the controller computes the same name.
public enum TemplateHash {
    /// The label naming the revision a pod was made from.
    public static let label = "controller-revision-hash"

    /// The revision name of `template` for the owner `name`.
    public static func revision(of template: PodTemplateSpec, owner name: String) -> String {
        var template = template
        template.metadata.labels?[label] = nil
        let text = (try? JSONValue(encoding: template))?.encodedString(sortedKeys: true) ?? ""
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return "\(name)-\(String(hash, radix: 36))"
    }
}
