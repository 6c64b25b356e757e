#!/usr/bin/env python3
"""Messaging benchmark (issue #14): messages per second through one group
conversation of 10 members spread over two nodes, and the latency from
send (the REST request leaves the client) to receipt (`message_new` read
from each member's /ws/user/ socket), over every delivery.

Starts its own servers from build/watchparty: two nodes on a fresh
PostgreSQL database and Redis (WP_PG_URL, WP_REDIS_URL), or one SQLite node
without them. Each member sends open-loop at rate/10 per second on one
keep-alive HTTP connection to its node (--conns of them, each with one
request in flight); its socket is on the same node and says `viewing` for
the conversation, as the web client does with the thread open (so nobody is
notified; --not-viewing measures the notices too).

  WP_PG_URL=postgresql://wp@127.0.0.1:55432/wp WP_REDIS_URL=redis://127.0.0.1:56379 \\
      bench/messaging.py --rate 1000 --duration 10
Prints one JSON object.

The sends and receipts are made by build/wp_msgload (C++, one thread; build it
with `/work/team/build.sh --target wp_msgload`), which also reports its own CPU
and the nodes'; --generator python runs the older asyncio generator in this
process (18 % of the machine's CPU in the last profile, and its own
scheduling delay in every latency).
"""
import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("WP_BIN", os.path.join(ROOT, "build", "watchparty"))
MSGLOAD = os.path.join(ROOT, "build", "wp_msgload")
MEMBERS = 10


DATA_DIRS = []  # removed when the run ends


def start_node(args, db_url, redis_url, prefix):
    data = tempfile.mkdtemp(prefix="wp_msgbench_")
    DATA_DIRS.append(data)
    cmd = [BIN, "serve", "--port", "0", "--data-dir", data, "--password-hash-cost", "min", "--access-log", "false",
           "--message-send-limit", "1000000", "--ws-flood-burst", "100000", "--ws-flood-rate", "100000",
           "--io-threads", "2", "--run-workers-in-serve", "false"]
    if db_url:
        cmd += ["--database-url", db_url]
    if redis_url:
        cmd += ["--redis-url", redis_url, "--redis-prefix", prefix]
    log = open(os.path.join(data, "log"), "wb")
    proc = subprocess.Popen(cmd + args, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        text = open(os.path.join(data, "log"), errors="replace").read()
        m = re.search(r"listening on http://[^:]+:(\d+)", text)
        if m:
            return proc, int(m.group(1))
        time.sleep(0.05)
    raise RuntimeError("server did not start:\n" + text)


def psql(pg_url, command):
    m = re.match(r"postgresql://([^@]+)@([^:/]+):(\d+)/(\w+)", pg_url)
    user, host, port, _ = m.groups()
    subprocess.run(["psql", "-q", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-c", command],
                   check=True, capture_output=True)


def new_pg_database(pg_url):
    name = "wp_bench_" + uuid.uuid4().hex[:10]
    psql(pg_url, f"CREATE DATABASE {name}")
    return pg_url.rsplit("/", 1)[0] + "/" + name


class Http:
    """A keep-alive HTTP/1.1 client for small JSON POSTs (one request at a time)."""

    def __init__(self, port, token):
        self.port, self.token = port, token

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def post(self, path, body):
        data = json.dumps(body).encode()
        self.writer.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
                           f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        await self.reader.readexactly(length)
        return status


def setup(ports):
    """10 users, one group conversation, each member on node i % nodes."""
    users = []
    for i in range(MEMBERS):
        port = ports[i % len(ports)]
        name = "bench" + uuid.uuid4().hex[:8]
        r = requests.post(f"http://127.0.0.1:{port}/api/auth/register/",
                          json={"username": name, "email": name + "@example.com", "password": "Qz7!" + uuid.uuid4().hex})
        r.raise_for_status()
        users.append({"port": port, "id": r.json()["user"]["id"], "token": r.json()["access_token"]})
    owner = users[0]
    r = requests.post(f"http://127.0.0.1:{owner['port']}/api/conversations/groups/",
                      headers={"Authorization": "Bearer " + owner["token"]},
                      json={"title": "bench", "member_ids": [u["id"] for u in users[1:]]})
    r.raise_for_status()
    return users, r.json()["id"]


def run_cpp(users, conv, rate, duration, conns, viewing, procs):
    with tempfile.NamedTemporaryFile("w", prefix="wp_msgbench_members_", delete=False) as f:
        f.write("".join(f"{u['port']} {u['token']}\n" for u in users))
    try:
        out = subprocess.run([MSGLOAD, "--members", f.name, "--conversation", conv, "--rate", str(rate),
                              "--duration", str(duration), "--conns", str(conns), "--viewing", "1" if viewing else "0",
                              "--server-pids", ",".join(str(p.pid) for p in procs)],
                             capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if out.returncode != 0:
        raise RuntimeError("wp_msgload failed:\n" + out.stderr)
    return dict(json.loads(out.stdout), nodes=len({u["port"] for u in users}))


async def run(users, conv, rate, duration, conns, viewing):
    import websockets  # only this generator needs it

    sent_at = {}  # client_id -> send time (ms)
    received = [dict() for _ in users]  # per member: client_id -> receipt time (ms)
    socks = []
    for u in users:
        ws = await websockets.connect(f"ws://127.0.0.1:{u['port']}/ws/user/?token={u['token']}", max_size=2 ** 22,
                                      ping_interval=None, max_queue=None)
        await ws.recv()  # hello
        socks.append(ws)

    async def keep_viewing(ws):
        # As the web client does with a thread open (docs/realtime.md, "Messaging"):
        # `viewing` now and every 30 s, so the members get no new_message notices.
        while True:
            await ws.send(json.dumps({"type": "viewing", "conversation_id": conv}))
            await asyncio.sleep(30)

    viewers = [asyncio.create_task(keep_viewing(ws)) for ws in socks] if viewing else []
    if viewing:
        await asyncio.sleep(0.5)  # no answer to wait for: give the nodes a moment to store it

    async def reader(i, ws):
        try:
            async for raw in ws:
                t = time.perf_counter() * 1000
                if '"message_new"' not in raw:
                    continue
                m = json.loads(raw)["data"]["message"]
                received[i][m["client_id"]] = t
        except websockets.ConnectionClosed:
            pass

    readers = [asyncio.create_task(reader(i, ws)) for i, ws in enumerate(socks)]
    statuses = []

    async def sender(i, c, u):
        http = Http(u["port"], u["token"])
        await http.open()
        per = rate / MEMBERS / conns
        start = time.perf_counter()
        n = 0
        while True:
            due = start + n / per
            now = time.perf_counter()
            if due - start >= duration:
                break
            if due > now:
                await asyncio.sleep(due - now)
            cid = f"{i}-{c}-{n}"
            sent_at[cid] = time.perf_counter() * 1000
            body = ("bench message " + cid).ljust(40, ".")  # differs per message, as chat does (wp_msgload)
            statuses.append(await http.post(f"/api/conversations/{conv}/messages/", {"client_id": cid, "body": body}))
            n += 1
        http.writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(sender(i, c, u) for i, u in enumerate(users) for c in range(conns)))
    send_seconds = time.perf_counter() - t0
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(len(r) < len(sent_at) for r in received):
        await asyncio.sleep(0.1)
    for ws in socks:
        await ws.close()
    for t in readers + viewers:
        t.cancel()
    lat = sorted(r[c] - sent_at[c] for r in received for c in r if c in sent_at)
    lost = sum(len(sent_at) - len(r) for r in received)

    def pct(p):
        return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] if lat else None

    return {"generator": "python", "nodes": len({u["port"] for u in users}), "members": MEMBERS,
            "connections": MEMBERS * conns, "target_rate": rate,
            "viewing": viewing,
            "duration_s": duration,
            "messages": len(sent_at), "messages_per_s": round(len(sent_at) / send_seconds, 1),
            "non_201": sum(1 for s in statuses if s != 201), "deliveries": len(lat), "lost_deliveries": lost,
            "p50_ms": round(pct(50), 2), "p99_ms": round(pct(99), 2), "max_ms": round(lat[-1], 2),
            "mean_ms": round(statistics.mean(lat), 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=1000, help="messages per second, all members together")
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--conns", type=int, default=4, help="HTTP connections per member")
    ap.add_argument("--generator", choices=["cpp", "python"], default="cpp" if os.path.exists(MSGLOAD) else "python")
    ap.add_argument("--not-viewing", action="store_true",
                    help="members do not send `viewing`: every message notifies the 9 others (new_message)")
    ap.add_argument("--keep-database", action="store_true", help="keep the PostgreSQL database (dropped by default)")
    a = ap.parse_args()
    pg, redis = os.environ.get("WP_PG_URL"), os.environ.get("WP_REDIS_URL")
    procs, ports, db = [], [], None
    load_before = round(os.getloadavg()[0], 2)
    try:
        if pg and redis:
            db, prefix = new_pg_database(pg), f"wp-bench-{uuid.uuid4().hex[:6]}:"
            for _ in range(2):
                p, port = start_node([], db, redis, prefix)
                procs.append(p)
                ports.append(port)
        else:
            p, port = start_node([], None, None, None)
            procs.append(p)
            ports.append(port)
        users, conv = setup(ports)
        if a.generator == "cpp":
            result = run_cpp(users, conv, a.rate, a.duration, a.conns, not a.not_viewing, procs)
        else:
            result = asyncio.run(run(users, conv, a.rate, a.duration, a.conns, not a.not_viewing))
        if pg and redis:
            result["database"] = db.rsplit("/", 1)[1]
        result["load_avg_before_after"] = [load_before, round(os.getloadavg()[0], 2)]
        print(json.dumps(result))
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        for d in DATA_DIRS:
            shutil.rmtree(d, ignore_errors=True)
        if pg and redis and db and not a.keep_database:
            psql(pg, f"DROP DATABASE IF EXISTS {db.rsplit('/', 1)[1]}")


if __name__ == "__main__":
    sys.exit(main())
