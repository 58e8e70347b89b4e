#!/usr/bin/env python3
"""Stands in for hashicorp/http-echo on the process runtime: answers every request with -text (or $ECHO_TEXT)
and a newline, /health with {"status":"ok"}; listens on -listen (default :5678); logs requests to stdout."""
import http.server
import os
import signal
import sys


def option(name, default=None):
    for i, arg in enumerate(sys.argv[1:], 1):
        for prefix in ("-" + name + "=", "--" + name + "="):
            if arg.startswith(prefix):
                return arg[len(prefix):]
        if arg in ("-" + name, "--" + name) and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
    return default


text = option("text", os.environ.get("ECHO_TEXT"))
if text is None:
    sys.stderr.write("Missing -text option!\n")
    sys.exit(127)
listen = option("listen", ":5678")
host, _, port = listen.rpartition(":")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ('{"status":"ok"}' if self.path == "/health" else text + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stdout.flush()


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
http.server.ThreadingHTTPServer((host, int(port)), Handler).serve_forever()
