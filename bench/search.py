#!/usr/bin/env python3
"""Search benchmark (issue #22): GET /api/search/ p50/p99 and suggest p99 on
100,000 videos, 10,000 users and 5,000 parties, on SQLite or PostgreSQL.

Starts its own server from build/watchparty (SQLite, or a fresh PostgreSQL
database when WP_PG_URL is set), loads a synthetic corpus with bulk SQL
(titles and descriptions drawn from a 3,000-word vocabulary with a Zipf
distribution, so common words match thousands of rows), then asks
sequentially over one keep-alive connection as a signed-in user:
grouped searches (all five kinds), one-kind searches (videos), searches with
a typo (the "did you mean" path) and autocomplete prefixes.

  bench/search.py                      # SQLite
  WP_PG_URL=postgresql://wp@127.0.0.1:55432/wp bench/search.py
  bench/search.py --lock /tmp/wp-build.lock   # the timed part only while holding that flock
                                              # (the corpus loads outside it)
Prints one JSON object (latencies in ms, and the load average around the run).
"""
import argparse
import csv
import fcntl
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("WP_BIN", os.path.join(ROOT, "build", "watchparty"))
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ve", "dan", "sor", "bel", "qui", "max", "zen", "tor",
             "lin", "gar", "hup", "ex", "or", "an", "el", "is", "um"]


def vocabulary(n, rng):
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def zipf_pick(words, rng):
    # index ~ 1/rank: a few words are everywhere, most are rare
    return words[min(len(words) - 1, int(len(words) ** rng.random()) - 1)]


def text(words, rng, lo, hi):
    return " ".join(zipf_pick(words, rng) for _ in range(rng.randint(lo, hi)))


def corpus(args, rng, words):
    now = int(time.time() * 1000)
    users = [(str(uuid.uuid4()), f"user{i}", f"user{i}", f"user{i}@example.com", f"user{i}@example.com", "!",
              zipf_pick(words, rng).capitalize(), zipf_pick(words, rng).capitalize(), now - i * 1000)
             for i in range(args.users)]
    videos = []
    for i in range(args.videos):
        public = rng.random() < 0.9
        videos.append((str(uuid.uuid4()), rng.choice(users)[0], text(words, rng, 3, 6).capitalize(),
                       text(words, rng, 8, 20), rng.choice(["music", "film", "sport", "news", ""]), "external",
                       "https://media.example.com/a.mp4", "ready", public, "public" if public else "private",
                       rng.randint(0, 100000), rng.uniform(30, 7200), now - i * 10, now - i * 10))
    parties = []
    for i in range(args.parties):
        parties.append((str(uuid.uuid4()), rng.choice(users)[0], text(words, rng, 2, 5).capitalize(), "",
                        rng.choice(["scheduled", "live", "ended"]), uuid.uuid4().hex[:10].upper(),
                        rng.choice(["public", "public", "public", "private", "friends"]), 50, now - i * 100,
                        now - i * 100))
    return users, videos, parties


USER_COLS = "id, username, username_key, email, email_key, password_hash, first_name, last_name, date_joined"
VIDEO_COLS = ("id, uploaded_by_id, title, description, category, source_type, external_url, status, is_public, "
              "visibility, view_count, duration, created_at, updated_at")
PARTY_COLS = "id, host_id, title, description, status, room_code, visibility, max_participants, created_at, updated_at"


def load_sqlite(path, users, videos, parties):
    db = sqlite3.connect(path)
    for table, cols, rows in (("users", USER_COLS, users), ("videos", VIDEO_COLS, videos),
                              ("watch_parties", PARTY_COLS, parties)):
        marks = ", ".join("?" for _ in cols.split(","))
        db.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
    db.commit()
    db.close()


def load_postgres(url, users, videos, parties, tmp):
    for table, cols, rows in (("users", USER_COLS, users), ("videos", VIDEO_COLS, videos),
                              ("watch_parties", PARTY_COLS, parties)):
        path = os.path.join(tmp, table + ".csv")
        with open(path, "w", newline="") as f:
            csv.writer(f).writerows(rows)
        subprocess.run(["psql", "-q", url, "-c", f"\\copy {table} ({cols}) FROM '{path}' CSV NULL '\\N'"], check=True)
    subprocess.run(["psql", "-q", url, "-c", "ANALYZE"], check=True)


def start(data, db_url):
    cmd = [BIN, "serve", "--port", "0", "--data-dir", data, "--password-hash-cost", "min", "--access-log", "false",
           "--io-threads", "2", "--run-workers-in-serve", "false"]
    if db_url:
        cmd += ["--database-url", db_url]
    path = os.path.join(data, "log")
    since = os.path.getsize(path) if os.path.exists(path) else 0  # the second start appends
    log = open(path, "ab")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        m = re.search(r"listening on http://[^:]+:(\d+)", open(path, errors="replace").read()[since:])
        if m:
            return proc, int(m.group(1))
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def percentiles(xs):
    xs = sorted(xs)
    return {"p50": round(statistics.median(xs), 2), "p99": round(xs[int(len(xs) * 0.99) - 1], 2),
            "max": round(xs[-1], 2), "n": len(xs)}


def timed(session, url, params):
    t = time.perf_counter()
    r = session.get(url, params=params)
    ms = (time.perf_counter() - t) * 1000
    assert r.status_code == 200, r.text
    return ms, r.json()


def typo(word, rng):
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--videos", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--parties", type=int, default=5_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--warmup", type=int, default=30, help="untimed rounds of the same mix first")
    ap.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database (to EXPLAIN its plans)")
    ap.add_argument("--lock", default="", help="a file to flock(LOCK_EX) around the timed part (e.g. the build lock)")
    args = ap.parse_args()
    rng = random.Random(22)
    words = vocabulary(3000, rng)
    users, videos, parties = corpus(args, rng, words)
    data = tempfile.mkdtemp(prefix="wp_searchbench_")
    pg = os.environ.get("WP_PG_URL", "")
    db_url = ""
    if pg:
        m = re.match(r"postgresql://([^@]+)@([^:/]+):(\d+)/(\w+)", pg)
        user, host, port, _ = m.groups()
        name = "wp_bench_" + uuid.uuid4().hex[:10]
        subprocess.run(["psql", "-q", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-c",
                        f"CREATE DATABASE {name}"], check=True, capture_output=True)
        db_url = f"postgresql://{user}@{host}:{port}/{name}"
    proc, port = start(data, db_url)  # migrates
    stop(proc)
    t = time.time()
    if db_url:
        load_postgres(db_url, users, videos, parties, data)
    else:
        load_sqlite(os.path.join(data, "watchparty.db"), users, videos, parties)
    load_s = time.time() - t
    proc, port = start(data, db_url)
    try:
        base = f"http://127.0.0.1:{port}"
        s = requests.Session()
        r = s.post(base + "/api/auth/register/", json={"username": "bencher", "email": "bencher@example.com",
                                                         "password": "Qz7!" + uuid.uuid4().hex})
        s.headers["Authorization"] = "Bearer " + r.json()["access_token"]
        long_words = [w for w in words if len(w) >= 6][:500]

        def one_round(grouped, one_kind, typos, suggest, hits):
            q = zipf_pick(words, rng) if rng.random() < 0.6 else f"{zipf_pick(words, rng)} {zipf_pick(words, rng)}"
            ms, body = timed(s, base + "/api/search/", {"q": q})
            grouped.append(ms)
            hits.append(body["count"])
            one_kind.append(timed(s, base + "/api/search/", {"q": q, "type": "video"})[0])
            typos.append(timed(s, base + "/api/search/", {"q": typo(rng.choice(long_words), rng)})[0])
            p = zipf_pick(words, rng)
            suggest.append(timed(s, base + "/api/search/suggest/", {"q": p[:rng.randint(2, 4)]})[0])

        # Warm-up, not timed: each pooled database connection runs every query shape once or more
        # (a connection's first run of a statement is several times slower: caches, plans).
        for _ in range(args.warmup):
            one_round([], [], [], [], [])
        lock = open(args.lock, "a") if args.lock else None
        if lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
        load_before = os.getloadavg()
        grouped, one_kind, typos, suggest, hits = [], [], [], [], []
        for _ in range(args.queries):
            one_round(grouped, one_kind, typos, suggest, hits)
        load_after = os.getloadavg()
        if lock:
            lock.close()  # releases the flock
    finally:
        stop(proc)
        if db_url and args.keep_db:
            print(f"kept: {db_url}", file=sys.stderr)
        elif db_url:  # the 100,000-row database is not kept
            subprocess.run(["psql", "-q", pg, "-c", f"DROP DATABASE {db_url.rsplit('/', 1)[1]}"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)  # the SQLite database and the server's log
    print(json.dumps({
        "engine": "postgresql" if db_url else "sqlite",
        "corpus": {"videos": args.videos, "users": args.users, "parties": args.parties, "load_s": round(load_s, 1)},
        "search_grouped_ms": percentiles(grouped),
        "search_videos_ms": percentiles(one_kind),
        "search_typo_ms": percentiles(typos),
        "suggest_ms": percentiles(suggest),
        "median_results": statistics.median(hits),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
    }, indent=1))


if __name__ == "__main__":
    main()
