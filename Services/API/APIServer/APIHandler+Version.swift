import Schema

extension APIHandler {
    /// The server's version, shaped as Kubernetes' `/version`: Kubus serves the Kubernetes 1.31 API.
    static let versionInfo: JSONValue = {
        var platform = "linux"
        #if os(macOS)
            platform = "darwin"
        #endif
        #if arch(x86_64)
            platform += "/amd64"
        #elseif arch(arm64)
            platform += "/arm64"
        #else
            platform += "/unknown"
        #endif
        return [
            "major": "1", "minor": "31", "gitVersion": "v1.31.0-kubus", "gitCommit": "", "gitTreeState": "",
            "buildDate": "", "compiler": "swift", "platform": .string(platform),
        ]
    }()

    /// `version`: answers `versionInfo`, whatever the payload.
    func version() -> Outcome {
        Outcome(code: 200, payload: Self.versionInfo.encoded())
    }
}
