public import Crypto
public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A ServiceAccount token that cannot be accepted; the api answers 401 with the message.
public struct TokenError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a ServiceAccount token says: the registered JWT claims (RFC 7519) and Kubernetes' private
/// `kubernetes.io` claim, as kube-apiserver writes them for a TokenRequest.
public struct ServiceAccountClaims: Sendable, Hashable, Codable {
    /// An object the token is bound to, or the ServiceAccount: name and uid.
    public struct Reference: Sendable, Hashable, Codable {
        public var name: String
        public var uid: String
        public init(name: String, uid: String) {
            self.name = name
            self.uid = uid
        }
    }

    /// The `kubernetes.io` claim.
    public struct Kubernetes: Sendable, Hashable, Codable {
        public var namespace: String
        public var serviceaccount: Reference
        public var pod: Reference?
        public var node: Reference?
        public init(namespace: String, serviceaccount: Reference, pod: Reference? = nil, node: Reference? = nil) {
            self.namespace = namespace
            self.serviceaccount = serviceaccount
            self.pod = pod
            self.node = node
        }
    }

    public var iss: String
    public var sub: String
    public var aud: [String]
    public var exp: Int64
    public var iat: Int64
    public var nbf: Int64
    public var jti: String
    public var kubernetes: Kubernetes

    public init(
        iss: String, sub: String, aud: [String], exp: Int64, iat: Int64, nbf: Int64, jti: String,
        kubernetes: Kubernetes
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
        self.jti = jti
        self.kubernetes = kubernetes
    }

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nbf, jti
        case kubernetes = "kubernetes.io"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iss = try c.decode(String.self, forKey: .iss)
        sub = try c.decode(String.self, forKey: .sub)
        // RFC 7519: "aud" is one string or an array of them.
        if let one = try? c.decode(String.self, forKey: .aud) {
            aud = [one]
        } else {
            aud = try c.decode([String].self, forKey: .aud)
        }
        exp = try c.decode(Int64.self, forKey: .exp)
        iat = try c.decodeIfPresent(Int64.self, forKey: .iat) ?? 0
        nbf = try c.decodeIfPresent(Int64.self, forKey: .nbf) ?? 0
        jti = try c.decodeIfPresent(String.self, forKey: .jti) ?? ""
        kubernetes = try c.decode(Kubernetes.self, forKey: .kubernetes)
    }
}

/// Issues and checks ServiceAccount tokens: JWTs signed with ES256 (ECDSA P-256 and SHA-256, RFC 7518 §3.4) by a
/// key that every api instance reads from the same file (`--service-account-signing-key-file`). JWS compact form
/// over swift-crypto, which the store already uses for sealing Secrets: no JWT library is needed for one
/// algorithm, and accepting only `ES256` leaves no algorithm for a token to choose.
public struct ServiceAccountTokenSigner: Sendable {
    /// kube-apiserver's default issuer, which is also the audience of tokens meant for the api.
    public static let defaultIssuer = "https://kubernetes.default.svc.cluster.local"

    public let issuer: String
    /// The private key's raw bytes (swift-crypto's key types are not Sendable on Linux; one is made per use).
    private let rawKey: Data
    private let rawPublicKey: Data
    /// The header's `kid`: the SHA-256 of the public key's DER, base64url, as kube-apiserver derives it.
    public let keyID: String

    public init(key: P256.Signing.PrivateKey, issuer: String = Self.defaultIssuer) {
        rawKey = key.rawRepresentation
        rawPublicKey = key.publicKey.rawRepresentation
        self.issuer = issuer
        keyID = Self.base64URL(Data(SHA256.hash(data: key.publicKey.derRepresentation)))
    }

    /// Reads the PEM private key at `path`, creating it (0600) first when there is none; two instances that start
    /// together agree on one key (the file is linked into place, never overwritten).
    public init(keyFile path: String, issuer: String = Self.defaultIssuer) throws(TokenError) {
        if access(path, F_OK) != 0 {
            let temporary = "\(path).\(getpid()).new"
            let pem = P256.Signing.PrivateKey().pemRepresentation
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else {
                throw TokenError("\(path): cannot create the signing key: \(String(cString: strerror(errno)))")
            }
            let bytes = Array(pem.utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fsync(fd)
            close(fd)
            defer { unlink(temporary) }
            guard written == bytes.count else { throw TokenError("\(path): cannot write the signing key") }
            if link(temporary, path) != 0 && errno != EEXIST {
                throw TokenError("\(path): cannot create the signing key: \(String(cString: strerror(errno)))")
            }
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TokenError("\(path): cannot read the signing key: \(error.localizedDescription)")
        }
        do {
            self.init(key: try P256.Signing.PrivateKey(pemRepresentation: text), issuer: issuer)
        } catch {
            throw TokenError("\(path): not a PEM EC P-256 private key: \(error)")
        }
    }

    /// The signed token.
    public func sign(_ claims: ServiceAccountClaims) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = Self.base64URL(Data(#"{"alg":"ES256","kid":"\#(keyID)"}"#.utf8))
        let payload = Self.base64URL((try? encoder.encode(claims)) ?? Data())
        let input = header + "." + payload
        let key = try? P256.Signing.PrivateKey(rawRepresentation: rawKey)
        let signature = (try? key?.signature(for: Data(input.utf8)).rawRepresentation) ?? Data()
        return input + "." + Self.base64URL(signature)
    }

    /// The claims of a token this signer issued, for `audiences` (one must match), at `now`; throws for anything
    /// else, saying what.
    public func verify(_ token: String, audiences: [String], now: Date = Date()) throws(TokenError)
        -> ServiceAccountClaims
    {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count <= 16 << 10 else {
            throw TokenError("the token is not a JWT (three base64url parts, at most 16 KiB)")
        }
        guard let headerBytes = Self.decodeBase64URL(parts[0]),
            let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any]
        else {
            throw TokenError("the token's header is not base64url JSON")
        }
        guard header["alg"] as? String == "ES256" else {
            throw TokenError("the token's algorithm \"\(header["alg"] ?? "")\" is not ES256")
        }
        guard let signatureBytes = Self.decodeBase64URL(parts[2]),
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
            let publicKey = try? P256.Signing.PublicKey(rawRepresentation: rawPublicKey),
            publicKey.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8))
        else {
            throw TokenError("the token's signature is not the api's")
        }
        guard let payload = Self.decodeBase64URL(parts[1]),
            let claims = try? JSONDecoder().decode(ServiceAccountClaims.self, from: payload)
        else {
            throw TokenError("the token's claims are not a ServiceAccount token's")
        }
        guard claims.iss == issuer else {
            throw TokenError("the token's issuer \"\(claims.iss)\" is not \"\(issuer)\"")
        }
        guard claims.aud.contains(where: audiences.contains) else {
            throw TokenError("the token's audiences \(claims.aud) do not include \(audiences)")
        }
        let seconds = Int64(now.timeIntervalSince1970)
        guard seconds < claims.exp else { throw TokenError("the token has expired") }
        guard claims.nbf <= seconds + 60 else { throw TokenError("the token is not valid yet") }
        let expected = "system:serviceaccount:\(claims.kubernetes.namespace):\(claims.kubernetes.serviceaccount.name)"
        guard claims.sub == expected else { throw TokenError("the token's subject does not match its claims") }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: Substring) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !s.contains("=") else { return nil }
        s += String(repeating: "=", count: (4 - s.count % 4) % 4)
        return Data(base64Encoded: s)
    }
}
