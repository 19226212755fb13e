#!/usr/bin/env python3
"""Small HTTP endpoints the integration tests point opsdeck at, on loopback.

  http_fixture.py MODE DIR

Prints the port it listens on (a free one on 127.0.0.1) as its first line,
then serves until killed. Modes:

  hold     accepts every connection and never answers: a hung backend
  record   logs each request as one line "METHOD PATH", and " BODY" after
           it when there is one (a POST's, on one line) to DIR/requests.log and answers 200 "OK"; a
           path starting /down answers 500; a path starting /fail-N/
           answers 500 to its first N requests, then 200 (retries)
  app      a second app instance: /api/version answers DIR/version.json,
           any other path 200 {"status":"ok"}; DIR/health_status, when it
           exists, holds the status code the health answers instead

Standard library only.
"""

import http.server
import os
import re
import socket
import sys
import threading


def hold():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    print(s.getsockname()[1], flush=True)
    held = []
    while True:
        c, _ = s.accept()
        held.append(c)


def serve(root, mode):
    lock = threading.Lock()
    failed = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self, code, body, kind="text/plain"):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def record(self, body):
            with lock:
                with open(os.path.join(root, "requests.log"), "a") as log:
                    text = body.decode("utf-8", "replace").replace("\n", " ")
                    line = "%s %s" % (self.command, self.path)
                    log.write(line + (" " + text if text else "") + "\n")
            wanted = re.match(r"^/fail-(\d+)/", self.path)
            if wanted:
                with lock:
                    seen = failed.get(self.path, 0)
                    failed[self.path] = seen + 1
                if seen < int(wanted.group(1)):
                    return self.answer(500, b"not yet")
            if self.path.startswith("/gone"):
                return self.answer(404, b"no such hook")
            self.answer(500 if self.path.startswith("/down") else 200, b"OK")

        def app(self):
            if self.path.endswith("/api/version"):
                with open(os.path.join(root, "version.json"), "rb") as f:
                    return self.answer(200, f.read(), "application/json")
            code = 200
            status_file = os.path.join(root, "health_status")
            if os.path.exists(status_file):
                with open(status_file) as f:
                    code = int(f.read().strip() or "200")
            self.answer(code, b'{"status":"ok"}', "application/json")

        def do_GET(self):
            self.record(b"") if mode == "record" else self.app()

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            self.record(body) if mode == "record" else self.answer(405, b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("hold", "record", "app"):
        sys.exit("usage: http_fixture.py hold|record|app DIR")
    if sys.argv[1] == "hold":
        hold()
    else:
        serve(sys.argv[2], sys.argv[1])


if __name__ == "__main__":
    main()
