"""The admin API (#19): the users export (CSV and JSON Lines, streamed, emails
for a superuser only, in the audit trail), system health, broadcasts reaching
every open socket and the notifications, the audit trail's filters, 500s
grouped by signature, metric snapshots as series, and staff actions on
parties and videos. The export's memory and broadcasts across two nodes are
at the end."""
import asyncio
import csv
import io
import json
import time
import uuid

import pytest

from conftest import ASAN, PG_URL, REDIS_URL, Server, new_pg_database
from helpers import (assert_envelope, assert_field_errors, assert_page, login_req, make_staff_member, make_superuser,
                     register, run_sql, strong_password, uniq)
from party_helpers import MEDIA_URL, WS, connect, create_party, run

HEALTH_KEYS = {"status", "node_id", "version", "uptime_s", "database", "redis", "disk", "queues", "websockets",
               "nodes_seen_last_minute", "nodes"}
BROADCAST_KEYS = {"id", "message", "severity", "audience", "plan", "expires_at", "created_by", "notification_broadcast_id",
                  "created_at"}


def user_url(server, user):
    return f"ws://127.0.0.1:{server.port}/ws/user/?token={user.access}"


def wait_until(check, timeout=10, every=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def logs(staff, **query):
    r = staff.get("/api/admin/logs/", params={"page_size": 100, **query})
    assert r.status_code == 200, r.text
    return r.json()["results"]


# ---------------------------------------------------------------- users export

def test_export_csv_and_jsonl_with_chosen_fields(server):
    root = make_superuser(server)
    staff = make_staff_member(server)
    tag = uniq("exp")
    made = [register(server, username=f"{tag}{i}", first_name="Ann, \"the\" first") for i in range(3)]
    r = staff.post("/api/admin/users/export/", json={"format": "csv", "fields": ["id", "username", "first_name"]})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.headers.get("Transfer-Encoding") == "chunked" and "Content-Length" not in r.headers
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0].keys()) == ["id", "username", "first_name"]
    mine = {row["id"]: row for row in rows if row["username"].startswith(tag)}
    assert set(mine) == {u.id for u in made}
    assert all(row["first_name"] == "Ann, \"the\" first" for row in mine.values())

    r = root.post("/api/admin/users/export/", json={"format": "jsonl", "fields": ["id", "email", "is_active"]})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert {u.id: u.email for u in made}.items() <= {l["id"]: l["email"] for l in lines}.items()
    assert all(set(l) == {"id", "email", "is_active"} for l in lines)
    # Only a superuser may include emails; the default fields leave them out.
    assert_envelope(staff.post("/api/admin/users/export/", json={"fields": ["email"]}), 403, "ACCESS_FORBIDDEN")
    default = staff.post("/api/admin/users/export/", json={})
    assert default.status_code == 200 and "@" not in default.text
    assert default.text.splitlines()[0] == "id,username,is_active,date_joined"
    assert_field_errors(staff.post("/api/admin/users/export/", json={"fields": ["password_hash"]}), "fields")
    assert_field_errors(staff.post("/api/admin/users/export/", json={"format": "xml"}), "format")
    inactive = staff.post("/api/admin/users/export/", json={"format": "jsonl", "is_active": False})
    assert all(json.loads(line)["is_active"] is False for line in inactive.text.splitlines())


def test_exports_are_in_the_audit_trail(server):
    root = make_superuser(server)
    assert root.post("/api/admin/users/export/", json={"fields": ["id", "email"]}).status_code == 200
    entries = wait_until(lambda: [e for e in logs(root, category="security", user_id=root.id)
                                  if e["message"] == "Users export finished"])
    assert entries, logs(root)
    e = entries[0]
    assert e["level"] == "info" and e["username"] == root.username
    assert e["context"]["includes_email"] is True and e["context"]["fields"] == ["id", "email"]
    assert e["context"]["rows"] >= 1
    started = logs(root, search="export started", user_id=root.id)
    assert started and started[0]["category"] == "security"


# ---------------------------------------------------------------- health

def test_system_health_reports_this_node(server):
    staff = make_staff_member(server)
    body = staff.get("/api/admin/system-health/").json()
    assert HEALTH_KEYS <= set(body), body
    assert body["status"] == "ok"
    assert body["database"]["latency_ms"] >= 0 and body["database"]["pool_size"] >= 1
    assert body["disk"]["free_bytes"] > 0
    assert {"videos", "mail", "push", "notification_broadcasts"} <= set(body["queues"])
    assert body["nodes_seen_last_minute"] >= 1
    assert body["node_id"] in {n["node_id"] for n in body["nodes"]}
    assert body["redis"]["configured"] == bool(server.backend == "postgresql" and REDIS_URL)


# ---------------------------------------------------------------- broadcasts

def test_broadcast_reaches_party_and_user_sockets_and_is_measured(server):
    staff = make_staff_member(server)
    host, guest = register(server), register(server)
    party = create_party(host, media_url=MEDIA_URL)

    async def go():
        in_party = await connect(server, party, host)
        tab = await WS.open(user_url(server, guest), name="guest tab")
        await tab.wait_for("hello")
        r = await asyncio.to_thread(staff.post, "/api/admin/broadcast/",
                                    json={"message": "Maintenance at noon", "severity": "warning"})
        assert r.status_code == 202, r.text
        b = r.json()
        assert set(b) == BROADCAST_KEYS and b["audience"] == "all" and b["expires_at"] is None
        for ws in (in_party, tab):
            got = await ws.wait_for("admin_broadcast")
            assert got["data"]["id"] == b["id"] and got["data"]["message"] == "Maintenance at noon"
            assert got["data"]["severity"] == "warning"
        await in_party.close()
        await tab.close()
        return b

    b = run(go())
    status = wait_until(lambda: (lambda s: s if s["delivery"]["sockets"] >= 2 and s["notification"]
                                 and s["notification"]["status"] == "done" else None)(
        staff.get(f"/api/admin/broadcast/{b['id']}/").json()))
    assert status, staff.get(f"/api/admin/broadcast/{b['id']}/").json()
    assert status["notification"]["recipients"] >= 3
    notes = guest.get("/api/notifications/?type=admin_broadcast").json()["results"]
    assert any(n["message"] == "Maintenance at noon" for n in notes)
    listed = staff.get("/api/admin/broadcast/").json()
    assert b["id"] in {x["id"] for x in listed["results"]}
    assert logs(staff, search="broadcast sent", user_id=staff.id)[0]["context"]["broadcast_id"] == b["id"]


def test_broadcast_to_staff_notifies_staff_only_and_expiry_shows_it_later(server):
    staff = make_staff_member(server)
    plain = register(server)
    until = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 600))
    r = staff.post("/api/admin/broadcast/", json={"message": "Staff meeting " + uniq(), "audience": "staff",
                                                  "severity": "info", "expires_at": until})
    assert r.status_code == 202, r.text
    b = r.json()
    assert b["expires_at"] == until
    assert wait_until(lambda: any(n["message"] == b["message"] for n in
                                  staff.get("/api/notifications/?type=admin_broadcast").json()["results"]))
    assert not any(n["message"] == b["message"]
                   for n in plain.get("/api/notifications/?type=admin_broadcast").json()["results"])
    # A page opened later still shows it to the staff until it expires; never to the others.
    assert b["id"] in {x["id"] for x in staff.get("/api/broadcasts/active/").json()["results"]}
    assert b["id"] not in {x["id"] for x in plain.get("/api/broadcasts/active/").json()["results"]}


def test_broadcast_validation(server):
    staff = make_staff_member(server)
    assert_field_errors(staff.post("/api/admin/broadcast/", json={}), "message")
    assert_field_errors(staff.post("/api/admin/broadcast/", json={"message": "m", "severity": "loud"}), "severity")
    assert_field_errors(staff.post("/api/admin/broadcast/", json={"message": "m", "audience": "plan"}), "plan")
    assert_field_errors(staff.post("/api/admin/broadcast/", json={"message": "m", "audience": "plan",
                                                                  "plan": "gold"}), "plan")
    assert_field_errors(staff.post("/api/admin/broadcast/", json={"message": "m", "plan": "free"}), "plan")
    assert_field_errors(staff.post("/api/admin/broadcast/", json={"message": "m", "expires_at": "tomorrow"}),
                        "expires_at")
    assert_field_errors(staff.post("/api/admin/broadcast/",
                                   json={"message": "m", "expires_at": "2001-01-01T00:00:00Z"}), "expires_at")
    assert_envelope(staff.get(f"/api/admin/broadcast/{uuid.uuid4()}/"), 404, "RESOURCE_NOT_FOUND")


# ---------------------------------------------------------------- logs, errors, metrics

def test_log_filters_and_their_validation(server):
    staff = make_staff_member(server)
    assert_field_errors(staff.get("/api/admin/logs/?level=loud"), "level")
    assert_field_errors(staff.get("/api/admin/logs/?category=misc"), "category")
    assert_field_errors(staff.get("/api/admin/logs/?since=yesterday"), "since")
    assert_field_errors(staff.get("/api/admin/logs/?user_id=nope"), "user_id")
    assert staff.post("/api/admin/broadcast/", json={"message": "m", "notify": False}).status_code == 202
    mine = logs(staff, user_id=staff.id, category="admin", level="info")
    assert mine and all(e["user_id"] == staff.id for e in mine)
    assert logs(staff, user_id=staff.id, since="2999-01-01T00:00:00Z") == []
    assert_page(staff.get("/api/admin/logs/").json())


def test_security_events_are_in_the_audit_trail(make_server):
    s = make_server(args=["--login-fail-limit-account", "2"])
    staff = make_staff_member(s)
    user = register(s)
    for _ in range(4):
        login_req(s, user.username, "not the password")
    tripped = logs(staff, category="security", search="throttling")
    assert len(tripped) == 1 and tripped[0]["level"] == "warning", tripped  # once per trip, not per refusal
    r = user.post("/api/auth/change-password/", json={"current_password": user.password,
                                                      "new_password": strong_password()})
    assert r.status_code == 200, r.text
    changed = logs(staff, category="security", user_id=user.id)
    assert [e["message"] for e in changed] == ["Password changed"]


def test_server_errors_are_grouped_by_signature_with_their_request_ids(make_server):
    s = make_server()
    staff = make_staff_member(s)
    user = register(s)
    # Sessions that ran the query before fail at a later step than fresh ones; it is still one error.
    for _ in range(4):
        assert user.get("/api/push/devices/").status_code == 200
    run_sql(s, "ALTER TABLE push_device_tokens RENAME TO push_device_tokens_gone")
    ids = []
    for _ in range(3):
        r = user.get("/api/push/devices/")
        assert_envelope(r, 500, "INTERNAL_ERROR")
        ids.append(r.headers["X-Request-ID"])
    groups = wait_until(lambda: [g for g in staff.get("/api/admin/errors/").json()["results"]
                                 if g["route"] == "/api/push/devices/" and g["count"] == 3])
    assert groups, staff.get("/api/admin/errors/").json()
    g = groups[0]
    # each is written on the pool as it happens: the last written may be any of the three
    assert g["method"] == "GET" and g["last_request_id"] in ids and g["last_user_id"] == user.id
    assert "push_device_tokens" in g["message"] or g["message"]
    detail = staff.get(f"/api/admin/errors/{g['signature']}/").json()
    assert set(detail["recent_request_ids"]) == set(ids)
    assert_envelope(staff.get("/api/admin/errors/0000000000000000/"), 404, "RESOURCE_NOT_FOUND")


def test_metric_snapshots_are_served_as_series(make_server):
    s = make_server(args=["--admin-metrics-interval-s", "1"])
    staff = make_staff_member(s)
    for _ in range(5):
        assert s.get("/api/health/").status_code == 200
    names = wait_until(lambda: (lambda n: n if {"http_requests_per_s", "http_p99_ms", "open_websockets",
                                                "queue_videos"} <= set(n) else None)(
        staff.get("/api/admin/metrics/").json()["names"]), timeout=15)
    assert names, staff.get("/api/admin/metrics/").json()
    series = staff.get("/api/admin/metrics/http_p99_ms/").json()
    assert series["name"] == "http_p99_ms" and series["points"]
    assert {"t", "node_id", "label", "value"} == set(series["points"][0])
    assert any(p["label"] == "/api/health/" for p in series["points"])
    empty = staff.get("/api/admin/metrics/http_p99_ms/?since=2001-01-01T00:00:00Z&until=2001-01-02T00:00:00Z")
    assert empty.json()["points"] == []
    assert_field_errors(staff.get("/api/admin/metrics/x/?since=2001-01-01T00:00:00Z&until=2001-03-01T00:00:00Z"),
                        "since")


# ---------------------------------------------------------------- parties and videos

def test_staff_list_end_and_remove_parties_and_videos(server):
    staff = make_staff_member(server)
    host = register(server)
    title = uniq("Admin party")
    party = create_party(host, title=title, media_url=MEDIA_URL)
    found = staff.get("/api/admin/parties/", params={"search": title}).json()
    assert [p["id"] for p in found["results"]] == [party["id"]]
    assert found["results"][0]["owner_id"] == host.id
    ended = staff.post(f"/api/admin/parties/{party['id']}/end/")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert staff.get("/api/admin/parties/", params={"search": title, "status": "ended"}).json()["count"] == 1
    assert_field_errors(staff.get("/api/admin/parties/?status=over"), "status")
    assert staff.delete(f"/api/admin/parties/{party['id']}/").status_code == 204
    assert host.get(f"/api/parties/{party['id']}/").status_code == 404

    vtitle = uniq("Admin clip")
    v = host.post("/api/videos/", json={"title": vtitle, "external_url": "https://media.example.com/a.mp4",
                                        "is_public": False}).json()
    listed = staff.get("/api/admin/videos/", params={"search": vtitle}).json()
    assert [x["id"] for x in listed["results"]] == [v["id"]] and listed["results"][0]["visibility"] == "private"
    assert staff.delete(f"/api/admin/videos/{v['id']}/").status_code == 204
    assert host.get(f"/api/videos/{v['id']}/").status_code == 404
    actions = [e["message"] for e in logs(staff, user_id=staff.id)]
    assert {"Staff ended a party", "Staff removed a party", "Staff removed a video"} <= set(actions)


# ---------------------------------------------------------------- the export's memory

def rss_kib(pid, kind="RssAnon"):
    """Resident memory of one kind. RssAnon is what the server allocated; RssFile counts the pages of
    SQLite's memory-mapped database file it has read, which belong to the page cache, not to it."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(kind + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {kind}")


def add_users_in_bulk(server, n, tag):
    """n users straight into the database (registering them would take minutes)."""
    if server.database_url:
        import subprocess
        sql = (f"INSERT INTO users (id, username, username_key, email, email_key, password_hash, first_name, "
               f"last_name, date_joined) SELECT md5('{tag}' || i)::uuid::text, '{tag}' || i, '{tag}' || i, "
               f"'{tag}' || i || '@example.com', '{tag}' || i || '@example.com', '!', 'First' || i, 'Last' || i, "
               f"1700000000000 + i FROM generate_series(1, {n}) AS i")
        subprocess.run(["psql", "-q", server.database_url, "-c", sql], check=True, capture_output=True)
        return
    import sqlite3
    db = sqlite3.connect(f"{server.data_dir}/watchparty.db", timeout=30)
    db.executemany("INSERT INTO users (id, username, username_key, email, email_key, password_hash, first_name, "
                   "last_name, date_joined) VALUES (?, ?, ?, ?, ?, '!', ?, ?, ?)",
                   ((str(uuid.uuid4()), f"{tag}{i}", f"{tag}{i}", f"{tag}{i}@example.com", f"{tag}{i}@example.com",
                     f"First{i}", f"Last{i}", 1700000000000 + i) for i in range(n)))
    db.commit()
    db.close()


@pytest.mark.skipif(ASAN, reason=(
    "an ASan server's resident memory is its allocator's: freed blocks wait in a quarantine (256 MB by "
    "default) and every block has shadow bytes, so RSS says nothing of the normal build's"))
def test_a_100k_users_export_keeps_memory_flat(make_server):
    s = make_server()
    root = make_superuser(s)
    add_users_in_bulk(s, 100_000, "bulk" + uuid.uuid4().hex[:6])
    fields = ["id", "username", "email", "first_name", "last_name", "is_active", "date_joined", "last_login"]
    # Warm up (pool threads, SQL statements, allocator arenas), then measure.
    warm = root.post("/api/admin/users/export/", json={"fields": fields, "is_active": False})
    assert warm.status_code == 200
    before = rss_kib(s.proc.pid)
    peak, total, rows = before, 0, 0
    with root.post("/api/admin/users/export/", json={"fields": fields}, stream=True, timeout=120) as r:
        assert r.status_code == 200
        for i, chunk in enumerate(r.iter_content(64 * 1024)):
            total += len(chunk)
            rows += chunk.count(b"\r\n")
            if i % 8 == 0:
                peak = max(peak, rss_kib(s.proc.pid))
                time.sleep(0.01)  # a slow reader: the server must not run ahead and buffer
    after = rss_kib(s.proc.pid)
    assert rows >= 100_001  # the header and every user
    assert total > 10 * 1024 * 1024, total  # the body is far larger than what memory may grow by
    growth = peak - before
    print(f"export of {rows - 1} users, {total} bytes: RssAnon before {before} KiB, peak {peak} KiB, "
          f"after {after} KiB; RssFile after {rss_kib(s.proc.pid, 'RssFile')} KiB")
    assert growth < 10 * 1024, f"RssAnon grew by {growth} KiB while exporting {total} bytes"
    assert after - before < 10 * 1024


# ---------------------------------------------------------------- two nodes

@pytest.fixture
def two_nodes():
    if not (PG_URL and REDIS_URL):
        pytest.skip("needs WP_PG_URL and WP_REDIS_URL")
    started = []
    db, prefix = new_pg_database(), f"wp-{uuid.uuid4().hex[:8]}:"
    for _ in range(2):
        started.append(Server("postgresql", args=["--redis-url", REDIS_URL, "--redis-prefix", prefix,
                                                  "--admin-heartbeat-s", "1"], database_url=db).start())
    yield started
    for i, node in enumerate(started):
        node.stop()
        print(f"---- node {i} log (shown when the test fails)\n{node.log()[-3000:]}")


def test_broadcast_reaches_clients_on_two_nodes_and_each_node_counts(two_nodes):
    a, b = two_nodes
    staff = make_staff_member(a)
    host, guest = register(a), register(a)
    party = create_party(host, media_url=MEDIA_URL)

    async def go():
        party_on_a = await connect(a, party, host)
        tab_on_b = await WS.open(user_url(b, guest), name="guest@B")
        await tab_on_b.wait_for("hello")
        party_on_b = await connect(b, party, guest)
        r = await asyncio.to_thread(staff.post, "/api/admin/broadcast/", json={"message": "Both nodes"})
        assert r.status_code == 202, r.text
        for ws in (party_on_a, tab_on_b, party_on_b):
            got = await ws.wait_for("admin_broadcast")
            assert got["data"]["message"] == "Both nodes"
        for ws in (party_on_a, tab_on_b, party_on_b):
            await ws.close()
        return r.json()["id"]

    bid = run(go())
    status = wait_until(lambda: (lambda s: s if len(s["delivery"]["nodes"]) == 2 else None)(
        staff.get(f"/api/admin/broadcast/{bid}/").json()))
    assert status, staff.get(f"/api/admin/broadcast/{bid}/").json()
    assert status["delivery"]["sockets"] >= 3


def test_health_is_the_same_on_both_nodes_with_a_breakdown(two_nodes):
    a, b = two_nodes
    staff = make_staff_member(a)
    seen = wait_until(lambda: (lambda h: h if h["nodes_seen_last_minute"] == 2 else None)(
        staff.get("/api/admin/system-health/").json()))
    assert seen, staff.get("/api/admin/system-health/").json()
    on_b = b.get("/api/admin/system-health/", headers={"Authorization": f"Bearer {staff.access}"}).json()
    assert on_b["nodes_seen_last_minute"] == 2
    assert {n["node_id"] for n in on_b["nodes"]} == {n["node_id"] for n in seen["nodes"]}
    assert on_b["node_id"] != seen["node_id"]
    assert on_b["redis"]["connected"] is True and on_b["redis"]["latency_ms"] >= 0
