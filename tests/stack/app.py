#!/usr/bin/env python3
"""The sample app of opsdeck's test stack: a stand-in for the Next.js app.

Serves the two endpoints opsdeck probes, as the seed's app does:

  GET /api/health   200 {"status":"ok"}
  GET /api/version  the contents of ROOT/public/version.json,
                    or 500 {"error":"Failed to read version info"} if unreadable

Tests flip its behaviour without a restart by writing switch files in ROOT,
read on every request:

  ROOT/health_mode   ok | 500 | slow | hang | huge
                     slow: answers 200 after ROOT/slow_seconds (default 2)
                     hang: reads the request and never answers (other
                           requests are still served: one thread each)
                     huge: 200 with a JSON body of HUGE_BODY_BYTES (1 MiB):
                           {"status":"ok","padding":"xxx..."}, for a client
                           that must read only a bounded amount
  ROOT/version_mode  ok | garbage | truncated | missing | 500
                     garbage: 200 with a body that is not JSON
                     truncated: 200 with the first half of version.json
                     missing: 200 with valid JSON lacking commitHash/buildDate
                     500: as the seed answers when the file is unreadable

A missing or unknown switch value means `ok`. Standard library only.
Usage: app.py --port N --root APPDIR [--address 127.0.0.1]
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION_ERROR = {"error": "Failed to read version info"}
HUGE_BODY_BYTES = 1024 * 1024


def read_switch(root, name, default):
    """Returns the stripped contents of ROOT/name, or default if absent."""
    try:
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            value = handle.read().strip()
    except OSError:
        return default
    return value or default


class Handler(BaseHTTPRequestHandler):
    server_version = "opsdeck-sample-app/1.0"
    # HTTP/1.0: one request per connection, so a hung request never holds
    # up a keep-alive connection that another probe might reuse.
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):  # noqa: N802 (http.server's name)
        sys.stderr.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), fmt % args))
        sys.stderr.flush()

    def send_body(self, status, body, content_type="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):  # noqa: N802
        self.do_GET()

    def do_GET(self):  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path == "/api/health":
            self.health()
        elif path == "/api/version":
            self.version()
        else:
            self.send_body(404, {"error": "Not found"})

    def health(self):
        root = self.server.root
        mode = read_switch(root, "health_mode", "ok")
        if mode == "500":
            self.send_body(500, {"status": "error", "error": "Database connection failed"})
        elif mode == "slow":
            try:
                delay = float(read_switch(root, "slow_seconds", "2"))
            except ValueError:
                delay = 2.0
            time.sleep(max(0.0, delay))
            self.send_body(200, {"status": "ok"})
        elif mode == "hang":
            # Never answer; the connection stays open until the client gives
            # up (its EOF is not noticed) or the server exits.
            self.server.stopping.wait()
            self.close_connection = True
        elif mode == "huge":
            head = b'{"status":"ok","padding":"'
            tail = b'"}'
            padding = b"x" * (HUGE_BODY_BYTES - len(head) - len(tail))
            try:
                self.send_body(200, head + padding + tail)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client read what it wanted and hung up
        else:
            self.send_body(200, {"status": "ok"})

    def version(self):
        root = self.server.root
        mode = read_switch(root, "version_mode", "ok")
        if mode == "500":
            self.send_body(500, VERSION_ERROR)
            return
        if mode == "garbage":
            self.send_body(200, "<html><body>502 Bad Gateway</body></html>\n", "text/html")
            return
        try:
            with open(os.path.join(root, "public", "version.json"), "rb") as handle:
                data = handle.read()
            if mode == "missing":
                parsed = json.loads(data)
                parsed.pop("commitHash", None)
                parsed.pop("buildDate", None)
                data = json.dumps(parsed).encode("utf-8")
            json.loads(data)
        except (OSError, ValueError):
            self.send_body(500, VERSION_ERROR)
            return
        if mode == "truncated":
            data = data[: len(data) // 2]
        self.send_body(200, data)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, root):
        self.root = root
        self.stopping = threading.Event()
        super().__init__(address, Handler)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--root", required=True, help="app directory (switch files, public/)")
    parser.add_argument("--address", default="127.0.0.1")
    args = parser.parse_args()

    server = Server((args.address, args.port), os.path.abspath(args.root))

    def stop(signum, frame):
        server.stopping.set()
        # shutdown() waits for serve_forever to return: not from its thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stderr.write("app listening on %s:%d root %s\n" % (args.address, args.port, server.root))
    sys.stderr.flush()
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
