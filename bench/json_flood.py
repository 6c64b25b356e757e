#!/usr/bin/env python3
"""Figure 10 (issue #24): memory under a flood of hostile JSON bodies.

Starts a server (SQLite, its own data dir), sends REQUESTS anonymous POSTs
whose 1 MiB body is an array of half a million tiny elements, CONCURRENCY at
a time, and samples the server's RSS: its peak during the flood and what it
still holds 3 s after. Prints one JSON line.

  bench/json_flood.py [--bin build/watchparty] [--path /api/auth/login/]
                      [--requests 320] [--concurrency 32] [--bytes 1048576]
"""
import argparse
import concurrent.futures
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        m = re.search(r"VmRSS:\s+(\d+)", f.read())
    return int(m.group(1)) if m else 0


def post(port, path, body):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    out = b""
    try:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass  # refused early: the server may close before the body is sent
    s.close()
    m = re.match(rb"HTTP/1\.1 (\d+)", out)
    return int(m.group(1)) if m else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "build", "watchparty"))
    ap.add_argument("--path", default="/api/auth/login/")
    ap.add_argument("--requests", type=int, default=320)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--bytes", type=int, default=1 << 20)
    ap.add_argument("--max-body", type=int, default=None, help="--max-body-bytes for the server")
    a = ap.parse_args()

    body = b"[" + b"0," * ((a.bytes - 3) // 2) + b"0]"
    data = tempfile.mkdtemp(prefix="wp_flood_")
    log = open(os.path.join(data, "server.log"), "wb")
    cmd = [a.bin, "serve", "--port", "0", "--data-dir", data, "--password-hash-cost", "min"]
    if a.max_body:
        cmd += ["--max-body-bytes", str(a.max_body)]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        port = None
        for _ in range(300):
            m = re.search(r"listening on http://[^:]+:(\d+)", open(log.name, errors="replace").read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.05)
        assert port, "server did not start"
        time.sleep(0.5)
        idle = rss_kib(proc.pid)
        peak = [idle]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], rss_kib(proc.pid))
                time.sleep(0.01)

        t = threading.Thread(target=sample)
        t.start()
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(a.concurrency) as pool:
            codes = list(pool.map(lambda _: post(port, a.path, body), range(a.requests)))
        took = time.time() - started
        time.sleep(3)
        done.set()
        t.join()
        held = rss_kib(proc.pid)
        statuses = {str(c): codes.count(c) for c in sorted(set(codes))}
        print(json.dumps({"path": a.path, "requests": a.requests, "concurrency": a.concurrency,
                          "body_bytes": len(body), "statuses": statuses, "seconds": round(took, 2),
                          "rss_idle_mib": round(idle / 1024, 1), "rss_peak_mib": round(peak[0] / 1024, 1),
                          "rss_held_mib": round(held / 1024, 1)}))
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
