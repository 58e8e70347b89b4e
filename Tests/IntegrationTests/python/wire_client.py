#!/usr/bin/env python3
"""A Kubus client in Python, written from docs/protocol.md alone.

Creates a ConfigMap through the `api` service and waits for its watch event on the bus.
Usage: wire_client.py BUS_BASE NAME      (BUS_BASE: ipc:///path or tcp://host:port)
Exits 0 and prints what it saw when the event arrived with the right object; non-zero otherwise.
"""
import json
import os
import sys
import time
import uuid

import zmq


def endpoints(base):
    if base.startswith("tcp://"):
        host, port = base[len("tcp://"):].rsplit(":", 1)
        port = int(port)
        return f"tcp://{host}:{port}", f"tcp://{host}:{port + 1}", f"tcp://{host}:{port + 2}"
    return base + ".req", base + ".pub", base + ".sub"


def authenticate(sock):
    """CurveZMQ with the key file named by KUBUS_BUS_KEY (docs/protocol.md, Security); plain text without one."""
    path = os.environ.get("KUBUS_BUS_KEY")
    if not path:
        return
    with open(path) as f:
        key = json.load(f)
    sock.curve_serverkey = key["serverKey"].encode()
    sock.curve_publickey = key["publicKey"].encode()
    sock.curve_secretkey = key["secretKey"].encode()


def main():
    base, name = sys.argv[1], sys.argv[2]
    requests, _, subscribe = endpoints(base)
    ctx = zmq.Context()

    # Subscribe first (slow joiner), then create: the Clone pattern. The subscription is live once the first
    # `sync/` beacon arrives (the store sends one every second).
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    authenticate(sub)
    topic = f"event/ConfigMap/default/{name}"
    sub.setsockopt(zmq.SUBSCRIBE, topic.encode())
    sub.setsockopt(zmq.SUBSCRIBE, b"sync/")
    sub.connect(subscribe)
    if not sub.poll(5000):
        print("no sync beacon within 5 s: is the store running?", file=sys.stderr)
        return 5
    sub.recv_multipart()

    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    authenticate(dealer)
    dealer.connect(requests)
    request_id = uuid.uuid4().hex
    envelope = {"type": "create", "id": request_id, "timeout": 10000}
    payload = {"object": {"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": name, "namespace": "default", "labels": {"from": "python"}},
                          "data": {"hello": "world"}}}
    dealer.send_multipart([b"", b"KUBUS/C1", b"api", json.dumps(envelope).encode(), json.dumps(payload).encode()])

    if not dealer.poll(15000):
        print("no reply from the api", file=sys.stderr)
        return 2
    empty, proto, service, reply_env, reply_payload = dealer.recv_multipart()
    reply_env = json.loads(reply_env)
    created = json.loads(reply_payload)
    assert empty == b"" and proto == b"KUBUS/C1" and service == b"api", (empty, proto, service)
    assert reply_env["id"] == request_id, reply_env
    if reply_env.get("code") != 201:
        print(f"create failed: {reply_env} {created}", file=sys.stderr)
        return 3
    rv = created["metadata"]["resourceVersion"]
    print(f"created configmap/{name} resourceVersion={rv} uid={created['metadata']['uid']}")

    deadline = time.time() + 10
    while time.time() < deadline:
        if not sub.poll(1000):
            continue
        frames = sub.recv_multipart()
        assert len(frames) == 3, frames
        t, env, obj = frames[0].decode(), json.loads(frames[1]), json.loads(frames[2])
        if env.get("type") != "WatchEvent":
            continue
        assert t == topic, t
        assert env["event"] == "ADDED", env
        assert str(env["rev"]) == rv, (env, rv)
        assert obj["metadata"]["resourceVersion"] == rv, obj
        assert obj["data"] == {"hello": "world"}, obj
        print(f"watch event {env['event']} {t} rev={env['rev']} prev={env['prev']} seq={env['seq']}")
        return check_envelope_errors(dealer)
    print("no watch event within 10 s", file=sys.stderr)
    return 4


def check_envelope_errors(dealer):
    """A request whose envelope breaks the rules is answered 400 with its id, so the client can match it."""
    request_id = uuid.uuid4().hex
    bad = {"type": "get", "id": request_id, "timeout": "soon"}
    dealer.send_multipart([b"", b"KUBUS/C1", b"api", json.dumps(bad).encode(), b"{}"])
    if not dealer.poll(5000):
        print("no answer to a bad envelope", file=sys.stderr)
        return 6
    _, _, _, reply_env, reply_payload = dealer.recv_multipart()
    reply_env = json.loads(reply_env)
    assert reply_env["type"] == "error" and reply_env["code"] == 400, reply_env
    assert reply_env["id"] == request_id, reply_env
    print(f"bad envelope answered {reply_env['code']} with its id: {json.loads(reply_payload)['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
