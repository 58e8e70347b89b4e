import Testing

@testable import Schema

@Suite struct KindRegistryTests {
    @Test(arguments: [
        ("po", "Pod"), ("pods", "Pod"), ("Pod", "Pod"), ("deploy", "Deployment"), ("deployments.apps", "Deployment"),
        ("deployment.v1.apps", "Deployment"), ("rs", "ReplicaSet"), ("sts", "StatefulSet"), ("ds", "DaemonSet"),
        ("cm", "ConfigMap"), ("ns", "Namespace"), ("no", "Node"), ("pv", "PersistentVolume"),
        ("pvc", "PersistentVolumeClaim"), ("sc", "StorageClass"), ("sa", "ServiceAccount"), ("ing", "Ingress"),
        ("hpa", "HorizontalPodAutoscaler"), ("ev", "Event"), ("cj", "CronJob"), ("svc", "Service"), ("SVC", "Service"),
        ("jobs.batch", "Job"), ("leases", "Lease"), ("clusterrolebindings", "ClusterRoleBinding"), ("ep", "Endpoints"),
    ])
    func looksUpAliases(name: String, kind: String) {
        #expect(KindRegistry.lookup(name)?.kind == kind)
    }

    @Test func rejectsUnknownNames() {
        #expect(KindRegistry.lookup("widgets") == nil)
        #expect(KindRegistry.lookup("deployments.batch") == nil)
        #expect(KindRegistry.codec(for: "widgets") == nil)
    }

    @Test func looksUpByAPIVersion() {
        #expect(KindRegistry.lookup(apiVersion: "batch/v1beta1", kind: "CronJob")?.apiVersion == "batch/v1")
        #expect(KindRegistry.lookup(apiVersion: "apps/v1", kind: "Deployment") == .deployment)
        #expect(KindRegistry.lookup(apiVersion: "extensions/v1beta1", kind: "Deployment") == nil)
        #expect(KindRegistry.lookup(apiVersion: "extensions/v1beta1", kind: "Ingress") == nil)
        #expect(KindRegistry.lookup(apiVersion: "v1", kind: "Deployment") == nil)
        #expect(
            KindRegistry.lookup(apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler")
                == .horizontalPodAutoscaler)
    }

    @Test func registryIsConsistent() {
        #expect(KindRegistry.all.count == 30)
        #expect(Set(KindRegistry.all.map(\.plural)).count == 30)
        #expect(KindInfo.deployment.apiVersion == "apps/v1")
        #expect(KindInfo.pod.apiVersion == "v1")
        #expect(KindInfo.namespace.namespaced == false)
        #expect(KindInfo.service.nameRule == .dns1123Label)
        for info in KindRegistry.all {
            #expect(KindRegistry.codec(for: info.plural)?.info == info)
        }
    }

    @Test func apiErrorsReadLikeKubernetes() {
        #expect(APIError.notFound(.pod, "web-0").message == #"pods "web-0" not found"#)
        #expect(APIError.notFound(.deployment, "x").message == #"deployments.apps "x" not found"#)
        #expect(APIError.notFound(.pod, "web-0").code == 404)
        #expect(APIError.alreadyExists(.pod, "web").message == #"pods "web" already exists"#)
        #expect(APIError.alreadyExists(.pod, "web").code == 409)
        #expect(
            APIError.conflict(.pod, "web").message
                == #"Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again"#
        )
        let one = APIError.invalid(.pod, "web", [.required("spec.containers")])
        #expect(one.message == #"Pod "web" is invalid: spec.containers: Required value"#)
        #expect(one.code == 422)
        #expect(one.status.details?.causes?.first?.reason == "FieldValueRequired")
        let two = APIError.invalid(
            .pod, "web",
            [.required("spec.containers"), .invalid("spec.replicas", -1, "must be greater than or equal to 0")])
        #expect(
            two.message
                == #"Pod "web" is invalid: [spec.containers: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]"#
        )
        #expect(APIError.gone("too old resource version: 5 (10)").code == 410)
        #expect(APIError.tooOldResourceVersion(requested: 5, oldest: 10).message == "too old resource version: 5 (10)")
        #expect(APIError.badRequest("x").code == 400)
        #expect(APIError.forbidden("no").code == 403)
        #expect(APIError.serviceUnavailable("x").code == 503)
        #expect(APIError.internal("boom").code == 500)
        #expect(APIError.timeout("slow").code == 504)
        #expect(APIError.notFound(.pod, "a").status.kind == "Status")
        #expect(APIError.notFound(.pod, "a").status.status == "Failure")
    }
}
