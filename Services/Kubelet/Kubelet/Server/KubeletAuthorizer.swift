public import Client
public import Schema
import Synchronization

/// Decides whether the caller the bus names may use a pod through this kubelet, as Kubernetes' kubelet does with
/// `--authorization-mode=Webhook`: a SubjectAccessReview at the api for the caller's user and groups and the
/// pod's subresource (`pods/log` get, `pods/exec` create, `pods/portforward` create), answers cached for
/// `allowedTTL` when allowed and `deniedTTL` when denied (kubelet's defaults: 5 minutes and 30 seconds).
public final class KubeletAuthorizer: Sendable {
    /// One question.
    public struct Attributes: Hashable, Sendable {
        public var verb: String
        public var subresource: String
        public var namespace: String
        public var name: String

        public init(verb: String, subresource: String, namespace: String, name: String) {
            self.verb = verb
            self.subresource = subresource
            self.namespace = namespace
            self.name = name
        }
    }

    /// An answer.
    public enum Decision: Hashable, Sendable {
        case allowed
        /// Denied, with the 403 message kubectl shows (`pods "web" is forbidden: User "jane" cannot create …`).
        case denied(String)
    }

    struct Key: Hashable {
        var user: String
        var groups: [String]
        var attributes: Attributes
    }

    private let client: any APIClient
    private let allowedTTL: Duration
    private let deniedTTL: Duration
    private let cache = Mutex<[Key: (decision: Decision, until: ContinuousClock.Instant)]>([:])
    static let cacheLimit = 10_000

    public init(client: any APIClient, allowedTTL: Duration = .seconds(300), deniedTTL: Duration = .seconds(30)) {
        self.client = client
        self.allowedTTL = allowedTTL
        self.deniedTTL = deniedTTL
    }

    /// The decision for `user` in `groups`; throws when the api cannot be asked (the caller is then refused).
    public func authorize(user: String, groups: [String], _ attributes: Attributes) async throws(APIError)
        -> Decision
    {
        let key = Key(user: user, groups: groups, attributes: attributes)
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[key] }), cached.until > now { return cached.decision }
        let review: JSONValue = [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
            "spec": [
                "user": .string(user), "groups": .array(groups.map { .string($0) }),
                "resourceAttributes": [
                    "verb": .string(attributes.verb), "resource": "pods",
                    "subresource": .string(attributes.subresource), "namespace": .string(attributes.namespace),
                    "name": .string(attributes.name),
                ],
            ],
        ]
        let answer = try await client.create(review).object
        let decision: Decision
        if answer[path: ["status", "allowed"]] == true {
            decision = .allowed
        } else {
            decision = .denied(
                "pods \"\(attributes.name)\" is forbidden: User \"\(user)\" cannot \(attributes.verb) resource "
                    + "\"pods/\(attributes.subresource)\" in API group \"\" in the namespace \"\(attributes.namespace)\""
            )
        }
        let until = now + (decision == .allowed ? allowedTTL : deniedTTL)
        cache.withLock { entries in
            if entries.count >= Self.cacheLimit { entries.removeAll() }
            entries[key] = (decision, until)
        }
        return decision
    }
}
