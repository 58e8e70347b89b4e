import Foundation
import Schema

#if canImport(Glibc)
    import Glibc
#endif

/// Checks TLS Secrets with openssl before nginx is given them: the certificate parses, the key parses, and the key
/// belongs to the certificate. A bad Secret then costs its hosts the default certificate, not the whole
/// configuration (nginx refuses a configuration with one unreadable certificate). Results are kept per PEM text.
public actor CertificateChecker {
    private let opensslPath: String
    private let scratchDirectory: String
    private var results: [String: String?] = [:]

    /// - Parameter scratchDirectory: a private folder for the files openssl reads.
    public init(opensslPath: String, scratchDirectory: String) {
        self.opensslPath = opensslPath
        self.scratchDirectory = scratchDirectory
    }

    /// The problems of the given certificates (key → PEM), by key; keys without a problem are absent.
    public func problems(_ certificates: [String: String]) async -> [String: String] {
        var found: [String: String] = [:]
        for (key, pem) in certificates {
            if let problem = await check(pem) { found[key] = problem }
        }
        return found
    }

    /// nil when the PEM's certificate and key are usable together; else what is wrong.
    public func check(_ pem: String) async -> String? {
        if let known = results[pem] { return known }
        let result = await inspect(pem)
        if results.count > 1000 { results.removeAll() }
        results[pem] = result
        return result
    }

    private func inspect(_ pem: String) async -> String? {
        let path = "\(scratchDirectory)/check-\(RandomUID.make()).pem"
        defer { unlink(path) }
        do {
            try NginxProcess.writePrivate(pem, to: path)
            let certificate = try await ChildProcess.run([opensslPath, "x509", "-noout", "-pubkey", "-in", path])
            guard certificate.status == 0, certificate.output.contains("PUBLIC KEY") else {
                return "tls.crt cannot be read as an X.509 certificate"
            }
            let key = try await ChildProcess.run([opensslPath, "pkey", "-pubout", "-in", path])
            guard key.status == 0, key.output.contains("PUBLIC KEY") else {
                return "tls.key cannot be read as an unencrypted private key"
            }
            guard Self.publicKey(certificate.output) == Self.publicKey(key.output) else {
                return "tls.key does not belong to the certificate in tls.crt"
            }
            return nil
        } catch {
            // openssl missing or not runnable: leave the verdict to `nginx -t`.
            return nil
        }
    }

    static func publicKey(_ output: String) -> String {
        guard let start = output.range(of: "-----BEGIN PUBLIC KEY-----"),
            let end = output.range(of: "-----END PUBLIC KEY-----", range: start.upperBound..<output.endIndex)
        else { return output }
        return String(output[start.lowerBound..<end.upperBound])
    }
}
