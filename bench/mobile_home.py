#!/usr/bin/env python3
"""Mobile home benchmark (issue #21): GET /api/mobile/home/ p99 with 10,000 users of data, on SQLite.

Starts its own server from build/watchparty to migrate a fresh data dir, stops it, writes the data with
bulk SQL into its database file (users and a session each, friendships, groups and memberships, blocks,
videos, parties live and ended with participants, events with attendees, watch time, notifications,
direct conversations with messages, broadcasts, and a recommender batch for half the users), starts it
again with a known JWT secret and without workers (so no background round competes), and signs each
user's access token itself. Then wrk (closed loop, --connections at once) asks for the home of a random
user per request, --runs times; the answer's shape is checked on a sample first.

  bench/mobile_home.py                     # 10,000 users, 8 connections, 3 runs of 20 s
  bench/mobile_home.py --connections 16 --duration 30
  bench/mobile_home.py --keep ...; bench/mobile_home.py --reuse /tmp/wp_homebench_XXXX   # same data again
Prints one JSON object: p50/p90/p99 per run (wrk's --latency), requests/s, wrk's and the server's CPU
seconds, the load average around each run, and how full the sections were on the sample.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import tempfile
import time
import uuid

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("WP_BIN", os.path.join(ROOT, "build", "watchparty"))
SECRET = "bench-mobile-home-secret"  # a throwaway loopback server; --reuse needs the same key
DAY = 86_400_000


def uid():
    return str(uuid.uuid4())


def insert(db, table, cols, rows):
    marks = ", ".join("?" for _ in cols.split(","))
    db.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def seed_people(db, rng, n, now):
    users = [uid() for _ in range(n)]
    insert(db, "users", "id, username, username_key, email, email_key, password_hash, date_joined",
           [(u, f"user{i}", f"user{i}", f"user{i}@example.com", f"user{i}@example.com", "!", now - DAY)
            for i, u in enumerate(users)])
    sessions = [uid() for _ in users]
    insert(db, "user_sessions", "id, user_id, created_at, last_seen_at, expires_at",
           [(s, u, now, now, now + 30 * DAY) for s, u in zip(sessions, users)])
    pairs = set()
    for i in range(n):  # about 15 friends each
        for j in rng.sample(range(n), 8):
            if i != j:
                a, b = sorted((users[i], users[j]))
                pairs.add((a, b))
    insert(db, "friendships", "id, user_low, user_high, requester_id, status, created_at, accepted_at",
           [(uid(), a, b, a, "accepted", now - DAY, now - DAY) for a, b in pairs])
    blocks = {(rng.choice(users), rng.choice(users)) for _ in range(n // 10)}
    insert(db, "user_blocks", "id, blocker_id, blocked_id, created_at",
           [(uid(), a, b, now) for a, b in blocks if a != b])
    groups = [uid() for _ in range(n // 30)]
    insert(db, "social_groups", "id, name, name_key, creator_id, member_count, created_at, updated_at",
           [(g, f"group{i}", f"group{i}", rng.choice(users), 0, now, now) for i, g in enumerate(groups)])
    member_rows, membership = [], {}
    for u in users:  # 3 groups each
        for g in rng.sample(groups, 3):
            member_rows.append((uid(), g, u, "member", "active", now, now))
            membership.setdefault(g, []).append(u)
    insert(db, "group_memberships", "id, group_id, user_id, role, status, created_at, updated_at", member_rows)
    return users, sessions, groups, membership, len(pairs)


def seed_content(db, rng, users, groups, membership, now):
    videos = []
    for i in range(len(users) * 2):
        public = rng.random() < 0.9
        videos.append((uid(), rng.choice(users), f"Video {i}", "external", "https://media.example.com/a.mp4",
                       "ready", public, "public" if public else "private", int(rng.paretovariate(1.2) * 10),
                       rng.uniform(300, 7200), now - rng.randrange(60 * DAY), now))
    insert(db, "videos", "id, uploaded_by_id, title, source_type, external_url, status, is_public, visibility, "
           "view_count, duration, created_at, updated_at", videos)
    parties, participants = [], []
    for i in range(len(users) // 4):
        live = i % 5 == 0
        host = rng.choice(users)
        group = rng.choice(groups) if rng.random() < 0.4 else None
        if group:
            host = rng.choice(membership[group])
        pid = uid()
        start = now - rng.randrange(3 * 3_600_000)
        parties.append((pid, host, f"Party {i}", "live" if live else "ended", uuid.uuid4().hex[:10].upper(),
                        rng.choice(["public", "public", "friends", "private"]), 50, start, None if live else now,
                        start, start, group))
        for m in {host, *rng.sample(users, 3)}:
            participants.append((uid(), pid, m, "host" if m == host else "participant", live, start))
    insert(db, "watch_parties", "id, host_id, title, status, room_code, visibility, max_participants, actual_start, "
           "ended_at, created_at, updated_at, group_id", parties)
    insert(db, "party_participants", "id, party_id, user_id, role, is_active, joined_at", participants)
    events, attendees = [], []
    for i in range(len(users) * 2 // 5):
        upcoming = rng.random() < 0.7
        start = now + rng.randrange(30 * DAY) if upcoming else now - rng.randrange(30 * DAY)
        eid = uid()
        going = rng.sample(users, 5)
        events.append((eid, rng.choice(users), f"Event {i}", start, start + 7_200_000, rng.random() < 0.8,
                       "upcoming" if upcoming else "ended", "other", len(going), now, now))
        attendees += [(uid(), eid, u, "going", k + 1, now, now) for k, u in enumerate(going)]
    insert(db, "events", "id, organizer_id, title, start_time, end_time, is_public, status, category, going_count, "
           "created_at, updated_at", events)
    insert(db, "event_attendees", "id, event_id, user_id, status, seq, created_at, updated_at", attendees)
    return videos


def seed_activity(db, rng, users, videos, now):
    watch = []
    for u in users:  # 20 viewings each, about half of them unfinished
        for v in rng.sample(videos, 20):
            pos = v[9] * rng.choice([rng.uniform(0.05, 0.9), 1.0])
            watch.append((uid(), u, v[0], "", int(pos), pos, min(100.0, 100 * pos / v[9]), now - rng.randrange(30 * DAY),
                          now - rng.randrange(30 * DAY)))
    insert(db, "watch_times", "id, user_id, video_id, party_key, total_watch_time, last_position, "
           "completion_percentage, created_at, updated_at", watch)
    notes = []
    for u in users:  # 30 each, 30 % unread
        for k in range(30):
            t = now - rng.randrange(30 * DAY)
            notes.append((uid(), u, "friend_request", "Friend request", "Someone asked", rng.random() > 0.3, t, t))
    insert(db, "notifications", "id, user_id, notification_type, title, message, is_read, created_at, updated_at",
           notes)
    insert(db, "notification_counters", "user_id, version", [(u, 1) for u in users])
    convs, members, messages = [], [], []
    for i in range(len(users) * 3 // 2):  # three direct conversations each, 10 messages in each
        a, b = rng.sample(users, 2)
        cid = uid()
        convs.append((cid, "direct", ":".join(sorted((a, b))) + f":{i}", 2, 10, now, now))
        members += [(cid, a, "member", now, rng.randrange(11)), (cid, b, "member", now, rng.randrange(11))]
        messages += [(uid(), cid, s + 1, (a, b)[s % 2], "text", "hello", now) for s in range(10)]
    insert(db, "conversations", "id, kind, direct_key, member_count, last_seq, last_activity_at, created_at", convs)
    insert(db, "conversation_members", "conversation_id, user_id, role, joined_at, last_read_seq", members)
    insert(db, "messages", "id, conversation_id, seq, sender_id, message_type, body, created_at", messages)
    insert(db, "admin_broadcasts", "id, message, severity, audience, expires_at, created_at",
           [(uid(), f"Announcement {i}", "info", "all", now + DAY, now) for i in range(2)])
    recs = []
    public = [v for v in videos if v[6]]
    for u in users[: len(users) // 2]:  # the recommender's batch for half the users
        recs += [(uid(), u, "video", v[0], rng.random(), "Because you watched X", now) for v in rng.sample(public, 20)]
    insert(db, "content_recommendations", "id, user_id, object_type, object_id, score, reason, created_at", recs)
    return {"watch_times": len(watch), "notifications": len(notes), "messages": len(messages),
            "recommendations": len(recs)}


def seed(path, rng, n):
    now = int(time.time() * 1000)
    db = sqlite3.connect(path)
    users, sessions, groups, membership, friendships = seed_people(db, rng, n, now)
    videos = seed_content(db, rng, users, groups, membership, now)
    counts = seed_activity(db, rng, users, videos, now)
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    counts.update({"users": n, "friendships": friendships, "videos": len(videos)})
    return users, sessions, counts


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(user, session, now):
    head = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"sub": user, "sid": session, "jti": uid(), "iat": now, "exp": now + 7200, "typ": "access"}
    body = b64u(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64u(sig)}"


def start(data, extra=()):
    cmd = [BIN, "serve", "--port", "0", "--data-dir", data, "--access-log", "false", "--io-threads", "2",
           "--run-workers-in-serve", "false", "--jwt-secret", SECRET, *extra]
    path = os.path.join(data, "log")
    since = os.path.getsize(path) if os.path.exists(path) else 0
    proc = subprocess.Popen(cmd, stdout=open(path, "ab"), stderr=subprocess.STDOUT)
    for _ in range(600):
        m = re.search(r"listening on http://[^:]+:(\d+)", open(path, errors="replace").read()[since:])
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            raise RuntimeError(open(path, errors="replace").read()[since:])
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def cpu_s(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sample(base, tokens, rng, n=200):
    """Checks the answer and counts how full each section is over n users."""
    s = requests.Session()
    full = {"live_parties": 0, "upcoming_events": 0, "continue_watching": 0, "recommendations": 0,
            "recommender": 0, "unread_messages": 0, "announcements": 0}
    for t in rng.sample(tokens, n):
        r = s.get(base + "/api/mobile/home/", headers={"Authorization": "Bearer " + t})
        assert r.status_code == 200, r.text
        b = r.json()
        assert b["unavailable"] == [], b
        for k in ("live_parties", "upcoming_events", "continue_watching", "announcements"):
            full[k] += bool(b[k])
        full["recommendations"] += bool(b["recommendations"]["results"])
        full["recommender"] += b["recommendations"]["source"] == "recommender"
        full["unread_messages"] += b["unread"]["messages"] > 0
    return {k: f"{v}/{n}" for k, v in full.items()}


WRK_SCRIPT = """
local tokens = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  math.randomseed(os.time())
  i = math.random(#tokens)
end
request = function()
  i = i % #tokens + 1
  return wrk.format("GET", "/api/mobile/home/", {["Authorization"] = "Bearer " .. tokens[i]})
end
"""


def ms(text):
    v = float(re.match(r"[\d.]+", text).group())
    return v / 1000 if text.endswith("us") else v * 1000 if re.search(r"\ds$", text) else v


def run_wrk(port, tokens_path, script, args, server_pid):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = cpu_s(server_pid)
    load_before = os.getloadavg()[0]
    out = subprocess.run(["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "-s", script,
                          f"http://127.0.0.1:{port}/api/mobile/home/", "--", tokens_path],
                         capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lat = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50_ms": round(ms(lat["50"]), 2), "p90_ms": round(ms(lat["90"]), 2), "p99_ms": round(ms(lat["99"]), 2),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0,
            "wrk_cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
            "server_cpu_s": round(cpu_s(server_pid) - server_before, 2),
            "loadavg_1m_before": round(load_before, 2), "loadavg_1m_after": round(os.getloadavg()[0], 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the data dir (for profiling)")
    ap.add_argument("--reuse", help="a data dir kept by --keep: no new data (tokens are signed again)")
    args = ap.parse_args()
    rng = random.Random(21)
    if args.reuse:
        data, counts = args.reuse, json.load(open(os.path.join(args.reuse, "counts.json")))
        db = sqlite3.connect(os.path.join(data, "watchparty.db"))
        pairs = db.execute("SELECT user_id, id FROM user_sessions ORDER BY user_id").fetchall()
        db.close()
        users, sessions = [p[0] for p in pairs], [p[1] for p in pairs]
        args.keep = True
    else:
        data = tempfile.mkdtemp(prefix="wp_homebench_")
        proc, _ = start(data)  # migrates
        stop(proc)
        t = time.time()
        users, sessions, counts = seed(os.path.join(data, "watchparty.db"), rng, args.users)
        counts["load_s"] = round(time.time() - t, 1)
        json.dump(counts, open(os.path.join(data, "counts.json"), "w"))
    now = int(time.time())
    tokens = [token(u, s, now) for u, s in zip(users, sessions)]
    tokens_path = os.path.join(data, "tokens")
    with open(tokens_path, "w") as f:
        f.write("\n".join(tokens) + "\n")
    script = os.path.join(data, "home.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    proc, port = start(data)
    try:
        fill = sample(f"http://127.0.0.1:{port}", tokens, rng)
        subprocess.run(["wrk", "-t1", f"-c{args.connections}", "-d5s", "-s", script,  # warm up
                        f"http://127.0.0.1:{port}/api/mobile/home/", "--", tokens_path], capture_output=True, check=True)
        runs = [run_wrk(port, tokens_path, script, args, proc.pid) for _ in range(args.runs)]
    finally:
        stop(proc)
    p99 = sorted(r["p99_ms"] for r in runs)
    print(json.dumps({"engine": "sqlite", "data": counts, "connections": args.connections,
                      "duration_s": args.duration, "sections_filled": fill, "runs": runs,
                      "p99_ms": {"min": p99[0], "median": p99[len(p99) // 2], "max": p99[-1]},
                      "data_dir": data if args.keep else None}, indent=1))
    if not args.keep:
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
