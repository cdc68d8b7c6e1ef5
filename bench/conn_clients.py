#!/usr/bin/env python3
"""bench/connections.sh helper: many client connections from one process.

  conn_clients.py hold  PORT N keepalive|halfopen [ROUNDS] [PATH]
      Opens N connections. keepalive: each sends ROUNDS requests (default 1)
      one after the other, all connections at once, and stays open, idle;
      halfopen: each sends a request line and part of a header, never
      finished. Prints "READY opened=N answered=A failed=F seconds=S", then
      holds every connection until stdin closes (or SIGTERM), and prints
      "HELD still_open=K closed_by_server=C" at the end.
  conn_clients.py probe PORT M [PATH [TIMEOUT_S]]
      M new clients one after the other: connect, GET, read the answer,
      close. Prints "PROBE n=M ok=K failed=F p50_ms=.. p99_ms=.. max_ms=..".

Every failure is counted (connect errors, resets, timeouts after 30 s,
non-200 answers). Raises its open-file limit to the hard limit.
"""
import resource
import selectors
import socket
import sys
import time

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
TIMEOUT = 30.0


def request(path):
    return ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode()


def complete(buf):
    """Length of one complete answer at the start of buf, or 0."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return 0
    length = 0
    for line in buf[:end].split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    return end + 4 + length if len(buf) >= end + 4 + length else 0


def hold(port, n, mode, rounds, path):
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    conns, failed = [], 0
    req = request(path)
    half = ("GET %s HTTP/1.1\r\nHost: 127.0" % path).encode()
    for i in range(n):  # connect in waves: the listen backlog is finite
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        conns.append({"s": s, "left": rounds, "buf": b"", "state": "connect"})
        sel.register(s, selectors.EVENT_WRITE, conns[-1])
        if len(conns) % 512 == 0:
            failed += pump(sel, mode, req, half, deadline=time.monotonic() + TIMEOUT, wait_all=False)
    failed += pump(sel, mode, req, half, deadline=time.monotonic() + TIMEOUT, wait_all=True)
    answered = sum(1 for c in conns if c["state"] == "idle" and mode == "keepalive")
    failed += sum(1 for c in conns if c["state"] not in ("idle", "failed"))
    print("READY opened=%d answered=%d failed=%d seconds=%.2f" % (n, answered, failed, time.monotonic() - start),
          flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    still, closed = 0, 0
    for c in conns:
        if c["state"] == "failed":
            continue
        try:
            d = c["s"].recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
            closed += 1 if d == b"" else 0
            still += 0 if d == b"" else 1
        except BlockingIOError:
            still += 1
        except OSError:
            closed += 1
    print("HELD still_open=%d closed_by_server=%d" % (still, closed), flush=True)


def pump(sel, mode, req, half, deadline, wait_all):
    """Drives connections until each is idle (answered ROUNDS times /
    half-open written) or failed; returns failures. wait_all=False returns
    once every connect completed."""
    failed = 0
    while time.monotonic() < deadline:
        busy = [k for k in sel.get_map().values() if k.data["state"] not in ("idle", "failed")]
        if not busy or (not wait_all and all(k.data["state"] != "connect" for k in busy)):
            return failed
        for key, ev in sel.select(timeout=0.5):
            c, s = key.data, key.fileobj
            try:
                if c["state"] == "connect":
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        raise OSError(err, "connect")
                    if mode == "halfopen":
                        s.send(half)
                        c["state"] = "idle"
                        sel.modify(s, selectors.EVENT_READ, c)  # noticed if the server answers or closes
                        continue
                    s.send(req)
                    c["state"] = "answer"
                    sel.modify(s, selectors.EVENT_READ, c)
                elif c["state"] == "answer":
                    d = s.recv(65536)
                    if not d:
                        raise OSError("closed")
                    c["buf"] += d
                    k = complete(c["buf"])
                    if k:
                        ok = c["buf"].startswith(b"HTTP/1.1 200")
                        c["buf"] = c["buf"][k:]
                        c["left"] -= 1
                        if not ok:
                            raise OSError("status")
                        if c["left"] > 0:
                            s.send(req)
                        else:
                            c["state"] = "idle"
                else:  # idle: anything now is the server closing or answering a half-open request
                    c["state"] = "failed"
                    failed += 1
                    sel.unregister(s)
            except OSError:
                c["state"] = "failed"
                failed += 1
                sel.unregister(s)
    return failed


def probe(port, m, path, timeout):
    times, failed = [], 0
    req = request(path)
    for _ in range(m):
        t0 = time.monotonic()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
            s.sendall(req)
            buf = b""
            while not complete(buf):
                d = s.recv(65536)
                if not d:
                    raise OSError("closed")
                buf += d
            s.close()
            if not buf.startswith(b"HTTP/1.1 200"):
                raise OSError("status")
            times.append((time.monotonic() - t0) * 1000)
        except OSError:
            failed += 1
        time.sleep(0.01)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")
    print("PROBE n=%d ok=%d failed=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f" %
          (m, len(times), failed, pick(0.5), pick(0.99), times[-1] if times else float("nan")), flush=True)


if __name__ == "__main__":
    a = sys.argv
    if a[1] == "hold":
        hold(int(a[2]), int(a[3]), a[4], int(a[5]) if len(a) > 5 else 1, a[6] if len(a) > 6 else "/")
    elif a[1] == "probe":
        probe(int(a[2]), int(a[3]), a[4] if len(a) > 4 else "/", float(a[5]) if len(a) > 5 else TIMEOUT)
    else:
        sys.exit(__doc__)
