#!/usr/bin/env python3
"""Benchmark of issue #15: an admin broadcast to 10,000 followers.

Starts the real binary (SQLite by default; --database-url for PostgreSQL),
creates a user with N followers straight in the database (setup, not
measured), then sends R broadcasts to those followers and reports, per run:
the request's latency (it must answer at once, < 50 ms: the fan-out is not
on the request path), the background fan-out time the server measured
(started_at -> finished_at), the time until the client saw `done`, and
notifications created per second.

    python3 bench/notifications/fanout.py [--followers 10000] [--runs 5] [--database-url URL]
"""
import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("WP_BIN", os.path.join(ROOT, "build", "watchparty"))


def start(data_dir, database_url, batch):
    log = open(os.path.join(data_dir, "server.log"), "ab")
    cmd = [BIN, "serve", "--port", "0", "--data-dir", data_dir, "--password-hash-cost", "min", "--access-log", "false",
           "--notification-broadcast-batch", str(batch)]
    if database_url:
        cmd += ["--database-url", database_url]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline:
        text = open(os.path.join(data_dir, "server.log"), errors="replace").read()
        if "listening on http://" in text:
            port = int(text.split("listening on http://")[1].split(":")[1].split()[0])
            return proc, f"http://127.0.0.1:{port}"
        time.sleep(0.05)
    raise SystemExit("server did not start:\n" + text)


def sql(data_dir, database_url, statements):
    """Runs (text with ? placeholders, rows) pairs: SQLite through sqlite3, PostgreSQL as one psql script."""
    if not database_url:
        db = sqlite3.connect(os.path.join(data_dir, "watchparty.db"))
        for text, rows in statements:
            db.executemany(text, rows)
        db.commit()
        db.close()
        return
    script = []
    for text, rows in statements:
        for r in rows:
            line = text
            for v in r:
                line = line.replace("?", "'" + str(v).replace("'", "''") + "'", 1)
            script.append(line + ";")
    subprocess.run(["psql", "-q", database_url], input="BEGIN;\n" + "\n".join(script) + "\nCOMMIT;\n", text=True,
                   check=True, capture_output=True)


def register(url, name):
    r = requests.post(url + "/api/auth/register/", json={"username": name, "email": f"{name}@example.com",
                                                        "password": "Bench-pass-123!x"})
    r.raise_for_status()
    return r.json()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--followers", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--database-url", default="")
    a = ap.parse_args()
    data_dir = tempfile.mkdtemp(prefix="wp_bench_notify_")
    proc, url = start(data_dir, a.database_url, a.batch)
    try:
        star = register(url, "star_" + uuid.uuid4().hex[:6])
        staff = register(url, "staff_" + uuid.uuid4().hex[:6])
        now = int(time.time() * 1000)
        users, follows = [], []
        for i in range(a.followers):
            uid = str(uuid.uuid4())
            name = f"f{i}_{uid[:6]}"
            users.append((uid, name, name, f"{name}@example.com", f"{name}@example.com", "!", now))
            follows.append((str(uuid.uuid4()), uid, star["user"]["id"], "active", now))
        t0 = time.time()
        sql(data_dir, a.database_url, [
            ("INSERT INTO users (id, username, username_key, email, email_key, password_hash, date_joined) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)", users),
            ("INSERT INTO user_follows (id, follower_id, followed_id, status, created_at) VALUES (?, ?, ?, ?, ?)", follows),
            ("UPDATE users SET is_staff = TRUE WHERE id = ?", [(staff["user"]["id"],)]),
        ])
        print(f"setup: {a.followers} followers in {time.time() - t0:.1f} s", file=sys.stderr)
        headers = {"Authorization": "Bearer " + staff["access_token"]}
        runs = []
        for i in range(a.runs):
            t = time.perf_counter()
            r = requests.post(url + "/api/admin/notifications/broadcasts/", headers=headers,
                              json={"title": f"Bench {i}", "message": "fan-out", "audience": "followers",
                                    "user_id": star["user"]["id"]})
            latency_ms = (time.perf_counter() - t) * 1000
            assert r.status_code == 202, r.text
            b = r.json()
            while True:
                got = requests.get(f"{url}/api/admin/notifications/broadcasts/{b['id']}/", headers=headers).json()
                if got["status"] in ("done", "failed"):
                    break
                time.sleep(0.01)
            end_to_end_ms = (time.perf_counter() - t) * 1000
            assert got["status"] == "done" and got["recipients"] == a.followers, got
            runs.append({"request_ms": latency_ms, "fanout_ms": got["fanout_ms"], "end_to_end_ms": end_to_end_ms,
                         "per_s": a.followers / (got["fanout_ms"] / 1000)})
            print(json.dumps(runs[-1]), file=sys.stderr)
        out = {k: {"min": min(r[k] for r in runs), "median": statistics.median(r[k] for r in runs),
                   "max": max(r[k] for r in runs)} for k in runs[0]}
        out.update({"followers": a.followers, "runs": a.runs, "batch": a.batch,
                    "database": "postgresql" if a.database_url else "sqlite"})
        print(json.dumps(out, indent=1))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
