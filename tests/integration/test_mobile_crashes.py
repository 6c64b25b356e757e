"""Crash reports and app sessions, on SQLite and PostgreSQL: anonymous reports with a rate limit,
grouping by signature with counts per version, fixed-in-version and the regression that reopens a
group; sessions and staff's per-platform figures."""
import time
import uuid

from helpers import assert_envelope, assert_field_errors, register
from helpers import make_staff_member

TRACE = "java.lang.IllegalStateException: item {n}\n  at com.example.{cls}.play({cls}.java:{line})\n  at com.example.Home.show(Home.java:{line})\n"


def report(server, version, cls="Player", n=1, line=10, user=None, status=201):
    body = {"platform": "android", "app_version": version, "os_version": "14", "device_model": "Pixel 8",
            "stack_trace": TRACE.format(n=n, cls=cls, line=line), "breadcrumbs": [{"screen": "home"}],
            "occurred_at": "2026-12-01T10:00:00Z"}
    r = (user.post if user else server.post)("/api/mobile/crashes/", json=body)
    assert r.status_code == status, r.text
    return r.json()


def test_crashes_group_and_a_regression_reopens_the_group(server):
    staff = make_staff_member(server)
    cls = "Player" + uuid.uuid4().hex[:8]  # a crash of its own on the shared server
    first = report(server, "1.9.0", cls, n=1, line=10)
    second = report(server, "1.9.9", cls, n=2, line=12, user=register(server))  # another build, another message
    assert first["group_id"] == second["group_id"] and second["count"] == 2 and second["status"] == "open"
    other = report(server, "1.9.9", cls + "X", user=register(server))
    assert other["group_id"] != first["group_id"]
    gid = first["group_id"]
    group = staff.get(f"/api/mobile/crash-groups/{gid}/").json()
    assert group["title"].startswith("java.lang.IllegalStateException")
    assert sorted((v["app_version"], v["count"]) for v in group["versions"]) == [("1.9.0", 1), ("1.9.9", 1)]
    assert len(group["recent"]) == 2 and group["recent"][0]["breadcrumbs"] == [{"screen": "home"}]
    r = staff.post(f"/api/mobile/crash-groups/{gid}/fixed/", json={"version": "1.10.0"})
    assert r.status_code == 200 and r.json()["status"] == "fixed" and r.json()["fixed_in_version"] == "1.10.0"
    assert report(server, "1.9.9", cls, user=staff)["status"] == "fixed"  # an old build: expected
    assert report(server, "1.10.0", cls, user=staff)["status"] == "regressed"  # 1.10.0 > 1.9.9
    listed = staff.get("/api/mobile/crash-groups/?status=regressed&page_size=100").json()["results"]
    assert gid in [g["id"] for g in listed]
    assert_field_errors(staff.post(f"/api/mobile/crash-groups/{gid}/fixed/", json={"version": "soon"}), "version")
    assert_field_errors(staff.get("/api/mobile/crash-groups/?status=sleeping"), "status")


def test_bad_reports_and_the_anonymous_rate_limit(make_server):
    server = make_server(["--mobile-crash-anonymous-limit", "3", "--mobile-crash-max-stack-bytes", "2048"])
    assert_field_errors(server.post("/api/mobile/crashes/", json={}), "platform", "app_version", "stack_trace")
    r = server.post("/api/mobile/crashes/", json={"platform": "symbian", "app_version": "1", "stack_trace": "x"})
    assert_field_errors(r, "platform")
    r = server.post("/api/mobile/crashes/", json={"platform": "ios", "app_version": "1", "stack_trace": "x" * 3000})
    assert_field_errors(r, "stack_trace")
    for _ in range(3):
        report(server, "1.0.0")
    r = server.post("/api/mobile/crashes/", json={"platform": "ios", "app_version": "1", "stack_trace": "boom"})
    assert_envelope(r, 429, "RATE_LIMITED")
    assert int(r.headers["Retry-After"]) > 0
    report(server, "1.0.0", user=register(server))  # a logged-in reporter is not limited per address


def test_sessions_give_staff_the_crash_free_rate_per_platform(make_server):
    server = make_server()
    staff = make_staff_member(server)
    now = int(time.time() * 1000)
    for i, (platform, device, crashed) in enumerate([("ios", "d1", False), ("ios", "d1", True), ("ios", "d2", False),
                                                     ("android", "d3", False)]):
        body = {"id": f"s{i}", "device_id": device, "platform": platform, "app_version": "1.0.0",
                "network_type": "wifi", "started_at": now - 60000, "screen_views": 3}
        assert server.post("/api/mobile/sessions/", json=body).status_code == 200
        body.update(ended_at=now, crashed=crashed)
        assert server.post("/api/mobile/sessions/", json=body).status_code == 200
    r = server.post("/api/mobile/sessions/", json={"id": "s0", "device_id": "d9", "platform": "ios", "started_at": now})
    assert_envelope(r, 409, "CONFLICT")
    stats = staff.get("/api/mobile/stats/?days=1").json()
    by = {p["platform"]: p for p in stats["platforms"]}
    assert by["ios"]["active_devices"] == 2 and by["ios"]["sessions"] == 3 and by["ios"]["crashed_sessions"] == 1
    assert abs(by["ios"]["crash_free_rate"] - 2 / 3) < 1e-9
    assert by["android"]["crash_free_rate"] == 1.0
