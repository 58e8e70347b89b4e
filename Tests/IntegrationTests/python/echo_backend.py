"""An HTTP/1.1 backend for the ingress tests: answers every request with JSON naming itself, the path and the
request headers; answers an `Upgrade: websocket` request with 101 and then echoes bytes back (enough to see an
upgraded connection pass through a proxy). Usage: echo_backend.py NAME HOST PORT"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME, HOST, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.send_response(101, "Switching Protocols")
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            while True:
                data = self.connection.recv(4096)
                if not data:
                    break
                self.connection.sendall(b"echo:" + data)
            self.close_connection = True
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({
            "backend": NAME, "method": self.command, "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = answer


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer((HOST, PORT), Handler).serve_forever()
