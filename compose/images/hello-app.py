#!/usr/bin/env python3
"""Stands in for gcr.io/google-samples/hello-app on the process runtime: HTTP on $PORT (8080), answering
"Hello, world!", the version (from the image's tag) and the host name; logs each request."""
import http.server
import os
import signal
import socket
import sys

version = os.environ.get("HELLO_APP_VERSION", "1.0")
if version.count(".") == 1:
    version += ".0"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        sys.stdout.write("Serving request: %s\n" % self.path)
        sys.stdout.flush()
        body = ("Hello, world!\nVersion: %s\nHostname: %s\n" % (version, socket.gethostname())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
port = int(os.environ.get("PORT", "8080"))
sys.stdout.write("Server listening on port %d\n" % port)
sys.stdout.flush()
http.server.ThreadingHTTPServer(("", port), Handler).serve_forever()
