import APIServer
import APITesting
import Bus
import Crypto
import Foundation
import Logging
import Schema
import StoreTesting
import Testing

/// Issue 13 item 2: ServiceAccount tokens — signed, bound to a pod, expiring, accepted only while their pod and
/// ServiceAccount are there, and projected into pods by admission.
@Suite(.timeLimit(.minutes(1)))
struct ServiceAccountTokenTests {
    static let admin = UserInfo(name: "kubus-admin", groups: ["system:masters"])
    static let nodeA = UserInfo(name: "system:node:node-a", groups: ["system:nodes", "system:authenticated"])

    static func signer() -> ServiceAccountTokenSigner { ServiceAccountTokenSigner(key: P256.Signing.PrivateKey()) }

    static func claims(exp: Int64, aud: [String] = [ServiceAccountTokenSigner.defaultIssuer]) -> ServiceAccountClaims {
        let now = Int64(Date().timeIntervalSince1970)
        return ServiceAccountClaims(
            iss: ServiceAccountTokenSigner.defaultIssuer, sub: "system:serviceaccount:default:reader", aud: aud,
            exp: exp, iat: now, nbf: now, jti: "j",
            kubernetes: .init(namespace: "default", serviceaccount: .init(name: "reader", uid: "u1")))
    }

    @Test func aTokenVerifiesOnlyUnchangedUnexpiredAndForItsAudience() throws {
        let signer = Self.signer()
        let audience = [ServiceAccountTokenSigner.defaultIssuer]
        let now = Int64(Date().timeIntervalSince1970)
        let token = signer.sign(Self.claims(exp: now + 600))
        #expect(try signer.verify(token, audiences: audience).sub == "system:serviceaccount:default:reader")

        func refused(_ token: String, _ words: String, audiences: [String] = audience) {
            do {
                _ = try signer.verify(token, audiences: audiences)
                Issue.record("accepted a token that should say \(words)")
            } catch {
                #expect(error.message.contains(words), "\(error.message)")
            }
        }
        // Another key's token, a changed payload, no signature, alg none.
        refused(Self.signer().sign(Self.claims(exp: now + 600)), "signature")
        let parts = token.split(separator: ".").map(String.init)
        let forged = String(decoding: try JSONEncoder().encode(Self.claims(exp: now + 99_999)), as: UTF8.self)
        let forgedPart = Data(forged.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        refused([parts[0], forgedPart, parts[2]].joined(separator: "."), "signature")
        refused(parts[0] + "." + parts[1] + ".", "signature")
        let none = Data(#"{"alg":"none"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        refused(none + "." + parts[1] + ".", "algorithm")
        refused("not-a-jwt", "not a JWT")
        refused(signer.sign(Self.claims(exp: now - 1)), "expired")
        refused(signer.sign(Self.claims(exp: now + 600, aud: ["vault"])), "audiences")
    }

    struct Cluster {
        let handler: APIHandler

        func call(_ verb: String, _ payload: JSONValue, as user: UserInfo? = admin) async -> (Int, JSONValue) {
            let reply = await handler.handle(verb: verb, payload: payload.encoded(), requestID: "", user: user)
            return (reply.code, (try? JSONValue.parse(reply.payload)) ?? [:])
        }

        func create(_ object: JSONValue) async -> (Int, JSONValue) { await call("create", ["object": object]) }

        func token(_ account: String, pod: String?, as user: UserInfo = admin) async -> (Int, JSONValue) {
            var spec: JSONValue = [:]
            if let pod { spec["boundObjectRef"] = ["kind": "Pod", "apiVersion": "v1", "name": .string(pod)] }
            return await call(
                "create",
                [
                    "kind": "ServiceAccount", "namespace": "default", "name": .string(account), "subresource": "token",
                    "object": ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec],
                ], as: user)
        }
    }

    static func cluster(tokens: Bool = true) async throws -> Cluster {
        var configuration = APIServerConfiguration()
        if tokens { configuration.serviceAccountTokens = signer() }
        configuration.tokenCacheSeconds = 0
        let authorization = Authorization()
        let handler = APIHandler(
            store: BackendStoreAccess(backend: MemoryBackend()), configuration: configuration,
            authorization: authorization, logger: Logger(label: "test"))
        try await handler.bootstrap()
        func items<T: KubeObject>(_ type: T.Type) async -> [T] {
            let reply = await handler.handle(
                verb: "list", payload: JSONValue.object(["kind": .string(T.kindInfo.kind)]).encoded(), requestID: "")
            return ((try? JSONValue.parse(reply.payload))?["items"]?.arrayValue ?? []).compactMap {
                try? $0.decode(as: T.self)
            }
        }
        authorization.update(
            RBACPolicy(
                roles: await items(Role.self), clusterRoles: await items(ClusterRole.self),
                roleBindings: await items(RoleBinding.self), clusterRoleBindings: await items(ClusterRoleBinding.self)))
        return Cluster(handler: handler)
    }

    static func account(_ name: String, automount: Bool? = nil) -> JSONValue {
        var object: JSONValue = [
            "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": .string(name), "namespace": "default"],
        ]
        if let automount { object["automountServiceAccountToken"] = .bool(automount) }
        return object
    }

    static func pod(_ name: String, account: String, node: String = "node-a", automount: Bool? = nil) -> JSONValue {
        var spec: JSONValue = [
            "serviceAccountName": .string(account), "nodeName": .string(node),
            "containers": [["name": "c", "image": "busybox"]],
            "initContainers": [
                [
                    "name": "i", "image": "busybox",
                    "volumeMounts": [["name": "own", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"]],
                ]
            ],
            "volumes": [["name": "own", "emptyDir": [:]]],
        ]
        if let automount { spec["automountServiceAccountToken"] = .bool(automount) }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": spec,
        ]
    }

    @Test func admissionMountsTheTokenVolumeWhereKubernetesDoes() async throws {
        let cluster = try await Self.cluster()
        #expect(await cluster.create(Self.account("reader")).0 == 201)
        let (code, pod) = await cluster.create(Self.pod("p", account: "reader"))
        #expect(code == 201)
        let volume = try #require(
            pod[path: ["spec", "volumes"]]?.arrayValue?.first {
                ($0["name"]?.stringValue ?? "").hasPrefix("kube-api-access-")
            })
        let sources = volume[path: ["projected", "sources"]]?.arrayValue ?? []
        #expect(sources.first?[path: ["serviceAccountToken", "path"]] == "token")
        #expect(sources.first?[path: ["serviceAccountToken", "expirationSeconds"]] == 3607)
        #expect(sources.last?[path: ["downwardAPI", "items"]]?.arrayValue?.first?["path"] == "namespace")
        let mount = pod[path: ["spec", "containers"]]?.arrayValue?.first?["volumeMounts"]?.arrayValue?.first
        #expect(mount?["mountPath"] == "/var/run/secrets/kubernetes.io/serviceaccount")
        #expect(mount?["readOnly"] == true && mount?["name"] == volume["name"])
        // A container that mounts something there already keeps it.
        let initMounts = pod[path: ["spec", "initContainers"]]?.arrayValue?.first?["volumeMounts"]?.arrayValue
        #expect(initMounts?.count == 1 && initMounts?.first?["name"] == "own")

        // automountServiceAccountToken: false on the pod, or on its ServiceAccount when the pod does not say.
        #expect(await cluster.create(Self.account("quiet", automount: false)).0 == 201)
        for (name, object) in [
            ("off", Self.pod("off", account: "reader", automount: false)),
            ("quiet", Self.pod("quiet", account: "quiet")),
        ] {
            let (code, created) = await cluster.create(object)
            #expect(code == 201)
            let names = created[path: ["spec", "volumes"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names == ["own"], "\(name): \(names)")
        }
        #expect(await cluster.create(Self.pod("loud", account: "quiet", automount: true)).0 == 201)

        // A ServiceAccount that does not exist: refused, in Kubernetes' words.
        let (missing, status) = await cluster.create(Self.pod("lost", account: "nobody"))
        #expect(missing == 403)
        #expect(
            status["message"]?.stringValue
                == "pods \"lost\" is forbidden: error looking up service account default/nobody: serviceaccount "
                + "\"nobody\" not found")

        // Without a signing key the api mounts nothing and asks for no ServiceAccount.
        let plain = try await Self.cluster(tokens: false)
        let (plainCode, plainPod) = await plain.create(Self.pod("p", account: "nobody"))
        #expect(plainCode == 201)
        #expect(plainPod[path: ["spec", "volumes"]]?.arrayValue?.count == 1)
    }

    @Test func aBoundTokenNamesItsServiceAccountUntilItsPodIsGone() async throws {
        let cluster = try await Self.cluster()
        #expect(await cluster.create(Self.account("reader")).0 == 201)
        #expect(await cluster.create(Self.pod("p", account: "reader")).0 == 201)
        let (code, reply) = await cluster.token("reader", pod: "p")
        #expect(code == 201)
        #expect(reply["kind"] == "TokenRequest" && reply[path: ["spec", "expirationSeconds"]] == 3600)
        #expect(reply[path: ["status", "expirationTimestamp"]]?.stringValue?.isEmpty == false)
        let token = try #require(reply[path: ["status", "token"]]?.stringValue)

        let user = try await cluster.handler.authenticate(token: token)
        #expect(user.name == "system:serviceaccount:default:reader")
        #expect(
            user.groups.contains("system:serviceaccounts:default") && user.groups.contains("system:serviceaccounts"))
        // The token's user gets what RBAC gives it: nothing yet.
        let (listCode, denial) = await cluster.call("list", ["kind": "Pod", "namespace": "default"], as: user)
        #expect(listCode == 403)
        #expect(
            denial["message"]?.stringValue
                == "pods is forbidden: User \"system:serviceaccount:default:reader\" cannot list resource \"pods\" in "
                + "API group \"\" in the namespace \"default\"")

        // Refusals: a pod running as another ServiceAccount, a missing one, a short lifetime, a kubelet asking for
        // a pod on another node, or for no pod.
        #expect(await cluster.create(Self.account("other")).0 == 201)
        #expect(await cluster.token("other", pod: "p").0 == 400)
        #expect(await cluster.token("ghost", pod: nil).0 == 404)
        let (shortCode, _) = await cluster.call(
            "create",
            [
                "kind": "ServiceAccount", "namespace": "default", "name": "reader", "subresource": "token",
                "object": ["kind": "TokenRequest", "spec": ["expirationSeconds": 60]],
            ])
        #expect(shortCode == 422)
        #expect(await cluster.token("reader", pod: "p", as: Self.nodeA).0 == 201)
        #expect(await cluster.create(Self.pod("elsewhere", account: "reader", node: "node-b")).0 == 201)
        let (otherNode, otherStatus) = await cluster.token("reader", pod: "elsewhere", as: Self.nodeA)
        #expect(otherNode == 403)
        #expect(otherStatus["message"]?.stringValue?.contains("scheduled on a different node") == true)
        #expect(await cluster.token("reader", pod: nil, as: Self.nodeA).0 == 403)

        // Once the pod is gone (deleted with no grace), its token is refused (this handler caches for 0 s).
        let (deleted, _) = await cluster.call(
            "delete", ["kind": "Pod", "namespace": "default", "name": "p", "gracePeriodSeconds": 0])
        #expect(deleted == 200)
        do throws(APIError) {
            _ = try await cluster.handler.authenticate(token: token)
            Issue.record("the token of a deleted pod was accepted")
        } catch {
            #expect(error.code == 401)
            #expect(error.message.contains("no longer exists"), "\(error.message)")
        }
    }
}
