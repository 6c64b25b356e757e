#!/usr/bin/env python3
"""Analytics ingestion benchmark (issue #20): events per second through
POST /api/analytics/events/ in batches of 100 on PostgreSQL (or SQLite
without WP_PG_URL), and the p50 / p99 of the ingestion request.

Starts its own server from build/watchparty on a fresh database. --conns
keep-alive connections each send one pre-encoded batch at a time, as fast
as answers come back, for --duration seconds (closed loop: the figure is
the server's capacity on this machine, the client sharing its cores).

  WP_PG_URL=postgresql://wp@127.0.0.1:55432/wp bench/analytics_ingest.py --duration 10
Prints one JSON object.
"""
import argparse
import asyncio
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from messaging import new_pg_database, start_node  # noqa: E402

import requests  # noqa: E402


def batch_bytes(size):
    events = [{"event_type": "video_progress", "event_name": "tick", "session_id": "bench",
               "client_timestamp": "2026-12-05T10:00:00.000Z", "event_data": {"i": i, "position": i * 1.5}}
              for i in range(size)]
    return json.dumps({"events": events}).encode()


async def sender(port, token, body, until, latencies, answers):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"POST /api/analytics/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    while time.monotonic() < until:
        t0 = time.perf_counter()
        writer.write(head + body)
        status = await reader.readline()
        length, retry_after = 0, 0.0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            if line.lower().startswith(b"retry-after:"):
                retry_after = float(line.split(b":")[1])
        payload = await reader.readexactly(length)
        latencies.append((time.perf_counter() - t0) * 1000)
        answers.append((int(status.split()[1]), payload))
        if answers[-1][0] == 503:  # shed (the I/O threads lagged): wait as told
            await asyncio.sleep(retry_after)
    writer.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--duration", type=float, default=10)
    a = ap.parse_args()
    pg = os.environ.get("WP_PG_URL", "")
    db = new_pg_database(pg) if pg else None
    proc, port = start_node([], db, None, None)
    try:
        r = requests.post(f"http://127.0.0.1:{port}/api/auth/register/",
                          json={"username": "bench", "email": "bench@example.com", "password": "Tq8!vLp2#Zr7-wK"})
        token = r.json()["access_token"]
        body = batch_bytes(a.batch)
        latencies, answers = [], []
        until = time.monotonic() + a.duration
        t0 = time.monotonic()

        async def run():
            await asyncio.gather(*(sender(port, token, body, until, latencies, answers) for _ in range(a.conns)))

        asyncio.run(run())
        elapsed = time.monotonic() - t0
        ok = [p for s, p in answers if s == 200]
        accepted = sum(json.loads(p)["accepted"] for p in ok)
        latencies.sort()
        print(json.dumps({
            "database": "postgresql" if db else "sqlite", "batch": a.batch, "conns": a.conns,
            "seconds": round(elapsed, 2), "requests": len(answers), "shed": sum(1 for s, _ in answers if s == 503),
            "failed": sum(1 for s, _ in answers if s not in (200, 503)),
            "events_per_second": round(accepted / elapsed),
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        }))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
