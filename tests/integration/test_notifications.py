"""In-app notifications (docs/api.md, "Notifications"; docs/realtime.md, the
per-user channel's notification and unread_count events): the list with
its filters and paging, unread counts, read / read-all / delete, grouping
of repeats, blocks and the actor, preferences, live delivery to two tabs
on two nodes, and unread counts under concurrent creates and reads."""
import asyncio
import concurrent.futures
import threading

import pytest

from conftest import PG_URL, REDIS_URL
from helpers import assert_envelope, assert_field_errors, assert_page, assert_time, assert_uuid, register
from notification_helpers import (friend_request_from, notifications, results, set_preferences, unread,
                                  wait_notification)
from party_helpers import create_party, join, party_path, run, users
from social_helpers import accept, block, send_request
from test_user_channel import open_tab, two_nodes  # noqa: F401 - the fixture


def test_a_friend_request_is_a_notification_with_its_fields(server):
    ana, bob = register(server), register(server)
    n = friend_request_from(ana, bob)
    assert_uuid(n["id"])
    assert n["notification_type"] == "friend_request"
    assert n["title"] == f"{ana.username} sent you a friend request", n
    assert n["message"] and n["url"] == "/friends"
    assert n["data"]["actor_id"] == ana.id and n["data"]["actor_username"] == ana.username
    assert n["is_read"] is False and n["read_at"] is None and n["group_count"] == 1
    assert_time(n["created_at"])
    assert unread(bob) == 1
    # Nobody hears of their own action.
    assert results(ana) == []


def test_read_one_read_all_and_delete_move_the_unread_count(server):
    bob = register(server)
    senders = [register(server) for _ in range(3)]
    ids = [friend_request_from(s, bob)["id"] for s in senders]
    assert unread(bob) == 3
    r = bob.post(f"/api/notifications/{ids[0]}/read/")
    assert r.status_code == 200 and r.json()["is_read"] is True, r.text
    assert_time(r.json()["read_at"])
    assert unread(bob) == 2
    assert bob.post(f"/api/notifications/{ids[0]}/read/").status_code == 200  # again: no change
    assert unread(bob) == 2
    assert bob.delete(f"/api/notifications/{ids[1]}/").status_code == 200
    assert unread(bob) == 1
    assert_envelope(bob.get(f"/api/notifications/{ids[1]}/"), 404, "RESOURCE_NOT_FOUND")
    r = bob.post("/api/notifications/read-all/")
    assert r.status_code == 200 and r.json()["marked"] == 1, r.text
    assert unread(bob) == 0
    # Somebody else's notification does not exist for me.
    eve = register(server)
    assert_envelope(eve.post(f"/api/notifications/{ids[2]}/read/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(eve.delete(f"/api/notifications/{ids[2]}/"), 404, "RESOURCE_NOT_FOUND")


def test_filters_and_paging(server):
    bob = register(server)
    senders = [register(server) for _ in range(5)]
    for s in senders:
        friend_request_from(s, bob)
    accept(bob, senders[0])
    friend_request_from(bob, register(server))  # bob's own action: nothing for bob
    # Counted by type: the accepted friendship may also unlock bob's first_friend achievement.
    first = results(bob, type="friend_request")[0]
    assert bob.post(f"/api/notifications/{first['id']}/read/").status_code == 200
    page = notifications(bob, type="friend_request", page_size=2)
    assert_page(page)
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert notifications(bob, type="friend_request", unread="true")["count"] == 4
    assert notifications(bob, type="friend_request", unread="false")["count"] == 1
    assert notifications(bob, type="party_invitation")["count"] == 0
    assert_field_errors(bob.get("/api/notifications/?type=nope"), "type")
    assert_field_errors(bob.get("/api/notifications/?unread=maybe"), "unread")
    # Newest first.
    times = [n["updated_at"] for n in results(bob)]
    assert times == sorted(times, reverse=True)


def test_join_requests_to_one_party_group_into_one_row_with_a_count(server):
    host, *guests = users(server, 6)
    p = create_party(host, settings={"require_approval": True})
    for g in guests:
        assert join(g, p).status_code == 202
    n = wait_notification(host, "party_join_request", lambda n: n["group_count"] == 5)
    assert n["title"] == f"5 people ask to join {p['title']}", n
    assert n["data"]["party_id"] == p["id"] and n["url"] == f"/parties/{p['id']}"
    assert notifications(host, type="party_join_request")["count"] == 1
    # By type: hosting a first party also unlocks an achievement.
    assert notifications(host, type="party_join_request", unread="true")["count"] == 1
    # Once read, the next request starts a new row.
    assert host.post(f"/api/notifications/{n['id']}/read/").status_code == 200
    late = register(server)
    assert join(late, p).status_code == 202
    wait_notification(host, "party_join_request", count=2)
    assert notifications(host, type="party_join_request", unread="true")["count"] == 1


def test_a_block_drops_notices_from_the_blocked_user(server):
    ana, bob, cat = register(server), register(server), register(server)
    assert block(bob, cat).status_code == 201
    # A party invitation from a blocked user cannot be made; a join request of theirs reaches no one blocked.
    p = create_party(cat, settings={"require_approval": True})
    assert join(bob, p).status_code in (202, 404)
    friend_request_from(ana, bob)
    assert [n["data"]["actor_id"] for n in results(bob)] == [ana.id]
    assert results(cat, type="party_join_request") == []  # by type: hosting also unlocks an achievement


def test_preferences_list_types_and_change_channels(server):
    bob = register(server)
    types = bob.get("/api/notifications/types/").json()
    names = [t["notification_type"] for t in types]
    for required in ("friend_request", "friend_accepted", "party_invitation", "party_starting", "party_join_request",
                     "new_message", "mention", "comment_reply", "video_like", "event_invitation", "event_reminder",
                     "ticket_reply", "moderation_action", "subscription", "payment", "admin_broadcast"):
        assert required in names, required
    prefs = bob.get("/api/notifications/preferences/").json()
    assert prefs["muted"] is False and prefs["digest_mode"] == "immediate" and prefs["quiet_hours"] is None
    fr = next(t for t in prefs["types"] if t["notification_type"] == "friend_request")
    assert fr["channels"] == {"in_app": True, "email": True, "push": True} and fr["defaults"] == fr["channels"]
    prefs = set_preferences(bob, preferences=[{"notification_type": "friend_request", "channel": "in_app",
                                               "enabled": False}],
                            digest_mode="daily", quiet_hours={"start": "22:30", "end": "07:00"}, muted=True)
    fr = next(t for t in prefs["types"] if t["notification_type"] == "friend_request")
    assert fr["channels"]["in_app"] is False and fr["defaults"]["in_app"] is True
    assert prefs["digest_mode"] == "daily" and prefs["muted"] is True
    assert prefs["quiet_hours"] == {"start": "22:30", "end": "07:00"}
    assert set_preferences(bob, quiet_hours=None)["quiet_hours"] is None
    # With in-app off there is no row.
    ana = register(server)
    assert send_request(ana, bob).status_code == 201
    assert results(bob) == []
    # Bad values are 400 naming the field.
    for body, field in (({"digest_mode": "weekly"}, "digest_mode"),
                        ({"preferences": [{"notification_type": "nope", "channel": "email", "enabled": True}]},
                         "notification_type"),
                        ({"preferences": [{"notification_type": "mention", "channel": "sms", "enabled": True}]},
                         "channel"),
                        ({"quiet_hours": {"start": "25:00", "end": "07:00"}}, "quiet_hours"),
                        ({"quiet_hours": {"start": "07:00", "end": "07:00"}}, "quiet_hours"),
                        ({"muted": "yes"}, "muted")):
        assert_field_errors(bob.patch("/api/notifications/preferences/", json=body), field)


def test_concurrent_changes_of_different_settings_are_all_kept(server):
    """Each PATCH reads the settings row, changes its field and writes the row back: without a lock on
    PostgreSQL the last writer put back what the others had just changed."""
    bob = register(server)
    changes = ({"muted": True}, {"digest_mode": "daily"}, {"quiet_hours": {"start": "22:30", "end": "07:00"}})
    with concurrent.futures.ThreadPoolExecutor(len(changes)) as pool:
        for round_ in range(12):
            set_preferences(bob, muted=False, digest_mode="immediate", quiet_hours=None)
            barrier = threading.Barrier(len(changes))

            def change(body):
                barrier.wait()
                return bob.patch("/api/notifications/preferences/", json=body).status_code

            assert list(pool.map(change, changes)) == [200] * len(changes)
            prefs = bob.get("/api/notifications/preferences/").json()
            assert (prefs["muted"], prefs["digest_mode"], prefs["quiet_hours"]) == \
                (True, "daily", {"start": "22:30", "end": "07:00"}), (round_, prefs)


def test_live_notification_and_unread_count_reach_every_tab(server):
    ana, bob = register(server), register(server)

    async def go():
        tabs = [await open_tab(server, bob), await open_tab(server, bob)]
        await asyncio.to_thread(send_request, ana, bob)
        for tab in tabs:
            n = (await tab.wait_for("notification"))["data"]
            assert n["notification_type"] == "friend_request" and n["data"]["actor_id"] == ana.id, n
            c = (await tab.wait_for("unread_count"))["data"]
            assert c["count"] == 1 and c["version"] >= 1, c
        mark = tabs[0].mark()
        await asyncio.to_thread(bob.post, "/api/notifications/read-all/")
        c = (await tabs[0].wait_for("unread_count", start=mark))["data"]
        assert c["count"] == 0
        for t in tabs:
            await t.close()

    run(go())


def test_live_delivery_to_two_tabs_on_two_nodes(two_nodes):  # noqa: F811 - the fixture
    node1, node2 = two_nodes()
    ana, bob = register(node1), register(node1)
    bob2 = type(bob)(node2, bob.username, bob.email, bob.password, bob.tokens)

    async def go():
        t1, t2 = await open_tab(node1, bob), await open_tab(node2, bob2)
        await asyncio.to_thread(send_request, ana, bob)
        for tab in (t1, t2):
            n = (await tab.wait_for("notification"))["data"]
            assert n["data"]["actor_id"] == ana.id
            assert (await tab.wait_for("unread_count"))["data"]["count"] == 1
        await t1.close()
        await t2.close()

    run(go())


def test_unread_counts_stay_right_under_concurrent_creates_and_reads(server):
    bob = register(server)
    senders = [register(server) for _ in range(12)]

    async def go():
        tab = await open_tab(server, bob)

        def create(s):
            assert send_request(s, bob).status_code == 201

        def read_all():
            for _ in range(4):
                assert bob.post("/api/notifications/read-all/").status_code == 200
                bob.get("/api/notifications/unread-count/")

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            jobs = [pool.submit(create, s) for s in senders] + [pool.submit(read_all) for _ in range(2)]
            await asyncio.to_thread(lambda: [j.result() for j in jobs])
        final = unread(bob)
        assert final == notifications(bob, unread="true")["count"]
        # The event of the highest version carries the final count.
        def latest():
            events = [e["data"] for e in tab.of_type("unread_count")]
            return max(events, key=lambda e: e["version"]) if events else None
        await tab._wait(lambda: latest() if latest() and latest()["count"] == final else None, 5, "the final count")
        versions = [e["data"]["version"] for e in tab.of_type("unread_count")]
        assert len(set(versions)) == len(versions), "each change has its own version"
        await tab.close()

    run(go())


def test_concurrent_repeats_meet_on_one_grouped_row(server):
    owner = register(server)
    r = owner.post("/api/videos/", json={"title": "Clip", "external_url": "https://media.example.com/a.mp4",
                                         "is_public": True})
    assert r.status_code == 201, r.text
    vid = r.json()["id"]
    fans = [register(server) for _ in range(10)]
    barrier = threading.Barrier(len(fans))

    def like(f):
        barrier.wait()
        assert f.post(f"/api/videos/{vid}/like/", json={"is_like": True}).status_code == 200

    with concurrent.futures.ThreadPoolExecutor(len(fans)) as pool:
        list(pool.map(like, fans))
    rows = results(owner, type="video_like")
    assert len(rows) == 1 and rows[0]["group_count"] == 10, rows
    # By type: the first video also unlocks an achievement.
    assert notifications(owner, type="video_like", unread="true")["count"] == 1
