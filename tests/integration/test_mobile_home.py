"""GET /api/mobile/home/, on SQLite and PostgreSQL: every section filled by data made through the API
(the recommender's batch excepted: its round runs every 2 minutes, so one test writes its rows as the
round would), bounded, and nothing from a user blocked with the caller either way."""
import time
import uuid

from event_helpers import create_event, join as join_event
from group_helpers import create_group, join_group
from helpers import assert_envelope, assert_time, make_staff_member, register, run_sql
from message_helpers import direct, send
from mobile_helpers import wait_until
from party_helpers import MEDIA_URL, create_party, party_path
from social_helpers import befriend, block
from video_helpers import make_clip, upload_ready, vserver  # noqa: F401 - vserver is a fixture

HOME = "/api/mobile/home/"
KEYS = {"live_parties", "upcoming_events", "continue_watching", "recommendations", "unread", "announcements",
        "unavailable", "generated_at"}


def home(user):
    r = user.get(HOME)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == KEYS and body["unavailable"] == []
    assert_time(body["generated_at"])
    assert r.headers["Cache-Control"] == "private, no-store"
    return body


def ids(items):
    return [x["id"] for x in items]


def progress(user, video, position):
    r = user.post(f"/api/videos/{video['id']}/progress/", json={"position": position, "duration_watched": 1})
    assert r.status_code == 200, r.text


def test_home_needs_a_login_and_is_in_the_openapi_document(vserver):
    assert_envelope(vserver.get(HOME), 401, "AUTHENTICATION_REQUIRED")
    op = vserver.get("/api/schema/").json()["paths"][HOME]["get"]
    schema = op["responses"]["2XX"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == KEYS
    assert schema["properties"]["live_parties"]["maxItems"] == 10


def test_live_parties_of_friends_and_groups(vserver):
    me, friend, stranger, member = (register(vserver) for _ in range(4))
    befriend(me, friend)
    group = create_group(member)
    assert join_group(me, group).status_code == 200
    theirs = create_party(friend, media_url=MEDIA_URL)
    in_group = create_party(member, group_id=group["id"], media_url=MEDIA_URL)
    create_party(stranger, media_url=MEDIA_URL)  # public, but neither a friend's nor of my groups
    create_party(me, media_url=MEDIA_URL)  # my own
    ended = create_party(friend, media_url=MEDIA_URL, title="Over")
    assert friend.post(party_path(ended, "end/")).status_code == 200
    private = create_party(friend, media_url=MEDIA_URL, visibility="private")  # not invited: not visible
    got = home(me)["live_parties"]
    assert set(ids(got)) == {theirs["id"], in_group["id"]}
    assert private["id"] not in ids(got)
    first = {p["id"]: p for p in got}[in_group["id"]]
    assert first["host"] == {"id": member.id, "username": member.username}
    assert first["group_id"] == group["id"] and first["participant_count"] == 1
    assert_time(first["started_at"])
    assert ids(got) == [in_group["id"], theirs["id"]]  # newest first


def test_upcoming_events_i_organize_or_go_to(vserver):
    me, friend = register(vserver), register(vserver)
    mine = create_event(me, start_in=7200, title="Mine")
    theirs = create_event(friend, start_in=3600, title="Theirs")
    create_event(friend, start_in=1800, title="Not going")
    assert join_event(me, theirs).status_code in (200, 201)
    got = home(me)["upcoming_events"]
    assert ids(got) == [theirs["id"], mine["id"]]  # soonest first
    assert got[0]["organizer"]["id"] == friend.id and got[0]["status"] == "upcoming"
    # Bounded: at most 5.
    for i in range(6):
        create_event(me, start_in=600 + i, title=f"Soon {i}")
    assert len(home(me)["upcoming_events"]) == 5


def test_continue_watching_and_popular_videos(vserver):
    me, uploader = register(vserver), register(vserver)
    half = upload_ready(vserver, uploader, make_clip(duration=6), title="Half")
    done = upload_ready(vserver, uploader, make_clip(duration=6), title="Done")
    progress(me, half, 2.0)
    progress(me, done, 5.9)  # past 95 %
    body = home(me)
    assert ids(x["video"] for x in body["continue_watching"]) == [half["id"]]
    item = body["continue_watching"][0]
    assert item["position_s"] == 2.0 and 0.3 < item["progress"] < 0.35
    assert item["video"]["uploader"]["id"] == uploader.id and item["video"]["duration"] > 5
    assert_time(item["watched_at"])
    # Finishing it later takes it out.
    progress(me, half, 5.8)
    body = home(me)
    assert body["continue_watching"] == []
    # No recommender batch for me yet: the popular recent videos, without what I am resuming.
    recs = body["recommendations"]
    assert recs["source"] == "popular"
    assert {half["id"], done["id"]} <= set(ids(recs["results"]))
    assert all(r["type"] == "video" and r["reason"] for r in recs["results"])
    assert len(recs["results"]) <= 10


def test_recommender_batch_is_used_when_present(vserver):
    me, uploader = register(vserver), register(vserver)
    video = upload_ready(vserver, uploader, make_clip(duration=2), title="Picked for you")
    now = int(time.time() * 1000)
    run_sql(vserver, "INSERT INTO content_recommendations (id, user_id, object_type, object_id, score, reason, "
            "created_at) VALUES (?, ?, 'video', ?, 1.5, 'Because you watched X', ?)",
            str(uuid.uuid4()), me.id, video["id"], now)
    recs = home(me)["recommendations"]
    assert recs["source"] == "recommender"
    assert recs["results"] == [{"type": "video", "id": video["id"], "title": "Picked for you",
                                "reason": "Because you watched X"}]


def test_unread_counts_and_announcements(vserver):
    me, friend = register(vserver), register(vserver)
    staff = make_staff_member(vserver)
    befriend(me, friend)
    conv = direct(friend, me)
    send(friend, conv["id"], "one")
    send(friend, conv["id"], "two")
    until = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 600))
    r = staff.post("/api/admin/broadcast/", json={"message": "Maintenance at noon", "severity": "warning",
                                                  "expires_at": until})
    assert r.status_code == 202, r.text

    # Notices are made after the answers that cause them: read both when they agree.
    def agreed():
        body = home(me)
        count = me.get("/api/notifications/unread-count/").json()["count"]
        return body if count > 0 and body["unread"]["notifications"] == count else None

    body = wait_until(agreed)
    assert body, "the unread count never agreed"
    assert body["unread"]["messages"] == 2 and body["unread"]["conversations"] == 1
    a = {x["id"]: x for x in body["announcements"]}[r.json()["id"]]
    assert a["message"] == "Maintenance at noon" and a["severity"] == "warning" and a["expires_at"] == until


def test_nothing_from_a_user_blocked_either_way(vserver):
    me, blocker, blocked, member = (register(vserver) for _ in range(4))
    group = create_group(member)
    for u in (me, blocker, blocked):
        assert join_group(u, group).status_code == 200
    their_party = create_party(blocker, group_id=group["id"], media_url=MEDIA_URL)
    my_blocked_party = create_party(blocked, group_id=group["id"], media_url=MEDIA_URL)
    fine_party = create_party(member, group_id=group["id"], media_url=MEDIA_URL)
    their_event = create_event(blocker, title="Blocker's")
    blocked_event = create_event(blocked, title="Blocked's")
    assert join_event(me, their_event).status_code in (200, 201)
    assert join_event(me, blocked_event).status_code in (200, 201)
    their_video = upload_ready(vserver, blocker, make_clip(duration=6), title="Blocker's clip")
    blocked_video = upload_ready(vserver, blocked, make_clip(duration=6), title="Blocked's clip")
    progress(me, their_video, 1.0)
    progress(me, blocked_video, 1.0)
    before = home(me)
    assert {their_party["id"], my_blocked_party["id"], fine_party["id"]} <= set(ids(before["live_parties"]))
    assert {their_event["id"], blocked_event["id"]} <= set(ids(before["upcoming_events"]))
    assert set(ids(x["video"] for x in before["continue_watching"])) == {their_video["id"], blocked_video["id"]}

    assert block(blocker, me).status_code in (200, 201)  # they blocked me
    assert block(me, blocked).status_code in (200, 201)  # I blocked them
    after = home(me)
    assert ids(after["live_parties"]) == [fine_party["id"]]
    assert after["upcoming_events"] == []
    assert after["continue_watching"] == []
    rec_ids = set(ids(after["recommendations"]["results"]))
    assert not rec_ids & {their_video["id"], blocked_video["id"], their_party["id"], my_blocked_party["id"]}
    text = str(after)
    for u in (blocker, blocked):
        assert u.id not in text
