#!/usr/bin/env python3
"""Stands in for registry.k8s.io/e2e-test-images/agnhost on the process runtime: the subcommands the official
Kubernetes examples use, with agnhost's defaults (`pause` when none is given).

  pause                      wait for SIGTERM/SIGINT
  liveness                   HTTP :8080; /healthz answers 200 "ok" for the first 10 s, then 500 "error: N"
  serve-hostname [--port N]  HTTP :9376 (or N); answers the host name
  netexec [--http-port N]    HTTP :8080 (or N); /, /hostname, /echo?msg=, /healthz, /clientip, /shell?cmd=
"""
import http.server
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse


def pause():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    while True:
        signal.pause()


def serve(port, answer):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            code, body = answer(self)
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *args):
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    http.server.ThreadingHTTPServer(("", port), Handler).serve_forever()


def option(args, name, default):
    for i, arg in enumerate(args):
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
        if arg == name and i + 1 < len(args):
            return args[i + 1]
    return default


def main(args):
    command = args[0] if args else "pause"
    rest = args[1:]
    if command == "pause":
        pause()
    elif command == "liveness":
        started = time.time()

        def liveness(request):
            path = urllib.parse.urlparse(request.path).path
            elapsed = time.time() - started
            if path == "/started":
                return 200, "%d" % elapsed
            if path == "/healthz":
                return (200, "ok") if elapsed < 10 else (500, "error: %.0f" % elapsed)
            return 404, "404 page not found\n"

        serve(8080, liveness)
    elif command == "serve-hostname":
        serve(int(option(rest, "--port", "9376")), lambda _: (200, socket.gethostname()))
    elif command == "netexec":
        def netexec(request):
            url = urllib.parse.urlparse(request.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path in ("/", "/hostname"):
                return 200, socket.gethostname()
            if url.path == "/echo":
                return 200, query.get("msg", [""])[0]
            if url.path == "/healthz":
                return 200, "ok"
            if url.path == "/clientip":
                return 200, "%s:%d" % request.client_address[:2]
            if url.path == "/shell":
                result = subprocess.run(query.get("cmd", [""])[0], shell=True, capture_output=True, text=True)
                return 200, '{"output": %r}' % result.stdout
            return 404, "404 page not found\n"

        serve(int(option(rest, "--http-port", "8080")), netexec)
    else:
        sys.stderr.write("agnhost (Kubus stand-in): subcommand %r is not provided; pause, liveness, "
                         "serve-hostname and netexec are\n" % command)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
