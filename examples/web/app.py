#!/usr/bin/env python3
"""A plain web service for the rollout demo.

GET / says which version and which copy answered; GET /ok answers "ok" whatever the version (what load.py counts);
GET /healthz is the readiness probe. VERSION comes from the spec's env; VERSION=bad exits at once, so a rollout to
it fails and Shepherd puts the last good version back. On SIGTERM the copy finishes the requests in flight and exits.
"""
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = os.environ.get("VERSION", "1")
if VERSION == "bad":
    sys.exit("version 'bad' exits at once: its rollout fails and is reverted")
PORT = int(os.environ["PORT"])
COPY = os.environ.get("SHEPHERD_INSTANCE_ID", "?")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            self.answer(200, f"version {VERSION}, served by copy {COPY}\n")
        elif self.path in ("/ok", "/healthz"):
            self.answer(200, "ok\n")
        else:
            self.answer(404, "not found\n")

    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = False  # server_close() waits for the requests in flight
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
print(f"version {VERSION} of copy {COPY} serving on 127.0.0.1:{PORT}", flush=True)
server.serve_forever()
server.server_close()
