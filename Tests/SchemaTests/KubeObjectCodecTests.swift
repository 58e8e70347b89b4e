import Foundation
import Testing

@testable import Schema

/// Round trips of the Kubernetes documentation examples through `normalize`.
@Suite struct KubeObjectCodecTests {
    func normalize(_ yaml: String) throws -> NormalizeResult {
        let document = try #require(try Manifest.parse(yaml: yaml, source: "test.yaml").first)
        let codec = try #require(KindRegistry.codec(for: document["kind"]?.stringValue ?? ""))
        return try codec.normalize(document)
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx-deployment
          namespace: default
          labels:
            app: nginx
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: nginx
          template:
            metadata:
              labels:
                app: nginx
            spec:
              containers:
              - name: nginx
                image: nginx:1.14.2
                ports:
                - containerPort: 80
                resources:
                  limits:
                    memory: 128Mi
                    cpu: 0.5
                readinessProbe:
                  httpGet:
                    path: /healthz
                    port: 80
        """

    @Test func deploymentGetsDefaults() throws {
        let result = try normalize(Self.deployment)
        let object = result.object
        #expect(result.unknownFields.isEmpty)
        #expect(object["apiVersion"] == "apps/v1")
        #expect(object[path: ["spec", "replicas"]] == 3)
        #expect(object[path: ["spec", "strategy", "type"]] == "RollingUpdate")
        #expect(object[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]] == "25%")
        #expect(object[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] == "25%")
        #expect(object[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(object[path: ["spec", "progressDeadlineSeconds"]] == 600)
        let pod = ["spec", "template", "spec"]
        #expect(object[path: pod + ["restartPolicy"]] == "Always")
        #expect(object[path: pod + ["dnsPolicy"]] == "ClusterFirst")
        #expect(object[path: pod + ["terminationGracePeriodSeconds"]] == 30)
        #expect(object[path: pod + ["schedulerName"]] == "default-scheduler")
        #expect(object[path: pod + ["securityContext"]] == [:])
        let container = pod + ["containers", "0"]
        #expect(object[path: container + ["imagePullPolicy"]] == "IfNotPresent")
        #expect(object[path: container + ["terminationMessagePath"]] == "/dev/termination-log")
        #expect(object[path: container + ["terminationMessagePolicy"]] == "File")
        #expect(object[path: container + ["ports", "0", "protocol"]] == "TCP")
        #expect(object[path: container + ["resources", "limits", "cpu"]] == "500m")
        #expect(object[path: container + ["readinessProbe", "timeoutSeconds"]] == 1)
        #expect(object[path: container + ["readinessProbe", "periodSeconds"]] == 10)
        #expect(object[path: container + ["readinessProbe", "successThreshold"]] == 1)
        #expect(object[path: container + ["readinessProbe", "failureThreshold"]] == 3)
        #expect(object[path: container + ["readinessProbe", "httpGet", "scheme"]] == "HTTP")
        let codec = try #require(KindRegistry.codec(for: "deploy"))
        #expect(codec.validate(object, oldObject: nil).isEmpty)
        // Normalizing is idempotent.
        #expect(try codec.normalize(object).object == object)
        // Typed access works and encodes apiVersion, kind, metadata first.
        let typed = try Deployment.decode(from: object)
        #expect(typed.spec.template.spec.containers.first?.image == "nginx:1.14.2")
        #expect(typed.spec.template.spec.containers.first?.resources?.requests == nil)
    }

    @Test func podGetsPodLevelDefaults() throws {
        let result = try normalize(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: nginx
              namespace: default
            spec:
              containers:
              - name: nginx
                image: nginx
                resources:
                  limits: {cpu: 500m, memory: 128Mi}
              - name: sidecar
                image: busybox:latest
                livenessProbe:
                  exec:
                    command: [cat, /tmp/healthy]
            """)
        let object = result.object
        #expect(object[path: ["spec", "containers", "0", "imagePullPolicy"]] == "Always")
        #expect(object[path: ["spec", "containers", "1", "imagePullPolicy"]] == "Always")
        #expect(object[path: ["spec", "containers", "0", "resources", "requests", "cpu"]] == "500m")
        #expect(object[path: ["spec", "enableServiceLinks"]] == true)
        #expect(object[path: ["spec", "containers", "1", "livenessProbe", "failureThreshold"]] == 3)
        #expect(object[path: ["status", "phase"]] == "Pending")
        #expect(object[path: ["status", "qosClass"]] == "Burstable")
    }

    @Test func serviceGetsDefaults() throws {
        let object = try normalize(
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: my-service
              namespace: default
            spec:
              selector:
                app.kubernetes.io/name: MyApp
              ports:
                - name: http
                  port: 80
                - name: https
                  port: 443
                  targetPort: 9376
            """
        ).object
        #expect(object[path: ["spec", "type"]] == "ClusterIP")
        #expect(object[path: ["spec", "sessionAffinity"]] == "None")
        #expect(object[path: ["spec", "ports", "0", "protocol"]] == "TCP")
        #expect(object[path: ["spec", "ports", "0", "targetPort"]] == 80)
        #expect(object[path: ["spec", "ports", "1", "targetPort"]] == 9376)
        #expect(KindRegistry.codec(for: "svc")!.validate(object, oldObject: nil).isEmpty)
    }

    @Test func statefulSetWithVolumeClaimTemplates() throws {
        let object = try normalize(
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: web
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: nginx
              serviceName: "nginx"
              replicas: 3
              minReadySeconds: 10
              template:
                metadata:
                  labels:
                    app: nginx
                spec:
                  terminationGracePeriodSeconds: 10
                  containers:
                  - name: nginx
                    image: registry.k8s.io/nginx-slim:0.24
                    ports:
                    - containerPort: 80
                      name: web
                    volumeMounts:
                    - name: www
                      mountPath: /usr/share/nginx/html
              volumeClaimTemplates:
              - metadata:
                  name: www
                spec:
                  accessModes: [ "ReadWriteOnce" ]
                  storageClassName: "my-storage-class"
                  resources:
                    requests:
                      storage: 1Gi
            """
        ).object
        #expect(object[path: ["spec", "podManagementPolicy"]] == "OrderedReady")
        #expect(object[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate")
        #expect(object[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]] == 0)
        #expect(object[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(object[path: ["spec", "volumeClaimTemplates", "0", "spec", "volumeMode"]] == "Filesystem")
        #expect(
            object[path: ["spec", "volumeClaimTemplates", "0", "spec", "resources", "requests", "storage"]] == "1Gi")
        #expect(object[path: ["spec", "template", "spec", "terminationGracePeriodSeconds"]] == 10)
        let errors = KindRegistry.codec(for: "sts")!.validate(object, oldObject: nil)
        // The claim template volume `www` is not a pod volume, so the mount is reported, as Kubernetes' pod validation
        // would for a bare pod; StatefulSets add the claim volumes when stamping out pods.
        #expect(errors.allSatisfy { $0.field.contains("volumeMounts") }, "\(errors)")
    }

    @Test func cronJobFromTheDocs() throws {
        let object = try normalize(
            """
            apiVersion: batch/v1beta1
            kind: CronJob
            metadata:
              name: hello
              namespace: default
            spec:
              schedule: "* * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                      - name: hello
                        image: busybox:1.28
                        imagePullPolicy: IfNotPresent
                        command:
                        - /bin/sh
                        - -c
                        - date; echo Hello from the Kubernetes cluster
                      restartPolicy: OnFailure
            """
        ).object
        #expect(object["apiVersion"] == "batch/v1")
        #expect(object[path: ["spec", "concurrencyPolicy"]] == "Allow")
        #expect(object[path: ["spec", "suspend"]] == false)
        #expect(object[path: ["spec", "successfulJobsHistoryLimit"]] == 3)
        #expect(object[path: ["spec", "failedJobsHistoryLimit"]] == 1)
        #expect(object[path: ["spec", "jobTemplate", "spec", "template", "spec", "dnsPolicy"]] == "ClusterFirst")
        #expect(KindRegistry.codec(for: "cj")!.validate(object, oldObject: nil).isEmpty)
    }

    @Test func jobSecretAndOthersGetDefaults() throws {
        let job = try normalize(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: pi, namespace: default, uid: abc-123}
            spec:
              template:
                spec:
                  containers:
                  - {name: pi, image: perl, command: ["perl"]}
                  restartPolicy: Never
            """
        ).object
        #expect(job[path: ["spec", "completions"]] == 1)
        #expect(job[path: ["spec", "parallelism"]] == 1)
        #expect(job[path: ["spec", "backoffLimit"]] == 6)
        #expect(job[path: ["spec", "completionMode"]] == "NonIndexed")
        #expect(job[path: ["spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"]] == "abc-123")
        #expect(KindRegistry.codec(for: "jobs")!.validate(job, oldObject: nil).isEmpty)

        let secret = try normalize(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: default}
            stringData:
              password: hunter2
            """
        ).object
        #expect(secret["type"] == "Opaque")
        #expect(secret["stringData"] == nil)
        #expect(secret[path: ["data", "password"]] == "aHVudGVyMg==")

        let namespace = try normalize("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n").object
        #expect(namespace[path: ["status", "phase"]] == "Active")
        let daemonSet = try normalize(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: kube-system}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: agent, image: "agent:1"}]}
            """
        ).object
        #expect(daemonSet[path: ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]] == 1)
        #expect(daemonSet[path: ["spec", "updateStrategy", "rollingUpdate", "maxSurge"]] == 0)
        let storageClass = try normalize(
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: kubus.io/hostpath\n"
        ).object
        #expect(storageClass["reclaimPolicy"] == "Delete")
        #expect(storageClass["volumeBindingMode"] == "Immediate")
        let pvc = try normalize(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c, namespace: default}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
        ).object
        #expect(pvc[path: ["spec", "volumeMode"]] == "Filesystem")
        let hpa = try normalize(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: default}\nspec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 5}\n"
        ).object
        #expect(hpa[path: ["spec", "minReplicas"]] == 1)
    }

    @Test func unknownFieldsAreReportedByDottedPath() throws {
        let result = try normalize(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
              labelz: {a: b}
            spec:
              replicass: 3
              nothing: null
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx
                  - name: side
                    imagee: busybox
            """)
        #expect(
            result.unknownFields == ["metadata.labelz", "spec.replicass", "spec.template.spec.containers[1].imagee"])
        #expect(result.object[path: ["spec", "replicass"]] == nil)
    }

    @Test func typeErrorsNameTheField() throws {
        let codec = try #require(KindRegistry.codec(for: "deployments"))
        let document = try #require(
            try Manifest.parse(
                yaml: """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: default}
                    spec:
                      replicas: three
                    """, source: "d.yaml"
            ).first)
        do {
            _ = try codec.normalize(document)
            Issue.record("should fail")
        } catch {
            #expect(error.fieldErrors.first?.field == "spec.replicas")
            #expect(
                error.fieldErrors.first?.description
                    == #"spec.replicas: Invalid value: "three": expected integer, got string"#)
        }
        let nested: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
            "spec": ["template": ["spec": ["containers": [["name": "a", "ports": [["containerPort": "http"]]]]]]],
        ]
        let errors = codec.validate(nested, oldObject: nil)
        #expect(errors.first?.field == "spec.template.spec.containers[0].ports[0].containerPort")
        let badQuantity: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default"],
            "spec": ["containers": [["name": "a", "image": "x", "resources": ["limits": ["cpu": "12xyz"]]]]],
        ]
        let quantityErrors = KindRegistry.codec(for: "po")!.validate(badQuantity, oldObject: nil)
        #expect(quantityErrors.first?.field == "spec.containers[0].resources.limits.cpu")
        #expect(quantityErrors.first?.description.contains("12xyz") == true)
    }

    @Test func wrongKindOrVersionIsRejected() throws {
        let codec = try #require(KindRegistry.codec(for: "deployments"))
        #expect(throws: SchemaError.self) {
            try codec.normalize(["apiVersion": "extensions/v1beta1", "kind": "Deployment"])
        }
        #expect(throws: SchemaError.self) { try codec.normalize(["apiVersion": "apps/v1", "kind": "StatefulSet"]) }
    }

    @Test func typedObjectsEncodeTypeMetaFirst() throws {
        var pod = Pod(metadata: ObjectMeta(name: "a", namespace: "default"))
        pod.spec.containers = [Container(name: "c", image: "nginx")]
        let json = try pod.jsonValue()
        #expect(json["kind"] == "Pod")
        #expect(json["apiVersion"] == "v1")
        // Foundation's JSONEncoder on Linux does not keep key order; the JSONValue wire form does.
        #expect(json.encodedString().hasPrefix(#"{"apiVersion":"v1","kind":"Pod","metadata""#))
        let decoded = try KindRegistry.decode(json)
        #expect((decoded as? Pod)?.spec.containers.first?.image == "nginx")
    }

    /// Validating the typed value `normalize` kept finds what validating its JSON finds, for new objects and updates
    /// that break a rule of the kind or of metadata.
    @Test func validatingTheDecodedValueFindsWhatValidatingItsJSONFinds() throws {
        let codec = try #require(KindRegistry.codec(for: "pods"))
        var old = Pod(metadata: ObjectMeta(name: "web", namespace: "default", uid: "u-1"))
        old.spec.containers = [Container(name: "c", image: "nginx")]
        let oldJSON = try old.jsonValue()
        var renamed = old
        renamed.metadata.name = "other"
        var noImage = old
        noImage.spec.containers[0].image = nil
        var badPort = old
        badPort.spec.containers[0].ports = [ContainerPort(containerPort: 70_000)]
        var twoNames = old
        twoNames.spec.containers.append(Container(name: "c", image: "busybox"))
        var checked = 0
        for candidate in [old, renamed, noImage, badPort, twoNames] {
            let normalized = try codec.normalize(try candidate.jsonValue())
            let decoded = try #require(normalized.decoded)
            for previous in [nil, oldJSON] {
                let fromJSON = codec.validate(normalized.object, oldObject: previous)
                let fromValue = codec.validate(decoded: decoded, oldObject: previous)
                #expect(fromValue == fromJSON, "\(candidate.metadata.name ?? "")")
                checked += fromJSON.isEmpty ? 0 : 1
            }
        }
        // Most candidates break something, and a new object is not checked against the old one's name.
        #expect(checked >= 6)
        let other = try #require(KindRegistry.codec(for: "configmaps"))
        #expect(other.validate(decoded: old, oldObject: nil).first?.field == "kind")
    }
}
