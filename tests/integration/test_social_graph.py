"""Friendships, follows and blocks through /api/social/, on SQLite and PostgreSQL:
every pair state against every action, the crossing-request race, the lists."""
import threading

import pytest

from helpers import assert_envelope, assert_page, register
from social_helpers import (accept, befriend, block, cancel, decline, follow, friends, ids, ok, send_request,
                            unblock, unfollow, unfriend)

# ---------------------------------------------------------------- the matrix of pair states x actions

STATES = {
    "none": lambda me, them: None,
    "requested_by_me": lambda me, them: ok(send_request(me, them), 201),
    "requested_by_them": lambda me, them: ok(send_request(them, me), 201),
    "friends": lambda me, them: befriend(me, them),
    "following": lambda me, them: ok(follow(me, them), 201),
    "followed_by": lambda me, them: ok(follow(them, me), 201),
    "blocked_by_me": lambda me, them: ok(block(me, them), 201),
    "blocked_by_them": lambda me, them: ok(block(them, me), 201),
}

ACTIONS = {"request": send_request, "accept": accept, "decline": decline, "cancel": cancel, "unfriend": unfriend,
           "follow": follow, "unfollow": unfollow, "block": block, "unblock": unblock}

# The status `me` gets for each action, per state. A crossing request (B asks A
# while A's request to B is pending) accepts it: 200, not 201.
EXPECTED = {
    #                    request accept decline cancel unfriend follow unfollow block unblock
    "none":              (201,   404,   404,    404,   404,     201,   404,     201,  404),
    "requested_by_me":   (409,   404,   404,    200,   404,     201,   404,     201,  404),
    "requested_by_them": (200,   200,   200,    404,   404,     201,   404,     201,  404),
    "friends":           (409,   404,   404,    404,   200,     201,   404,     201,  404),
    "following":         (201,   404,   404,    404,   404,     409,   200,     201,  404),
    "followed_by":       (201,   404,   404,    404,   404,     201,   404,     201,  404),
    # the blocker is told why; the blocked side finds nobody there
    "blocked_by_me":     (403,   404,   404,    404,   404,     403,   404,     409,  200),
    "blocked_by_them":   (404,   404,   404,    404,   404,     404,   404,     201,  404),
}


@pytest.mark.parametrize("state", list(STATES))
def test_every_action_in_every_pair_state(server, state):
    got = {}
    for action, call in ACTIONS.items():
        me, them = register(server), register(server)
        STATES[state](me, them)
        r = call(me, them)
        got[action] = r.status_code
        if r.status_code >= 400:
            assert r.json()["success"] is False, r.text
    assert got == dict(zip(ACTIONS, EXPECTED[state]))


def test_requests_to_yourself_and_to_nobody(server):
    me = register(server)
    assert_envelope(send_request(me, me), 400, "VALIDATION_ERROR")
    assert_envelope(follow(me, me), 400, "VALIDATION_ERROR")
    assert_envelope(block(me, me), 400, "VALIDATION_ERROR")
    r = me.post("/api/social/friend-requests/", json={"user_id": "00000000-0000-4000-8000-000000000000"})
    assert_envelope(r, 404, "RESOURCE_NOT_FOUND")
    assert_envelope(me.post("/api/social/friend-requests/", json={"user_id": "nope"}), 400, "VALIDATION_ERROR")
    assert_envelope(me.post("/api/social/friend-requests/", json={}), 400, "VALIDATION_ERROR")


# ---------------------------------------------------------------- what the actions leave behind

def test_accepting_records_the_time_and_both_lists_show_it(server):
    a, b = register(server), register(server)
    sent = ok(send_request(a, b), 201)
    assert sent["status"] == "pending" and sent["accepted_at"] is None and sent["requester_id"] == a.id
    assert ids(ok(b.get("/api/social/friend-requests/"), 200)) == [a.id]
    assert ids(ok(a.get("/api/social/friend-requests/?direction=outgoing"), 200)) == [b.id]
    assert_envelope(a.get("/api/social/friend-requests/?direction=sideways"), 400, "VALIDATION_ERROR")
    done = ok(accept(b, a), 200)
    assert done["status"] == "accepted" and done["accepted_at"]
    for me, them in ((a, b), (b, a)):
        page = friends(me)
        assert_page(page)
        assert ids(page) == [them.id]
        assert page["results"][0]["online"] is False and page["results"][0]["friends_since"]
        rel = ok(me.get(f"/api/social/users/{them.id}/"), 200)
        assert rel["friendship"] == "accepted"
    assert ok(b.get("/api/social/friend-requests/"), 200)["count"] == 0


def test_a_crossing_request_accepts_the_pending_one(server):
    a, b = register(server), register(server)
    ok(send_request(a, b), 201)
    r = ok(send_request(b, a), 200)
    assert r["status"] == "accepted" and r["requester_id"] == a.id
    assert ids(friends(a)) == [b.id]


def test_crossing_requests_sent_at_the_same_instant_make_one_friendship(server):
    """Two threads fire both requests at once, many times: one 201 and one 200, one row."""
    for _ in range(15):
        a, b = register(server), register(server)
        barrier = threading.Barrier(2)
        statuses = {}

        def fire(me, them):
            barrier.wait()
            statuses[me.id] = send_request(me, them).status_code

        threads = [threading.Thread(target=fire, args=pair) for pair in ((a, b), (b, a))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses.values()) == [200, 201], statuses
        assert ids(friends(a)) == [b.id] and ids(friends(b)) == [a.id]
        assert ok(a.get("/api/social/friend-requests/"), 200)["count"] == 0


def test_mutual_friends_and_suggestions(server):
    me, f1, f2, x, y = (register(server) for _ in range(5))
    befriend(me, f1)
    befriend(me, f2)
    befriend(f1, x)
    befriend(f2, x)
    befriend(f1, y)
    page = ok(me.get("/api/social/suggestions/"), 200)
    assert ids(page) == [x.id, y.id]
    assert [u["mutual_count"] for u in page["results"]] == [2, 1]
    assert sorted(ids(ok(me.get(f"/api/social/users/{x.id}/mutual-friends/"), 200))) == sorted([f1.id, f2.id])
    ok(block(y, me), 201)
    assert ids(ok(me.get("/api/social/suggestions/"), 200)) == [x.id]
    assert_envelope(me.get(f"/api/social/users/{y.id}/mutual-friends/"), 404, "RESOURCE_NOT_FOUND")


# ---------------------------------------------------------------- follows

def test_follow_lists_and_counts_on_the_public_profile(server):
    a, b, c = register(server), register(server), register(server)
    f = ok(follow(a, b), 201)
    assert f["status"] == "active"
    ok(follow(c, b), 201)
    ok(follow(b, a), 201)
    assert sorted(ids(ok(a.get(f"/api/social/users/{b.id}/followers/"), 200))) == sorted([a.id, c.id])
    assert ids(ok(a.get(f"/api/social/users/{b.id}/following/"), 200)) == [a.id]
    profile = ok(a.get(f"/api/users/{b.id}/"), 200)
    assert profile["followers_count"] == 2 and profile["following_count"] == 1


def test_a_private_profile_makes_a_follow_a_request(server):
    a, p = register(server), register(server)
    ok(p.patch("/api/users/me/profile/", json={"privacy_settings": {"profile_visibility": "private"}}), 200)
    assert ok(follow(a, p), 201)["status"] == "pending"
    assert ok(p.get(f"/api/users/{p.id}/"), 200)["followers_count"] == 0
    assert "followers_count" not in ok(a.get(f"/api/users/{p.id}/"), 200)  # the private shape hides it
    assert ids(ok(p.get(f"/api/social/users/{p.id}/followers/?status=pending"), 200)) == [a.id]
    assert_envelope(a.get(f"/api/social/users/{p.id}/followers/?status=pending"), 403, "ACCESS_FORBIDDEN")
    ok(p.post(f"/api/social/followers/{a.id}/approve/"), 200)
    assert ok(p.get(f"/api/users/{p.id}/"), 200)["followers_count"] == 1
    assert_envelope(p.post(f"/api/social/followers/{a.id}/approve/"), 404, "RESOURCE_NOT_FOUND")
    b = register(server)
    ok(follow(b, p), 201)
    ok(p.post(f"/api/social/followers/{b.id}/reject/"), 200)
    assert ok(b.get(f"/api/social/users/{b.id}/following/?status=pending"), 200)["count"] == 0


# ---------------------------------------------------------------- blocks

def test_a_block_removes_friendship_and_follows_and_hides_both_ways(server):
    a, b = register(server), register(server)
    befriend(a, b)
    ok(follow(a, b), 201)
    ok(follow(b, a), 201)
    ok(block(a, b), 201)
    assert friends(a)["count"] == 0 and friends(b)["count"] == 0
    assert ok(a.get(f"/api/social/users/{a.id}/followers/"), 200)["count"] == 0
    assert ids(ok(a.get("/api/social/blocks/"), 200)) == [b.id]
    assert ok(b.get("/api/social/blocks/"), 200)["count"] == 0
    for me, them in ((a, b), (b, a)):
        assert_envelope(me.get(f"/api/users/{them.id}/"), 404, "RESOURCE_NOT_FOUND")
        assert_envelope(me.get(f"/api/social/users/{them.id}/"), 404, "RESOURCE_NOT_FOUND")
        assert_envelope(me.get(f"/api/social/users/{them.id}/followers/"), 404, "RESOURCE_NOT_FOUND")
        found = ok(me.get(f"/api/users/?search={them.username}"), 200)
        assert them.id not in ids(found)
    ok(unblock(a, b), 200)
    assert ok(b.get(f"/api/users/{a.id}/"), 200)["id"] == a.id
    assert b.id in ids(ok(a.get(f"/api/users/?search={b.username}"), 200))
    assert ok(a.get(f"/api/social/users/{b.id}/"), 200)["friendship"] is None


def test_a_friends_only_profile_opens_to_friends(server):
    owner, friend, stranger = register(server), register(server), register(server)
    ok(owner.patch("/api/users/me/profile/", json={"privacy_settings": {"profile_visibility": "friends"}}), 200)
    befriend(owner, friend)
    assert ok(friend.get(f"/api/users/{owner.id}/"), 200)["is_private"] is False
    assert ok(stranger.get(f"/api/users/{owner.id}/"), 200)["is_private"] is True
    assert ok(follow(friend, owner), 201)["status"] == "active"
    assert ok(follow(stranger, owner), 201)["status"] == "pending"
