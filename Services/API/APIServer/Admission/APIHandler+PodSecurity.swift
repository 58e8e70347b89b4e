import Schema
import Wire

/// Kubernetes' PodSecurity admission: a pod that breaks its namespace's `enforce` level is refused (403); one that
/// breaks the `warn` level is written with a warning, one that breaks the `audit` level with an annotation on
/// its audit event. Workloads' pod templates get the warning and the annotation, never a refusal: their pods are
/// refused when the controller creates them, which it reports as a `FailedCreate` event.
extension APIHandler {
    static let enforcePolicyAnnotation = "pod-security.kubernetes.io/enforce-policy"
    static let auditViolationsAnnotation = "pod-security.kubernetes.io/audit-violations"

    /// The warnings a pod or pod template earns in a namespace with these labels; throws when the namespace
    /// enforces a level the pod breaks.
    func admitPodSecurity(
        _ info: KindInfo, _ object: JSONValue, name: String, _ labels: PodSecurityLabels
    ) throws(APIError) -> [String] {
        guard !labels.isPrivileged, let (spec, annotations) = Self.podTemplate(info, object) else { return [] }
        var checked: [PodSecurityLevel: [PodSecurityViolation]] = [:]
        func violations(_ level: PodSecurityLevel) -> [PodSecurityViolation] {
            if let known = checked[level] { return known }
            let found = PodSecurityCheck.violations(of: spec, annotations: annotations, level: level)
            checked[level] = found
            return found
        }
        if info == .pod {
            AuditAnnotations.add(Self.enforcePolicyAnnotation, labels.enforce.description)
            let broken = violations(labels.enforce.level)
            if !broken.isEmpty {
                throw .forbidden(info, name, PodSecurityCheck.message(labels.enforce, broken, would: false))
            }
        }
        let audited = violations(labels.audit.level)
        if !audited.isEmpty {
            AuditAnnotations.add(
                Self.auditViolationsAnnotation, PodSecurityCheck.message(labels.audit, audited, would: true))
        }
        let warned = violations(labels.warn.level)
        return warned.isEmpty ? [] : [PodSecurityCheck.message(labels.warn, warned, would: true)]
    }

    /// The pod spec and annotations PodSecurity looks at: a pod's own, or a workload's template; nil for other
    /// kinds.
    static func podTemplate(_ info: KindInfo, _ object: JSONValue) -> (PodSpec, [String: String])? {
        guard let path = podTemplatePath(info),
            let spec = try? (object[path: path + ["spec"]] ?? [:]).decode(as: PodSpec.self)
        else { return nil }
        var annotations: [String: String] = [:]
        for (key, value) in object[path: path + ["metadata", "annotations"]]?.objectValue ?? [:] {
            annotations[key] = value.stringValue
        }
        return (spec, annotations)
    }

    /// Where a kind keeps the pod it describes: the object itself for a Pod, the template for workloads.
    static func podTemplatePath(_ info: KindInfo) -> [String]? {
        switch info {
        case .pod: return []
        case .replicaSet, .deployment, .statefulSet, .daemonSet, .job: return ["spec", "template"]
        case .cronJob: return ["spec", "jobTemplate", "spec", "template"]
        default: return nil
        }
    }

    /// Whether an update changed what PodSecurity checks: the pod's spec or AppArmor annotations. As in Kubernetes, a
    /// pod's image change counts; a change of its status, labels, other annotations, tolerations or `activeDeadlineSeconds` does not.
    static func podTemplateChanged(_ info: KindInfo, _ next: JSONValue, _ current: JSONValue) -> Bool {
        guard let path = podTemplatePath(info) else { return false }
        func checked(_ object: JSONValue) -> JSONValue? {
            var spec = object[path: path + ["spec"]]
            if info == .pod {
                spec?["tolerations"] = nil
                spec?["activeDeadlineSeconds"] = nil
            }
            return spec
        }
        func appArmor(_ object: JSONValue) -> [String: JSONValue] {
            (object[path: path + ["metadata", "annotations"]]?.objectValue ?? [:])
                .filter { $0.key.hasPrefix(PodSecurityCheck.appArmorPrefix) }
        }
        return checked(next) != checked(current) || appArmor(next) != appArmor(current)
    }

    /// An object's labels.
    static func labels(_ object: JSONValue) -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in object[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            labels[key] = value.stringValue
        }
        return labels
    }

    /// Kubernetes' warnings when a namespace's enforce level changes: which of its pods the new level would
    /// refuse, grouped by what they break (`web-1 (and 3 other pods): privileged, hostPath volumes`). At most
    /// `existingPodLimit` pods are checked.
    func existingPodWarnings(_ namespace: String, _ next: JSONValue, _ current: JSONValue) async -> [String] {
        let enforce = PodSecurityLabels(labels: Self.labels(next)).enforce
        guard enforce.level != .privileged, enforce != PodSecurityLabels(labels: Self.labels(current)).enforce,
            let page = try? await stored(kind: KindInfo.pod.kind, namespace: namespace, limit: Self.existingPodLimit)
        else { return [] }
        var groups: [(reasons: String, pods: [String])] = []
        for kv in page.kvs {
            guard let pod = try? JSONValue.parse(kv.value), let (spec, annotations) = Self.podTemplate(.pod, pod)
            else { continue }
            let broken = PodSecurityCheck.violations(of: spec, annotations: annotations, level: enforce.level)
            guard !broken.isEmpty else { continue }
            let reasons = broken.map(\.reason).joined(separator: ", ")
            let podName = pod[path: ["metadata", "name"]]?.stringValue ?? kv.key
            if let i = groups.firstIndex(where: { $0.reasons == reasons }) {
                groups[i].pods.append(podName)
            } else {
                groups.append((reasons, [podName]))
            }
        }
        guard !groups.isEmpty else { return [] }
        var warnings = [
            "existing pods in namespace \"\(namespace)\" violate the new PodSecurity enforce level \"\(enforce)\""
        ]
        for group in groups {
            let others = group.pods.count - 1
            let more = others == 0 ? "" : " (and \(others) other pod\(others == 1 ? "" : "s"))"
            warnings.append("\(group.pods[0])\(more): \(group.reasons)")
        }
        if page.more { warnings.append("only the first \(Self.existingPodLimit) pods were checked") }
        return warnings
    }

    static let existingPodLimit = 3000
}
