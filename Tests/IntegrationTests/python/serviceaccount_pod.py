"""Runs in a pod (ServiceAccountIntegrationTests): calls the api over the pods' bus socket with the pod's ServiceAccount token.

Prints one line per request: `VERB KIND CODE MESSAGE`. Reads KUBUS_BUS and KUBUS_BUS_KEY (set by the kubelet) and the
token and namespace under /var/run/secrets/kubernetes.io/serviceaccount/ (docs/security.md).
"""
import json
import os
import sys
import uuid

import zmq

SA = "/var/run/secrets/kubernetes.io/serviceaccount"


def main():
    token = open(f"{SA}/token").read().strip()
    namespace = open(f"{SA}/namespace").read().strip()
    with open(os.environ["KUBUS_BUS_KEY"]) as f:
        key = json.load(f)
    sock = zmq.Context().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.curve_serverkey = key["serverKey"].encode()
    sock.curve_publickey = key["publicKey"].encode()
    sock.curve_secretkey = key["secretKey"].encode()
    sock.connect(os.environ["KUBUS_BUS"] + ".req")

    def call(verb, payload, bearer=True):
        envelope = {"type": verb, "id": uuid.uuid4().hex, "timeout": 10000}
        if bearer:
            envelope["authorization"] = "Bearer " + token
        sock.send_multipart([b"", b"KUBUS/C1", b"api", json.dumps(envelope).encode(), json.dumps(payload).encode()])
        if not sock.poll(15000):
            return "none", "no reply"
        _, _, _, env, body = sock.recv_multipart()
        env = json.loads(env)
        body = json.loads(body)
        return env.get("code"), body.get("message", "") if body.get("kind") == "Status" else ""

    print("namespace", namespace, flush=True)
    for verb, kind, bearer in [("list", "Pod", True), ("list", "Secret", True), ("list", "Pod", False)]:
        code, message = call(verb, {"kind": kind, "namespace": namespace}, bearer)
        print(verb, kind, "token" if bearer else "anonymous", code, message, flush=True)
    code, message = call("list", {"kind": "Pod", "namespace": "kube-system"})
    print("list", "Pod", "kube-system", code, message, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
