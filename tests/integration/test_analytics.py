"""Analytics (#20): client events through POST /api/analytics/events/ on both
databases (none lost, rejects by index, the anonymous limit, the address as
the trusted proxies give it), the monthly partitions on PostgreSQL, and the
watch time kept per viewing context."""
import concurrent.futures
import threading
import os
import sqlite3
import subprocess
import time

import pytest
import requests

from helpers import assert_envelope, register
from party_helpers import create_party_req

EVENTS = "/api/analytics/events/"


def scalar(server, sql):
    """One value read from the server's database (what no route shows: the raw events)."""
    if server.database_url:
        out = subprocess.run(["psql", "-At", server.database_url, "-c", sql], check=True, capture_output=True,
                             text=True).stdout.strip()
        return out
    with sqlite3.connect(os.path.join(server.data_dir, "watchparty.db"), timeout=30) as db:
        row = db.execute(sql).fetchone()
        return "" if row is None or row[0] is None else str(row[0])


def event(i, **over):
    e = {"event_type": "video_progress", "event_name": f"tick {i}", "session_id": "s-1",
         "client_timestamp": "2026-12-05T10:00:00.000Z", "event_data": {"i": i}}
    e.update(over)
    return e


def test_nul_characters_are_refused_by_index_and_a_latin1_user_agent_is_kept(server):
    """PostgreSQL stores no NUL (a batch with one answered 500): such an event is refused by its
    index like any bad one, the others kept; a User-Agent with a byte that is not UTF-8 is stored
    with U+FFFD in its place. Both databases."""
    user = register(server)
    body = {"events": [event(0, event_name="nul-ok"), event(1, event_name="a\u0000b"),
                       event(2, event_name="nul-ok", event_data={"k": ["x", {"deep": "\u0000"}]}),
                       event(3, event_name="nul-ok", session_id="s\u0000"), event(4, event_name="nul-ok")]}
    r = server.post(EVENTS, json=body, headers={**user.auth, "User-Agent": "Caf\xe9 browser"})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["accepted"] == 2
    assert [(x["index"], sorted(x["errors"])) for x in answer["rejected"]] == [
        (1, ["event_name"]), (2, ["event_data"]), (3, ["session_id"])]
    assert "NUL" in answer["rejected"][0]["errors"]["event_name"][0]
    assert scalar(server, "SELECT COUNT(*) FROM analytics_events WHERE event_name = 'nul-ok'") == "2"
    assert scalar(server, "SELECT DISTINCT user_agent FROM analytics_events WHERE event_name = 'nul-ok'") == \
        "Caf\ufffd browser"


def test_100k_events_through_the_api_none_lost_and_rejects_by_index(make_server):
    s = make_server()
    user = register(s)
    batches, size, bad = 200, 500, {13: {"event_type": "teleport"}, 400: {"event_data": {"x": "y" * 5000}}}
    bodies = []
    for b in range(batches):
        events = [event(b * size + i) for i in range(size)]
        for index, change in bad.items():
            events[index].update(change)
        bodies.append({"events": events})
    local = threading.local()

    def send(body):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        for _ in range(20):  # a 503 (the database busy on a loaded machine) keeps nothing of the batch: send it again
            r = local.session.post(s.url + EVENTS, json=body, headers=user.auth, timeout=60)
            if r.status_code != 503:
                break
            time.sleep(0.2)
        assert r.status_code == 200, r.text
        return r.json()

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, bodies))
    elapsed = time.monotonic() - t0
    for a in answers:
        assert a["accepted"] == size - len(bad)
        assert [r["index"] for r in a["rejected"]] == sorted(bad)
        assert set(a["rejected"][0]["errors"]) == {"event_type"}
        assert set(a["rejected"][1]["errors"]) == {"event_data"}
        assert a["event_types_version"] == 1
    want = batches * (size - len(bad))
    assert scalar(s, "SELECT COUNT(*) FROM analytics_events WHERE source = 'client'") == str(want)
    assert scalar(s, f"SELECT COUNT(DISTINCT id) FROM analytics_events WHERE user_id = '{user.id}' AND source = 'client'") == str(want)
    print(f"{s.backend}: {batches * size} events in {elapsed:.1f} s")


def test_a_batch_is_refused_whole_only_for_its_shape(server):
    user = register(server)
    assert_envelope(user.post(EVENTS, json={"events": []}), 400, "VALIDATION_ERROR")
    assert_envelope(user.post(EVENTS, json={"events": [event(i) for i in range(501)]}), 400, "VALIDATION_ERROR")
    assert_envelope(user.post(EVENTS, json={"event": event(1)}), 400, "VALIDATION_ERROR")
    r = user.post(EVENTS, json={"events": ["x", event(1), {"event_type": "video_play"}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 1
    assert [x["index"] for x in body["rejected"]] == [0, 2]
    assert set(body["rejected"][1]["errors"]) == {"event_name", "session_id", "client_timestamp"}
    types = server.get("/api/analytics/event-types/").json()
    assert types["version"] == 1 and "video_play" in types["event_types"]


def test_anonymous_batches_are_limited_per_address(make_server):
    s = make_server(args=["--analytics-anonymous-limit", "2"])
    for _ in range(2):
        r = s.post(EVENTS, json={"events": [event(1)]})
        assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    r = s.post(EVENTS, json={"events": [event(1)]})
    assert_envelope(r, 429, "RATE_LIMITED")
    assert int(r.headers["Retry-After"]) > 0
    user = register(s)
    assert user.post(EVENTS, json={"events": [event(2)]}).status_code == 200
    assert scalar(s, "SELECT COUNT(*) FROM analytics_events WHERE user_id IS NULL") == "2"


def test_the_server_stamps_time_user_agent_and_the_truncated_client_address(make_server):
    s = make_server(args=["--trusted-proxies", "127.0.0.1", "--analytics-truncate-ip", "true"])
    user = register(s)
    before = int(time.time() * 1000)
    r = user.post(EVENTS, json={"events": [event(1)]},
                  headers={"X-Forwarded-For": "203.0.113.77", "User-Agent": "probe/1.0"})
    assert r.status_code == 200, r.text
    row = scalar(s, "SELECT ip_address || '|' || user_agent || '|' || user_id || '|' || timestamp || '|' || "
                    "client_timestamp FROM analytics_events")
    ip, agent, uid, at, client_at = row.split("|")
    assert (ip, agent, uid) == ("203.0.113.0", "probe/1.0", user.id)
    assert before <= int(at) <= int(time.time() * 1000)
    assert int(client_at) == 1796464800000  # 2026-12-05T10:00:00Z


def partitions(server):
    out = scalar(server, "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i "
                         "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                         "WHERE p.relname = 'analytics_events'")
    return out.split(",") if out else []


def month_name(offset):
    t = time.gmtime()
    y, m = t.tm_year, t.tm_mon + offset
    while m > 12:
        y, m = y + 1, m - 12
    return f"analytics_events_p{y:04d}{m:02d}"


def test_postgresql_partitions_are_made_ahead_and_dropped_after_the_retention(make_server):
    if make_server.backend != "postgresql":
        pytest.skip("monthly partitions are PostgreSQL's; SQLite deletes rows (C++ test)")
    s = make_server(args=["--analytics-retention-days", "60"])
    ahead = [month_name(i) for i in range(3)]
    assert partitions(s) == ahead
    # An old month with an event in it, as if the server had run then.
    subprocess.run(["psql", "-q", s.database_url, "-c",
                    "CREATE TABLE analytics_events_p202001 PARTITION OF analytics_events FOR VALUES FROM "
                    "(1577836800000) TO (1580515200000); INSERT INTO analytics_events (id, event_type, event_name, "
                    "source, timestamp) VALUES ('old', 'page_view', 'x', 'client', 1577836800001)"],
                   check=True, capture_output=True)
    subprocess.run(["psql", "-q", s.database_url, "-c", f"DROP TABLE {ahead[2]}"], check=True, capture_output=True)
    assert scalar(s, "SELECT COUNT(*) FROM analytics_events") == "1"
    s.stop()
    s2 = make_server(args=["--analytics-retention-days", "60"], data_dir=s.data_dir, database_url=s.database_url)
    assert partitions(s2) == ahead
    assert scalar(s2, "SELECT COUNT(*) FROM analytics_events") == "0"
    user = register(s2)
    assert user.post(EVENTS, json={"events": [event(1)]}).json()["accepted"] == 1
    assert scalar(s2, f"SELECT COUNT(*) FROM {ahead[0]} WHERE source = 'client'") == "1"


def test_watch_time_keeps_a_row_per_viewing_context(server):
    owner, member = register(server), register(server)
    r = owner.post("/api/videos/", json={"title": "Clip", "external_url": "https://media.example.com/a.mp4"})
    assert r.status_code == 201, r.text
    video = r.json()
    r = create_party_req(owner, video_id=video["id"], media_url=None)
    assert r.status_code == 201, r.text
    party = r.json()
    progress = f"/api/videos/{video['id']}/progress/"
    assert owner.post(progress, json={"position": 10, "duration_watched": 10}).status_code == 200
    assert owner.post(progress, json={"position": 30, "duration_watched": 20, "party_id": party["id"]}).status_code == 200
    assert owner.post(progress, json={"position": 15, "duration_watched": 5}).status_code == 200
    r = owner.get("/api/videos/watch-time/")
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["count"] == 2
    by_party = {row["party_id"]: row for row in page["results"]}
    assert by_party[None]["total_watch_time"] == 15 and by_party[None]["last_position"] == 15
    assert by_party[party["id"]]["total_watch_time"] == 20
    assert page["results"][0]["party_id"] is None  # the newest viewing first
    assert member.get("/api/videos/watch-time/").json()["count"] == 0
    assert server.get("/api/videos/watch-time/").status_code == 401
