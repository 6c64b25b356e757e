"""Analytics (#20): the server's own events (domain events, the queue's
overflow counted), the rollups as the read views show them (a video's
numbers match what happened, user behavior, the forecast, CSV), and the
real-time counts summed across two nodes through Redis."""
import asyncio
import re
import time
import uuid

import pytest

from conftest import PG_URL, REDIS_URL, Server, new_pg_database
from helpers import assert_envelope, make_staff_member, register, run_sql
from party_helpers import WS
from test_analytics import scalar

FAST = ["--analytics-rollup-interval-s", "1", "--analytics-flush-ms", "50"]


def eventually(fn, timeout=15):
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value or time.time() > deadline:
            return value
        time.sleep(0.2)


def metric(server, name):
    m = re.search(rf"^{name} ([0-9.e+]+)$", server.get("/metrics").text, flags=re.M)
    return float(m.group(1)) if m else None


def new_video(owner):
    r = owner.post("/api/videos/", json={"title": "Clip", "external_url": "https://media.example.com/a.mp4"})
    assert r.status_code == 201, r.text
    return r.json()


def test_domain_events_are_written_and_a_full_queue_drops_and_counts(make_server):
    s = make_server(args=["--analytics-queue-capacity", "1", "--analytics-flush-ms", "3600000"])
    users = [register(s) for _ in range(4)]  # every registration answered, whatever the queue did
    assert len(users) == 4
    dropped = metric(s, "watchparty_analytics_server_events_dropped_total")
    queued = metric(s, "watchparty_analytics_server_events_queued_total")
    assert queued == 1 and dropped >= 3, (queued, dropped)
    # Stopping writes what was queued.
    s.stop()
    assert scalar(s, "SELECT COUNT(*) FROM analytics_events WHERE source = 'server'") == "1"


def test_a_videos_analytics_match_what_happened(make_server):
    s = make_server(args=FAST)
    owner, a, b, other = (register(s) for _ in range(4))
    staff = make_staff_member(s)
    video = new_video(owner)
    vid = video["id"]
    assert a.post(f"/api/videos/{vid}/view/").json()["counted"] is True
    assert b.post(f"/api/videos/{vid}/view/").json()["counted"] is True
    assert a.post(f"/api/videos/{vid}/progress/", json={"position": 30, "duration_watched": 30}).status_code == 200
    assert b.post(f"/api/videos/{vid}/like/", json={"is_like": True}).status_code == 200
    assert a.post(f"/api/videos/{vid}/comments/", json={"content": "nice"}).status_code == 201
    path = f"/api/analytics/video/{vid}/analytics/"

    def settled():
        r = owner.get(path)
        assert r.status_code == 200, r.text
        body = r.json()
        t = body["totals"]
        return body if (t["views"], t["likes"], t["comments"], t["watch_time"]) == (2, 1, 1, 30) else None

    body = eventually(settled)
    assert body, owner.get(path).json()
    assert body["totals"]["unique_viewers"] == 2
    assert body["party_share"] == 0
    assert len(body["series"]) == 1 and body["series"][0]["views"] == 2
    assert [p["percent"] for p in body["retention"]] == list(range(0, 101, 5))
    hourly = owner.get(path + "?granularity=hour").json()
    assert sum(x["views"] for x in hourly["series"]) == 2
    assert staff.get(path).json()["totals"] == body["totals"]
    assert_envelope(other.get(path), 403, "ACCESS_FORBIDDEN")
    assert s.get(path).status_code == 401
    assert_envelope(owner.get(f"/api/analytics/video/{uuid.uuid4()}/analytics/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(owner.get(path + "?granularity=week"), 400, "VALIDATION_ERROR")

    me = a.get("/api/analytics/user-behavior/").json()
    assert me["user_id"] == a.id and me["totals"]["watch_time"] == 30 and me["totals"]["active_days"] == 1
    assert_envelope(a.get(f"/api/analytics/user-behavior/?user_id={b.id}"), 403, "ACCESS_FORBIDDEN")
    assert staff.get(f"/api/analytics/user-behavior/?user_id={a.id}").json()["totals"] == me["totals"]
    everyone = staff.get("/api/analytics/user-behavior/").json()
    assert everyone["user_id"] is None and everyone["series"][-1]["active_users"] >= 5

    csv = staff.get("/api/analytics/export/?rollup=video&granularity=day")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.text.strip().split("\r\n")
    assert lines[0].startswith("video_id,bucket_start,views") and lines[1].startswith(vid + ",")
    assert_envelope(owner.get("/api/analytics/export/?rollup=video"), 403, "ACCESS_FORBIDDEN")


def test_the_forecast_of_daily_active_users(make_server):
    s = make_server()
    staff = make_staff_member(s)
    r = staff.get("/api/analytics/predictive/")
    assert r.status_code == 200, r.text
    assert r.json()["forecast"] is None  # not two weeks of data yet
    # 70 past days of a weekly pattern, as the rollups would hold them.
    day = 86_400_000
    today = int(time.time() * 1000) // day * day
    rows = [f"('u{u}', 'day', {today - d * day}, 1)" for d in range(70, 0, -1) for u in range(10 + (70 - d) % 7)]
    run_sql(s, "INSERT INTO analytics_user_rollups (user_id, granularity, bucket_start, events) VALUES " + ",".join(rows))
    body = staff.get("/api/analytics/predictive/?metric=daily_active_users").json()
    assert len(body["history"]) == 70 and len(body["forecast"]) == 14
    for h, point in enumerate(body["forecast"]):
        assert abs(point["value"] - (10 + (70 + h) % 7)) < 1e-6
        assert point["lower"] <= point["value"] <= point["upper"]
    assert set(body["parameters"]) >= {"alpha", "beta", "gamma"}
    assert body["backtest"]["held_out_days"] == 28 and body["backtest"]["mape"] < 1e-6
    assert_envelope(register(s).get("/api/analytics/predictive/"), 403, "ACCESS_FORBIDDEN")


def test_real_time_counts_are_summed_across_two_nodes():
    if not (PG_URL and REDIS_URL):
        pytest.skip("needs WP_PG_URL and WP_REDIS_URL")
    db, prefix = new_pg_database(), f"wp-{uuid.uuid4().hex[:8]}:"
    nodes = [Server("postgresql", args=["--redis-url", REDIS_URL, "--redis-prefix", prefix], database_url=db).start()
             for _ in range(2)]
    try:
        staff = make_staff_member(nodes[0])
        user = register(nodes[0])

        async def scenario():
            tabs = [await WS.open(f"ws://127.0.0.1:{n.port}/ws/user/?token={user.access}") for n in nodes]
            for t in tabs:
                await t.wait_for("hello")

            def counted():
                r = staff.get("/api/analytics/real-time/")
                assert r.status_code == 200, r.text
                body = r.json()
                return body if body["nodes"] == 2 and body["sockets"] >= 2 else None

            body = await asyncio.get_running_loop().run_in_executor(None, eventually, counted)
            for t in tabs:
                await t.conn.close()
            return body

        body = asyncio.run(scenario())
        assert body and body["sockets"] == 2 and body["watching_now"] == 0, body
        assert_envelope(user.get("/api/analytics/real-time/"), 403, "ACCESS_FORBIDDEN")
    finally:
        for n in nodes:
            n.stop()


def test_drift_reports_on_the_party_socket_are_aggregated_per_party(make_server):
    from party_helpers import connect, create_party, run
    s = make_server(args=FAST)
    host = register(s)
    staff = make_staff_member(s)
    party = create_party(host)

    async def go():
        h = await connect(s, party, host, name="host")
        await h.send({"type": "sync_report", "drift_ms": 40})
        await h.send({"type": "sync_report", "drift_ms": -80.4})
        await h.send({"type": "sync_report", "drift_ms": "far"})
        await h.wait_for("error")
        await h.close()

    run(go())

    def row():
        lines = staff.get("/api/analytics/export/?rollup=party&granularity=day").text.strip().split("\r\n")
        head = lines[0].split(",")
        for line in lines[1:]:
            values = dict(zip(head, line.split(",")))
            if values["party_id"] == party["id"] and values["drift_reports"] == "2":
                return values
        return None

    values = eventually(row)
    assert values, staff.get("/api/analytics/export/?rollup=party").text
    assert (values["drift_abs_ms_sum"], values["drift_abs_ms_max"]) == ("120", "80")
