#!/usr/bin/env python3
"""sigv4_vectors.py - computes, with botocore (Debian's python3-botocore), the
expected values that tests/unit/s3/test_sigv4.c checks: the AWS SigV4 test-suite
cases (credentials AKIDEXAMPLE, region us-east-1, service "service", date
20150830T123600Z; the signatures agree with the suite's published ones) and
S3 cases (?uploads, UploadPart, ListObjectsV2, UNSIGNED-PAYLOAD, a session
token). Run it to see each case's canonical request and signature:

    python3 tests/unit/s3/sigv4_vectors.py

botocore is an independent implementation: the C signer and it share no code.
"""
import hashlib
from urllib.parse import unquote
from botocore.auth import SigV4Auth, S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AK, SK = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
DATE = "20150830T123600Z"

def split_query(q):
    out = []
    for item in q.split("&") if q else []:
        n, _, v = item.partition("=")
        out.append((unquote(n), unquote(v)))
    return out

def sign(cls, service, method, path, query, headers, body=b"", token=None):
    req = AWSRequest(method=method, url="https://example.amazonaws.com" + path,
                     headers=dict(headers), data=body, params=split_query(query))
    req.context["timestamp"] = DATE
    s = cls(Credentials(AK, SK, token), service, "us-east-1")
    if cls is SigV4Auth:
        s._normalize_url_path = lambda p: p   # the tests give the path already encoded
    cr = s.canonical_request(req)
    sts = s.string_to_sign(req, cr)
    return cr, s.signature(sts, req)

H = [("Host", "example.amazonaws.com"), ("X-Amz-Date", DATE)]
unres = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
cases = [
 ("get-vanilla", SigV4Auth, "service", "GET", "/", "", H, b""),
 ("get-vanilla-query-order-key-case", SigV4Auth, "service", "GET", "/", "Param2=value2&Param1=value1", H, b""),
 ("get-vanilla-empty-query-key", SigV4Auth, "service", "GET", "/", "Param1=value1", H, b""),
 ("get-unreserved", SigV4Auth, "service", "GET", "/" + unres, "", H, b""),
 ("get-vanilla-query-unreserved", SigV4Auth, "service", "GET", "/", unres + "=" + unres, H, b""),
 ("get-utf8", SigV4Auth, "service", "GET", "/%E1%88%B4", "", H, b""),
 ("get-vanilla-utf8-query", SigV4Auth, "service", "GET", "/", "%E1%88%B4=bar", H, b""),
 ("get-space", SigV4Auth, "service", "GET", "/example%20space/", "", H, b""),
 ("post-vanilla", SigV4Auth, "service", "POST", "/", "", H, b""),
 ("post-vanilla-query", SigV4Auth, "service", "POST", "/", "Param1=value1", H, b""),
 ("post-header-key-sort", SigV4Auth, "service", "POST", "/", "", H + [("My-Header1", "value1")], b""),
 ("post-header-value-case", SigV4Auth, "service", "POST", "/", "", H + [("My-Header1", "VALUE1")], b""),
 ("get-header-value-trim", SigV4Auth, "service", "GET", "/", "", H + [("My-Header1", " value1"), ("My-Header2", ' "a   b   c"')], b""),
 ("post-x-www-form-urlencoded", SigV4Auth, "service", "POST", "/", "", [("Content-Type", "application/x-www-form-urlencoded")] + H, b"Param1=value1"),
 ("post-x-www-form-urlencoded-parameters", SigV4Auth, "service", "POST", "/", "", [("Content-Type", "application/x-www-form-urlencoded; charset=utf8")] + H, b"Param1=value1"),
]
TOKEN = ("AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIY"
         "RqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDv"
         "p75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOL"
         "n9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==")
E = hashlib.sha256(b"").hexdigest()
S3H = [("Host", "examplebucket.s3.amazonaws.com"), ("X-Amz-Date", DATE)]
md5 = "XUFAKrxLKna5cZ2REBfFkg=="  # md5("hello")
hello = hashlib.sha256(b"hello").hexdigest()
s3cases = [
 ("s3-initiate-uploads", "POST", "/db%20dump.sql.gz", "uploads", S3H + [("x-amz-content-sha256", E), ("Content-Type", "application/gzip")], b"", None),
 ("s3-upload-part", "PUT", "/shop/db.sql.gz", "uploadId=VXBsb2FkIElE%2Bab%2F%3D&partNumber=1", S3H + [("x-amz-content-sha256", hello), ("Content-MD5", md5)], b"hello", None),
 ("s3-list-v2", "GET", "/", "prefix=shop%2Fdb_&list-type=2&continuation-token=1%2Fabc%2B%3D%3D&max-keys=2", S3H + [("x-amz-content-sha256", E)], b"", None),
 ("s3-unsigned-payload", "PUT", "/a/b", "", S3H + [("x-amz-content-sha256", "UNSIGNED-PAYLOAD")], b"hello", None),
 ("s3-session-token", "GET", "/key", "", S3H + [("x-amz-content-sha256", E), ("x-amz-security-token", "IQoJb3JpZ2luX2VjEXAMPLETOKEN//+=")], b"", "IQoJb3JpZ2luX2VjEXAMPLETOKEN//+="),
]
cases.append(("post-sts-header-before", SigV4Auth, "service", "POST", "/", "",
              H + [("X-Amz-Security-Token", TOKEN)], b""))
for name, cls, svc, m, p, q, h, b in cases:
    cr, sig = sign(cls, svc, m, p, q, h, b, TOKEN if "sts" in name else None)
    print(name, sig)
    print("  CR", repr(cr))
for name, m, p, q, h, b, tok in s3cases:
    cr, sig = sign(S3SigV4Auth, "s3", m, p, q, h, b, tok)
    print(name, sig)
    print("  CR", repr(cr))
