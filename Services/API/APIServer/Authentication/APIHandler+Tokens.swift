import Foundation
public import Schema
import Synchronization
import Wire

/// ServiceAccount tokens: the `token` subresource of serviceaccounts (Kubernetes' TokenRequest,
/// `authentication.k8s.io/v1`), and the authentication of requests that carry one.
extension APIHandler {
    /// Tokens live at least this long (kube-apiserver refuses shorter ones).
    static let minimumTokenSeconds: Int64 = 600
    /// What a TokenRequest without `expirationSeconds` gets (Kubernetes' default).
    static let defaultTokenSeconds: Int64 = 3600

    /// Answers a TokenRequest for the ServiceAccount `request.name`: a token signed for its audiences, bound to the
    /// pod in `spec.boundObjectRef` when there is one, expiring after `spec.expirationSeconds`. Never stored.
    func requestToken(_ request: APIRequest) async throws(APIError) -> Outcome {
        let info = KindInfo.serviceAccount
        guard let signer = configuration.serviceAccountTokens else {
            throw .make(
                503, "ServiceUnavailable",
                "this api issues no ServiceAccount tokens: it runs without --service-account-signing-key-file")
        }
        guard let tokenRequest = request.object else { throw .badRequest("field \"object\" is required") }
        if let kind = tokenRequest["kind"]?.stringValue, kind != "TokenRequest" {
            throw .badRequest("the token subresource takes a TokenRequest, not \(kind)")
        }
        let namespace = try resolveNamespace(info, requested: request.namespace) ?? "default"
        guard let name = request.name, !name.isEmpty else { throw .badRequest("resource name may not be empty") }
        let spec = tokenRequest["spec"] ?? [:]
        var errors: [FieldError] = []
        let audiences = Self.stringList(spec["audiences"])
        var seconds = Self.defaultTokenSeconds
        switch spec["expirationSeconds"] {
        case nil, .null?: break
        case .int(let value)? where value >= Self.minimumTokenSeconds && value <= Int64(UInt32.max): seconds = value
        case let value?:
            errors.append(
                .invalid(
                    "spec.expirationSeconds", value,
                    "may not specify a duration less than 10 minutes or longer than 2^32 seconds"))
        }
        let bound = spec["boundObjectRef"]
        let boundKind = bound?["kind"]?.stringValue ?? ""
        if bound != nil, !bound!.isNull, boundKind != "Pod" {
            errors.append(
                .notSupported("spec.boundObjectRef.kind", boundKind, supported: ["Pod"]))
        }
        if !errors.isEmpty {
            throw .make(
                422, "Invalid",
                "TokenRequest.authentication.k8s.io \"\(name)\" is invalid: "
                    + errors.map(\.description).joined(separator: ", "))
        }
        let account = try await storedObject(info, namespace: namespace, name: name)
        let accountUID = account[path: ["metadata", "uid"]]?.stringValue ?? ""
        var podRef: ServiceAccountClaims.Reference?
        var podNode = ""
        if boundKind == "Pod" {
            let podName = bound?["name"]?.stringValue ?? ""
            let pod = try await storedObject(.pod, namespace: namespace, name: podName)
            let uid = pod[path: ["metadata", "uid"]]?.stringValue ?? ""
            if let wanted = bound?["uid"]?.stringValue, !wanted.isEmpty, wanted != uid {
                throw .make(
                    409, "Conflict",
                    "the UID in the bound object reference (\(wanted)) does not match the UID in record. The object "
                        + "might have been deleted and then recreated")
            }
            let podAccount = pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? "default"
            guard podAccount == name else {
                throw .badRequest(
                    "cannot bind token for serviceaccount \"\(name)\" to pod running with different serviceaccount "
                        + "name.")
            }
            podRef = ServiceAccountClaims.Reference(name: podName, uid: uid)
            podNode = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
        }
        // NodeRestriction: a kubelet asks only for tokens of the pods bound to it.
        if let node = Self.requestingNode(Self.requester) {
            guard podRef != nil else {
                throw .forbidden(info, name, "node requested token not bound to a pod")
            }
            guard Self.node(node, covers: podNode) else {
                throw .forbidden(info, name, "node requested token bound to a pod scheduled on a different node")
            }
        }
        let now = Int64(Date().timeIntervalSince1970)
        let claims = ServiceAccountClaims(
            iss: signer.issuer, sub: UserInfo.serviceAccount(namespace: namespace, name: name),
            aud: audiences.isEmpty ? [signer.issuer] : audiences, exp: now + seconds, iat: now, nbf: now,
            jti: RandomUID.make(),
            kubernetes: ServiceAccountClaims.Kubernetes(
                namespace: namespace, serviceaccount: .init(name: name, uid: accountUID), pod: podRef))
        var specOut = spec
        specOut["audiences"] = .array(claims.aud.map { .string($0) })
        specOut["expirationSeconds"] = .int(seconds)
        let expiry = Time(Date(timeIntervalSince1970: TimeInterval(claims.exp))).rawValue
        let reply: JSONValue = [
            "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
            "metadata": [
                "name": .string(name), "namespace": .string(namespace), "creationTimestamp": .string(Self.now()),
            ],
            "spec": specOut,
            "status": ["token": .string(signer.sign(claims)), "expirationTimestamp": .string(expiry)],
        ]
        return Outcome(code: 201, payload: reply.encoded())
    }

    /// The user a bearer token names, once it is checked: signed by this cluster's key for the api's audience,
    /// not expired, its ServiceAccount (and the pod it is bound to) still there with the same uid. 401 otherwise.
    public func authenticate(token: String) async throws(APIError) -> UserInfo {
        guard let signer = configuration.serviceAccountTokens else {
            throw .unauthorized("this api accepts no tokens: it runs without --service-account-signing-key-file")
        }
        if let cached = tokenCache.withLock({ $0[token] }), cached.until > Date() { return cached.user }
        let claims: ServiceAccountClaims
        do {
            claims = try signer.verify(token, audiences: [signer.issuer])
        } catch {
            throw .unauthorized("invalid bearer token: \(error.message)")
        }
        let k = claims.kubernetes
        func current(_ info: KindInfo, _ ref: ServiceAccountClaims.Reference) async throws(APIError) -> Bool {
            do {
                let object = try await storedObject(info, namespace: k.namespace, name: ref.name)
                // A pod in its grace period still has its token (its preStop hook may call the api).
                let deletion = object[path: ["metadata", "deletionTimestamp"]]?.stringValue.flatMap {
                    Time(rawValue: $0).date
                }
                return object[path: ["metadata", "uid"]]?.stringValue == ref.uid
                    && (deletion.map { $0 > Date() } ?? true)
            } catch {
                if error.code == 404 { return false }
                throw error
            }
        }
        guard try await current(.serviceAccount, k.serviceaccount) else {
            throw .unauthorized(
                "invalid bearer token: service account \(k.namespace)/\(k.serviceaccount.name) has been deleted")
        }
        if let pod = k.pod, try await !current(.pod, pod) {
            throw .unauthorized(
                "invalid bearer token: pod \(k.namespace)/\(pod.name) (uid \(pod.uid)) no longer exists; the token "
                    + "has been invalidated")
        }
        let user = UserInfo(
            name: claims.sub,
            groups: ["system:serviceaccounts", "system:serviceaccounts:\(k.namespace)", UserInfo.authenticatedGroup])
        let until = Date().addingTimeInterval(
            min(configuration.tokenCacheSeconds, Double(claims.exp) - Date().timeIntervalSince1970))
        tokenCache.withLock { cache in
            if cache.count >= 4096 { cache.removeAll() }
            cache[token] = (user, until)
        }
        return user
    }

}

/// The token half of Kubernetes' ServiceAccount admission.
extension APIHandler {
    /// The lifetime the kubelet asks for (kube-apiserver's `kube-api-access` volumes say 3607 s).
    static let projectedTokenSeconds: Int64 = 3607

    /// Refuses a pod whose ServiceAccount does not exist, and gives one that automounts its token (the pod's
    /// `automountServiceAccountToken`, else its ServiceAccount's, else yes) the `kube-api-access-<suffix>`
    /// projected volume — the token and the namespace — mounted read-only at `ServiceAccount.tokenMountPath` in each container
    /// that does not mount something there already. Only an api that issues tokens does this.
    func admitServiceAccountToken(_ pod: JSONValue, namespace: String, name: String) async throws(APIError)
        -> JSONValue
    {
        guard configuration.serviceAccountTokens != nil else { return pod }
        let accountName = pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? "default"
        let account: JSONValue
        do {
            account = try await storedObject(.serviceAccount, namespace: namespace, name: accountName)
        } catch {
            guard error.code == 404 else { throw error }
            throw .forbidden(
                .pod, name,
                "error looking up service account \(namespace)/\(accountName): serviceaccount \"\(accountName)\" not found"
            )
        }
        let automount =
            pod[path: ["spec", "automountServiceAccountToken"]]?.boolValue
            ?? account["automountServiceAccountToken"]?.boolValue ?? true
        guard automount else { return pod }
        var pod = pod
        let volumes = pod[path: ["spec", "volumes"]]?.arrayValue ?? []
        if volumes.contains(where: { ($0["name"]?.stringValue ?? "").hasPrefix("kube-api-access-") }) { return pod }
        let volumeName = "kube-api-access-" + Self.randomSuffix()
        let volume: JSONValue = [
            "name": .string(volumeName),
            "projected": [
                "defaultMode": 420,
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": .int(Self.projectedTokenSeconds), "path": "token"]],
                    [
                        "downwardAPI": [
                            "items": [
                                [
                                    "path": "namespace",
                                    "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"],
                                ]
                            ]
                        ]
                    ],
                ],
            ],
        ]
        pod[path: ["spec", "volumes"]] = .array(volumes + [volume])
        for list in ["initContainers", "containers"] {
            guard var containers = pod[path: ["spec", list]]?.arrayValue else { continue }
            for i in containers.indices {
                let mounts = containers[i]["volumeMounts"]?.arrayValue ?? []
                if mounts.contains(where: { $0["mountPath"]?.stringValue == ServiceAccount.tokenMountPath }) {
                    continue
                }
                containers[i]["volumeMounts"] = .array(
                    mounts + [
                        [
                            "name": .string(volumeName), "readOnly": true,
                            "mountPath": .string(ServiceAccount.tokenMountPath),
                        ]
                    ])
            }
            pod[path: ["spec", list]] = .array(containers)
        }
        return pod
    }
}
