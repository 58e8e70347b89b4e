public import Foundation
public import Schema

extension CreateBuilder {
    /// kubectl's `create secret tls`: type `kubernetes.io/tls`, `tls.crt` and `tls.key` from PEM files.
    ///
    /// Like kubectl it refuses files without PEM data; unlike kubectl it does not check that the key matches the
    /// certificate (that needs X.509 parsing).
    public static func tlsSecret(
        _ name: String, namespace: String?, cert: String, key: String,
        read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws(CtlError) -> JSONValue {
        func file(_ path: String) throws(CtlError) -> Data {
            guard let data = read(path) else {
                throw CtlError("Cannot read file \(path), open \(path): no such file or directory")
            }
            return data
        }
        let certData = try file(cert)
        let keyData = try file(key)
        let certText = String(decoding: certData, as: UTF8.self)
        let keyText = String(decoding: keyData, as: UTF8.self)
        guard certText.contains("-----BEGIN ") else {
            throw CtlError("tls: failed to find any PEM data in certificate input")
        }
        guard certText.contains("-----BEGIN CERTIFICATE-----") else {
            throw CtlError("tls: failed to find \"CERTIFICATE\" PEM block in certificate input")
        }
        guard keyText.contains("-----BEGIN ") else { throw CtlError("tls: failed to find any PEM data in key input") }
        guard keyText.contains("PRIVATE KEY-----") else {
            throw CtlError("tls: found a certificate rather than a key in the PEM for the private key")
        }
        return [
            "apiVersion": "v1", "kind": "Secret", "metadata": metadata(name, namespace: namespace),
            "type": "kubernetes.io/tls",
            "data": [
                "tls.crt": .string(certData.base64EncodedString()), "tls.key": .string(keyData.base64EncodedString()),
            ],
        ]
    }

    /// kubectl's `create secret docker-registry`: type `kubernetes.io/dockerconfigjson`, `.dockerconfigjson` holding
    /// `{"auths":{SERVER:{"username","password","email"?,"auth"}}}` as Go's encoder writes it, or the files given.
    public static func dockerRegistrySecret(
        _ name: String, namespace: String?, server: String, username: String, password: String, email: String,
        files: [String] = [], read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws(CtlError) -> JSONValue {
        var object: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "metadata": metadata(name, namespace: namespace),
            "type": "kubernetes.io/dockerconfigjson",
        ]
        if !files.isEmpty {
            var data: [String: JSONValue] = [:]
            for file in files {
                var key = (file as NSString).lastPathComponent
                var path = file
                if let eq = file.firstIndex(of: "=") {
                    key = String(file[..<eq])
                    path = String(file[file.index(after: eq)...])
                }
                guard let contents = read(path) else {
                    throw CtlError("error reading \(path): no such file or directory")
                }
                data[key] = .string(contents.base64EncodedString())
            }
            object["data"] = .object(data)
            return object
        }
        guard !username.isEmpty, !password.isEmpty, !server.isEmpty else {
            throw CtlError(
                "either --from-file or the combination of --docker-username, --docker-password and --docker-server "
                    + "is required")
        }
        let config = dockerConfigJSON(server: server, username: username, password: password, email: email)
        object["data"] = [".dockerconfigjson": .string(Data(config.utf8).base64EncodedString())]
        return object
    }

    /// The `.dockerconfigjson` text: struct fields in Go's order, `email` omitted when empty, HTML escaped as
    /// Go's `json.Marshal` does.
    static func dockerConfigJSON(server: String, username: String, password: String, email: String) -> String {
        let auth = Data("\(username):\(password)".utf8).base64EncodedString()
        var entry = "\"username\":\(goString(username)),\"password\":\(goString(password))"
        if !email.isEmpty { entry += ",\"email\":\(goString(email))" }
        entry += ",\"auth\":\(goString(auth))"
        return "{\"auths\":{\(goString(server)):{\(entry)}}}"
    }

    /// A JSON string as Go's encoder writes it (`<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`).
    static func goString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "<": result += "\\u003c"
            case ">": result += "\\u003e"
            case "&": result += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
