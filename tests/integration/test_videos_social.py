"""Likes, comments (threads, edits, placeholders, likes), watch progress, and the counters under concurrency."""
import threading

from helpers import assert_envelope, assert_field_errors, assert_page, assert_time, register
from party_helpers import create_party, join
from video_helpers import make_staff, ready_video, vserver


def run_all(fns):
    results = [None] * len(fns)
    errors = []

    def call(i, fn):
        try:
            results[i] = fn()
        except Exception as e:  # collected and re-raised by the test thread
            errors.append(e)

    threads = [threading.Thread(target=call, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_like_dislike_toggle(vserver, ready_video):
    _, video = ready_video
    user = register(vserver)
    url = f"/api/videos/{video['id']}/like/"
    before = vserver.get(f"/api/videos/{video['id']}/").json()
    r = user.post(url, json={"is_like": True})
    assert r.status_code == 200, r.text
    assert r.json() == {"success": True, "is_like": True, "like_count": before["like_count"] + 1,
                        "dislike_count": before["dislike_count"]}
    r = user.post(url, json={"is_like": False}).json()  # switch
    assert r == {"success": True, "is_like": False, "like_count": before["like_count"],
                 "dislike_count": before["dislike_count"] + 1}
    r = user.post(url, json={"is_like": False}).json()  # same again removes it
    assert r == {"success": True, "is_like": None, "like_count": before["like_count"],
                 "dislike_count": before["dislike_count"]}
    assert_envelope(user.post(url, json={}), 400, "VALIDATION_ERROR")
    assert_envelope(user.post(url, json={"is_like": "yes"}), 400, "VALIDATION_ERROR")
    assert_envelope(vserver.post(url, json={"is_like": True}), 401, "AUTHENTICATION_REQUIRED")


def test_my_reactions_tell_what_i_liked(vserver, ready_video):
    owner, video = ready_video
    me, other = register(vserver), register(vserver)
    base = f"/api/videos/{video['id']}/"
    url = base + "my-reactions/"
    assert me.get(url).json() == {"is_like": None, "liked_comment_ids": []}
    first = owner.post(base + "comments/", json={"content": "first"}).json()
    reply = owner.post(base + "comments/", json={"content": "reply", "parent_id": first["id"]}).json()
    mine_not = owner.post(base + "comments/", json={"content": "not liked"}).json()
    me.post(base + "like/", json={"is_like": False})
    for c in (reply, first):
        assert me.post(f"{base}comments/{c['id']}/like/").json()["liked"] is True
    other.post(f"{base}comments/{mine_not['id']}/like/")  # someone else's like is not mine
    got = me.get(url).json()
    assert got["is_like"] is False
    assert sorted(got["liked_comment_ids"]) == sorted([first["id"], reply["id"]])
    me.post(f"{base}comments/{first['id']}/like/")  # unlike
    me.post(base + "like/", json={"is_like": True})
    assert me.get(url).json() == {"is_like": True, "liked_comment_ids": [reply["id"]]}
    assert other.get(url).json() == {"is_like": None, "liked_comment_ids": [mine_not["id"]]}
    assert_envelope(vserver.get(url), 401, "AUTHENTICATION_REQUIRED")


def test_concurrent_likes_are_counted_exactly(vserver, ready_video):
    _, video = ready_video
    users = [register(vserver) for _ in range(20)]
    url = f"/api/videos/{video['id']}/like/"
    before = vserver.get(f"/api/videos/{video['id']}/").json()
    results = run_all([lambda u=u, i=i: u.post(url, json={"is_like": i % 4 != 0}, timeout=30)
                       for i, u in enumerate(users)])
    assert all(r.status_code == 200 for r in results), [r.text for r in results if r.status_code != 200]
    after = vserver.get(f"/api/videos/{video['id']}/").json()
    assert after["like_count"] == before["like_count"] + 15
    assert after["dislike_count"] == before["dislike_count"] + 5
    # And all at once again removes every one of them.
    results = run_all([lambda u=u, i=i: u.post(url, json={"is_like": i % 4 != 0}, timeout=30)
                       for i, u in enumerate(users)])
    assert all(r.status_code == 200 for r in results)
    final = vserver.get(f"/api/videos/{video['id']}/").json()
    assert (final["like_count"], final["dislike_count"]) == (before["like_count"], before["dislike_count"])


def test_concurrent_comment_likes_are_counted_exactly(vserver, ready_video):
    _, video = ready_video
    author = register(vserver)
    c = author.post(f"/api/videos/{video['id']}/comments/", json={"content": "like me"}).json()
    users = [register(vserver) for _ in range(20)]
    url = f"/api/videos/{video['id']}/comments/{c['id']}/like/"
    results = run_all([lambda u=u: u.post(url, timeout=30) for u in users])
    assert all(r.status_code == 200 and r.json()["liked"] is True for r in results)
    listed = vserver.get(f"/api/videos/{video['id']}/comments/?page_size=100").json()["results"]
    assert [x["likes_count"] for x in listed if x["id"] == c["id"]] == [20]
    r = users[0].post(url).json()
    assert r == {"success": True, "liked": False, "likes_count": 19}


def test_comment_threads_edit_delete_and_pagination(vserver, ready_video):
    owner, video = ready_video
    vid = video["id"]
    base = f"/api/videos/{vid}/comments/"
    alice, bob = register(vserver), register(vserver)
    count0 = vserver.get(f"/api/videos/{vid}/").json()["comment_count"]

    top = alice.post(base, json={"content": "First!"})
    assert top.status_code == 201, top.text
    top = top.json()
    assert top["parent_id"] is None and top["user"]["id"] == alice.id and top["is_edited"] is False
    assert_time(top["created_at"])
    reply = bob.post(base, json={"content": "reply", "parent_id": top["id"]}).json()
    assert reply["parent_id"] == top["id"]
    nested = alice.post(base, json={"content": "reply to reply", "parent_id": reply["id"]}).json()
    assert nested["parent_id"] == reply["id"]
    assert vserver.get(f"/api/videos/{vid}/").json()["comment_count"] == count0 + 3

    listed = assert_page(vserver.get(base + "?page_size=100").json())
    mine = [c for c in listed["results"] if c["id"] == top["id"]][0]
    assert mine["reply_count"] == 1
    assert all(c["parent_id"] is None for c in listed["results"])
    replies = vserver.get(f"{base}{top['id']}/replies/").json()
    assert [c["id"] for c in replies["results"]] == [reply["id"]] and replies["results"][0]["reply_count"] == 1
    assert [c["id"] for c in vserver.get(f"{base}{reply['id']}/replies/").json()["results"]] == [nested["id"]]

    # Edit: the author only.
    assert_envelope(bob.patch(f"{base}{top['id']}/", json={"content": "hijack"}), 403, "ACCESS_FORBIDDEN")
    edited = alice.patch(f"{base}{top['id']}/", json={"content": "First (edited)"}).json()
    assert edited["content"] == "First (edited)" and edited["is_edited"] is True
    assert_envelope(alice.patch(f"{base}{top['id']}/", json={"content": ""}), 400, "VALIDATION_ERROR")

    # Delete with replies: a placeholder keeps the thread.
    assert_envelope(bob.delete(f"{base}{top['id']}/"), 403, "ACCESS_FORBIDDEN")
    assert alice.delete(f"{base}{top['id']}/").status_code == 204
    placeholder = [c for c in vserver.get(base + "?page_size=100").json()["results"] if c["id"] == top["id"]][0]
    assert placeholder["is_deleted"] is True and placeholder["content"] is None and placeholder["user"] is None
    assert placeholder["reply_count"] == 1
    assert_envelope(bob.post(base, json={"content": "x", "parent_id": top["id"]}), 400, "VALIDATION_ERROR")
    assert vserver.get(f"/api/videos/{vid}/").json()["comment_count"] == count0 + 2

    # The video owner may delete others' comments; removing the last leaves removes the placeholder chain.
    assert owner.delete(f"{base}{nested['id']}/").status_code == 204
    assert bob.delete(f"{base}{reply['id']}/").status_code == 204
    ids = [c["id"] for c in vserver.get(base + "?page_size=100").json()["results"]]
    assert top["id"] not in ids
    assert vserver.get(f"/api/videos/{vid}/").json()["comment_count"] == count0
    assert_envelope(alice.delete(f"{base}{top['id']}/"), 404, "RESOURCE_NOT_FOUND")

    # Staff may delete too.
    staff = make_staff(vserver)
    c = bob.post(base, json={"content": "spam"}).json()
    assert staff.delete(f"{base}{c['id']}/").status_code == 204

    # Pagination of top level and replies.
    parent = alice.post(base, json={"content": "thread"}).json()
    for i in range(5):
        bob.post(base, json={"content": f"r{i}", "parent_id": parent["id"]})
    p1 = vserver.get(f"{base}{parent['id']}/replies/?page_size=2").json()
    assert p1["count"] == 5 and [c["content"] for c in p1["results"]] == ["r0", "r1"] and p1["next"]
    p3 = vserver.get(f"{base}{parent['id']}/replies/?page_size=2&page=3").json()
    assert [c["content"] for c in p3["results"]] == ["r4"] and p3["next"] is None
    top_page = vserver.get(base + "?page_size=1").json()
    assert top_page["results"][0]["id"] == parent["id"]  # newest first

    # Bad input.
    assert_envelope(alice.post(base, json={"content": ""}), 400, "VALIDATION_ERROR")
    assert_envelope(alice.post(base, json={"content": "x", "parent_id": "nope"}), 400, "VALIDATION_ERROR")
    assert_envelope(alice.post(base, json={"content": "x", "parent_id": "00000000-0000-4000-8000-000000000000"}),
                    400, "VALIDATION_ERROR")
    assert_envelope(vserver.post(base, json={"content": "anon"}), 401, "AUTHENTICATION_REQUIRED")
    assert_envelope(vserver.get(f"{base}00000000-0000-4000-8000-000000000000/replies/"), 404, "RESOURCE_NOT_FOUND")


def test_watch_progress(vserver, ready_video):
    _, video = ready_video
    user = register(vserver)
    url = f"/api/videos/{video['id']}/progress/"
    r = user.post(url, json={"position": 3.0, "duration_watched": 3, "buffering_events": 1, "quality": "360p"})
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["total_watch_time"] == 3 and w["last_position"] == 3.0 and w["buffering_events"] == 1
    assert 45 < w["completion_percentage"] < 55
    assert w["average_quality"] == "360p"
    w = user.post(url, json={"position": 1.0, "duration_watched": 2}).json()
    assert w["total_watch_time"] == 5 and w["last_position"] == 1.0 and w["buffering_events"] == 1
    assert 45 < w["completion_percentage"] < 55, "completion keeps the furthest point"
    w = user.post(url, json={"position": 6.0, "duration_watched": 3}).json()
    assert w["completion_percentage"] == 100
    assert_envelope(user.post(url, json={"duration_watched": 1}), 400, "VALIDATION_ERROR")
    assert_envelope(user.post(url, json={"position": -1}), 400, "VALIDATION_ERROR")
    assert_envelope(user.post(url, json={"position": 1, "duration_watched": 10**9}), 400, "VALIDATION_ERROR")
    assert_envelope(vserver.post(url, json={"position": 1}), 401, "AUTHENTICATION_REQUIRED")


def test_null_for_a_required_field_is_refused(vserver, ready_video):
    _, video = ready_video
    user = register(vserver)
    base = f"/api/videos/{video['id']}/"
    before = vserver.get(base).json()
    body = assert_field_errors(user.post(base + "like/", json={"is_like": None}), "is_like")
    assert body["errors"]["is_like"] == ["This field is required."]
    after = vserver.get(base).json()
    assert (after["like_count"], after["dislike_count"]) == (before["like_count"], before["dislike_count"])
    # The like was not recorded: a real like now adds one rather than removing it.
    assert user.post(base + "like/", json={"is_like": True}).json()["is_like"] is True

    body = assert_field_errors(user.post(base + "progress/", json={"position": None, "duration_watched": 4}),
                               "position")
    assert body["errors"]["position"] == ["This field is required."]
    # Nothing was stored by the refused request.
    w = user.post(base + "progress/", json={"position": 2.5, "duration_watched": 1}).json()
    assert w["last_position"] == 2.5 and w["total_watch_time"] == 1
    # Null for an optional field still means "absent".
    w = user.post(base + "progress/", json={"position": 3, "quality": None, "party_id": None}).json()
    assert w["last_position"] == 3 and w["average_quality"] == "" and w["party_id"] is None


def test_progress_party_must_be_one_of_mine(vserver, ready_video):
    owner, video = ready_video
    url = f"/api/videos/{video['id']}/progress/"
    viewer = register(vserver)
    party = create_party(owner, video_id=video["id"], media_url=None)
    for bad in ["not-a-uuid", "00000000-0000-4000-8000-000000000000", party["id"]]:
        body = assert_field_errors(viewer.post(url, json={"position": 1, "party_id": bad}), "party_id")
        assert body["errors"]["party_id"], bad
    r = viewer.post(url, json={"position": 1})
    assert r.status_code == 200 and r.json()["party_id"] is None, "nothing was stored for the refused party ids"
    assert join(viewer, party).status_code == 200
    r = viewer.post(url, json={"position": 2, "duration_watched": 1, "party_id": party["id"].upper()})
    assert r.status_code == 200, r.text
    assert r.json()["party_id"] == party["id"]
    assert owner.post(url, json={"position": 1, "party_id": party["id"]}).status_code == 200  # the host
