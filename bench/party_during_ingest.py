#!/usr/bin/env python3
"""Party realtime latency during analytics ingestion (issue #20): figure 3's
fan-out (1,000 members of one party, 10 chat messages/s for 3 s, 3 rounds;
build/wp_loadgen fanout) measured twice on one server: alone, then while
clients ingest analytics events through POST /api/analytics/events/ at a
fixed rate (open loop: batches of 100, --rate events/s over --conns
keep-alive connections), so that the ingestion is the load and not a
saturating flood. A batch the server sheds (503 while its I/O threads lag)
is counted in "shed", and its connection waits Retry-After before the next.
PostgreSQL with WP_PG_URL (a fresh database), else SQLite.

  WP_PG_URL=postgresql://wp@127.0.0.1:55432/wp bench/party_during_ingest.py --rate 20000
Prints one JSON object: the fan-out rounds alone and during ingestion, and
what the ingestion achieved (events/s, request p50/p99, failures).
Needs build/watchparty and build/wp_loadgen (scripts/bench.sh builds both).
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from analytics_ingest import batch_bytes  # noqa: E402
from messaging import new_pg_database, start_node  # noqa: E402

import requests  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOADGEN = os.path.join(ROOT, "build", "wp_loadgen")


async def paced_sender(port, token, body, events_per_batch, interval, stop, out):
    """One connection sending a batch every `interval` seconds (a late answer delays the next, never doubles it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"POST /api/analytics/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    next_at = time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        t0 = time.perf_counter()
        writer.write(head + body)
        status = int((await reader.readline()).split()[1])
        length, retry_after = 0, 0.0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            if line.lower().startswith(b"retry-after:"):
                retry_after = float(line.split(b":")[1])
        await reader.readexactly(length)
        out.append((status, (time.perf_counter() - t0) * 1000, events_per_batch, time.monotonic()))
        next_at = max(next_at + interval, time.monotonic() - interval)
        if status == 503:  # shed while the party lags: wait as told, like a real client
            next_at = max(next_at, time.monotonic() + retry_after)
    writer.close()


def ingest(port, token, rate, batch, conns, stop, result):
    body = batch_bytes(batch)
    interval = conns * batch / rate
    out = []
    t0 = time.monotonic()

    async def run():
        await asyncio.gather(*(paced_sender(port, token, body, batch, interval, stop, out) for _ in range(conns)))

    asyncio.run(run())
    elapsed = time.monotonic() - t0
    lat = sorted(ms for s, ms, _, _ in out if s == 200)
    per_second = [0] * (int(elapsed) + 1)  # events accepted in each second of the run: the joins are seconds apart
    for s, _, n, at in out:
        if s == 200:
            per_second[min(len(per_second) - 1, int(at - t0))] += n
    result.update({"target_events_per_second": rate, "batch": batch, "conns": conns, "seconds": round(elapsed, 1),
                   "events_per_second": round(sum(n for s, _, n, _ in out if s == 200) / elapsed),
                   "events_each_second": per_second,
                   "requests": len(out), "shed": sum(1 for s, _, _, _ in out if s == 503),
                   "failed": sum(1 for s, _, _, _ in out if s not in (200, 503)),
                   "p50_ms": round(statistics.median(lat), 2) if lat else None,
                   "p99_ms": round(lat[max(0, int(len(lat) * 0.99) - 1)], 2) if lat else None})


def fanout(port, tokens, pid):
    out = subprocess.run([LOADGEN, "fanout", "--port", str(port), "--tokens", tokens, "--members", "1000", "--rate", "10",
                          "--duration", "3", "--rounds", "3", "--server-pid", str(pid)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def spread(rounds, key):
    values = sorted(r[key] for r in rounds)
    return {"min": values[0], "median": statistics.median(values), "max": values[-1]}


def summary(run):
    return {k: spread(run["rounds"], k) for k in ("p50_ms", "p99_ms", "max_ms")} | {
        "delivered": sum(r["delivered"] for r in run["rounds"]), "expected": sum(r["expected"] for r in run["rounds"])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=20000, help="events per second to ingest during the second run")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--server-arg", action="append", default=[],
                    help="one more argument for the server, e.g. --server-arg=--bulk-shed-lag-ms --server-arg=0")
    a = ap.parse_args()
    pg = os.environ.get("WP_PG_URL", "")
    db = new_pg_database(pg) if pg else None
    proc, port = start_node(["--access-token-ttl-s", "3600", "--max-connections", "19000"] + a.server_arg, db, None, None)
    work = tempfile.mkdtemp(prefix="wp_partyingest_")
    try:
        tokens = os.path.join(work, "tokens")
        subprocess.run([LOADGEN, "register", "--port", str(port), "--users", "1000", "--out", tokens, "--concurrency", "8"],
                       check=True, capture_output=True)
        r = requests.post(f"http://127.0.0.1:{port}/api/auth/register/",
                          json={"username": "ingester", "email": "ingester@example.com", "password": "Tq8!vLp2#Zr7-wK"})
        token = r.json()["access_token"]
        load0 = os.getloadavg()
        alone = fanout(port, tokens, proc.pid)
        # The ingestion runs in its own process from 2 s before the fan-out to its end.
        with multiprocessing.Manager() as m:
            result, stop = m.dict(), multiprocessing.Event()
            p = multiprocessing.Process(target=ingest, args=(port, token, a.rate, a.batch, a.conns, stop, result))
            p.start()
            time.sleep(2)
            during = fanout(port, tokens, proc.pid)
            stop.set()
            p.join()
            ingestion = dict(result)
        print(json.dumps({"database": "postgresql" if db else "sqlite", "server_args": a.server_arg,
                          "load_average_at_start": load0,
                          "load_average_at_end": os.getloadavg(),
                          "fanout_alone": summary(alone), "fanout_during_ingestion": summary(during),
                          "ingestion": ingestion, "alone": alone, "during_ingestion": during}))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
