public import Schema

/// Names of resources as kubectl prints them: `deployment.apps/web`, `configmap "cfg"`.
public enum ResourceName {
    /// `deployment.apps`, `configmap`.
    public static func prefix(_ info: KindInfo) -> String {
        info.group.isEmpty ? info.kind.lowercased() : "\(info.kind.lowercased()).\(info.group)"
    }

    /// `-o name` and apply's output: `deployment.apps/web`.
    public static func slashed(_ info: KindInfo, _ name: String) -> String {
        "\(prefix(info))/\(name)"
    }

    /// delete's output: `configmap "cfg"`.
    public static func quoted(_ info: KindInfo, _ name: String) -> String {
        "\(prefix(info)) \"\(name)\""
    }
}
