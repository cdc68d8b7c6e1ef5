#!/usr/bin/env python3
"""A fake SDK adapter for the runner's protocol tests (adapters/README.md).

It makes no HTTP call: each mode answers canned results or misbehaves in one
way. Usage: canned.py MODE [NAME]. Modes:
  ok          every request: ok, status 200, request id CANNED-1 (also in body)
  error       every request: ok false, status 400, code Throttling.User
  reverse     answers a burst's requests newest first (read what is there)
  crash       exits 3 at the first request, "boom" on stderr
  hang        reads requests and never answers
  notjson     prints a line that is not JSON
  unknown-id  answers an id that was not asked
  no-ok       answers without "ok"
  huge        prints a 20 MiB line
  hello-exit  exits 1 before its hello, "cannot load the SDK" on stderr
  bad-hello   says hello with protocol 2
  close-stdout  closes its stdout and keeps running
  chatty      writes 1 MiB to stderr before each answer, then answers as ok
  leak        writes the request's secret and token to stderr, then exits 1
  schemes-v1  as ok, but can sign with v1 only and send POST only
"""
import json
import os
import select
import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
name = sys.argv[2] if len(sys.argv) > 2 else "canned-1.0.0"


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def ok_answer(req):
    rid = "CANNED-%d" % req["id"]
    return {"id": req["id"], "ok": True, "status": 200, "request_id": rid,
            "body": {"RequestId": rid, "Echo": req["params"]}, "headers": {"x-canned": "yes"}}


def error_answer(req):
    return {"id": req["id"], "ok": False, "status": 400, "code": "Throttling.User",
            "message": "Request was denied due to user flow control.", "request_id": "CANNED-E",
            "body": {"RequestId": "CANNED-E", "Code": "Throttling.User"}}


hello_line = sys.stdin.readline()
if mode == "hello-exit":
    sys.stderr.write("cannot load the SDK\n")
    sys.exit(1)
if mode == "bad-hello":
    send({"hello": {"protocol": 2, "name": name, "schemes": ["v3"], "methods": ["POST"], "formats": ["JSON"]}})
    time.sleep(30)
    sys.exit(0)
schemes, methods = (["v1"], ["POST"]) if mode == "schemes-v1" else (["v1", "v3"], ["GET", "POST"])
send({"hello": {"protocol": 1, "name": name, "schemes": schemes, "methods": methods, "formats": ["JSON", "XML"]}})
if mode == "close-stdout":
    os.close(1)
    time.sleep(60)
    sys.exit(0)

fd = sys.stdin.fileno()
buf = b""


def read_requests(wait):
    """The requests available now (blocking for the first when wait)."""
    global buf
    out = []
    while True:
        ready, _, _ = select.select([fd], [], [], None if (wait and not out) else 0.2)
        if not ready:
            return out
        chunk = os.read(fd, 65536)
        if not chunk:
            if out:
                return out
            sys.exit(0)
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            out.append(json.loads(line))
        if out and wait:
            return out


while True:
    reqs = read_requests(True)
    if mode == "reverse":
        reqs += read_requests(False)
        for req in reversed(reqs):
            send(ok_answer(req))
        continue
    for req in reqs:
        if mode in ("ok", "schemes-v1"):
            send(ok_answer(req))
        elif mode == "error":
            send(error_answer(req))
        elif mode == "crash":
            sys.stderr.write("boom\n")
            sys.stderr.flush()
            sys.exit(3)
        elif mode == "hang":
            pass
        elif mode == "notjson":
            sys.stdout.write("Traceback (most recent call last): this is not JSON\n")
            sys.stdout.flush()
        elif mode == "unknown-id":
            send({"id": req["id"] + 1000, "ok": True, "status": 200})
        elif mode == "no-ok":
            send({"id": req["id"], "status": 200})
        elif mode == "huge":
            sys.stdout.write("x" * (20 << 20) + "\n")
            sys.stdout.flush()
        elif mode == "chatty":
            sys.stderr.write(("chatter " * 128 + "\n") * 1024)
            sys.stderr.flush()
            send(ok_answer(req))
        elif mode == "leak":
            creds = req["credentials"]
            sys.stderr.write("secret=%s token=%s\n" % (creds["secret"], creds.get("token", "")))
            sys.stderr.flush()
            sys.exit(1)
