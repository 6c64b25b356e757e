"""Admin broadcasts (docs/api.md, "Notifications"): staff only, answered at
once with 202, fanned out in the background to every user or to a user's
followers, in batches, with live events; progress and timing readable."""
import asyncio
import time

from helpers import assert_envelope, assert_field_errors, make_staff_member, register
from notification_helpers import results
from party_helpers import run
from social_helpers import follow
from test_user_channel import open_tab

PATH = "/api/admin/notifications/broadcasts/"


def wait_done(staff, b, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = staff.get(f"{PATH}{b['id']}/").json()
        if got["status"] in ("done", "failed"):
            return got
        time.sleep(0.1)
    raise AssertionError(f"broadcast never finished: {got}")


def test_a_broadcast_to_followers_answers_at_once_and_fans_out_in_the_background(make_server):
    server = make_server(args=["--notification-broadcast-batch", "7"])
    staff = make_staff_member(server)
    star = register(server)
    followers = [register(server) for _ in range(20)]
    for f in followers:
        assert follow(f, star).status_code == 201
    bystander = register(server)

    async def go():
        tab = await open_tab(server, followers[3])
        r = await asyncio.to_thread(staff.post, PATH, json={"title": "Premiere <tonight>", "message": "Join us",
                                                            "url": "/parties", "audience": "followers",
                                                            "user_id": star.id})
        assert r.status_code == 202, r.text
        b = r.json()
        assert b["status"] in ("queued", "running", "done") and b["audience"] == "followers"
        n = (await tab.wait_for("notification", timeout=10))["data"]
        assert n["notification_type"] == "admin_broadcast" and n["title"] == "Premiere <tonight>"
        assert n["message"] == "Join us" and n["url"] == "/parties"
        await tab.close()
        return b

    b = run(go())
    done = wait_done(staff, b)
    assert done["status"] == "done" and done["recipients"] == 20, done
    assert done["fanout_ms"] >= 0
    for f in followers:
        assert [n["notification_type"] for n in results(f)] == ["admin_broadcast"]
    assert results(bystander) == [] and results(star) == []


def test_a_broadcast_to_all_reaches_every_active_user_and_is_staff_only(server):
    staff = make_staff_member(server)
    some = [register(server) for _ in range(3)]
    user = register(server)
    assert_envelope(user.post(PATH, json={"title": "x", "message": "y"}), 403, "ACCESS_FORBIDDEN")
    assert_field_errors(staff.post(PATH, json={"title": "", "message": "y"}), "title")
    assert_field_errors(staff.post(PATH, json={"title": "t", "message": "y", "audience": "friends"}), "audience")
    assert_field_errors(staff.post(PATH, json={"title": "t", "message": "y", "audience": "followers"}), "user_id")
    assert_field_errors(staff.post(PATH, json={"title": "t", "message": "y", "url": "https://evil.example"}), "url")
    r = staff.post(PATH, json={"title": "Maintenance", "message": "At noon"})
    assert r.status_code == 202, r.text
    done = wait_done(staff, r.json())
    assert done["status"] == "done" and done["recipients"] >= 4
    for u in some + [user]:
        assert any(n["title"] == "Maintenance" for n in results(u, type="admin_broadcast"))
    assert_envelope(user.get(f"{PATH}{r.json()['id']}/"), 403, "ACCESS_FORBIDDEN")
