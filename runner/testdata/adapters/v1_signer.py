#!/usr/bin/env python3
"""A small real adapter for the runner's tests: signs V1 (HMAC-SHA1, RPC)
with the standard library alone and reports what it received, as an SDK
would (adapters/README.md). One request at a time.

Usage: v1_signer.py [FLAW]. Without a flaw it is a correct client. Each flaw
is one mistake an SDK can make, for the runner's judged-surface tests:
  lie-success     reports every answer as a success with status 200
  lose-request-id surfaces no request id for errors
  rename-param    sends the last business parameter's name upper-cased
  add-region      adds RegionId to every call
  always-get      sends GET whatever the request's method
  bad-signature   signs with a secret that is not the one given
"""
import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

flaw = sys.argv[1] if len(sys.argv) > 1 else ""


def enc(s):
    return urllib.parse.quote(s, safe="~")


def sign(method, params, secret):
    canonical = "&".join(enc(k) + "=" + enc(v) for k, v in sorted(params.items()))
    to_sign = method + "&" + enc("/") + "&" + enc(canonical)
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def call(req):
    creds = req["credentials"]
    params = dict(req["params"])
    if flaw == "rename-param" and params:
        last = list(params)[-1]
        params[last.upper()] = params.pop(last)
    if flaw == "add-region":
        params["RegionId"] = req["region"]
    method = "GET" if flaw == "always-get" else req["method"]
    common = {
        "Action": req["action"], "Version": "2020-04-20", "Format": req.get("format", "JSON"),
        "AccessKeyId": creds["id"], "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
        "SignatureNonce": uuid.uuid4().hex, "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if "token" in creds:
        common["SecurityToken"] = creds["token"]
    params.update(common)
    secret = "not-the-secret" if flaw == "bad-signature" else creds["secret"]
    params["Signature"] = sign(method, params, secret)
    url = req["endpoint"] + "/?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
    http = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(http, timeout=req["timeout_ms"] / 1000) as r:
            status, headers, raw = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, raw = e.code, e.headers, e.read()
    except OSError as e:
        return {"id": req["id"], "ok": False, "status": 0, "transport": "connect", "message": str(e)}
    body = json.loads(raw or b"{}")
    ok = status == 200 and "Code" not in body
    answer = {"id": req["id"], "ok": ok, "status": status, "request_id": body.get("RequestId"), "body": body,
              "headers": {k.lower(): v for k, v in headers.items()}}
    if not ok:
        answer["code"] = body.get("Code")
        answer["message"] = body.get("Message")
    if flaw == "lie-success":
        answer.update({"ok": True, "status": 200})
        answer.pop("code", None)
        answer.pop("message", None)
    if flaw == "lose-request-id" and not ok:
        del answer["request_id"]
    return answer


sys.stdin.readline()
print(json.dumps({"hello": {"protocol": 1, "name": "py-v1-signer-0.1" + ("-" + flaw if flaw else ""),
                            "schemes": ["v1"], "methods": ["GET", "POST"], "formats": ["JSON"]}}), flush=True)
for line in sys.stdin:
    print(json.dumps(call(json.loads(line))), flush=True)
