import Foundation

/// Runs the user's editor on a file, as kubectl does: `$KUBE_EDITOR`, else `$EDITOR`, else `vi`; an editor
/// with spaces (`code --wait`) runs through `sh -c`.
enum EditorLauncher {
    /// The command line for `path`.
    static func command(for path: String, environment: [String: String]) -> [String] {
        var editor = "vi"
        for name in ["KUBE_EDITOR", "EDITOR"] {
            let value = (environment[name] ?? "").trimmingCharacters(in: .whitespaces)
            if !value.isEmpty {
                editor = value
                break
            }
        }
        guard editor.contains(" ") else { return [editor, path] }
        var shell = environment["SHELL"] ?? ""
        if shell.isEmpty { shell = "/bin/sh" }
        let script: String = editor + " " + shellQuoted(path)
        return [shell, "-c", script]
    }

    /// Runs the editor with this process's terminal and waits for it; throws when it fails.
    static func launch(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let arguments = command(for: path, environment: environment)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        do {
            try process.run()
        } catch {
            throw CtlError(
                "unable to launch the editor \"\(arguments.joined(separator: " "))\": \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CtlError(
                "there was a problem with the editor \"\(arguments[0])\": exit status \(process.terminationStatus)")
        }
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
