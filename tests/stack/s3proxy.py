#!/usr/bin/env python3
"""s3proxy.py - an S3 proxy for tests: verifies every SigV4 signature with
botocore, and injects faults on demand, in front of s3rver (which checks no
signature at all).

    s3proxy.py --port PORT --upstream http://127.0.0.1:S3PORT \
               --control FILE --log FILE [--s3-dir DIR]

Credentials come from the environment (S3PROXY_ACCESS_KEY/S3PROXY_SECRET_KEY
/S3PROXY_REGION, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_REGION); the
secret is removed from the environment once read.

For EVERY request (but GET /__s3proxy/health) the proxy:
  1. recomputes the signature with botocore's S3SigV4Auth from what it
     received: method, raw path, the query (decoded, then canonicalised by
     botocore as AWS does, so "?uploads" must have been signed as
     "uploads="), the headers named in SignedHeaders, x-amz-date and
     x-amz-content-sha256; checks the access key, the credential scope
     (date, region, service s3) and that x-amz-date is within 15 minutes;
     a mismatch answers 403 SignatureDoesNotMatch;
  2. checks the payload: x-amz-content-sha256 must be UNSIGNED-PAYLOAD or
     the SHA-256 of the body (else 400 XAmzContentSHA256Mismatch), and
     Content-MD5, when present, the MD5 of the body (else 400 BadDigest);
  3. applies the first matching fault rule of the control file, if any;
  4. forwards to s3rver and relays the reply.
s3rver lacks AbortMultipartUpload (it answers 405): the proxy does it itself,
removing the upload's parts under --s3-dir, and answers NoSuchUpload for an
aborted upload afterwards. It also lacks ListMultipartUploads (GET ?uploads,
NotImplemented): the proxy answers it from the uploads under --s3-dir (all in
one page; Initiated is when the upload began). And s3rver ignores
encoding-type=url, sending every key raw (a key holding ESC makes its
ListObjects reply XML that no parser accepts): for such a request the proxy
percent-encodes Key, Prefix, StartAfter and Delimiter in the reply as S3
does ('+' for a space) and adds <EncodingType>url</EncodingType>.

Each request is logged as one JSON line in the log file:
  {"n": 7, "op": "UploadPart", "method": "PUT", "key": "a/b", "part": 2,
   "sig": "ok", "payload": "ok", "md5": "ok", "fault": "status 503",
   "status": 503}
sig is ok, missing, mismatch, bad-credential, bad-date or unsigned-header
(a header that must be signed was not); payload is ok, unsigned, mismatch or
missing; md5 is ok, mismatch or absent. No secret, signature or token is
ever logged.

The control file is JSON, re-read at each request; counters restart whenever
its content changes. Missing or empty: no faults.
  {"rules": [
    {"op": "UploadPart", "from": 1, "to": 2, "action": "status", "status": 503},
    {"op": "UploadPart", "part": [3], "action": "drop"},
    {"op": "CompleteMultipartUpload", "action": "complete_error", "code": "AccessDenied"}
  ]}
  op      PutObject, GetObject, HeadObject, DeleteObject, ListObjects,
          ListMultipartUploads, CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
          AbortMultipartUpload, Bucket, or "*"
  part    a part number or a list of them (UploadPart only)
  key     a substring the key must contain
  from/to the rule fires on the from-th to to-th request it matches
          (1-based, inclusive; default 1 and forever)
  action  status    answer "status" (default 500) with an <Error> of "code"
          drop      close the connection without an answer
          reset     close with a TCP RST
          hang      answer nothing for "seconds" (default 30), then close
          complete_error  answer 200 with an <Error> body ("code", default
                    InternalError), as S3 may for CompleteMultipartUpload
          truncate  forward, then send only half of the reply body and close
"""

import argparse
import base64
import hashlib
import html
import http.client
import json
import os
import re
import shutil
import socket
import struct
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote_plus, unquote, urlsplit

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

UNSIGNED = "UNSIGNED-PAYLOAD"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "expect", "content-length"}
DEFAULT_CODES = {400: "BadRequest", 403: "AccessDenied", 404: "NoSuchKey", 429: "SlowDown",
                 500: "InternalError", 503: "SlowDown"}


class Settings:
    access_key = ""
    secret_key = ""
    region = "us-east-1"
    upstream = None
    control = None
    s3_dir = None


class Control:
    """The fault rules and their counters (reset when the file changes)."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.text = None
        self.rules = []
        self.counts = []

    def _reload(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, TypeError):
            text = ""
        if text == self.text:
            return
        self.text = text
        rules = []
        if text.strip():
            try:
                rules = json.loads(text).get("rules", [])
            except ValueError as exc:
                print("s3proxy: bad control file: %s" % exc, file=sys.stderr, flush=True)
        self.rules = rules
        self.counts = [0] * len(rules)

    def match(self, op, key, part):
        """The rule that fires for this request, or None (counts every
        rule the request matches)."""
        with self.lock:
            self._reload()
            fired = None
            for i, rule in enumerate(self.rules):
                if rule.get("op", "*") not in ("*", op):
                    continue
                if "part" in rule:
                    parts = rule["part"] if isinstance(rule["part"], list) else [rule["part"]]
                    if part not in parts:
                        continue
                if "key" in rule and rule["key"] not in (key or ""):
                    continue
                self.counts[i] += 1
                lo = int(rule.get("from", 1))
                hi = int(rule.get("to", 1 << 60))
                if fired is None and lo <= self.counts[i] <= hi:
                    fired = rule
            return fired


class Log:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.n = 0
        self.handle = open(path, "a", encoding="utf-8") if path else None

    def write(self, entry):
        with self.lock:
            self.n += 1
            entry = dict(n=self.n, **entry)
            if self.handle:
                self.handle.write(json.dumps(entry, sort_keys=True) + "\n")
                self.handle.flush()


CONTROL = None
LOG = None
ABORTED = set()
ABORTED_LOCK = threading.Lock()


def error_xml(code, message):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code>'
            "<Message>%s</Message><RequestId>s3proxy</RequestId></Error>" %
            (code, message)).encode()


def split_query(query):
    """[(name, value)] decoded (%XX only: '+' stays a plus, as AWS reads it)."""
    pairs = []
    for item in query.split("&") if query else []:
        if not item:
            continue
        name, _, value = item.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


def classify(method, path, params):
    """(operation, key, part number) of a path-style request."""
    names = {name for name, _ in params}
    segments = path.lstrip("/").split("/", 1)
    key = unquote(segments[1]) if len(segments) > 1 and segments[1] else None
    part = None
    for name, value in params:
        if name == "partNumber" and value.isdigit():
            part = int(value)
    if key is None:
        if method == "GET" and "uploads" in names:
            return "ListMultipartUploads", None, None
        return ("ListObjects" if method == "GET" else "Bucket"), None, None
    if method == "PUT":
        return ("UploadPart" if "uploadId" in names else "PutObject"), key, part
    if method == "POST":
        if "uploads" in names:
            return "CreateMultipartUpload", key, None
        return "CompleteMultipartUpload", key, None
    if method == "DELETE":
        return ("AbortMultipartUpload" if "uploadId" in names else "DeleteObject"), key, None
    if method == "HEAD":
        return "HeadObject", key, None
    return "GetObject", key, None


ENCODED_ELEMENTS = re.compile(rb"<(Key|Prefix|StartAfter|Delimiter)>(.*?)</\1>", re.S)


def url_encode_text(text):
    """S3's encoding-type=url form of a key: '+' for a space, %XX else."""
    return quote_plus(text.encode("utf-8", "surrogateescape"), safe="/").encode()


def url_encode_listing(reply):
    """s3rver's ListBucketResult (keys raw, escaped with HTML entities) as S3
    answers encoding-type=url."""
    def encode(match):
        text = html.unescape(match.group(2).decode("utf-8", "surrogateescape"))
        return b"<%s>%s</%s>" % (match.group(1), url_encode_text(text), match.group(1))
    reply = ENCODED_ELEMENTS.sub(encode, reply)
    return reply.replace(b"</ListBucketResult>",
                         b"<EncodingType>url</EncodingType></ListBucketResult>", 1)


def list_uploads_xml(bucket, params):
    """A ListMultipartUploadsResult of the uploads s3rver keeps under
    --s3-dir (its ._S3rver_uploads/ID/key files)."""
    args = dict(params)
    prefix = args.get("prefix", "")
    encoded = args.get("encoding-type") == "url"
    uploads = []
    root = os.path.join(Settings.s3_dir or "", bucket, "._S3rver_uploads")
    for upload_id in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        path = os.path.join(root, upload_id, "key")
        with ABORTED_LOCK:
            if upload_id in ABORTED:
                continue
        try:
            with open(path, "rb") as handle:
                key = handle.read().decode("utf-8", "surrogateescape")
            started = os.stat(path).st_mtime
        except OSError:
            continue
        if key.startswith(prefix):
            uploads.append((key, upload_id, started))
    uploads.sort()

    def text(value):
        if encoded:
            return url_encode_text(value).decode()
        return html.escape(value, quote=False)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult '
           'xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
           "<Bucket>%s</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>"
           % html.escape(bucket), "<Prefix>%s</Prefix>" % text(prefix),
           "<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>"]
    if encoded:
        out.append("<EncodingType>url</EncodingType>")
    for key, upload_id, started in uploads:
        when = datetime.fromtimestamp(started, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        out.append("<Upload><Key>%s</Key><UploadId>%s</UploadId>"
                   "<StorageClass>STANDARD</StorageClass><Initiated>%s</Initiated></Upload>"
                   % (text(key), html.escape(upload_id), when))
    out.append("</ListMultipartUploadsResult>")
    return "".join(out).encode("utf-8", "surrogateescape")


def parse_authorization(value):
    """{'credential': [...], 'signedheaders': [...], 'signature': str} or None."""
    prefix = "AWS4-HMAC-SHA256 "
    if not value or not value.startswith(prefix):
        return None
    fields = {}
    for item in value[len(prefix):].split(","):
        name, _, val = item.strip().partition("=")
        fields[name.lower()] = val
    if not {"credential", "signedheaders", "signature"} <= fields.keys():
        return None
    return {"credential": fields["credential"].split("/"),
            "signedheaders": fields["signedheaders"].split(";"),
            "signature": fields["signature"]}


def verify_signature(method, raw_path, query, headers, settings):
    """'ok' or the reason the signature does not hold."""
    auth = parse_authorization(headers.get("Authorization"))
    if auth is None:
        return "missing"
    cred = auth["credential"]
    amz_date = headers.get("x-amz-date", "")
    if len(cred) != 5 or cred[0] != settings.access_key or cred[2] != settings.region or \
            cred[3] != "s3" or cred[4] != "aws4_request":
        return "bad-credential"
    try:
        when = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return "bad-date"
    if cred[1] != amz_date[:8] or abs(time.time() - when.timestamp()) > 15 * 60:
        return "bad-date"
    signed = auth["signedheaders"]
    must_sign = ["host", "x-amz-date", "x-amz-content-sha256"]
    for optional in ("x-amz-security-token", "content-md5", "content-type", "range"):
        if headers.get(optional) is not None:
            must_sign.append(optional)
    if any(name not in signed for name in must_sign) or signed != sorted(signed):
        return "unsigned-header"
    sign_headers = {}
    for name in signed:
        values = headers.get_all(name)
        if values is None:
            return "mismatch"
        sign_headers[name] = ",".join(values)
    request = AWSRequest(method=method, url="http://%s%s" % (headers.get("host"), raw_path),
                         headers=sign_headers, params=split_query(query))
    request.context["timestamp"] = amz_date
    signer = S3SigV4Auth(Credentials(settings.access_key, settings.secret_key), "s3",
                         settings.region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if expected != auth["signature"]:
        return "mismatch"
    return "ok"


def verify_payload(headers, body):
    claimed = headers.get("x-amz-content-sha256")
    if claimed is None:
        payload = "missing"
    elif claimed == UNSIGNED:
        payload = "unsigned"
    else:
        payload = "ok" if hashlib.sha256(body).hexdigest() == claimed else "mismatch"
    md5 = headers.get("Content-MD5")
    if md5 is None:
        md5_state = "absent"
    else:
        digest = base64.b64encode(hashlib.md5(body).digest()).decode()
        md5_state = "ok" if digest == md5 else "mismatch"
    return payload, md5_state


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "s3proxy"
    sys_version = ""

    def log_message(self, fmt, *args):  # the JSON log is ours
        pass

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status, body, headers=None, head=False):
        self.send_response(status)
        for name, value in (headers or {"Content-Type": "application/xml"}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and not head:
            self.wfile.write(body)

    def _drop(self, rst=False):
        if rst:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR) if not rst else None
        except OSError:
            pass
        self.connection.close()

    def _handle(self):
        raw_path, _, query = self.path.partition("?")
        if raw_path == "/__s3proxy/health":
            self._reply(200, b"ok\n", {"Content-Type": "text/plain"})
            return
        body = self._read_body()
        method = self.command
        params = split_query(query)
        op, key, part = classify(method, raw_path, params)
        entry = {"op": op, "method": method, "key": key, "part": part,
                 "query": sorted(name for name, _ in params)}
        try:
            sig = verify_signature(method, raw_path, query, self.headers, Settings)
        except Exception as exc:  # a request botocore cannot even read
            sig = "mismatch (%s)" % type(exc).__name__
        payload, md5 = verify_payload(self.headers, body)
        entry.update(sig=sig, payload=payload, md5=md5, fault=None)
        if sig != "ok":
            entry["status"] = 403
            LOG.write(entry)
            code = "RequestTimeTooSkewed" if sig == "bad-date" else "SignatureDoesNotMatch"
            self._reply(403, error_xml(code, "The request signature we calculated does not "
                                             "match the signature you provided."))
            return
        if payload in ("mismatch", "missing") or md5 == "mismatch":
            status, code = (400, "BadDigest") if md5 == "mismatch" else \
                (400, "XAmzContentSHA256Mismatch")
            entry["status"] = status
            LOG.write(entry)
            self._reply(status, error_xml(code, "The payload does not match its digest."))
            return

        rule = CONTROL.match(op, key, part)
        action = rule.get("action", "status") if rule else None
        if rule:
            entry["fault"] = action if action != "status" else "status %d" % int(
                rule.get("status", 500))
        if action == "status":
            status = int(rule.get("status", 500))
            entry["status"] = status
            LOG.write(entry)
            code = rule.get("code", DEFAULT_CODES.get(status, "InternalError"))
            self._reply(status, error_xml(code, rule.get("message", "Injected by s3proxy.")),
                        head=method == "HEAD")
            return
        if action in ("drop", "reset"):
            entry["status"] = None
            LOG.write(entry)
            self._drop(rst=action == "reset")
            return
        if action == "hang":
            entry["status"] = None
            LOG.write(entry)
            time.sleep(float(rule.get("seconds", 30)))
            self._drop()
            return
        if action == "complete_error":
            entry["status"] = 200
            LOG.write(entry)
            code = rule.get("code", "InternalError")
            self._reply(200, error_xml(code, rule.get("message", "Injected by s3proxy.")))
            return

        upload_id = dict(params).get("uploadId")
        if upload_id is not None and op in ("UploadPart", "CompleteMultipartUpload",
                                            "AbortMultipartUpload"):
            with ABORTED_LOCK:
                gone = upload_id in ABORTED
                if op == "AbortMultipartUpload" and not gone:
                    ABORTED.add(upload_id)
            if gone:
                entry["status"] = 404
                LOG.write(entry)
                self._reply(404, error_xml("NoSuchUpload", "The specified upload does not "
                                                           "exist."))
                return
            if op == "AbortMultipartUpload":
                if Settings.s3_dir and "/" not in upload_id and upload_id not in (".", ".."):
                    bucket = unquote(raw_path.lstrip("/").split("/", 1)[0])
                    shutil.rmtree(os.path.join(Settings.s3_dir, bucket, "._S3rver_uploads",
                                               upload_id), ignore_errors=True)
                entry["status"] = 204
                LOG.write(entry)
                self._reply(204, b"", {})
                return

        if op == "ListMultipartUploads":
            entry["status"] = 200
            LOG.write(entry)
            bucket = unquote(raw_path.lstrip("/").split("/", 1)[0])
            self._reply(200, list_uploads_xml(bucket, params))
            return

        status, reply_headers, reply = self._forward(method, raw_path, query, body)
        if op == "ListObjects" and status == 200 and \
                dict(params).get("encoding-type") == "url":
            reply = url_encode_listing(reply)
        entry["status"] = status
        LOG.write(entry)
        if action == "truncate" and reply:
            self.send_response(status)
            for name, value in reply_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply[:len(reply) // 2])
            self.wfile.flush()
            self._drop()
            return
        self.send_response(status)
        for name, value in reply_headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        if reply and method != "HEAD":
            self.wfile.write(reply)

    def _forward(self, method, raw_path, query, body):
        upstream = urlsplit(Settings.upstream)
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        try:
            headers = {name: value for name, value in self.headers.items()
                       if name.lower() not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(body))
            conn.request(method, raw_path + ("?" + query if query else ""), body=body,
                         headers=headers)
            reply = conn.getresponse()
            data = reply.read()
            out = [(name, value) for name, value in reply.getheaders()
                   if name.lower() not in HOP_BY_HOP]
            return reply.status, out, data
        except OSError as exc:
            return 502, [("Content-Type", "application/xml")], error_xml(
                "BadGateway", "s3proxy cannot reach s3rver: %s" % exc)
        finally:
            conn.close()

    def _safe(self):
        try:
            self._handle()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _safe


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--control")
    parser.add_argument("--log")
    parser.add_argument("--s3-dir")
    args = parser.parse_args()
    env = os.environ
    Settings.access_key = env.get("S3PROXY_ACCESS_KEY") or env.get("AWS_ACCESS_KEY_ID", "")
    Settings.secret_key = env.get("S3PROXY_SECRET_KEY") or env.get("AWS_SECRET_ACCESS_KEY", "")
    Settings.region = env.get("S3PROXY_REGION") or env.get("AWS_REGION") or "us-east-1"
    for name in ("S3PROXY_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"):
        env.pop(name, None)
    if not Settings.access_key or not Settings.secret_key:
        sys.exit("s3proxy: no credentials in the environment")
    Settings.upstream = args.upstream
    Settings.s3_dir = args.s3_dir
    global CONTROL, LOG
    CONTROL = Control(args.control)
    LOG = Log(args.log)
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("s3proxy: listening on 127.0.0.1:%d, upstream %s" % (args.port, args.upstream),
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
