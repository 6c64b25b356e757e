"""GET /api/mobile/config/, on SQLite and PostgreSQL: anonymous and cacheable (ETag, Cache-Control, 304),
force_update by semantic-version comparison (1.10.0 > 1.9.9), flags by plan and by a rollout stable per
user, the ICE hint without credentials, the maintenance message."""
import pytest

from helpers import assert_field_errors, register

ARGS = ["--mobile-min-versions", "ios=1.10.0,android=2.0.0", "--mobile-latest-versions", "ios=1.12.0",
        "--mobile-flags", "chat,new_player:40,hd_offline:100:premium",
        "--mobile-maintenance-message", "Down at 02:00 UTC for ten minutes.",
        "--rtc-turn-urls", "turn:turn.example.com:3478", "--rtc-turn-secret", "s3cret-turn",
        "--mobile-config-max-age-s", "120"]


def test_config_is_anonymous_cacheable_and_versioned(make_server):
    server = make_server(ARGS)
    r = server.get("/api/mobile/config/?platform=ios&app_version=1.9.9")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["force_update"] is True and body["update_available"] is True
    assert body["versions"]["ios"] == {"min": "1.10.0", "latest": "1.12.0"}
    assert body["versions"]["android"] == {"min": "2.0.0", "latest": None}
    assert body["maintenance"] == "Down at 02:00 UTC for ten minutes."
    assert body["ice"]["turn_urls"] == ["turn:turn.example.com:3478"]
    assert "s3cret-turn" not in r.text
    assert body["api"]["base_url"].endswith("/api/")
    assert r.headers["Cache-Control"] == "public, max-age=120"
    etag = r.headers["ETag"]
    again = server.get("/api/mobile/config/?platform=ios&app_version=1.9.9", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and again.content == b""
    newer = server.get("/api/mobile/config/?platform=ios&app_version=1.10.0")
    assert newer.json()["force_update"] is False and newer.headers["ETag"] != etag
    assert_field_errors(server.get("/api/mobile/config/?platform=symbian"), "platform")


def test_flags_follow_the_plan_and_a_rollout_stable_per_user(make_server):
    server = make_server(ARGS)
    users = [register(server) for _ in range(30)]
    seen = {}
    for u in users:
        r = u.get("/api/mobile/config/")
        assert r.headers["Cache-Control"].startswith("private")
        flags = r.json()["flags"]
        assert flags["chat"] is True and flags["hd_offline"] is False  # free plan
        seen[u.id] = flags["new_player"]
    for u in users:
        assert u.get("/api/mobile/config/").json()["flags"]["new_player"] == seen[u.id]
    assert 0 < sum(seen.values()) < len(users)
    # Anonymous callers are keyed by their install id, stable too.
    one = server.get("/api/mobile/config/?device_id=install-1").json()["flags"]["new_player"]
    assert server.get("/api/mobile/config/?device_id=install-1").json()["flags"]["new_player"] == one


def test_bad_settings_stop_the_server(make_server):
    with pytest.raises(RuntimeError):
        make_server(["--mobile-flags", "broken:200"])
