"""What a local user without a registered key gets from a Kubus bus on TCP (issue 13: run it as nobody).

    python3 keyless_client.py PORT SERVER_PUBLIC_KEY SERVICE

Tries, each for 2 s: a plain-text request, a CurveZMQ request with a key pair of its own (the broker's true
public key, so the handshake is well-formed), and a plain-text subscription to every topic. Prints one JSON
object: whether any of them got an answer or an event.
"""
import json
import sys

import zmq


def request(ctx, port, service, server_key=None):
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    if server_key:
        public, secret = zmq.curve_keypair()
        sock.curve_serverkey = server_key.encode()
        sock.curve_publickey = public
        sock.curve_secretkey = secret
    sock.connect("tcp://127.0.0.1:%d" % port)
    envelope = json.dumps({"type": "secret", "id": "nobody-1"}).encode()
    sock.send_multipart([b"", b"KUBUS/C1", service.encode(), envelope, b"stolen?"])
    answered = bool(sock.poll(2000))
    sock.close()
    return answered


def subscribe(ctx, port):
    sock = ctx.socket(zmq.SUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.SUBSCRIBE, b"")
    sock.connect("tcp://127.0.0.1:%d" % (port + 2))
    got = bool(sock.poll(2000))
    sock.close()
    return got


def main():
    port, server_key, service = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    ctx = zmq.Context()
    result = {
        "plain": request(ctx, port, service),
        "curve": request(ctx, port, service, server_key),
        "subscribed": subscribe(ctx, port),
    }
    print(json.dumps(result, sort_keys=True))
    ctx.destroy(linger=0)


if __name__ == "__main__":
    main()
