import Foundation
import Schema
import Wire

extension APIHandler {
    // MARK: create

    func create(_ request: APIRequest, requestID: String) async throws(APIError) -> Outcome {
        if let subresource = request.subresource, !subresource.isEmpty {
            switch subresource {
            case "binding": return try await bind(request, requestID: requestID)
            case "token": return try await requestToken(request)
            default:
                throw .badRequest(
                    "create: subresource \"\(subresource)\" is not supported (only \"binding\" of pods and \"token\" "
                        + "of serviceaccounts)")
            }
        }
        guard var object = request.object else { throw .badRequest("field \"object\" is required") }
        let mode = try FieldValidation(request.fieldValidation)
        let (info, codec) = try resolveObjectKind(object)
        let namespace = try resolveNamespace(info, requested: request.namespace, object: object)
        var meta = object["metadata"]?.objectValue ?? [:]
        if let value = object["metadata"], value.objectValue == nil, !value.isNull {
            throw .badRequest("field \"object.metadata\" must be a JSON object")
        }
        var name = meta["name"]?.stringValue ?? ""
        if name.isEmpty, let prefix = meta["generateName"]?.stringValue, !prefix.isEmpty {
            name = prefix + Self.randomSuffix()
            meta["name"] = .string(name)
        }
        meta["namespace"] = namespace.map { .string($0) }
        for key in ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"] {
            meta[key] = nil
        }
        meta["uid"] = .string(RandomUID.make())
        meta["creationTimestamp"] = .string(Self.now())
        object["metadata"] = .object(meta)
        try admitNodeRestriction(
            info, verb: "create", subresource: nil, object: object, current: nil, name: name, namespace: namespace)
        var facts: NamespaceFacts?
        if let namespace { facts = try await openNamespace(namespace, for: info, name: name) }

        // Defaults and validation from one decode; what is set below (generation, a namespace's finalizer and
        // phase) is not something validation looks at.
        let normalized: NormalizeResult
        do {
            normalized = try codec.normalize(object, validate: true)
        } catch {
            throw Self.invalid(info, name, error)
        }
        var warnings =
            try Self.unknownFieldWarnings(normalized.unknownFields, mode) + (info.behaviourNotBuilt.map { [$0] } ?? [])
        let errors = normalized.errors + (info == .namespace ? PodSecurityLabels.validate(Self.labels(object)) : [])
        if !errors.isEmpty { throw .invalid(info, name, errors) }
        object = normalized.object
        try checkEscalation(info, object, namespace: namespace)
        if let facts {
            object = try admitLimitRanges(info, object, name: name, facts.limitRanges)
            warnings += try admitPodSecurity(info, object, name: name, facts.podSecurity)
        }
        if info == .pod {
            object = Self.admitDefaultTolerations(Self.admitServiceAccount(object))
            object = try await admitServiceAccountToken(object, namespace: namespace ?? "default", name: name)
        }
        if info == .persistentVolumeClaim {
            object = Self.admitFinalizer(
                try await admitDefaultStorageClass(object), PersistentVolumeClaim.protectionFinalizer)
        }
        if info == .persistentVolume { object = Self.admitFinalizer(object, PersistentVolume.protectionFinalizer) }
        if let namespace {
            if info == .resourceQuota {
                object["status"] = try await quotaStatus(object, namespace: namespace, including: (info, object))
            }
            if facts?.hasQuotas == true {
                try await chargeQuotas(info, object, name: name, namespace: namespace, dryRun: request.dryRun == true)
            }
        }
        if object["spec"] != nil { object[path: ["metadata", "generation"]] = 1 }
        if info == .namespace {
            if Self.stringList(object[path: ["spec", "finalizers"]]).isEmpty {
                object[path: ["spec", "finalizers"]] = ["kubernetes"]
            }
            object[path: ["status", "phase"]] = "Active"
        }
        var allocations = ServiceAllocations()
        if info == .service {
            // An existing service is AlreadyExists, not a clash over the cluster IP it holds.
            if try await exists(RegistryKey.key(kind: info.kind, namespace: namespace, name: name)) {
                throw .alreadyExists(info, name)
            }
            (object, allocations) = try await admitService(object, current: nil, name: name)
        }
        let uid = object[path: ["metadata", "uid"]]?.stringValue
        if request.dryRun == true {
            await giveBack(allocations.claimed, uid: uid)
            return Outcome(code: 201, payload: object.encoded(), warnings: warnings)
        }

        let key = RegistryKey.key(kind: info.kind, namespace: namespace, name: name)
        let result: WriteResult
        do {
            result = try await write(
                WriteRequest(
                    key: key, operation: .put(value: object.encodedString()), precondition: .absent,
                    requestID: requestID.isEmpty ? nil : requestID))
        } catch {
            await giveBack(allocations.claimed, uid: uid)
            throw error
        }
        guard result.succeeded, let kv = result.kv else {
            await giveBack(allocations.claimed, uid: uid)
            throw .alreadyExists(info, name)
        }
        forgetNamespaceFacts(info, name: name, namespace: namespace)
        recentValues.remember(kv)
        return Outcome(code: 201, payload: Self.bytes(kv), warnings: warnings)
    }

    /// Kubernetes' ServiceAccount admission: a pod that names no service account runs as `default`.
    static func admitServiceAccount(_ pod: JSONValue) -> JSONValue {
        guard (pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? "").isEmpty else { return pod }
        var pod = pod
        pod[path: ["spec", "serviceAccountName"]] = "default"
        return pod
    }

    /// Kubernetes' DefaultTolerationSeconds admission: a pod that does not tolerate the not-ready or
    /// unreachable NoExecute taint tolerates it for 300 s, so it is evicted 5 minutes after its node fails.
    static func admitDefaultTolerations(_ pod: JSONValue, seconds: Int64 = 300) -> JSONValue {
        var tolerations = pod[path: ["spec", "tolerations"]]?.arrayValue ?? []
        var changed = false
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let covered = tolerations.contains { t in
                let effect = t["effect"]?.stringValue ?? ""
                let tKey = t["key"]?.stringValue ?? ""
                let op = t["operator"]?.stringValue ?? "Equal"
                return (effect.isEmpty || effect == "NoExecute") && (tKey == key || (tKey.isEmpty && op == "Exists"))
            }
            guard !covered else { continue }
            tolerations.append(
                ["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": .int(seconds)])
            changed = true
        }
        guard changed else { return pod }
        var pod = pod
        pod[path: ["spec", "tolerations"]] = .array(tolerations)
        return pod
    }

    /// Kubernetes' StorageObjectInUseProtection admission: every new claim and volume carries its protection
    /// finalizer, which the persistentvolume controller removes once nothing uses the object.
    static func admitFinalizer(_ object: JSONValue, _ finalizer: String) -> JSONValue {
        var finalizers = stringList(object[path: ["metadata", "finalizers"]])
        guard !finalizers.contains(finalizer) else { return object }
        finalizers.append(finalizer)
        var object = object
        object[path: ["metadata", "finalizers"]] = .array(finalizers.map { .string($0) })
        return object
    }

    /// Kubernetes' DefaultStorageClass admission: a claim without `storageClassName` gets the StorageClass
    /// annotated `storageclass.kubernetes.io/is-default-class: "true"` (the newest when several are), if any.
    func admitDefaultStorageClass(_ claim: JSONValue) async throws(APIError) -> JSONValue {
        if let given = claim[path: ["spec", "storageClassName"]], !given.isNull { return claim }
        let page = try await stored(kind: "StorageClass")
        var best: (created: String, name: String)?
        for kv in page.kvs {
            guard let object = try? JSONValue.parse(kv.value),
                object[path: ["metadata", "annotations", "storageclass.kubernetes.io/is-default-class"]]?.stringValue
                    == "true",
                object[path: ["metadata", "deletionTimestamp"]] == nil,
                let name = object[path: ["metadata", "name"]]?.stringValue
            else { continue }
            let created = object[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
            if best == nil || created > best!.created { best = (created, name) }
        }
        guard let best else { return claim }
        var claim = claim
        claim[path: ["spec", "storageClassName"]] = .string(best.name)
        return claim
    }

    // MARK: binding

    /// A pod's `binding` subresource (what kube-scheduler posts): one write that sets `spec.nodeName` and the
    /// `PodScheduled=True` condition, and copies the Binding's annotations. 409 when the pod is already bound
    /// or being deleted, or when the Binding names another uid; the reply is a `Status` of Success, 201.
    func bind(_ request: APIRequest, requestID: String) async throws(APIError) -> Outcome {
        guard let binding = request.object else { throw .badRequest("field \"object\" is required") }
        if let kind = binding["kind"]?.stringValue, kind != "Binding" {
            throw .badRequest("a binding takes a Binding object, not \(kind)")
        }
        let (info, codec) = try resolveKind("Pod")
        let namespace = try resolveNamespace(info, requested: request.namespace, object: binding)
        let name = request.name ?? binding[path: ["metadata", "name"]]?.stringValue ?? ""
        guard !name.isEmpty else { throw .invalid(info, "", [.required("metadata.name", "name is required")]) }
        let target = binding["target"]
        guard let node = target?["name"]?.stringValue, !node.isEmpty else {
            throw .invalid(info, name, [.required("target.name", "the node to bind to is required")])
        }
        if let kind = target?["kind"]?.stringValue, !kind.isEmpty, kind != "Node" {
            throw .invalid(info, name, [.notSupported("target.kind", kind, supported: ["Node"])])
        }
        let uid = binding[path: ["metadata", "uid"]]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let annotations = binding[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        _ = try await modify(
            info: info, codec: codec, namespace: namespace, name: name, expectedVersion: nil, request: request,
            requestID: requestID, binding: true
        ) { current throws(APIError) in
            if let uid, let actual = current[path: ["metadata", "uid"]]?.stringValue, uid != actual {
                throw .conflict(
                    info, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(actual)")
            }
            if current[path: ["metadata", "deletionTimestamp"]] != nil {
                throw .conflict(info, name, "pod \(name) is being deleted, cannot be assigned to a host")
            }
            if let assigned = current[path: ["spec", "nodeName"]]?.stringValue, !assigned.isEmpty {
                // The same binding again (a retry whose reply was lost) is a success that writes nothing.
                if assigned == node { return current }
                throw .conflict(info, name, "pod \(name) is already assigned to node \"\(assigned)\"")
            }
            var next = current
            next[path: ["spec", "nodeName"]] = .string(node)
            if !annotations.isEmpty {
                var merged = next[path: ["metadata", "annotations"]]?.objectValue ?? [:]
                merged.merge(annotations) { _, new in new }
                next[path: ["metadata", "annotations"]] = .object(merged)
            }
            var conditions = next[path: ["status", "conditions"]]?.arrayValue ?? []
            let scheduled: JSONValue = [
                "type": "PodScheduled", "status": "True", "lastProbeTime": .null,
                "lastTransitionTime": .string(Self.now()),
            ]
            if let i = conditions.firstIndex(where: { $0["type"]?.stringValue == "PodScheduled" }) {
                conditions[i] = scheduled
            } else {
                conditions.append(scheduled)
            }
            next[path: ["status", "conditions"]] = .array(conditions)
            return next
        }
        let status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201,
        ]
        return Outcome(code: 201, payload: status.encoded(), warnings: [])
    }

    // MARK: update (patch: APIHandler+Patch.swift)

    func update(_ request: APIRequest, requestID: String) async throws(APIError) -> Outcome {
        guard let object = request.object else { throw .badRequest("field \"object\" is required") }
        let (info, codec) = try resolveObjectKind(object)
        let namespace = try resolveNamespace(info, requested: request.namespace, object: object)
        guard let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw .invalid(info, "", [.required("metadata.name", "name or generateName is required")])
        }
        let expected = object[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return try await modify(
            info: info, codec: codec, namespace: namespace, name: name, expectedVersion: expected, request: request,
            requestID: requestID
        ) { _ throws(APIError) in object }
    }

    /// The update path: read (or start from the value this instance last saw, `recentValues`), change, check, write
    /// with compare-and-swap on that value's modRevision, and retry from the store's value when another write came
    /// between — unless the caller named a resourceVersion. Writes to one key from this instance take turns
    /// (`writers`).
    func modify(
        info: KindInfo, codec: any KubeObjectCodec, namespace: String?, name: String, expectedVersion: String?,
        request: APIRequest, requestID: String, binding: Bool = false,
        change: (JSONValue) throws(APIError) -> JSONValue
    ) async throws(APIError) -> Outcome {
        let key = RegistryKey.key(kind: info.kind, namespace: namespace, name: name)
        return try await writers.withLock(key) { () async throws(APIError) -> Outcome in
            try await modifyInTurn(
                info: info, codec: codec, namespace: namespace, name: name, expectedVersion: expectedVersion,
                request: request, requestID: requestID, binding: binding, change: change)
        }
    }

    private func modifyInTurn(
        info: KindInfo, codec: any KubeObjectCodec, namespace: String?, name: String, expectedVersion: String?,
        request: APIRequest, requestID: String, binding: Bool,
        change: (JSONValue) throws(APIError) -> JSONValue
    ) async throws(APIError) -> Outcome {
        let mode = try FieldValidation(request.fieldValidation)
        let key = RegistryKey.key(kind: info.kind, namespace: namespace, name: name)
        switch request.subresource {
        case nil, "": break
        case "status" where info.hasStatus: break
        case "finalize" where info == .namespace: break
        case "binding" where info == .pod && binding: break
        case let other?: throw .noSubresource(info, other)
        }
        let giveUp = ContinuousClock.now + configuration.conflictRetryDeadline
        // What a lost compare-and-swap found in the store: the next attempt starts from it without another read.
        var found: KeyValue?
        // The value this instance last saw for the key, where the first attempt starts (see `RecentValues`); not for
        // Services, whose updates claim addresses and ports before they write.
        var recent = info == .service ? nil : recentValues.value(for: key)
        // Attempts from a recent value given up before writing: they do not count in the write's request id, so a
        // retried request is still recognised by the store.
        var abandoned = 0
        attempts: for attempt in 0...(configuration.conflictRetries + (recent == nil ? 0 : 1)) {
            let kv: KeyValue
            let fromRecent: Bool
            if let found {
                kv = found
                fromRecent = false
            } else if let recent {
                kv = recent
                fromRecent = true
            } else {
                kv = try await read(key, info: info, name: name)
                recentValues.remember(kv)
                fromRecent = false
            }
            found = nil
            recent = nil
            // From a recent value, only the store's acceptance of the write counts: whatever else this attempt would
            // answer (a conflict, an invalid object, no change) is worked out again from a fresh read.
            var writing = false
            do throws(APIError) {
                if let expectedVersion, expectedVersion != String(kv.modRevision) { throw .conflict(info, name) }
                let current = try Self.parseStored(kv)
                // The change sees the object as clients do, with its resourceVersion (a JSON patch may test it).
                var versioned = current
                versioned[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                var proposed = try change(versioned)
                guard proposed.objectValue != nil else { throw .badRequest("the patched object is not a JSON object") }
                proposed = Self.applySubresourceRules(info, request.subresource, proposed: proposed, current: current)
                proposed = Self.keepSystemFields(proposed, current: current, namespace: namespace)

                let normalized: NormalizeResult
                do {
                    normalized = try codec.normalize(proposed)
                } catch {
                    throw Self.invalid(info, name, error)
                }
                var warnings =
                    try Self.unknownFieldWarnings(normalized.unknownFields, mode)
                    + (request.subresource == nil ? info.behaviourNotBuilt.map { [$0] } ?? [] : [])
                var next = normalized.object
                // The typed `next`, kept equal to it until validation so that validating needs no second decode.
                var decodedNext = normalized.decoded
                if let generation = current[path: ["metadata", "generation"]]?.intValue {
                    let value = Self.specChanged(next, current) ? generation + 1 : generation
                    next[path: ["metadata", "generation"]] = .int(value)
                    decodedNext?.metadata.generation = value
                }
                let deleting = current[path: ["metadata", "deletionTimestamp"]] != nil
                let finalizers = Self.stringList(next[path: ["metadata", "finalizers"]])
                var errors: [FieldError] = []
                if deleting {
                    let added = finalizers.filter {
                        !Self.stringList(current[path: ["metadata", "finalizers"]]).contains($0)
                    }
                    if !added.isEmpty {
                        errors.append(
                            .forbidden(
                                "metadata.finalizers",
                                "no new finalizers can be added if the object is being deleted, found new finalizers "
                                    + "[]string{" + added.map { "\"\($0)\"" }.joined(separator: ", ") + "}"))
                    }
                }
                if info == .service, (request.subresource ?? "").isEmpty {
                    next = Self.carryAllocatedValues(next, from: current)
                    decodedNext = nil
                }
                if let decodedNext {
                    errors += codec.validate(decoded: decodedNext, oldObject: current)
                } else {
                    errors += codec.validate(next, oldObject: current)
                }
                if !binding {
                    try admitNodeRestriction(
                        info, verb: "update", subresource: request.subresource, object: next, current: current,
                        name: name,
                        namespace: namespace)
                }
                let labelsChanged = info == .namespace && Self.labels(next) != Self.labels(current)
                if labelsChanged { errors += PodSecurityLabels.validate(Self.labels(next)) }
                if !errors.isEmpty { throw .invalid(info, name, errors) }
                if (request.subresource ?? "").isEmpty, let namespace, Self.podTemplateChanged(info, next, current) {
                    warnings += try await admitPodSecurity(
                        info, next, name: name, namespaceFacts(namespace).podSecurity)
                }
                if info == .resourceQuota, (request.subresource ?? "").isEmpty, let namespace,
                    next[path: ["spec", "hard"]] != current[path: ["spec", "hard"]]
                        || next[path: ["spec", "scopes"]] != current[path: ["spec", "scopes"]]
                        || next[path: ["spec", "scopeSelector"]] != current[path: ["spec", "scopeSelector"]]
                {
                    next["status"] = try await quotaStatus(next, namespace: namespace)
                }
                if labelsChanged, (request.subresource ?? "").isEmpty {
                    warnings += await existingPodWarnings(name, next, current)
                }
                // As Kubernetes, a change of metadata only (the garbage collector's owner references and finalizers)
                // grants nothing and is not checked for escalation.
                if ["rules", "aggregationRule", "subjects", "roleRef"].contains(where: { next[$0] != current[$0] }) {
                    try checkEscalation(info, next, namespace: namespace)
                }

                let grace = next[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue ?? 0
                let namespaceFinalized =
                    info != .namespace || Self.stringList(next[path: ["spec", "finalizers"]]).isEmpty
                let removeNow = deleting && finalizers.isEmpty && namespaceFinalized && grace == 0
                var allocations = ServiceAllocations()
                if info == .service, (request.subresource ?? "").isEmpty, !removeNow {
                    (next, allocations) = try await admitService(next, current: current, name: name)
                }
                let uid = current[path: ["metadata", "uid"]]?.stringValue
                if !removeNow && next == current {
                    if fromRecent { continue attempts }
                    return Outcome(code: 200, payload: Self.bytes(kv), warnings: warnings)
                }
                if request.dryRun == true {
                    if fromRecent { continue attempts }
                    await giveBack(allocations.claimed, uid: uid)
                    var shown = next
                    shown[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
                    return Outcome(code: 200, payload: shown.encoded(), warnings: warnings)
                }
                let id = Self.attemptID(requestID, attempt - abandoned)
                writing = true
                let result: WriteResult
                do {
                    result = try await replace(
                        key, at: kv.modRevision, with: removeNow ? .delete : .put(value: next.encodedString()),
                        requestID: id)
                } catch {
                    await giveBack(allocations.claimed, uid: uid)
                    throw error
                }
                forgetNamespaceFacts(info, name: name, namespace: namespace)
                if result.succeeded, let written = result.kv {
                    if removeNow { recentValues.forget(key) } else { recentValues.remember(written) }
                    await giveBack(allocations.released, uid: uid)
                    if removeNow, info == .service { await releaseAllocations(ofDeleted: current) }
                    return Outcome(code: 200, payload: Self.bytes(written), warnings: warnings)
                }
                await giveBack(allocations.claimed, uid: uid)
                // A write that named its resourceVersion is conditional: the client decides. An unconditional one is
                // applied again to the new state, as GuaranteedUpdate does, until it lands or the deadline passes.
                if expectedVersion != nil || ContinuousClock.now >= giveUp { throw .conflict(info, name) }
                // Starting again at once from the value that won, as GuaranteedUpdate does, keeps a writer of another
                // instance from losing every round to writers that do not wait.
                found = result.kv
                if let found { recentValues.remember(found) } else { recentValues.forget(key) }
                if found == nil && !fromRecent { await Self.backOff(attempt) }
            } catch  where fromRecent && !writing {
                abandoned += 1
                continue attempts
            }
        }
        throw .conflict(info, name)
    }

    /// Main-resource writes keep the status; `status` writes change only the status; Namespace's `finalize`
    /// changes only `spec.finalizers`.
    static func applySubresourceRules(
        _ info: KindInfo, _ subresource: String?, proposed: JSONValue, current: JSONValue
    ) -> JSONValue {
        switch subresource {
        case "binding":
            return proposed  // built from the stored pod by `bind`: nodeName, one condition, annotations
        case "status":
            var next = current
            next["status"] = proposed["status"]
            return next
        case "finalize":
            var next = current
            next[path: ["spec", "finalizers"]] = proposed[path: ["spec", "finalizers"]] ?? []
            return next
        default:
            var next = proposed
            if info.hasStatus { next["status"] = current["status"] }
            if info == .namespace { next[path: ["spec", "finalizers"]] = current[path: ["spec", "finalizers"]] }
            return next
        }
    }

    /// Fields only the api sets: uid (filled in when absent; a different one is rejected by validation),
    /// creation and deletion times, generation.
    static func keepSystemFields(_ proposed: JSONValue, current: JSONValue, namespace: String?) -> JSONValue {
        var next = proposed
        var meta = next["metadata"]?.objectValue ?? [:]
        let old = current["metadata"]?.objectValue ?? [:]
        if (meta["uid"]?.stringValue ?? "").isEmpty { meta["uid"] = old["uid"] }
        if (meta["name"]?.stringValue ?? "").isEmpty { meta["name"] = old["name"] }
        meta["namespace"] = namespace.map { .string($0) }
        for key in ["creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            meta[key] = old[key]
        }
        meta["resourceVersion"] = nil
        meta["generateName"] = meta["generateName"] ?? old["generateName"]
        next["metadata"] = .object(meta)
        return next
    }

    /// Whether anything but metadata and status differs.
    static func specChanged(_ a: JSONValue, _ b: JSONValue) -> Bool {
        var x = a.objectValue ?? [:]
        var y = b.objectValue ?? [:]
        for key in ["metadata", "status", "apiVersion", "kind"] {
            x[key] = nil
            y[key] = nil
        }
        return x != y
    }

    /// A short random pause after losing a compare-and-swap, so contending writers spread out.
    static func backOff(_ attempt: Int) async {
        // Up to 6.4 ms: long enough to let the winner's write land, short enough that a hot key stays busy.
        try? await Task.sleep(for: .microseconds(Int.random(in: 0...(200 << min(attempt, 5)))))
    }

    static func attemptID(_ requestID: String, _ attempt: Int) -> String? {
        guard !requestID.isEmpty else { return nil }
        return attempt == 0 ? requestID : "\(requestID)#\(attempt)"
    }

    // MARK: delete

    func delete(_ request: APIRequest, requestID: String) async throws(APIError) -> Outcome {
        let (info, _) = try resolveKind(request.kind)
        let namespace = try resolveNamespace(info, requested: request.namespace)
        guard let name = request.name, !name.isEmpty else { throw .badRequest("resource name may not be empty") }
        let key = RegistryKey.key(kind: info.kind, namespace: namespace, name: name)
        return try await writers.withLock(key) { () async throws(APIError) -> Outcome in
            try await deleteInTurn(request, requestID: requestID, info: info, namespace: namespace, name: name)
        }
    }

    private func deleteInTurn(
        _ request: APIRequest, requestID: String, info: KindInfo, namespace: String?, name: String
    ) async throws(APIError) -> Outcome {
        let key = RegistryKey.key(kind: info.kind, namespace: namespace, name: name)
        var policyFinalizer: String?
        switch request.propagationPolicy {
        case nil, "", "Background": break
        case "Foreground": policyFinalizer = "foregroundDeletion"
        case "Orphan": policyFinalizer = "orphan"
        case let other?:
            throw .badRequest(
                "propagationPolicy: Unsupported value: \"\(other)\": supported values: \"Background\", "
                    + "\"Foreground\", \"Orphan\"")
        }
        let giveUp = ContinuousClock.now + configuration.conflictRetryDeadline
        var found: KeyValue?
        for attempt in 0...configuration.conflictRetries {
            let kv: KeyValue
            if let found { kv = found } else { kv = try await read(key, info: info, name: name) }
            found = nil
            var current = try Self.parseStored(kv)
            try admitNodeRestriction(
                info, verb: "delete", subresource: nil, object: nil, current: current, name: name, namespace: namespace)
            if let uid = request.preconditions?.uid, let actual = current[path: ["metadata", "uid"]]?.stringValue,
                uid != actual
            {
                throw .conflict(
                    info, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(actual)")
            }
            if let version = request.preconditions?.resourceVersion, version != String(kv.modRevision) {
                throw .conflict(
                    info, name,
                    "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object "
                        + "meta: \(kv.modRevision)")
            }
            let deleting = current[path: ["metadata", "deletionTimestamp"]] != nil
            var finalizers = Self.stringList(current[path: ["metadata", "finalizers"]])
            var removeNow = false
            var grace: Int64 = 0

            if info == .namespace {
                if deleting { return Outcome(code: 200, payload: Self.bytes(kv)) }
                if try await namespaceIsEmpty(name) && finalizers.isEmpty {
                    removeNow = true
                } else {
                    current[path: ["status", "phase"]] = "Terminating"
                    if !Self.stringList(current[path: ["spec", "finalizers"]]).contains("kubernetes") {
                        current[path: ["spec", "finalizers"]] = .array(
                            (current[path: ["spec", "finalizers"]]?.arrayValue ?? []) + ["kubernetes"])
                    }
                }
            } else {
                if let policyFinalizer, !finalizers.contains(policyFinalizer), !deleting {
                    finalizers.append(policyFinalizer)
                }
                grace = Self.gracePeriod(info, current, requested: request.gracePeriodSeconds)
                if deleting {
                    // Already being deleted: only a zero grace period with no finalizers left finishes it.
                    guard request.gracePeriodSeconds == 0, finalizers.isEmpty else {
                        return Outcome(code: 200, payload: Self.bytes(kv))
                    }
                    removeNow = true
                } else {
                    removeNow = finalizers.isEmpty && grace == 0
                }
            }
            if request.dryRun == true { return Outcome(code: 200, payload: Self.bytes(kv)) }
            let id = Self.attemptID(requestID, attempt)
            if !removeNow {
                let at = Date().addingTimeInterval(TimeInterval(grace))
                current[path: ["metadata", "deletionTimestamp"]] = .string(Time(at).rawValue)
                current[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(grace)
                if !finalizers.isEmpty {
                    current[path: ["metadata", "finalizers"]] = .array(finalizers.map { .string($0) })
                }
            }
            let result = try await replace(
                key, at: kv.modRevision, with: removeNow ? .delete : .put(value: current.encodedString()), requestID: id
            )
            forgetNamespaceFacts(info, name: name, namespace: namespace)
            if result.succeeded, let written = result.kv {
                if removeNow { recentValues.forget(key) } else { recentValues.remember(written) }
                if removeNow, info == .service { await releaseAllocations(ofDeleted: current) }
                return Outcome(code: 200, payload: Self.bytes(written))
            }
            if request.preconditions?.resourceVersion != nil || ContinuousClock.now >= giveUp {
                throw .conflict(info, name)
            }
            found = result.kv
            if found == nil { await Self.backOff(attempt) }
        }
        throw .conflict(info, name)
    }

    /// Seconds a pod bound to a node gets to stop (its kubelet finishes the delete); 0 for everything else.
    static func gracePeriod(_ info: KindInfo, _ object: JSONValue, requested: Int64?) -> Int64 {
        guard info == .pod, let node = object[path: ["spec", "nodeName"]]?.stringValue, !node.isEmpty else {
            return 0
        }
        let phase = object[path: ["status", "phase"]]?.stringValue
        if phase == "Succeeded" || phase == "Failed" { return 0 }
        return requested ?? object[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
    }

    /// Whether no namespaced object lives in `namespace`.
    func namespaceIsEmpty(_ namespace: String) async throws(APIError) -> Bool {
        for info in KindRegistry.all where info.namespaced {
            do {
                let page = try await store.range(
                    StoreRequest.Range(prefix: RegistryKey.prefix(kind: info.kind, namespace: namespace), limit: 1))
                if !page.kvs.isEmpty { return false }
            } catch {
                throw .store(error)
            }
        }
        return true
    }

    // MARK: store helpers

    func exists(_ key: String) async throws(APIError) -> Bool {
        do {
            return try await store.get(key).kv != nil
        } catch {
            throw .store(error)
        }
    }

    func read(_ key: String, info: KindInfo, name: String) async throws(APIError) -> KeyValue {
        do {
            guard let kv = try await store.get(key).kv else { throw APIError.notFound(info, name) }
            return kv
        } catch let error as APIError {
            throw error
        } catch let error as StoreAccessError {
            throw .store(error)
        } catch {
            throw .internal("\(error)")
        }
    }

    /// Puts or deletes `key`, provided it is still at `modRevision`.
    func replace(
        _ key: String, at modRevision: Int64, with operation: WriteOperation, requestID: String?
    ) async throws(APIError) -> WriteResult {
        try await write(
            WriteRequest(key: key, operation: operation, precondition: .modRevision(modRevision), requestID: requestID))
    }

    func write(_ request: WriteRequest) async throws(APIError) -> WriteResult {
        do {
            return try await store.write(request)
        } catch {
            throw .store(error)
        }
    }
}
